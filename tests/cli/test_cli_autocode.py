"""`gtcode autocode` and `review` (list, accept, reject): reports, JSON, clean errors, a start without spaCy."""

from __future__ import annotations

import json

import pytest

from tests.conftest import invoke
from tests.lib import test_autocode as lib
from tests.lib.test_autocode import texts

study = lib.study  # the library tests' fixture, shared rather than copied


def test_cli_autocode_dry_run_and_json(study):
    result = invoke(study, "autocode", "--dry-run", coder="Hannah", ok=False)
    assert result.exit_code == 0, result.output
    assert "Cancelling" in result.stdout and "D1:4  P01  [cancel] Cancelled." in result.stdout
    assert "Dry run, nothing changed: 7 new suggestions for 4 codes in 7 participant segments" in result.stderr
    result = invoke(study, "autocode", "--json", "--code", "Being filmed", coder="Hannah", ok=False)
    data = json.loads(result.stdout)
    assert data["added"] == 1 and data["codes"][0]["code"] == "Being filmed"
    assert "Review them with 'gtcode review'" in result.stderr
    assert study.coding.passages("Being filmed", include_pending=True)[0].coder == "Hannah"


def test_cli_autocode_error_when_no_patterns(project):
    result = invoke(project, "autocode", coder="Hannah", ok=False)
    assert result.exit_code == 1
    assert "Error: no code has autocoding patterns" in result.stderr


def test_cli_review_list_accept_reject(study):
    assert invoke(study, "autocode", coder="Hannah", ok=False).exit_code == 0
    listed = invoke(study, "review", coder="Hannah", ok=False)
    assert listed.exit_code == 0, listed.output
    assert "Cancelling" in listed.stdout and "Cancelled." in listed.stdout and "7 pending codings" in listed.stderr
    data = json.loads(invoke(study, "review", "Cancelling", "--json", coder="Hannah", ok=False).stdout)
    assert data["total"] == 3 and {p["code"] for p in data["pending"]} == {"Cancelling"}
    first, *rest = [p["id"] for p in data["pending"]]
    assert data["pending"][0]["address"] == "D1:4" and data["pending"][0]["pattern"] == "cancel"
    result = invoke(study, "review", "accept", str(first), coder="Hannah", ok=False)
    assert result.exit_code == 0, result.output
    assert "Accepted 1 pending coding: 'Cancelling' 1." in result.stderr
    result = invoke(study, "review", "reject", f"{rest[0]}-{rest[1]}", coder="Hannah", ok=False)
    assert "Rejected 2 pending codings: 'Cancelling' 2." in result.stderr
    assert texts(study, "Cancelling", include_pending=False) == ["Cancelled."]
    result = invoke(study, "review", "accept", "--all", "--code", "Practical barriers", coder="Hannah", ok=False)
    assert "Accepted 2 pending codings" in result.stderr
    assert json.loads(invoke(study, "review", "--json", coder="Hannah", ok=False).stdout)["total"] == 2


def test_cli_review_errors(study):
    invoke(study, "autocode", coder="Hannah", ok=False)
    result = invoke(study, "review", "accept", coder="Hannah", ok=False)
    assert result.exit_code == 1 and "Error: name the pending codings to review by id" in result.stderr
    result = invoke(study, "review", "No such code", coder="Hannah", ok=False)
    assert result.exit_code == 1 and "Error: no code 'No such code'" in result.stderr
    listed = json.loads(invoke(study, "review", "Cancelling", "--json", coder="Hannah", ok=False).stdout)
    some = listed["pending"][0]["id"]
    result = invoke(study, "review", "reject", str(some), "--code", "Being filmed", coder="Hannah", ok=False)
    assert result.exit_code == 1 and "is a coding of 'Cancelling', not of 'Being filmed'" in result.stderr


@pytest.mark.parametrize("argv", [["review", "--json"], ["codebook", "export"], ["review", "accept", "--all"]])
def test_review_and_export_start_without_spacy(study, argv):
    from tests.contracts.test_import_hygiene import HEAVY, modules_loaded

    code = (f"from gtcode.cli import app\n"
            f"try:\n    app({['-p', str(study.path), *argv]!r}, standalone_mode=False)\n"
            f"except SystemExit:\n    pass")
    allowed = {"yaml"} if argv[0] == "codebook" else set()  # a YAML export needs its YAML writer
    assert not modules_loaded(code) & (set(HEAVY) - allowed)

"""`gtcode category`, `relate`, `unrelate`, `relations`, `core`, `paradigm` and `model`, on the library tests' study."""

from __future__ import annotations

import json

import pytest

from tests.conftest import invoke
from tests.lib import test_model as lib
from tests.lib.test_model import build_model, model_rows

study = lib.study  # the library tests' fixture, shared rather than copied


def test_cli_axial_workflow(study):
    invoke(study, "category", "new", "Engagement with VIG")
    invoke(study, "category", "new", "Fear of surveillance", "--description", "Expecting the film to be used")
    invoke(study, "category", "add", "Fear of surveillance", "Feeling judged")
    invoke(study, "category", "property", "Fear of surveillance", "intensity", "--dimension", "mild..strong",
        "--at", "D1:2=strong")
    invoke(study, "relate", "Fear of surveillance", "hinders", "Engagement with VIG", "--evidence", "D1:2")
    invoke(study, "relate", "Fear of surveillance", "hinders", "Engagement with VIG", "--evidence", "D2:2",
        "--evidence", "D1:2,D2:2")  # repeated and comma-separated: every passage counts, none twice
    invoke(study, "core", "Engagement with VIG")
    shown = json.loads(invoke(study, "category", "show", "Fear of surveillance", "--json").stdout)
    assert shown["codes"] == ["Fear of surveillance/Feeling judged"]
    assert shown["properties"][0]["placements"][0]["value"] == "strong"
    rels = json.loads(invoke(study, "relations", "--json").stdout)
    assert [(r["source"], r["type"], r["passages"]) for r in rels] == [("Fear of surveillance", "hinders", 2)]
    out = invoke(study, "model", "show").stdout
    assert "Engagement with VIG" in out and "Barriers" in out and "Fear of surveillance" in out
    res = invoke(study, "model", "check", ok=False)
    assert res.exit_code == 1 and "problems, most serious first" in res.stderr
    para = invoke(study, "paradigm", "Engagement with VIG", "--consequence", "Fear of surveillance").stdout
    assert "Consequences" in para and "Fear of surveillance" in para


@pytest.mark.parametrize("args, message", [
    (["relate", "Feeling judged", "hindrs", "Home visits"], "did you mean 'hinders'"),
    (["relate", "Nope", "hinders", "Home visits"], "no code 'Nope'"),
    (["relate", "Feeling judged", "hinders", "Home visits", "--evidence", "D1:99"], "no segment 99"),
    (["core", "Feeling judged"], "is a code, not a category"),
    (["category", "property", "Engagement with VIG", "pace", "--at", "D1:99=slow"], "no segment 99"),
    (["category", "show", "Home visits"], "is a code, not a category"),
    (["model", "show"], "no core category"),
    (["relate", "Feeling judged"], "expected SOURCE TYPE TARGET"),
])
def test_cli_bad_input(study, args, message):
    study.model.new_category("Engagement with VIG")
    before = model_rows(study)
    res = invoke(study, *args, ok=False)
    assert res.exit_code == 1 and message in res.stderr and len(res.stderr.strip().splitlines()) == 1, res.stderr
    assert model_rows(study) == before


def test_cli_unrelate_types_define_and_suggest(study):
    build_model(study)
    types = json.loads(invoke(study, "relations", "--types", "--json").stdout)
    assert {"hinders", "facilitates", "is-part-of", "is-associated-with"} <= {t["name"] for t in types}
    invoke(study, "relate", "--define", "protects-from", "--label", "protects from", "--polarity", "+")
    invoke(study, "relate", "Trust in the practitioner", "protects-from", "Fear of surveillance")
    invoke(study, "unrelate", "Trust in the practitioner", "protects-from", "Fear of surveillance")
    assert [r.type for r in study.model.relations()] == ["hinders", "facilitates"]
    res = invoke(study, "unrelate", "Trust in the practitioner", "protects-from", "Fear of surveillance", ok=False)
    assert res.exit_code == 1 and "no relation" in res.stderr
    before = model_rows(study)
    res = invoke(study, "relate", "--suggest")
    assert "nothing was related" in res.stderr or "No suggestions" in res.stderr  # suggestions never apply
    assert model_rows(study) == before

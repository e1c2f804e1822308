"""`gtcode code`, `invivo`, `codes tree/show/list`, `log` and `undo` on the library tests' coded interview."""

from __future__ import annotations

import json

import pytest

from tests.conftest import invoke
from tests.lib import test_coding as lib
from tests.lib.test_coding import coding_rows

coded = lib.coded  # the library tests' fixture, shared rather than copied


def test_cli_code_tree_show_log_undo(coded):
    invoke(coded, "code", "D1:2-3", "P01:6", "Barriers/Fear of judgement")
    invoke(coded, "invivo", "D1:7", "a proper mum")
    tree = json.loads(invoke(coded, "codes", "tree", "--json").stdout)
    barriers = next(n for n in tree if n["path"] == "Barriers")
    fear = barriers["children"][0]
    assert fear["path"] == "Barriers/Fear of judgement" and fear["codings"] == 2 and fear["cases"] == 1
    show = json.loads(invoke(coded, "codes", "show", "Fear of judgement", "--json").stdout)
    assert show["by_attribute"]["role"]["mother"] == {"cases": 1, "passages": 2}
    assert len(show["exemplars"]) == 2
    log = json.loads(invoke(coded, "log", "--code", "a proper mum", "--json").stdout)
    assert [e["action"] for e in log] == ["coding.add", "code.add"]
    assert "Undid" in invoke(coded, "undo").stderr
    assert [c["path"] for c in json.loads(invoke(coded, "codes", "list", "--json").stdout)].count("a proper mum") == 0


@pytest.mark.parametrize("args, message", [
    (["code", "D1:2", "Nope"], "no code 'Nope'"),
    (["code", "D1:99", "Barriers"], "no segment 99"),
    (["code", "D9:1", "Barriers"], "no document 'D9'"),
    (["code", "Barriers"], "expected ADDRESS… CODE…"),
    (["code", "D1:2", "Barriers", "--quote", "not there"], "quote 'not there' is not in the segment"),
    (["codes", "add", "Barriers"], "already exists"),
    (["codes", "merge", "Barriers", "Facilitators"], "SOURCE… INTO TARGET"),
    (["codes", "describe", "Barriers", "--color", "red"], "#RRGGBB"),
    (["invivo", "D1:2,4", "collecting"], "one segment or a contiguous range"),
])
def test_cli_bad_input_is_one_line_and_changes_nothing(coded, args, message):
    before = coding_rows(coded)
    res = invoke(coded, *args, ok=False)
    assert res.exit_code == 1, res.output
    assert message in res.stderr and len(res.stderr.strip().splitlines()) == 1, res.stderr
    assert coding_rows(coded) == before


def test_cli_code_search_previews_and_asks(coded):
    res = invoke(coded, "code", "--search", "camera OR evidence", "Fear of judgement", input="n\n", ok=False)
    assert res.exit_code == 1 and "Nothing coded" in res.stderr
    assert coded.coding.passages("Fear of judgement") == []
    invoke(coded, "code", "--search", "camera OR evidence", "Fear of judgement", "--yes")
    assert [p.address for p in coded.coding.passages("Fear of judgement")] == ["D1:2", "D1:3"]

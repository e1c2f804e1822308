"""`gtcode code/uncode/invivo --quote … [--nth N]` across segments and turns, and how `retrieve` and
`codes show` place the result (the library side: tests/lib/test_free_spans.py)."""

from __future__ import annotations

import json

from tests.conftest import invoke
from tests.lib import test_coding as lib
from tests.lib.test_coding import coding_rows

coded = lib.coded  # the library tests' fixture, shared rather than copied


def test_cli_quote_across_segments_shows_as_a_range(coded):
    invoke(coded, "code", "D1:2-3", "Fear of judgement", "--quote", "collecting evidence. I hated")
    [group] = json.loads(invoke(coded, "retrieve", "Fear of judgement", "--json").stdout)["groups"]
    [p] = group["passages"]
    assert (p["address"], p["text"]) == ("D1:2-3", "collecting evidence. I hated")
    [e] = json.loads(invoke(coded, "codes", "show", "Fear of judgement", "--json").stdout)["exemplars"]
    assert (e["address"], e["text"]) == ("D1:2-3", "collecting evidence. I hated")
    assert "D1:2-3" in invoke(coded, "retrieve", "Fear of judgement").stdout


def test_cli_quote_across_a_turn(coded):
    res = invoke(coded, "code", "D1:4-5", "Barriers", "--quote", "smile. And the", ok=False)
    assert res.exit_code == 1 and "'smile. Interviewer: And the'" in res.stderr, res.stderr
    invoke(coded, "code", "D1:4-5", "Barriers", "--quote", "smile.  Interviewer: And the")
    [p] = coded.coding.passages("Barriers")
    assert (p.address, p.text) == ("D1:4-5", "smile.\nInterviewer: And the")


def test_cli_ambiguous_quote_lists_places_then_nth(coded):
    before = coding_rows(coded)
    res = invoke(coded, "code", "D1:2-5", "Barriers", "--quote", "the", ok=False)
    assert res.exit_code == 1, res.output
    assert "quote 'the' occurs 2 times; pick one with --nth N" in res.stderr
    assert "1. D1:3: …collecting evidence. I hated «the» camera" in res.stderr
    assert "2. D1:5: …her smile. Interviewer: And «the» review?" in res.stderr
    assert coding_rows(coded) == before
    invoke(coded, "code", "D1:2-5", "Barriers", "--quote", "the", "--nth", "2")
    assert [p.address for p in coded.coding.passages("Barriers")] == ["D1:5"]
    invoke(coded, "uncode", "D1:2-5", "Barriers", "--quote", "the", "--nth", "2")
    assert coded.coding.passages("Barriers") == []
    invoke(coded, "invivo", "D1:2-4", "I", "--nth", "2")
    assert [p.address for p in coded.coding.passages("I")] == ["D1:3"]
    bad = invoke(coded, "code", "D1:2-5", "Barriers", "--quote", "the", "--nth", "0", ok=False)
    assert bad.exit_code == 2  # a usage error: --nth counts from 1


def test_cli_quote_not_found_and_single_segment_as_before(coded):
    res = invoke(coded, "code", "D1:2-4", "Barriers", "--quote", "gathering proof", ok=False)
    assert res.exit_code == 1 and "quote 'gathering proof' is not in these segments" in res.stderr
    res = invoke(coded, "code", "D1:2-5", "Barriers", "--quote", "the", "--nth", "3", ok=False)
    assert res.exit_code == 1 and "there is no occurrence 3" in res.stderr
    invoke(coded, "code", "D1:2", "Barriers", "--quote", "collecting   Evidence")
    assert [(p.address, p.text) for p in coded.coding.passages("Barriers")] == [("D1:2", "collecting evidence")]

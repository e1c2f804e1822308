"""Free spans: a quote inside a contiguous range of segments, across segment and turn boundaries, with
`nth` for a quote that occurs more than once (the commands: tests/cli/test_cli_free_spans.py).

The interview (tests/lib/test_coding.py): D1:1 Interviewer · D1:2-4 P01 · D1:5 Interviewer · D1:6-7 P01.
"""

from __future__ import annotations

import pytest

from gtcode.errors import AmbiguousQuote, InputError, QuoteNotFound

from tests.lib import test_coding as lib
from tests.lib.test_coding import coding_rows

coded = lib.coded  # the library tests' fixture, shared rather than copied


def only(project, code="Fear of judgement"):
    [p] = project.coding.passages(code)
    assert project.docs.text("P01")[p.start:p.end] == p.text  # exact offsets into the document text
    return p


def test_quote_across_two_segments_of_one_turn(coded):
    coded.coding.apply("D1:2-3", "Fear of judgement", quote="collecting evidence.\n  I hated")
    p = only(coded)
    assert (p.address, p.text, p.speaker) == ("D1:2-3", "collecting evidence. I hated", "P01")


def test_quote_across_a_turn_needs_the_label_typed(coded):
    before = coding_rows(coded)
    with pytest.raises(QuoteNotFound, match="type that turn's label too, e.g. 'her smile. Interviewer: And the"):
        coded.coding.apply("D1:4-5", "Fear of judgement", quote="her smile. And the review")
    assert coding_rows(coded) == before
    coded.coding.apply("D1:4-5", "Fear of judgement", quote="her smile. Interviewer: And the review")
    p = only(coded)
    assert (p.address, p.text) == ("D1:4-5", "her smile.\nInterviewer: And the review")


def test_ambiguous_quote_lists_each_place_and_nth_picks_one(coded):
    before = coding_rows(coded)
    with pytest.raises(AmbiguousQuote) as caught:  # 'the' twice as a word; 'they' in D1:2 does not count
        coded.coding.apply("D1:2-5", "Fear of judgement", quote="the")
    message = str(caught.value)
    assert "D1:2-5: quote 'the' occurs 2 times; pick one with --nth N" in message
    assert "1. D1:3: …collecting evidence. I hated «the» camera. Then I saw…" in message
    assert "2. D1:5: …her smile. Interviewer: And «the» review?" in message
    assert [o["address"] for o in caught.value.occurrences] == ["D1:3", "D1:5"]
    assert coding_rows(coded) == before
    coded.coding.apply("D1:2-5", "Fear of judgement", quote="the", nth=2)
    p = only(coded)
    assert (p.address, p.start) == ("D1:5", caught.value.occurrences[1]["start"])
    with pytest.raises(QuoteNotFound, match="occurs 2 times; there is no occurrence 3"):
        coded.coding.apply("D1:2-5", "Fear of judgement", quote="the", nth=3)


def test_remove_and_invivo_take_ranges_and_nth(coded):
    coded.coding.apply("D1:2-4", "Fear of judgement")
    coded.coding.remove("D1:2-4", "Fear of judgement", quote="evidence. I hated the camera.")
    assert [p.text for p in coded.coding.passages("Fear of judgement")] == [
        "I thought they were collecting", "Then I saw her smile."]
    code = coded.coding.invivo("D1:6-7", "good bits. It made me")
    assert code.path == "good bits. It made me" and only(coded, code.path).address == "D1:6-7"
    code = coded.coding.invivo("D1:2-4", "i", nth=3)  # as typed first, then any case: 'I' three times
    assert only(coded, code.path).address == "D1:4"


def test_quote_not_found_in_a_range(coded):
    with pytest.raises(QuoteNotFound, match="quote 'gathering proof' is not in these segments: 'I thought"):
        coded.coding.apply("D1:2-4", "Fear of judgement", quote="gathering proof")


def test_single_segment_quote_unchanged(coded):
    coded.coding.apply("D1:2", "Fear of judgement", quote="collecting   Evidence")
    assert (only(coded).address, only(coded).text) == ("D1:2", "collecting evidence")
    with pytest.raises(QuoteNotFound, match="D1:2: quote 'x y' is not in the segment: 'I thought"):
        coded.coding.apply("D1:2", "Fear of judgement", quote="x y")
    coded.coding.apply("D1:6", "Strengths-based focus", quote="only showed", nth=1)
    assert only(coded, "Strengths-based focus").text == "only showed"


@pytest.mark.parametrize("addresses, kwargs, message", [
    (["D1:2,4"], {"quote": "I"}, "one segment or a contiguous range"),
    (["D1:2", "D1:3"], {"quote": "I"}, "a single address"),
    (["D1:2"], {"nth": 2}, "give the quote too"),
    (["D1:2"], {"quote": "I", "nth": 0}, "numbered from 1"),
])
def test_quote_needs_one_contiguous_address(coded, addresses, kwargs, message):
    with pytest.raises(InputError, match=message):
        coded.coding.apply(addresses, "Fear of judgement", **kwargs)

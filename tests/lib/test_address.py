"""Segment addresses as users type them: D3:17, D3:17-21, D3:4,9,12, P01:4."""

from __future__ import annotations

import pytest

from gtcode.address import format_ranges, parse_address, parse_ranges
from gtcode.errors import BadAddress, UnknownDocument, UnknownSegment

TEXT = "Interviewer: Why VIG?\nP01: I was scared. Then I saw us. We laughed. It helped.\n"


def test_ranges_and_lists():
    assert parse_ranges("17") == (17,)
    assert parse_ranges("17-19") == (17, 18, 19)
    assert parse_ranges("4, 9,12-13,9") == (4, 9, 12, 13)
    assert format_ranges([4, 9, 12, 13, 14]) == "4,9,12-14"


@pytest.mark.parametrize("bad, reason", [("D3", "DOCUMENT:SEGMENTS"), ("D3:", "numbers"), ("D3:x", "numbers"),
                                         ("D3:5-2", "backwards"), ("D3:0", "start at 1"), (":4", "DOCUMENT")])
def test_bad_addresses_say_why(bad, reason):
    with pytest.raises(BadAddress, match=reason):
        parse_address(bad)


def test_addresses_resolve_by_id_and_name(project, tmp_path):
    (tmp_path / "P01.txt").write_text(TEXT, encoding="utf-8")
    project.docs.import_paths([tmp_path / "P01.txt"])
    assert [s.text for s in project.docs.segment("D1:2-3")] == ["I was scared.", "Then I saw us."]
    assert [s.address for s in project.docs.segment("p01:5,1")] == ["D1:1", "D1:5"]
    with pytest.raises(UnknownSegment, match="has segments 1-5; no segment 6-9"):
        project.docs.segment("D1:4-9")
    with pytest.raises(UnknownDocument):
        project.docs.segment("D7:1")

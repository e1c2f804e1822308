"""Segment addresses: `D3:17`, `D3:17-21`, `D3:4,9,12`, `P01:17` (document by name).

A document is named by `D<id>` or by its name; segment numbers are the
1-based ordinals shown by `gtcode docs show`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from gtcode.errors import BadAddress

_NUMS = re.compile(r"^\s*\d+(\s*-\s*\d+)?(\s*,\s*\d+(\s*-\s*\d+)?)*\s*$")


@dataclass(frozen=True)
class Address:
    document: str          # 'D3' or a document name, resolved later
    ordinals: tuple[int, ...]

    def __str__(self) -> str:
        return f"{self.document}:{format_ranges(self.ordinals)}"


def parse_ranges(spec: str, what: str = "segments") -> tuple[int, ...]:
    """'4,9,12-14' → (4, 9, 12, 13, 14)."""
    if not _NUMS.match(spec):
        raise BadAddress(f"{what} {spec!r}: expected numbers and ranges like 17, 17-21 or 4,9,12")
    out: list[int] = []
    for part in spec.split(","):
        if "-" in part:
            a, b = (int(x) for x in part.split("-"))
            if b < a:
                raise BadAddress(f"{what} {spec!r}: range {a}-{b} runs backwards")
            out.extend(range(a, b + 1))
        else:
            out.append(int(part))
    if any(n < 1 for n in out):
        raise BadAddress(f"{what} {spec!r}: segment numbers start at 1")
    return tuple(dict.fromkeys(out))


_SPAN = re.compile(r"^(?P<doc>[^,]+?)\s*:\s*(?P<a>\d+)\s*-\s*(?P<doc2>[^,]+?)\s*:\s*(?P<b>\d+)\s*$")


def _pieces(text: str) -> list[tuple[str, str]]:
    """(document, segments) of each address in `text`: `D1:25-D1:27` is D1 25-27 (a range written with the
    document twice), `D1:25, D2:3` is two addresses. A range from one document into another is `BadAddress`."""
    out = []
    for piece in split_addresses(text):
        if m := _SPAN.match(piece):
            if m["doc"].strip().casefold() != m["doc2"].strip().casefold():
                raise BadAddress(f"{text!r}: a range stays within one document; give {m['doc'].strip()} and "
                                 f"{m['doc2'].strip()} as separate addresses, e.g. {m['doc'].strip()}:{m['a']} "
                                 f"{m['doc2'].strip()}:{m['b']}")
            piece = f"{m['doc']}:{m['a']}-{m['b']}"
        doc, sep, spec = piece.rpartition(":")
        if not sep or not doc.strip():
            raise BadAddress(f"{text!r}: expected DOCUMENT:SEGMENTS, e.g. D3:17, D3:17-21 or D3:4,9,12")
        out.append((doc.strip(), spec))
    if not out:
        raise BadAddress(f"{text!r}: expected DOCUMENT:SEGMENTS, e.g. D3:17, D3:17-21 or D3:4,9,12")
    return out


def parse_address(text: str) -> Address:
    """One document's segments: `D3:17`, `D3:17-21`, `D3:4,9`, also `D3:17-D3:21` and `D3:4, D3:9`."""
    pieces = _pieces(text)
    docs = list(dict.fromkeys(doc.casefold() for doc, _ in pieces))
    if len(docs) > 1:
        raise BadAddress(f"{text!r} names {len(docs)} documents; give one address per document, e.g. "
                         + " ".join(f"{doc}:{spec.strip()}" for doc, spec in pieces))
    ordinals = [n for _, spec in pieces for n in parse_ranges(spec, what=f"{text!r}:")]
    return Address(pieces[0][0], tuple(dict.fromkeys(ordinals)))


def is_address(text: str) -> bool:
    """Whether `text` reads as an address (`D3:17`, `P01:4,9`, `D3:17-D3:19`) rather than, say, a code name."""
    try:
        return all(_NUMS.match(spec) is not None for _, spec in _pieces(text))
    except BadAddress as exc:
        return "range stays within one document" in str(exc)


def split_addresses(text: str) -> list[str]:
    """`D3:17,D5:4-6` → ['D3:17', 'D5:4-6']: split at commas that start a new address, not inside `D3:4,9`."""
    return [a.strip() for a in re.split(r",(?=\s*[^,:]+:)", text) if a.strip()]


def format_ranges(ordinals) -> str:
    nums = sorted(set(ordinals))
    parts, i = [], 0
    while i < len(nums):
        j = i
        while j + 1 < len(nums) and nums[j + 1] == nums[j] + 1:
            j += 1
        parts.append(str(nums[i]) if i == j else f"{nums[i]}-{nums[j]}")
        i = j + 1
    return ",".join(parts)

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


def parse_address(text: str) -> Address:
    doc, sep, spec = text.rpartition(":")
    if not sep or not doc.strip():
        raise BadAddress(f"{text!r}: expected DOCUMENT:SEGMENTS, e.g. D3:17, D3:17-21 or D3:4,9,12")
    return Address(doc.strip(), parse_ranges(spec, what=f"{text!r}:"))


def is_address(text: str) -> bool:
    """Whether `text` reads as an address (`D3:17`, `P01:4,9`) rather than, say, a code name."""
    doc, sep, spec = text.partition(":")
    return bool(sep and doc) and _NUMS.match(spec) is not None


def split_addresses(text: str) -> list[str]:
    """`D3:17,D5:4-6` → ['D3:17', 'D5:4-6']: split at commas that start a new address, not inside `D3:4,9`."""
    return [a for a in re.split(r",(?=\s*[^,:]+:)", text) if a.strip()]


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

"""Where a REFI-QDA selection lands in gtcode's canonical text.

The spec counts positions in code points from 0, but tools differ (see
shared/refi-qda/FORMAT-NOTES.md): NVivo counts UTF-16 code units over the
.txt exactly as stored (a CRLF is 2, an emoji is 2, the BOM is not counted);
ATLAS.ti is reported to count a CRLF as one. gtcode offsets are code points
into the *normalised* text (gtcode/text.py: CRLF → LF, NFC, no NUL), so each
source gets one map from the file's units to canonical offsets.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left
from dataclasses import dataclass

from gtcode.text import normalise

#: codepoint: the spec; utf16: NVivo; codepoint-lf: code points with CRLF counted once (ATLAS.ti).
UNITS = ("codepoint", "utf16", "codepoint-lf")

_CHANGED = re.compile("\r\n|\r|\u2028|\u2029|\u0085|\x00")


UNIT_WORDS = {"codepoint": "Unicode code points", "utf16": "UTF-16 code units (an emoji counts 2)",
              "codepoint-lf": "code points with a CRLF counted as one"}


@dataclass(frozen=True)
class Target:
    """How one reader wants a .qdpx: the line endings and BOM of its text files, and its position units."""

    name: str
    tool: str
    newline: str
    bom: bool
    units: str

    @property
    def words(self) -> str:
        """The units in a sentence, for the export's summary."""
        ending = "CRLF" if self.newline == "\r\n" else "LF"
        counted = {"utf16": f"UTF-16 code units over the {ending} text (a CRLF counts 2, an emoji 2)",
                   "codepoint-lf": f"code points over the {ending} text, a CRLF counted as one",
                   "codepoint": f"Unicode code points over the {ending} text"}[self.units]
        return f"{counted}, as {self.tool} reads them"


#: Export targets (`gtcode export qdpx --for NAME`). NVivo: measured on its own exports (FORMAT-NOTES.md);
#: ATLAS.ti and MAXQDA: CRLF text with a CRLF counted as one (QualCoder's importer and its MAXQDA export);
#: QualCoder reads the text in Python text mode (a BOM would shift every position by one).
TARGETS = {t.name: t for t in (
    Target("spec", "the REFI-QDA 1.5 specification", "\n", False, "codepoint"),
    Target("nvivo", "NVivo", "\r\n", True, "utf16"),
    Target("atlasti", "ATLAS.ti", "\r\n", False, "codepoint-lf"),
    Target("maxqda", "MAXQDA", "\r\n", True, "codepoint-lf"),
    Target("qualcoder", "QualCoder", "\n", False, "codepoint"),
)}


def has_astral(text: str) -> bool:
    """Whether `text` holds a character beyond U+FFFF (an emoji): a check at memory speed, where a regex tries
    every position of a 20,000-word transcript."""
    return not text.isascii() and len(text.encode("utf-16-le", "surrogatepass")) != 2 * len(text)


class UnitCounter:
    """Canonical offsets of a text (LF, code points) as positions in a target's units over the text it writes."""

    def __init__(self, text: str, target: Target):
        self.text = text
        crlf = target.newline == "\r\n" and target.units == "utf16"
        # found by regex, not a Python loop over every character (a large project has millions)
        self._extra = sorted(([m.start() for m in re.finditer("\n", text)] if crlf else []) +
                             ([m.start() for m in re.finditer("[\U00010000-\U0010FFFF]", text)]
                              if target.units == "utf16" and has_astral(text) else []))
        self.same = not self._extra      # every position is its offset

    def position(self, offset: int) -> int:
        """The position of canonical `offset`: one more for each CRLF or astral character before it, if counted."""
        return offset + bisect_left(self._extra, offset)


def written_text(text: str, target: Target) -> bytes:
    """A document's canonical text as the target's .txt file: its line endings, its BOM, UTF-8."""
    body = text.replace("\n", target.newline).encode("utf-8")
    return (b"\xef\xbb\xbf" + body) if target.bom else body


def units_for_origin(origin: str | None) -> str:
    """How the producing tool counts positions, from `Project@origin` (gtcode names the target it wrote for)."""
    o = (origin or "").strip().casefold()
    if o.startswith("gtcode"):
        m = re.search(r"\(--for (\w+)\)", o)
        return TARGETS[m.group(1)].units if m and m.group(1) in TARGETS else "codepoint"
    if o.startswith("nvivo"):
        return "utf16"
    if o.startswith("atlas.ti"):
        return "codepoint-lf"
    return "codepoint"


class PositionMap:
    """Maps positions in a source file (in some tool's units) to offsets into its canonical text."""

    def __init__(self, raw: str, units: str = "codepoint"):
        if units not in UNITS:
            raise ValueError(f"unknown position units {units!r}")
        if raw.startswith("\ufeff"):
            raw = raw[1:]          # no tool counts the BOM
        self.text = normalise(raw)
        self.raw, self._units = raw, units
        self._unit_starts = _unit_starts(raw, units)      # None: units are raw code points
        self._raw_to_text = _raw_to_text(raw, self.text)  # None: identity
        self.length = self._unit_starts[-1] if self._unit_starts is not None else len(raw)

    def _raw_index(self, pos: int, end: bool) -> int:
        if self._unit_starts is None:
            return pos
        i = bisect_left(self._unit_starts, pos)
        if self._unit_starts[i] != pos and not end:
            i -= 1                 # inside a surrogate pair (or a CRLF): widen to the whole character
        return i

    def offset(self, pos: int, end: bool = False) -> int | None:
        """The canonical offset for a start (or, with `end`, an end) position; None when out of range."""
        if pos < 0 or pos > self.length:
            return None
        i = self._raw_index(pos, end)
        return i if self._raw_to_text is None else self._raw_to_text[i]

    def cuts(self, pos: int) -> str | None:
        """What a position would cut in the stored text ('a surrogate pair' or 'a CRLF'), or None."""
        if pos < 0 or pos > self.length:
            return None
        if self._unit_starts is not None:
            i = bisect_left(self._unit_starts, pos)
            if i < len(self._unit_starts) and self._unit_starts[i] != pos:
                return "a surrogate pair" if self._units == "utf16" else None
        else:
            i = pos
        return "a CRLF" if 0 < i < len(self.raw) and self.raw[i - 1] == "\r" and self.raw[i] == "\n" else None

    def span(self, start: int, end: int) -> tuple[int, int] | None:
        """[start, end) in canonical offsets, or None when either end is outside the text or it is empty."""
        a, b = self.offset(start), self.offset(end, end=True)
        if a is None or b is None or a >= b:
            return None
        return a, b


def _unit_starts(raw: str, units: str) -> list[int] | None:
    """Position (in `units`) at which each code point of `raw` starts, plus the end; None if identical."""
    if units == "utf16":
        if all(ord(ch) <= 0xFFFF for ch in raw):
            return None
        starts, pos = [], 0
        for ch in raw:
            starts.append(pos)
            pos += 2 if ord(ch) > 0xFFFF else 1
        starts.append(pos)
        return starts
    if units == "codepoint-lf":
        if "\r\n" not in raw:
            return None
        starts, pos = [], 0
        for i, ch in enumerate(raw):
            starts.append(pos)
            if not (ch == "\r" and raw.startswith("\n", i + 1)):
                pos += 1
        starts.append(pos)
        return starts
    return None


def _raw_to_text(raw: str, text: str) -> list[int] | None:
    """Index into `text` (= normalise(raw)) for every index 0..len(raw) of `raw`; None if they are identical."""
    if raw == text:
        return None
    # Newlines and NUL: what text.normalise does first.
    step: list[int] = []
    out = 0
    i = 0
    for m in _CHANGED.finditer(raw):
        s, e = m.span()
        step.extend(range(out, out + (s - i)))
        out += s - i
        step.extend([out] * (e - s))
        out += 0 if m.group() == "\x00" else 1
        i = e
    step.extend(range(out, out + len(raw) - i))
    out += len(raw) - i
    step.append(out)
    stage = _CHANGED.sub(lambda m: "" if m.group() == "\x00" else "\n", raw)
    if unicodedata.is_normalized("NFC", stage):
        return step
    nfc = _nfc_map(stage)
    return [nfc[k] for k in step]


def _nfc_map(stage: str) -> list[int]:
    """Index into NFC(stage) for each index of `stage`.

    NFC only ever combines a character with what follows it up to the next
    ASCII character (no ASCII character is the second half of a composition),
    so runs that start at an ASCII character normalise independently.
    """
    out: list[int] = []
    pos = 0
    for run in re.findall(r"[\x00-\x7f]?[^\x00-\x7f]*", stage):
        if not run:
            continue
        composed = unicodedata.normalize("NFC", run)
        if composed == run:
            out.extend(range(pos, pos + len(run)))
        else:
            out.extend(min(pos + len(unicodedata.normalize("NFC", run[:k])), pos + len(composed))
                       for k in range(len(run)))
        pos += len(composed)
    out.append(pos)
    return out

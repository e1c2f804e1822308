"""Speaker-turn detection: which line openings are speaker labels.

Recognised: `Interviewer:`, `I:`, `R:`, `Q:`/`A:`, `P01:`, `Participant 3:`,
`[00:01:23] Name:`, `**Name:**`, `NAME:` (upper case), and Title-Case names
(`Dr Priya Shah:`). A Title-Case or upper-case name that is not a well-known
label only counts when it opens at least two lines of the document: that keeps quoted
or reported speech (`Mum: you'll be fine`) inside the turn it belongs to.
Lines that start with a quotation mark are never labels.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

DEFAULT_INTERVIEWER = ("Interviewer", "Int", "I", "Q", "IV", "Researcher", "Moderator", "Facilitator")

_TS = r"(?:\[|\()?(?P<ts>\d{1,2}:\d{2}(?::\d{2})?(?:[.,]\d{1,3})?)(?:\]|\))?"
_LABEL = re.compile(
    r"^[ \t]*(?:" + _TS + r"[ \t]*[-–]?[ \t]*)?"
    r"(?:\*\*(?P<bold>[^*\n]{1,50}?)[ \t]*(?::\*\*|\*\*[ \t]*:)"
    r"|(?P<name>[^\s:\"'“‘”’«(\[*][^:\n]{0,49}?)[ \t]*:)"
    r"(?=\s|$)"
)
_KNOWN = re.compile(
    r"^(?:I|R|Q|A|IV|INT|RESP|Interviewers?|Interviewee|Respondent(?: ?\d{1,4})?|Researcher|Moderator"
    r"|Facilitator|Participant(?: ?\d{1,3}| [A-Z])?|P\d{1,4}|Speaker ?\d{1,3})$",
    re.IGNORECASE,
)
_UPPER = re.compile(r"^[A-Z][A-Z0-9 .'’-]*[A-Z0-9]$")
_PARTICLES = {"de", "van", "von", "da", "du", "le", "la", "bin", "al", "el", "der", "den"}


@dataclass
class LabelMatch:
    end: int                 # offset just past the colon, within the line
    speaker: str
    time: float | None
    strong: bool             # counts even if it opens only one line

    @property
    def key(self) -> str:
        return self.speaker.casefold()



def parse_clock(value: str) -> float:
    """'01:02:03.5' → 3723.5 seconds; 'mm:ss' works too."""
    parts = value.replace(",", ".").split(":")
    seconds = 0.0
    for part in parts:
        seconds = seconds * 60 + float(part)
    return seconds


def _title_case_name(name: str) -> bool:
    tokens = name.split()
    if not 1 <= len(tokens) <= 5:
        return False
    for tok in tokens:
        if tok.startswith("(") or tok.endswith(")"):  # Hannah Reid (Researcher)
            continue
        if tok in _PARTICLES:
            continue
        if not (tok[0].isupper() or tok[0].isdigit()):
            return False
        if any(ch in tok for ch in ".!?;,\"“”") and not tok.rstrip(".").isalpha():
            return False
    return True


class SpeakerRules:
    """How to find speaker labels and which speakers are interviewers."""

    def __init__(self, pattern: str | None = None, interviewer: list[str] | tuple[str, ...] | None = None):
        self.pattern = re.compile(pattern) if pattern else None
        names = [n.strip() for n in (interviewer if interviewer is not None else DEFAULT_INTERVIEWER) if n.strip()]
        self.interviewer = {n.casefold() for n in names}
        self._interviewer_words = [
            re.compile(rf"(?<!\w){re.escape(n.casefold())}(?!\w)") for n in self.interviewer if len(n) > 2
        ]

    def match(self, line: str) -> LabelMatch | None:
        """The speaker label opening `line`, if any (strength decides later)."""
        if self.pattern is not None:
            m = self.pattern.match(line)
            if not m or m.end() == 0:
                return None
            groups = m.groupdict()
            speaker = groups.get("speaker") or (m.group(1) if m.re.groups else m.group(0))
            speaker = (speaker or "").strip().rstrip(":").strip()
            if not speaker:
                return None
            time = parse_clock(groups["ts"]) if groups.get("ts") else None
            return LabelMatch(m.end(), speaker, time, True)
        m = _LABEL.match(line)
        if not m:
            return None
        time = parse_clock(m.group("ts")) if m.group("ts") else None
        if m.group("bold"):
            return LabelMatch(m.end(), m.group("bold").strip().rstrip(":").strip(), time, True)
        name = m.group("name").strip()
        if not name or name.startswith(("-", "—", "–")):
            return None
        if _KNOWN.match(name):
            return LabelMatch(m.end(), name, time, True)
        if _UPPER.match(name) and len(name.split()) <= 4:  # SARAH: — but a one-off ID: is a header
            return LabelMatch(m.end(), name, time, time is not None)
        if _title_case_name(name):
            return LabelMatch(m.end(), name, time, time is not None)
        return None

    def accepted_labels(self, lines: list[str], lenient: bool = False) -> set[str]:
        """Keys of the labels that count in this document (see module docstring).

        `lenient` (caption cues): once the file is seen to name speakers as
        `Name:` (some name opens two cues), a name opening a single cue counts
        too — Zoom captions start every cue with a speaker's name.
        """
        strong: set[str] = set()
        weak: Counter[str] = Counter()
        for line in lines:
            m = self.match(line)
            if m is None:
                continue
            if m.strong:
                strong.add(m.key)
            else:
                weak[m.key] += 1
        if lenient and any(n >= 2 for n in weak.values()):
            return strong | set(weak)
        return strong | {k for k, n in weak.items() if n >= 2}

    def is_interviewer(self, speaker: str | None) -> bool:
        if not speaker:
            return False
        key = speaker.casefold().strip()
        return key in self.interviewer or any(p.search(key) for p in self._interviewer_words)

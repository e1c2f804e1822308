"""Speaker-turn detection: which line openings are speaker labels.

Recognised: `Interviewer:`, `I:`, `R:`, `Q:`/`A:`, `P01:`, `Participant 3:`,
`[00:01:23] Name:`, `**Name:**`, `NAME:` (upper case), and Title-Case names
(`Dr Priya Shah:`). A Title-Case or upper-case name that is not a well-known
label only counts when it opens at least two lines of the document: that keeps quoted
or reported speech (`Mum: you'll be fine`) inside the turn it belongs to.
Lines that start with a quotation mark are never labels.

Also: German/Continental labels (`B:`, `IP:`, `TN2:`, `Befragte:`); qualified labels
(`MEL, TYPING:` keeps the whole label as the speaker and counts when `MEL` is a
speaker of the document; its role is MEL's); truncated labels (`Dr Priya Sh...:`);
labels of voices that are neither interviewer nor participant (`CAPTIONER:`,
`Note:`), whose turns get the role 'other'. Once a document is seen to label its
speakers in capitals, a capitalised label that opens a single line after the
first turn (a captioner's one line) is a turn of its own.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

DEFAULT_INTERVIEWER = ("Interviewer", "Int", "I", "Q", "IV", "Researcher", "Moderator", "Facilitator")
#: also taken for the interviewer while the default list is in use (German transcripts)
_DEFAULT_EXTRA = ("Interviewerin", "Int.", "I1", "I2")

_TS = r"(?:\[|\()?(?P<ts>\d{1,2}:\d{2}(?::\d{2})?(?:[.,]\d{1,3})?)(?:\]|\))?"
_LABEL = re.compile(
    r"^[ \t]*(?:" + _TS + r"[ \t]*[-–]?[ \t]*)?"
    r"(?:\*\*(?P<bold>[^*\n]{1,50}?)[ \t]*(?::\*\*|\*\*[ \t]*:)"
    r"|(?P<name>[^\s:\"'“‘”’«(\[*][^:\n]{0,49}?)[ \t]*:)"
    r"(?=\s|$)"
)
_KNOWN = re.compile(
    r"^(?:I|R|Q|A|IV|INT|RESP|Interviewers?|Interviewee|Respondent(?: ?\d{1,4})?|Researcher|Moderator"
    r"|Facilitator|Participant(?: ?\d{1,3}| [A-Z])?|P\d{1,4}|Speaker ?\d{1,3}"
    r"|B\d{0,2}|IP\d{0,2}|TN\d{0,2}|I\d|Int\.|Interviewerin|Befragter?|Befragte[rn]?)$",
    re.IGNORECASE,
)
#: voices that are neither interviewer nor participant: their turns get the role 'other'
_OTHER = re.compile(r"^(?:captioner|captioning|transcriber|transcriptionist|note|editor'?s note|narrator|announcer"
                    r"|interpreter|translator|sound|music)$", re.IGNORECASE)
_QUALIFIED = re.compile(r"^(?P<base>[^,()]+?)\s*(?:,\s*[^,]+|\([^()]+\))$")
_UPPER = re.compile(r"^[A-Z][A-Z0-9 .'’-]*[A-Z0-9]$")
_PARTICLES = {"de", "van", "von", "da", "du", "le", "la", "bin", "al", "el", "der", "den"}


@dataclass
class LabelMatch:
    end: int                 # offset just past the colon, within the line
    speaker: str
    time: float | None
    strong: bool             # counts even if it opens only one line
    #: the label without its qualifier (`MEL` of `MEL, TYPING`), or None
    base: str | None = None
    upper: bool = False      # written in capitals (SARAH:)
    other: bool = False      # a voice that is neither interviewer nor participant (CAPTIONER:)

    @property
    def key(self) -> str:
        return self.speaker.casefold()

    @property
    def base_key(self) -> str | None:
        return self.base.casefold() if self.base else None


class LabelSet:
    """The labels that count in one document (see the module docstring), asked line by line."""

    def __init__(self, accepted: set[str], upper_style: bool):
        self.accepted = accepted
        self.upper_style = upper_style

    def accept(self, m: LabelMatch | None, started: bool = True) -> bool:
        """Whether this label opens a turn; `started`: a labelled turn came before it."""
        if m is None:
            return False
        if m.key in self.accepted or (m.base_key is not None and m.base_key in self.accepted):
            return True
        return started and (m.other or (self.upper_style and m.upper and m.base is None))



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

    def __init__(self, pattern: str | None = None, interviewer: list[str] | tuple[str, ...] | None = None,
                 layout: str | None = None):
        self.pattern = re.compile(pattern) if pattern else None
        #: a layout the user forced (`--layout`), by key; None: detected per file
        self.layout = layout
        names = [n.strip() for n in (interviewer if interviewer is not None else DEFAULT_INTERVIEWER + _DEFAULT_EXTRA)
                 if n.strip()]
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
        if _OTHER.match(name):   # a captioner's or a note's line: a turn of its own, once the interview runs
            return LabelMatch(m.end(), name, time, False, upper=_UPPER.match(name) is not None, other=True)
        if _KNOWN.match(name):
            return LabelMatch(m.end(), name, time, True, upper=_UPPER.match(name) is not None)
        if _UPPER.match(name) and len(name.split()) <= 4:  # SARAH: — but a one-off ID: is a header
            return LabelMatch(m.end(), name, time, time is not None, upper=True)
        if _title_case_name(name):
            return LabelMatch(m.end(), name, time, time is not None, upper=False)
        q = _QUALIFIED.match(name)
        if q and (_KNOWN.match(q["base"]) or _UPPER.match(q["base"]) or _title_case_name(q["base"])):
            return LabelMatch(m.end(), name, time, False, base=q["base"], upper=_UPPER.match(q["base"]) is not None)
        return None

    def label_set(self, lines: list[str], lenient: bool = False) -> LabelSet:
        """The labels that count in a document of these lines."""
        accepted = self.accepted_labels(lines, lenient)
        uppers = {m.key for m in map(self.match, lines) if m is not None and m.upper and m.key in accepted}
        named = {k for k in accepted if not _KNOWN.match(k)}
        return LabelSet(accepted, self.pattern is None and bool(uppers) and uppers >= named)

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
                weak[m.base_key or m.key] += 1   # `MEL, TYPING:` is one more line of MEL
        if lenient and any(n >= 2 for n in weak.values()):
            return strong | set(weak)
        return strong | {k for k, n in weak.items() if n >= 2}

    def is_interviewer(self, speaker: str | None) -> bool:
        """Whether `speaker` is an interviewer: its label, or the label before a qualifier (`MEL, TYPING`)."""
        if not speaker:
            return False
        key = speaker.casefold().strip()
        if key in self.interviewer or any(p.search(key) for p in self._interviewer_words):
            return True
        q = _QUALIFIED.match(key)
        return q is not None and q["base"].strip() in self.interviewer

    def role(self, speaker: str | None) -> str:
        """'interviewer', 'other' (a captioner, a note) or 'participant'."""
        if self.is_interviewer(speaker):
            return "interviewer"
        if speaker:
            q = _QUALIFIED.match(speaker.strip())
            if _OTHER.match(q["base"].strip() if q else speaker.strip()):
                return "other"
        return "participant"

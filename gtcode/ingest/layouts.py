"""Producer layouts of line-based transcripts, and recognising which one a file is in.

Transcription tools write speakers and times in their own way: Zoom puts `[Name] 11:02:09` on a line of its own,
Otter `Name  0:03`, Rev `Speaker 1 (00:00):`, Google Meet standalone `00:05:00` lines, WhisperX `[00:12]
SPEAKER_00:`, German transcripts `B:` with f4's `#00:01:23-4#` stamps. A `Layout` knows its head lines (the line
that opens a turn and names the speaker and time) and how to recognise the layout from a file's lines; the turn
builder (`gtcode.ingest.lines`) does the rest the same way for every layout.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable

from gtcode.errors import Invalid
from gtcode.ingest.speakers import parse_clock

TS = r"\d{1,2}:\d{2}(?::\d{2})?(?:[.,]\d{1,3})?"
_ARROW = r"\s*(?:-->|-|–|—)\s*"

#: a line that is only a time: `00:05`, `00:00:05`, `[00:04:01]`, `(0:15)`, `#00:01:23-4#`
STAMP_LINE = re.compile(rf"^[ \t]*(?:[\[(]?(?P<ts>{TS})[\])]?"
                        rf"|#(?P<f4>\d{{1,2}}:\d{{2}}:\d{{2}}(?:[-.,]\d{{1,3}})?)#)[ \t]*$")
#: stamps inside a line of speech (`[00:04:01]`, f4's `#00:01:23-4#`); `[inaudible 00:06:18]` is not one
INLINE_STAMP = re.compile(rf"\[(?P<ts>{TS})\]|#(?P<f4>\d{{1,2}}:\d{{2}}:\d{{2}}(?:[-.,]\d{{1,3}})?)#")
#: lines tools add after the transcript, or before it: not speech
FOOTER = re.compile(r"^\s*(?:Transcribed by https?://otter\.ai|This editable transcript was computer generated"
                    r"|Meeting ended after \d|Transcription ended after \d|Transcribed by \S+\.\w{2,}\s*$)", re.I)


def stamp_seconds(m: re.Match) -> float:
    """Seconds of a STAMP_LINE or INLINE_STAMP match (f4's `-4` is tenths)."""
    if f4 := m.group("f4"):
        clock, frac = re.match(r"([\d:]+)(?:[-.,](\d+))?$", f4).groups()
        return parse_clock(clock) + (float("0." + frac) if frac else 0.0)
    return parse_clock(m.group("ts"))


@dataclass
class Head:
    """A line that opens a turn: who speaks, when, and where the speech starts on the line."""

    speaker: str | None
    body: int                       # offset of the speech within the line (the line's length: next lines)
    time: float | None = None
    time_end: float | None = None


@dataclass(frozen=True)
class Layout:
    key: str                         # what `--layout` takes
    name: str                        # what the user is shown
    example: str                     # one line in this layout (README, error messages)
    head: Callable[[str], Head | None] | None = None
    #: lines of the file → how strongly they look like this layout (0: not at all)
    score: Callable[[list[str]], int] | None = None
    generic: bool = True             # `Name:` labels open turns too
    lenient: bool = False            # a `Name:` label that opens one line counts (every line is labelled)
    relative: bool = False           # times are clock times: count them from the first


def _regex_head(pattern: str, speaker_ok: Callable[[str], bool] = lambda s: True):
    rx = re.compile(pattern)

    def head(line: str) -> Head | None:
        m = rx.match(line)
        if not m:
            return None
        groups = m.groupdict()
        speaker = (groups.get("speaker") or "").strip().strip("*").strip() or None
        if speaker is not None and not speaker_ok(speaker):
            return None
        t0 = groups.get("ts") or groups.get("ts2")
        t1 = groups.get("te") or groups.get("te2")
        rest = m.start("rest") if groups.get("rest") else len(line)
        return Head(speaker, rest, parse_clock(t0) if t0 else None, parse_clock(t1) if t1 else None)
    return head


def _counter(head: Callable[[str], Head | None], extra: Callable[[str], bool] | None = None):
    def score(lines: list[str]) -> int:
        return sum(1 for line in lines if head(line) is not None or (extra is not None and extra(line)))
    return score


def _plausible_name(name: str) -> bool:
    name = name.rstrip().removesuffix("...").removesuffix("…")   # a label the tool cut short
    words = name.split()
    return 1 <= len(words) <= 7 and not name.endswith((".", "?", "!", ",", ";"))


_zoom = _regex_head(r"^\[(?P<speaker>[^\[\]\n]{1,80})\][ \t]+"
                    r"(?P<ts>\d{1,2}:\d{2}:\d{2})[ \t]*(?P<rest>\S.*)?$")
_otter = _regex_head(r"^(?P<speaker>[^\s\d#>*\[][^\n]{0,60}?)[ \t]{2,}"
                     r"(?P<ts>\d{1,2}:\d{2}(?::\d{2})?)[ \t]*$", _plausible_name)
_rev = _regex_head(
    rf"^[ \t]*(?:\*\*)?(?P<speaker>[^\s():\[\]*][^:\[\]\n]{{0,80}}?)[ \t]*"
    rf"(?:\((?P<ts>{TS})\)[ \t]*:|:[ \t]*\((?P<ts2>{TS})\)[ \t]*$)(?:\*\*)?[ \t]*(?P<rest>\S.*)?$", _plausible_name)
_DIARISED = re.compile(r"^(?:SPEAKER_\d{1,3}|Speaker ?\d{1,3}|Unknown Speaker)$", re.I)
_WHISPERX = re.compile(
    rf"^[ \t]*(?:#{{1,6}}[ \t]+)?(?:\*\*)?[ \t]*"
    rf"(?:[\[(](?P<ts>{TS})(?:{_ARROW}(?P<te>{TS}))?[\])][ \t]*)?(?:\*\*)?[ \t]*"
    rf"(?P<speaker>SPEAKER_\d{{1,3}}|[^\s\[\]():*#][^\[\]():*\n]{{0,58}}?)[ \t]*(?:\*\*)?[ \t]*"
    rf"(?:[\[(](?P<ts2>{TS})(?:{_ARROW}(?P<te2>{TS}))?[\])])?[ \t]*(?:\*\*)?[ \t]*"
    rf"(?:(?P<colon>:)(?:\*\*)?[ \t]*(?P<rest>\S.*)?|$)$")


def _whisperx_head(line: str) -> Head | None:
    """`[00:12] SPEAKER_00: …`, `**SPEAKER_00** [00:12]: …`, `[0:01.2 --> 0:04.0] Name: …`, or a head line of
    its own (`**SPEAKER_00** (00:12)`). A name needs a time or a colon; a head line of its own needs a
    diarised label (`SPEAKER_00`), so a line of speech after a time is not taken for a speaker."""
    m = _WHISPERX.match(line)
    if not m:
        return None
    speaker = m["speaker"].strip()
    diarised = _DIARISED.match(speaker) is not None
    t0, t1 = m["ts"] or m["ts2"], m["te"] or m["te2"]
    if not (diarised or (_plausible_name(speaker) and t0 and m["colon"])):
        return None
    if not m["colon"] and not (diarised and t0):
        return None
    return Head(speaker, m.start("rest") if m["rest"] else len(line), parse_clock(t0) if t0 else None,
                parse_clock(t1) if t1 else None)


def _whisperx_score(lines: list[str]) -> int:
    return sum(1 for line in lines if (h := _whisperx_head(line)) is not None
               and (re.match(r"SPEAKER_\d", h.speaker or "") or h.time_end is not None or "**" in line))


_MEET_MARK = re.compile(r"^\s*(?:Attendees|Transcript|Participants)\s*$|.+ - Transcript\s*$", re.I)
_MEET_STAMP = re.compile(r"^\s*\d{2}:\d{2}:\d{2}\s*$")


def _meet_score(lines: list[str]) -> int:
    stamps = sum(1 for line in lines if _MEET_STAMP.match(line))
    marks = sum(1 for line in lines[:20] if _MEET_MARK.match(line))
    return stamps + marks if stamps and (marks or stamps >= 2) else 0


_GERMAN_LABEL = re.compile(r"^\s*(?:B|IP|TN|BP)\d{0,2}\s*:\s", re.I)
_F4 = re.compile(r"#\d{1,2}:\d{2}:\d{2}(?:[-.,]\d{1,3})?#")


def _german_score(lines: list[str]) -> int:
    f4 = sum(1 for line in lines if _F4.search(line))
    labels = sum(1 for line in lines if _GERMAN_LABEL.match(line))
    return f4 + labels if f4 + labels >= 2 else 0


def _otter_score(lines: list[str]) -> int:
    heads = sum(1 for line in lines if _otter(line) is not None)
    footer = any(re.match(r"^\s*Transcribed by https?://otter\.ai", line, re.I) for line in lines[-5:])
    return heads + (2 if footer else 0) if heads or footer else 0


LABELLED = Layout("labelled", "Labelled lines", "Interviewer: How did you first hear about VIG?")
LAYOUTS: tuple[Layout, ...] = (
    Layout("zoom", "Zoom saved transcript", "[Hannah Reid] 11:02:09", _zoom, _counter(_zoom), generic=False,
           relative=True),
    Layout("otter", "Otter.ai text", "Hannah Reid  0:03", _otter, _otter_score, generic=False),
    Layout("rev", "Rev", "Speaker 1 (00:00):", _rev, _counter(_rev)),
    Layout("meet", "Google Meet / Gemini", "00:05:00 (a line of its own), then Hannah Reid: Shall we start?",
           None, _meet_score, lenient=True),
    Layout("whisperx", "WhisperX Markdown", "[00:12] SPEAKER_00: It was the health visitor.", _whisperx_head,
           _whisperx_score),
    Layout("german", "German/Continental (I:/B:, f4)", "B: Also, das war so. #00:01:23-4#", None, _german_score),
    LABELLED,
)
PLAIN_NAME = "Plain text (no speaker labels)"


def layout_names() -> str:
    return ", ".join(f"{lay.key} ({lay.name})" for lay in LAYOUTS)


def find_layout(name: str) -> Layout:
    """The layout named by `--layout` (its key or its name, any case); a clear error listing them otherwise."""
    want = name.strip().casefold()
    for lay in LAYOUTS:
        if want in (lay.key, lay.name.casefold()):
            return lay
    raise Invalid(f"--layout {name!r}: unknown layout; choose one of: {layout_names()}")


def detect_layout(lines: list[str], forced: str | None = None) -> Layout:
    """The layout these lines are in: the producer layout that fits best, else labelled lines."""
    if forced:
        return find_layout(forced)
    best, best_score = LABELLED, 1
    for lay in LAYOUTS:
        if lay.score is not None and (s := lay.score(lines)) > best_score:
            best, best_score = lay, s
    return best

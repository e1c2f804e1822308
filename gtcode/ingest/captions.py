"""Timed transcripts from Zoom, Teams, Otter, YouTube and Whisper: WebVTT and SubRip.

Cue times are kept: each turn and segment knows when it was said. gtcode
splits the cue blocks itself rather than using webvtt-py or srt, because
both lose words on a damaged file (webvtt-py drops a cue with a malformed
timestamp; srt glues it, number and timing line included, into the cue
before). Here a cue whose timing cannot be read keeps its text without a
time and the document's notes say so. Voice tags (`<v Name>`, closed or
not) give speakers; `<c>`, `<b>`, word-timing and other tags are removed;
YouTube's rolling captions (each line repeated in the next cue) are
de-duplicated.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

from gtcode.errors import InputError, NoTurns
from gtcode.text import normalise, plural
from gtcode.ingest.base import Cue, ParsedDocument, text_from_cues
from gtcode.ingest.limits import check_size
from gtcode.ingest.speakers import SpeakerRules
from gtcode.ingest.textfile import decode

_TAG = re.compile(r"</?[^>\n]{1,80}>")
_ASS = re.compile(r"\{\\[^}\n]{0,40}\}")                      # {\an8} positioning in SubRip
_VOICE = re.compile(r"<v(?:\.[\w.-]+)*(?:[ \t]+([^>\n]*))?>")
_INLINE_TIME = re.compile(r"<\d{1,2}:\d{2}(?::\d{2})?\.\d{3}>")
_CLOCK = re.compile(r"^(-?)(?:(\d+):)?(\d{1,2}):(\d{1,2})(?:[.,](\d{1,3}))?$")
_TIMING = re.compile(r"^[ \t]*(\S+)[ \t]+-->[ \t]+(\S+)")
_TIMEISH = re.compile(r"\d{1,2}:\d{2}.*\d{1,2}:\d{2}|-->")
_VTT_SKIP = ("NOTE", "STYLE", "REGION")


def _clock(value: str) -> tuple[float | None, bool]:
    """'00:01:02.500' → (62.5, False); a negative time → (0.0, True); unreadable → (None, False)."""
    m = _CLOCK.match(value.strip())
    if not m:
        return None, False
    sign, h, mnt, s, frac = m.groups()
    seconds = int(h or 0) * 3600 + int(mnt) * 60 + int(s) + (int(frac.ljust(3, "0")) / 1000 if frac else 0.0)
    if sign:
        return 0.0, True
    return round(seconds, 3), False


class _Blocks:
    """Cue blocks of a caption file, with what could not be read noted by line number."""

    def __init__(self, path: Path, fmt: str):
        self.path, self.fmt = path, fmt
        self.cues: list[tuple[float | None, float | None, str, int]] = []   # start, end, payload, line
        self.untimed: list[int] = []
        self.negative: list[int] = []
        self.stray: list[int] = []

    def add(self, lines: list[str], first: int) -> None:
        """One block: [identifier], timing line, payload; or text with no timing line."""
        timing = next((i for i, line in enumerate(lines[:2]) if _TIMEISH.search(line)), None)
        if timing is None:
            self.stray.append(first)
            self.cues.append((None, None, "\n".join(lines), first))
            return
        start = end = None
        m = _TIMING.match(lines[timing])
        if m:
            (start, neg), (end, neg_end) = _clock(m.group(1)), _clock(m.group(2))
            if neg or neg_end:
                self.negative.append(first + timing)
        if start is None:
            end = None
            self.untimed.append(first + timing)
        self.cues.append((start, end, "\n".join(lines[timing + 1:]), first + timing))

    def notes(self) -> list[str]:
        name = self.path.name
        out = []
        if self.untimed:
            out.append(f"{name}: {plural(len(self.untimed), 'cue')} with an unreadable timestamp (line "
                       f"{', '.join(map(str, self.untimed[:5]))}) kept without a time")
        if self.negative:
            out.append(f"{name}: {plural(len(self.negative), 'cue')} with a negative time (line "
                       f"{', '.join(map(str, self.negative[:5]))}) read as starting at 0")
        if self.stray:
            out.append(f"{name}: {plural(len(self.stray), 'block')} with no timing line (line "
                       f"{', '.join(map(str, self.stray[:5]))}) kept as text without a time")
        return out


def _split_blocks(text: str) -> list[tuple[list[str], int]]:
    """(lines, first line number) of each block; a blank line ends a block unless it follows a timing line."""
    blocks: list[tuple[list[str], int]] = []
    current: list[str] = []
    first = 1
    for n, line in enumerate(text.split("\n"), start=1):
        if not line.strip() and not (current and "-->" in current[-1] and line):
            if current:
                blocks.append((current, first))
                current = []
            continue
        if not current:
            first = n
        current.append(line)
    if current:
        blocks.append((current, first))
    return blocks


def _payload_cues(start, end, payload: str) -> list[Cue]:
    """One cue per voice in the payload: `<v A>Hi</v> <v B>Hello` gives two; text before any voice tag has none."""
    pieces: list[tuple[str | None, str]] = []
    pos, voice = 0, None
    for m in _VOICE.finditer(payload):
        pieces.append((voice, payload[pos:m.start()]))
        voice, pos = (m.group(1) or "").strip() or None, m.end()
    pieces.append((voice, payload[pos:]))
    cues = []
    for speaker, chunk in pieces:
        body = html.unescape(_ASS.sub("", _TAG.sub("", chunk)))
        if body.strip():
            cues.append(Cue(body, start, end, speaker))
    return cues


def _roll_up(blocks: _Blocks) -> tuple[list[tuple[float | None, float | None, str, int]], bool]:
    """YouTube's rolling captions without their repeats: a line already shown in the cue before is dropped."""
    cues = blocks.cues
    lines_of = [[ln.strip() for ln in _TAG.sub("", payload).split("\n") if ln.strip()] for _, _, payload, _ in cues]
    repeats = sum(1 for a, b in zip(lines_of, lines_of[1:]) if a and b and b[0] == a[-1])
    inline = any(_INLINE_TIME.search(payload) for _, _, payload, _ in cues)
    if not inline and repeats * 2 < len(cues):
        return cues, False
    out = []
    shown: list[str] = []
    for (start, end, payload, line), lines in zip(cues, lines_of):
        fresh = [ln for ln in payload.split("\n") if ln.strip() and _TAG.sub("", ln).strip() not in shown]
        shown = lines
        if fresh:
            out.append((start, end, "\n".join(fresh), line))
    return out, True


def read_vtt(path: Path, rules: SpeakerRules) -> list[ParsedDocument]:
    check_size(path)
    text, encoding, notes = decode(path.read_bytes(), path)
    text = normalise(text)
    if not text.lstrip().startswith("WEBVTT"):
        raise InputError(f"{path}: broken WebVTT: the file does not start with 'WEBVTT'")
    blocks = _Blocks(path, "vtt")
    for lines, first in _split_blocks(text.lstrip())[1:]:         # the first block is the WEBVTT header
        if lines[0].split(" ", 1)[0].split("\t", 1)[0] in _VTT_SKIP:
            continue
        blocks.add(lines, first)
    timed, rolled = _roll_up(blocks)
    if rolled:
        notes.append(f"{path.name}: rolling captions: lines repeated from the cue before were removed")
    cues = [cue for start, end, payload, _ in timed for cue in _payload_cues(start, end, payload)]
    return [_build(path, "vtt", cues, rules, encoding, notes + blocks.notes())]


def read_srt(path: Path, rules: SpeakerRules) -> list[ParsedDocument]:
    check_size(path)
    text, encoding, notes = decode(path.read_bytes(), path)
    text = normalise(text)
    blocks = _Blocks(path, "srt")
    for lines, first in _split_blocks(text):
        is_cue = any(_TIMEISH.search(line) for line in lines[:2])
        if not is_cue and blocks.cues and blocks.cues[-1][0] is not None:
            start, end, payload, line = blocks.cues[-1]            # a blank line inside a cue's text
            blocks.cues[-1] = (start, end, payload + "\n" + "\n".join(lines), line)
            continue
        if is_cue and len(lines) > 1 and lines[0].strip().isdigit():
            lines, first = lines[1:], first + 1                    # the cue number
        blocks.add(lines, first)
    if not any(start is not None for start, _, _, _ in blocks.cues):
        raise InputError(f"{path}: broken SubRip (.srt) file: no cue has a readable 'start --> end' timing line")
    cues = [cue for start, end, payload, _ in blocks.cues for cue in _payload_cues(start, end, payload)]
    return [_build(path, "srt", cues, rules, encoding, notes + blocks.notes())]


def _build(path, fmt, cues, rules, encoding, notes) -> ParsedDocument:
    if not cues:
        raise NoTurns(f"{path}: no cues: nothing was said in this {fmt.upper()} file")
    text, turns = text_from_cues(cues, rules)
    if not turns:
        raise NoTurns(f"{path}: every cue is empty")
    return ParsedDocument(name=path.stem, text=text, format=fmt, turns=turns, encoding=encoding, notes=notes)

"""Speaker turns from the lines of a text transcript, in whatever layout it is (see `gtcode.ingest.layouts`).

The text is never rewritten: structure is kept out of speech by where turns start and end. A head line
(`[Name] 11:02:09`) sits before the turn's `body_start`; a line that is only a time (`00:05:00`), a bare `>`
line and a stamp ending a line (`#00:01:23-4#`) fall between turns, their times going to the turns; a stamp
inside a line becomes an anchor for segment times. Text before the first labelled turn (title, attendees,
licence, legend) and tool footers ("Transcribed by https://otter.ai") are front matter (`kind='front'`);
Markdown blockquotes inside the interview (`> JACKIE: I can fork it.`) are quoted turns (`kind='quoted'`,
speaker the quoted person or None, role 'other'); the speech after a quote goes on as its speaker's turn.
"""

from __future__ import annotations

import re
from collections import Counter

from gtcode.ingest.turns import Turn
from gtcode.ingest.layouts import FOOTER, INLINE_STAMP, LABELLED, PLAIN_NAME, STAMP_LINE, Head, Layout, \
    detect_layout, find_layout, stamp_seconds
from gtcode.ingest.speakers import SpeakerRules
from gtcode.text import strip_span

_HEADING = re.compile(r"^#{1,6}[ \t]+\S")
_TRAILING = re.compile(r"[ \t]*(?:" + INLINE_STAMP.pattern + r")[ \t]*$")
_LEADING = re.compile(r"[ \t]*(?:" + INLINE_STAMP.pattern + r")[ \t]*")   # used with .match


def split_lines(text: str) -> list[tuple[int, str]]:
    """(offset, line) of every line of the text."""
    out, pos = [], 0
    for line in text.split("\n"):
        out.append((pos, line))
        pos += len(line) + 1
    return out


_DETECTED: list = []     # (text, layout) of the last detection: a document's turns, then its layout's name, ask


def layout_for(text: str, rules: SpeakerRules) -> Layout:
    """The layout these speaker rules read the text in: forced, or detected (a --speaker-pattern: labelled)."""
    if rules.layout:
        return find_layout(rules.layout)
    if rules.pattern is not None:
        return LABELLED
    if _DETECTED and _DETECTED[0] is text:
        return _DETECTED[1]
    layout = detect_layout([line for _, line in split_lines(text)])
    _DETECTED[:] = [text, layout]
    return layout


#: formats whose readers hand plain text to turns_from_lines: their layout is detected from the text
TEXT_FORMATS = {"txt", "md", "docx", "pdf", "rtf", "odt"}
FORMAT_LAYOUTS = {"vtt": "WebVTT captions", "srt": "SubRip captions", "csv": "CSV table (a document per row)"}


def describe_layout(fmt: str, doc, rules: SpeakerRules) -> str:
    """The layout name shown for a document read from a file of format `fmt`."""
    if fmt not in TEXT_FORMATS:
        return FORMAT_LAYOUTS.get(fmt, fmt.upper())
    layout = layout_for(doc.text, rules)
    if layout is LABELLED and not any(t.speaker for t in doc.turns):
        return PLAIN_NAME
    if layout.key == "otter" and fmt == "docx":
        return "Teams / Otter.ai Word transcript"   # both write `Name   0:03`, then the words
    return layout.name


def build_turns(text: str, rules: SpeakerRules, label_hints: dict[int, tuple[int, str]] | None = None) -> list[Turn]:
    lines = split_lines(text)
    builder = _Builder(text, rules, layout_for(text, rules), label_hints or {}, [line for _, line in lines])
    for offset, line in lines:
        builder.feed(offset, line)
    return builder.finish()


class _Builder:
    def __init__(self, text, rules: SpeakerRules, layout: Layout, hints, raw: list[str]):
        self.text, self.rules, self.layout, self.hints = text, rules, layout, hints
        plain = [line for line in raw if not line.lstrip().startswith(">")]
        self.labels = rules.label_set(plain)
        if layout.lenient:   # every line of speech is labelled (Google Meet): a name that speaks once counts
            self.labels.accepted |= {m.key for m in map(rules.match, plain) if m is not None}
        hinted = Counter(speaker.casefold() for _, speaker in hints.values())
        self.trusted = self.labels.accepted | {key for key, n in hinted.items() if n >= 2}
        self.turns: list[Turn] = []
        self.current: Turn | None = None     # the turn the next unlabelled line continues
        self.speaker: str | None = None      # who is speaking (goes on after a quote or a time line)
        self.started = False                 # a labelled turn has begun
        self.pending: float | None = None    # a time line's time, for the next turn
        self.last_end: float | None = None   # the time ending the previous turn (f4), starts the next
        self.quoting: str | None | bool = False  # inside a blockquote: its speaker (None: unattributed)

    # --- line by line -------------------------------------------------------
    def feed(self, offset: int, line: str) -> None:
        if not line.strip():
            return
        stripped = line.lstrip()
        if not stripped.startswith(">"):
            self.quoting = False
        if FOOTER.match(line):
            self._single(offset, line, "front")
        elif m := STAMP_LINE.match(line):
            self.pending, self.current = stamp_seconds(m), None
        elif stripped.startswith(">") and self.started:
            self._quote(offset, line)
        elif self.started and _HEADING.match(line):
            self._single(offset, line, "front")
        elif (head := self._head(offset, line)) is not None:
            self._open(offset, line, head)
        elif self.current is None or (self.started and _LEADING.match(line)):
            lead = _LEADING.match(line) if self.started else None
            body = lead.end() if lead else 0
            time = stamp_seconds(lead) if lead else None
            self._open(offset, line, Head(self.speaker, body, time), continued=True)
        else:
            self._extend(self.current, offset, line, self.current.body_start)

    def _head(self, offset: int, line: str) -> Head | None:
        hint = self.hints.get(offset)
        if hint is not None and (self.started or hint[1].casefold() in self.trusted):
            return Head(hint[1], hint[0])
        if self.layout.head is not None and (h := self.layout.head(line)) is not None:
            return h
        if self.layout.generic:
            m = self.rules.match(line)
            if self.labels.accept(m, self.started):
                return Head(m.speaker, m.end, m.time)
        return None

    def _open(self, offset: int, line: str, head: Head, continued: bool = False) -> None:
        body = offset + head.body
        while body < offset + len(line) and line[body - offset].isspace():
            body += 1
        if (lead := _LEADING.match(self.text, body, offset + len(line))) and lead.end() < offset + len(line):
            head.time = head.time if head.time is not None else stamp_seconds(lead)   # `R: [00:04:01] Well…`
            body = lead.end()
        time = next((t for t in (head.time, self.pending, self.last_end) if t is not None), None)
        turn = Turn(speaker=head.speaker, start=offset, body_start=body, end=offset + len(line.rstrip()),
                    time_start=time, time_end=head.time_end)
        self.pending = self.last_end = None
        if not continued:
            self.speaker = head.speaker
            self.started = self.started or head.speaker is not None
        self.turns.append(turn)
        self.current = turn
        self._extend(turn, offset, line, body)

    def _extend(self, turn: Turn, offset: int, line: str, body: int) -> None:
        """Line `line` belongs to `turn`: its end moves, a stamp ending it ends the turn, inner stamps anchor."""
        end = offset + len(line.rstrip())
        if (tail := _TRAILING.search(line)) and offset + tail.start() >= body:
            end = offset + tail.start()
            turn.time_end = self.last_end = stamp_seconds(tail)
            self.current = None
        turn.end = end
        for m in INLINE_STAMP.finditer(self.text, body, end):
            if not turn.anchors and turn.time_start is not None:
                turn.anchors.append((turn.body_start, turn.time_start, None))
            turn.anchors.append((m.start(), stamp_seconds(m), None))

    def _quote(self, offset: int, line: str) -> None:
        inner = offset + len(line) - len(line.lstrip()) + 1
        rest = line[inner - offset:]
        self.current = None
        if not rest.strip():
            return                                            # a bare `>`: no words, no turn
        body = inner + len(rest) - len(rest.lstrip())
        m = self.rules.match(rest.lstrip())
        if m is not None:
            speaker, body = m.speaker, body + m.end
        else:
            speaker = self.quoting if self.quoting is not False else None
        self.quoting = speaker
        while body < offset + len(line) and self.text[body].isspace():
            body += 1
        self.turns.append(Turn(speaker=speaker, start=offset, body_start=body, end=offset + len(line.rstrip()),
                               kind="quoted", role="other"))

    def _single(self, offset: int, line: str, kind: str) -> None:
        self.current = None
        self.turns.append(Turn(speaker=None, start=offset, body_start=offset, end=offset + len(line.rstrip()),
                               kind=kind, role="other"))

    # --- the whole document ---------------------------------------------------
    def finish(self) -> list[Turn]:
        turns = [t for t in self.turns if t.end > t.start]
        first = next((i for i, t in enumerate(turns) if t.speaker is not None and t.kind == "speech"), len(turns))
        for i, t in enumerate(turns):
            if i < first < len(turns) and t.kind == "speech":   # before the first labelled turn
                t.kind, t.role = "front", "other"
            if t.kind == "speech":
                t.role = self.rules.role(t.speaker)
            t.is_interviewer = t.role == "interviewer"
            t.start, t.end = strip_span(self.text, t.start, t.end)
            t.body_start = min(max(t.body_start, t.start), t.end)
            while t.body_start < t.end and self.text[t.body_start].isspace():
                t.body_start += 1
        _join_truncated(turns)
        if self.layout.relative:
            _from_first_time(turns)
        return turns


def _join_truncated(turns: list[Turn]) -> None:
    """`Dr Priya Sh...` (a label cut short by the tool) is the one speaker whose label starts so."""
    names = {t.speaker for t in turns if t.speaker}
    for t in turns:
        if t.speaker and t.speaker.endswith(("...", "…")):
            stem = t.speaker.rstrip(".…").rstrip()
            full = [n for n in names if n != t.speaker and n.startswith(stem) and not n.endswith(("...", "…"))]
            if len(full) == 1:
                t.speaker = full[0]


def _from_first_time(turns: list[Turn]) -> None:
    """Clock times (Zoom's 11:02:09) become seconds from the first one, so they point into the recording."""
    first = next((t.time_start for t in turns if t.time_start is not None), None)
    if first is None:
        return
    for t in turns:
        if t.time_start is not None:
            t.time_start = round(t.time_start - first, 3)
        if t.time_end is not None:
            t.time_end = round(t.time_end - first, 3)
        t.anchors = [(o, None if a is None else round(a - first, 3), b) for o, a, b in t.anchors]

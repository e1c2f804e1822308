"""What every reader produces: canonical text plus speaker turns.

Readers only read. Turn detection and text assembly live here so every
format gets the same rules, and all offsets are into the final canonical text.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from gtcode.text import normalise, strip_span
from gtcode.ingest.speakers import SpeakerRules


@dataclass
class Turn:
    speaker: str | None
    start: int          # start of the turn (label included)
    body_start: int     # first character of speech
    end: int
    time_start: float | None = None
    time_end: float | None = None
    is_interviewer: bool = False
    #: (offset, time_start, time_end) of each timed cue in the turn, for segment times.
    anchors: list[tuple[int, float | None, float | None]] = field(default_factory=list)


@dataclass
class ParsedDocument:
    name: str
    text: str
    format: str
    turns: list[Turn]
    encoding: str | None = None
    notes: list[str] = field(default_factory=list)
    #: CSV rows carry their case and attributes with them.
    case: str | None = None
    attributes: dict[str, str] = field(default_factory=dict)


@dataclass
class Cue:
    """A timed caption (VTT/SRT). `speaker` is known when a voice tag names it."""

    text: str
    start: float | None
    end: float | None
    speaker: str | None = None


def turns_from_lines(text: str, rules: SpeakerRules, label_hints: dict[int, tuple[int, str]] | None = None) -> list[Turn]:
    """Split canonical text into turns at lines that open with a speaker label.

    A line with no label continues the current turn (multi-paragraph turns);
    text before the first label is an unattributed turn (speaker None).
    `label_hints` maps a line's start offset to (label length, speaker) when
    the reader knows better than the text (a bold run in Word). Before the
    first turn a hinted label must also pass the text rule (a strong label,
    or a name that opens at least two lines), so a bold `Study:` or
    `Participant ID:` header line is not a speaker.
    """
    label_hints = label_hints or {}
    lines: list[tuple[int, str]] = []
    pos = 0
    for line in text.split("\n"):
        lines.append((pos, line))
        pos += len(line) + 1
    accepted = rules.accepted_labels([line for _, line in lines])
    hinted = Counter(speaker.casefold() for _, speaker in label_hints.values())
    trusted = accepted | {key for key, n in hinted.items() if n >= 2}

    turns: list[Turn] = []
    current: Turn | None = None
    for offset, line in lines:
        if not line.strip():
            continue
        hint = label_hints.get(offset)
        match = None
        if hint is not None and (turns and turns[-1].speaker is not None or hint[1].casefold() in trusted):
            label_len, speaker = hint
            match = (label_len, speaker, None)
        else:
            m = rules.match(line)
            if m is not None and m.key in accepted:
                match = (m.end, m.speaker, m.time)
        if match is not None:
            label_len, speaker, time = match
            body = offset + label_len
            while body < offset + len(line) and line[body - offset].isspace():
                body += 1
            current = Turn(speaker=speaker, start=offset, body_start=body, end=offset + len(line.rstrip()),
                           time_start=time, is_interviewer=rules.is_interviewer(speaker))
            turns.append(current)
        elif current is None:
            current = Turn(speaker=None, start=offset, body_start=offset, end=offset + len(line.rstrip()))
            turns.append(current)
        else:
            current.end = offset + len(line.rstrip())
    for t in turns:
        t.start, t.end = strip_span(text, t.start, t.end)
        t.body_start = min(max(t.body_start, t.start), t.end)
    return turns


def text_from_cues(cues: list[Cue], rules: SpeakerRules) -> tuple[str, list[Turn]]:
    """Join cues into turns: consecutive cues of one speaker become one paragraph.

    A cue's speaker is its voice tag, else a `Name:` label in its text, else
    the previous cue's speaker (captions split long turns over many cues).
    """
    runs: list[tuple[str | None, list[Cue]]] = []
    speaker: str | None = None
    bodies = [normalise(cue.text).replace("\n", " ").strip() for cue in cues]
    accepted = rules.accepted_labels(bodies, lenient=True)
    for cue, body in zip(cues, bodies):
        if cue.speaker:
            speaker = normalise(cue.speaker).strip()
        else:
            m = rules.match(body)
            if m is not None and m.key in accepted:
                speaker = m.speaker
                body = body[m.end:].strip()
        if not body:
            continue
        cue = Cue(body, cue.start, cue.end, speaker)
        if runs and runs[-1][0] == speaker:
            runs[-1][1].append(cue)
        else:
            runs.append((speaker, [cue]))

    parts: list[str] = []
    turns: list[Turn] = []
    pos = 0
    for speaker, run in runs:
        label = f"{speaker}: " if speaker else ""
        start = pos
        body_start = pos + len(label)
        anchors = []
        chunk = label
        for i, cue in enumerate(run):
            if i:
                chunk += " "
            anchors.append((start + len(chunk), cue.start, cue.end))
            chunk += cue.text
        parts.append(chunk)
        turns.append(Turn(speaker=speaker, start=start, body_start=body_start, end=start + len(chunk),
                          time_start=run[0].start, time_end=run[-1].end,
                          is_interviewer=rules.is_interviewer(speaker), anchors=anchors))
        pos += len(chunk) + 2
    return "\n\n".join(parts), turns

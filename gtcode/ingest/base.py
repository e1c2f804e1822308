"""What every reader produces: canonical text plus speaker turns.

Readers only read. Turn detection and text assembly live here so every
format gets the same rules, and all offsets are into the final canonical text.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from gtcode.text import normalise
from gtcode.ingest.lines import build_turns
from gtcode.ingest.speakers import SpeakerRules
from gtcode.ingest.turns import Turn


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
    #: the producer layout the file was read in ("Otter.ai text", "WebVTT captions"); set by read_path
    layout: str | None = None


@dataclass
class Cue:
    """A timed caption (VTT/SRT). `speaker` is known when a voice tag names it."""

    text: str
    start: float | None
    end: float | None
    speaker: str | None = None


def turns_from_lines(text: str, rules: SpeakerRules,
                     label_hints: dict[int, tuple[int, str]] | None = None) -> list[Turn]:
    """Split canonical text into turns at lines that open with a speaker label (see `gtcode.ingest.lines`).

    The file's layout (Zoom, Otter, Rev, Google Meet, WhisperX, German, labelled lines) is detected, or forced
    by `rules.layout`. A line with no label continues the current turn (multi-paragraph turns); text before
    the first label is front matter (speaker None). `label_hints` maps a line's start offset to (label length,
    speaker) when the reader knows better than the text (a bold run in Word). Before the first turn a hinted
    label must also pass the text rule (a strong label, or a name that opens at least two lines), so a bold
    `Study:` or `Participant ID:` header line is not a speaker.
    """
    return build_turns(text, rules, label_hints)


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

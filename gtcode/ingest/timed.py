"""What the structured transcript readers share (CHAT, ELAN, Whisper): cues whose speakers the file names.

In these formats the speaker comes from the structure (a tier, a field) or
is unknown; it is never guessed from the words, so a Whisper segment that
begins `Mum: you'll be fine` stays the unknown speaker's words.
"""

from __future__ import annotations

from pathlib import Path

from gtcode.errors import NoTurns
from gtcode.ingest.base import Cue, ParsedDocument, text_from_cues
from gtcode.ingest.speakers import SpeakerRules

_NEVER = r"(?!)"          # a speaker pattern that matches no line


def build_timed(path: Path, fmt: str, cues: list[Cue], rules: SpeakerRules, roles: dict[str, str] | None = None,
                notes: list[str] | None = None, encoding: str | None = None) -> ParsedDocument:
    """Cues → one document; `roles` maps a speaker to 'interviewer'/'participant'/'other' where the file says."""
    if not any(cue.text.strip() for cue in cues):
        raise NoTurns(f"{path}: nothing was said in this {fmt.upper()} file")
    fixed = SpeakerRules(_NEVER, sorted(rules.interviewer))
    text, turns = text_from_cues(cues, fixed)
    for turn in turns:
        role = (roles or {}).get(turn.speaker or "")
        if role:
            turn.role = role
            turn.is_interviewer = role == "interviewer"
    return ParsedDocument(name=path.stem, text=text, format=fmt, turns=turns, encoding=encoding, notes=notes or [])

"""A speaker turn: who speaks, where in the canonical text, when, and what kind of text it is."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Turn:
    speaker: str | None
    start: int          # start of the turn (label included)
    body_start: int     # first character of speech
    end: int
    time_start: float | None = None
    time_end: float | None = None
    is_interviewer: bool = False
    #: 'speech', 'front' (front matter before the first turn) or 'quoted' (quoted material;
    #: `speaker` is who is quoted, or None).
    kind: str = "speech"
    #: 'participant', 'interviewer' or 'other'; None: from is_interviewer.
    role: str | None = None
    #: (offset, time_start, time_end) of each timed cue in the turn, for segment times.
    anchors: list[tuple[int, float | None, float | None]] = field(default_factory=list)

    @property
    def speaker_role(self) -> str:
        """The role stored for this turn."""
        if self.role:
            return self.role
        return "interviewer" if self.is_interviewer else "participant"

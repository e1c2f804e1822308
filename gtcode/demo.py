"""The demo project: the bundled fictional VIG interviews, built from scratch.

Later stages (coding, memos, the model, the report) extend `build_demo`.
Rebuilding gives the same result every time; an existing folder is only
replaced when it holds a previous demo, never a real project.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .errors import InputError, ProjectExists

DEMO_NAME = "VIG engagement (gtcode demo)"
#: the researcher is named in the Teams/Zoom transcripts, not just 'Interviewer'
DEMO_INTERVIEWER = "Interviewer,I,Q,Researcher,Hannah Reid"
DEMO_QUERY = 'evidence OR "social worker" OR judging'


def bundled_transcripts() -> Path:
    return Path(__file__).resolve().parent.parent / "transcripts"


def bundled_codebook() -> Path:
    return Path(__file__).resolve().parent.parent / "codebooks" / "vig-engagement.yml"


@dataclass
class DemoResult:
    project: object
    report: object
    query: str
    hits: list
    total: int
    #: the starter codebook's import (gtcode.codebook.ImportReport), or None without codebooks/
    codebook: object = None
    #: autocoding with its patterns (gtcode.autocode.AutocodeResult), every suggestion then accepted
    autocode: object = None
    #: accepted suggestions per code path
    accepted: dict = field(default_factory=dict)


def build_demo(directory: str | Path, source: str | Path | None = None, coder: str = "demo",
               command: str = "gtcode demo") -> DemoResult:
    from .project import Project
    from .store.db import Store
    from .store.schema import DB_FILENAME

    source = Path(source) if source else bundled_transcripts()
    if not source.is_dir():
        raise InputError(f"{source}: no sample transcripts folder (run from a gtcode checkout, or pass --from)")
    folder = Path(directory)
    db = folder / DB_FILENAME
    if db.exists():
        store = Store.open(db.resolve())
        name = store.scalar("SELECT name FROM project WHERE id = 1")
        store.close()
        if name != DEMO_NAME:
            raise ProjectExists(f"{db}: a project that is not the demo is there; choose another folder")
        for suffix in ("", "-wal", "-shm"):
            Path(str(db) + suffix).unlink(missing_ok=True)
    project = Project.init(folder, name=DEMO_NAME, coder=coder, command=command)
    participants = source / "participants.csv"
    if participants.exists():
        project.import_cases(participants)
    transcripts = sorted(p for p in source.iterdir() if p.suffix.lower() in (".docx", ".txt", ".vtt", ".srt"))
    report = project.import_paths(transcripts, interviewer=DEMO_INTERVIEWER)
    hits, total = project.search(DEMO_QUERY, where=["role=mother"], speaker="participant", limit=5)
    result = DemoResult(project, report, DEMO_QUERY, hits, total)
    if bundled_codebook().is_file():
        # Open coding from the starter codebook: its patterns suggest, the demo coder accepts them all.
        result.codebook = project.import_codebook(bundled_codebook())
        result.autocode = project.autocode()
        result.accepted = project.accept(all_pending=True) if result.autocode.added else {}
    return result

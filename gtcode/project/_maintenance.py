"""Looking after the project file itself: `doctor` (is it damaged? salvage what can be read) and `backup`.

Plain functions taking a path, not `Project` methods: both must work on a project that cannot be opened, and
neither writes to the project.

    from gtcode.project._maintenance import backup, doctor
    backup("study/")                      # study/gtcode-backup-20250301-101500.db
    doctor("study/", salvage_to="saved.db")
"""

from __future__ import annotations

import os
from pathlib import Path

from gtcode.store.health import Diagnosis, diagnose, salvage


def _project_file(path: str | os.PathLike | None) -> Path:
    from gtcode.project import Project

    return Project.locate(path).resolve()


def doctor(path: str | os.PathLike | None = None, salvage_to: str | os.PathLike | None = None) -> Diagnosis:
    """A full integrity check of the project file (found as `Project.locate` finds it); with `salvage_to`, what
    can still be read is also written to that new file (`Diagnosis.salvaged`, `Diagnosis.method`)."""
    file = _project_file(path)
    result = diagnose(file)
    if salvage_to is not None:
        result.method = salvage(file, salvage_to)
        result.salvaged = str(salvage_to)
    return result


def backup(path: str | os.PathLike | None = None, dest: str | os.PathLike | None = None) -> Path:
    """A consistent copy of the project (SQLite's online backup API; other processes may be writing), at `dest`
    or `gtcode-backup-YYYYmmdd-HHMMSS.db` beside it. Returns the file written."""
    from gtcode.store.health import backup as copy

    return copy(_project_file(path), dest)

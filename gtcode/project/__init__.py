"""`Project`: the one API the CLI, the TUI, tests and notebooks call.

    from gtcode import Project
    with Project.open() as p:                     # finds gtcode.db like git finds .git
        p.docs.import_paths(["transcripts/"])
        p.codes.add("Barriers/Fear of judgement")
        p.coding.apply("D1:4", "Fear of judgement")
        hits, total = p.analysis.search("judged", where=["role=mother"])

Its namespaces mirror the CLI's groups: `docs`, `cases`, `codes`, `coding` (code/uncode/invivo), `review`
(autocode and pending suggestions), `codebook`, `memos`, `model` (categories, relations, paradigm, core),
`analysis` (retrieve, compare, kwic, freq, search, cooccur, matrix, saturation), `team` (agreement, settle),
`redact` and `history` (log, undo). The facade is the only place a transaction starts: each method that
writes is one command, all of it landing with its events, or none of it.

Whole-project jobs take the Project and live above it: `gtcode.report.thesis.write_report(p, path)`,
`gtcode.exchange.export_qdpx(p, path)`, `gtcode.team.merge.merge_project(p, other)`, `gtcode.demo`.

Each namespace is made from its module on first use, and imports its library modules inside each method: a read
command such as `docs list` then loads only what it uses, which keeps start-up fast (see benchmarks/run.py).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from gtcode.config import resolve_coder
from gtcode.errors import ProjectExists, ProjectNotFound
from gtcode.project._legacy import LegacyNames
from gtcode.store.db import Store
from gtcode.store.schema import DB_FILENAME

__all__ = ["Project"]


class _Namespace:
    """A namespace made from its module (`gtcode.project._data`…) when the project first uses it, then kept on
    the project: `docs list` imports only the facade module it calls."""

    def __init__(self, module: str, cls: str):
        self.module, self.cls = module, cls

    def __set_name__(self, owner, name: str) -> None:
        self.name = name

    def __get__(self, project, owner=None):
        if project is None:
            return self
        import importlib

        namespace = getattr(importlib.import_module(f"gtcode.project.{self.module}"), self.cls)(project)
        project.__dict__[self.name] = namespace   # found before this (non-data) descriptor from now on
        return namespace


def _namespaces(module: str, *classes: str) -> tuple[_Namespace, ...]:
    """The namespaces of the classes named, all from one facade module."""
    return tuple(_Namespace(module, cls) for cls in classes)


def _find(start: Path) -> Path | None:
    for folder in (start, *start.parents):
        candidate = folder / DB_FILENAME
        if candidate.is_file():
            return candidate
    return None


class Project(LegacyNames):
    """An open gtcode project: one SQLite file, `gtcode.db`."""

    # The namespaces, by the facade module each comes from (made on first use: see _Namespace).
    docs, cases = _namespaces("_data", "Docs", "Cases")
    codes, coding, review, codebook = _namespaces("_open_coding", "Codes", "Coding", "Review", "Codebook")
    memos, model, analysis, team, redact, history = _namespaces("_theory", "Memos", "Model", "Analysis", "Team",
                                                                "Redact", "History")
    (assist,) = _namespaces("_assist", "Assist")

    def __init__(self, store: Store, coder: str | None = None, command: str = "api"):
        self.store = store
        self._coder = coder
        #: recorded on every event; the CLI sets it to the command line
        self.command = command
        self.debug = False

    @property
    def coder(self) -> str:
        """Who is working: resolved when first needed, so read commands skip the config file."""
        if self._coder is None or not self._coder.strip():
            self._coder = resolve_coder(self._coder)
        return self._coder

    @coder.setter
    def coder(self, name: str) -> None:
        self._coder = name

    # --- finding, creating, opening ----------------------------------------
    @staticmethod
    def locate(path: str | os.PathLike | None = None) -> Path:
        """The project file: `path` (file or folder), else $GTCODE_PROJECT, else search upwards."""
        if path is None and os.environ.get("GTCODE_PROJECT"):
            path = os.environ["GTCODE_PROJECT"]
        if path is not None:
            p = Path(path).expanduser()
            if p.is_dir():
                if (p / DB_FILENAME).is_file():
                    return p / DB_FILENAME
                raise ProjectNotFound(f"{p}: no gtcode project here (no {DB_FILENAME}); "
                                      f"create one with 'gtcode init {p}'")
            if p.is_file():
                return p
            raise ProjectNotFound(f"{p}: no such project file")
        found = _find(Path.cwd())
        if found is None:
            raise ProjectNotFound(
                f"no gtcode project in {Path.cwd()} or its parents; create one with 'gtcode init', "
                "or name one with --project/-p or GTCODE_PROJECT")
        return found

    @classmethod
    def init(cls, directory: str | os.PathLike = ".", name: str | None = None, coder: str | None = None,
             command: str = "api") -> "Project":
        """Create a project: `directory/gtcode.db` (or the `.db` file named)."""
        folder = Path(directory).expanduser()
        if folder.suffix == ".db":
            path, folder = folder, folder.parent
        else:
            path = folder / DB_FILENAME
        path = path.resolve()
        if path.exists():
            raise ProjectExists(f"{path}: a project (or other file) is already there; nothing was changed")
        folder.mkdir(parents=True, exist_ok=True)
        store = Store.create(path)
        project = cls(store, coder, command)
        with project.transaction() as txn:
            store.name_project(txn, name or folder.resolve().name or "gtcode project")
        return project

    @classmethod
    def open(cls, path: str | os.PathLike | None = None, coder: str | None = None, command: str = "api") -> "Project":
        """Open the project at `path` (see `locate`), applying any pending schema migrations."""
        return cls(Store.open(cls.locate(path).resolve()), coder, command)

    @property
    def path(self) -> Path:
        return self.store.path

    @property
    def name(self) -> str:
        return self.store.project_name() or self.path.parent.name

    def close(self) -> None:
        self.store.close()

    def __enter__(self) -> "Project":
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        self.close()
        from gtcode.store.health import damaged, is_damage

        if is_damage(exc):   # a read that met a malformed page: name the file and the remedy
            raise damaged(self.path, str(exc)) from None

    def transaction(self, *, dry_run: bool = False):
        """One command's worth of changes: all land, with their events, or none do (none, with `dry_run`)."""
        return self.store.transaction(self.coder, self.command, dry_run=dry_run)

    @contextmanager
    def running(self, command: str) -> Iterator[None]:
        """Record `command` on the events of the writes made inside (a long-running skin such as the TUI names
        each action it takes)."""
        before, self.command = self.command, command
        try:
            yield
        finally:
            self.command = before

    def stats(self) -> dict:
        """What the project holds: documents, cases by attribute, words, turns, segments, coders, events."""
        from gtcode.analysis.overview import project_stats

        return {"project": self.name, "path": str(self.path)} | project_stats(self.store)

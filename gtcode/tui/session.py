"""What the coding screen knows and does, without any widgets: easy to test, and the one place the TUI writes.

Every write is one `Project` call (so one transaction), inside `project.running(command)` that says what the
researcher did ("tui: code D3:17 'Feeling judged'"), so
`gtcode log` and `gtcode undo` see TUI work exactly like CLI work. After each
write the session re-reads what the screen shows; `changed_elsewhere` notices
commits by other processes (SQLite's `PRAGMA data_version`).
"""

from __future__ import annotations

from dataclasses import dataclass

from gtcode.address import format_ranges
from gtcode.errors import InputError
from gtcode.text import plural


@dataclass
class Selection:
    """Segments first..last (indexes into `Session.segments`), inclusive."""

    first: int
    last: int


#: From this many documents every document's progress is counted in the background (see `counting`): at 10,000
#: it takes over a second, and the screen need not wait for it; below, it is counted at once (a few ms).
BACKGROUND_FROM = 300


class Session:
    """One open project in the TUI: the current document, its segments and codings, the code tree."""

    def __init__(self, project):
        self.project = project
        self.store = project.store
        self.doc = None
        self.segments: list = []
        self.turns: dict[int, dict] = {}
        self.codings: dict[int, list] = {}
        self.participant: list[int] = []
        self.documents: list = []
        self.progress: dict = {}
        self.counting = False               # every document's progress is being counted: `count`, then `counted`
        self._count = 0                     # which count is wanted (a newer one makes older ones moot)
        self._fresh: set[int] = set()       # documents whose progress was re-read since that count began
        self.codes: list = []
        self.counts: dict = {}
        self.quick: list[int] = []          # code ids on keys 1..9; stable while the app runs
        self.start = 0                      # segment index to open at
        self._version = self._data_version()
        self.reload_project()

    # --- reading ----------------------------------------------------------------
    def _data_version(self) -> int:
        return self.store.data_version()

    def changed_elsewhere(self) -> bool:
        """Has another connection committed since we last looked? (Our own commits don't count.)"""
        version = self._data_version()
        changed, self._version = version != self._version, version
        return changed

    def reload_project(self) -> None:
        """Documents with progress, codes with counts, quick codes."""
        from gtcode.analysis.progress import document_progress

        self.documents = self.project.docs.list()
        if len(self.documents) < BACKGROUND_FROM:
            self.progress, self.counting = document_progress(self.store), False
        else:     # the bars shown so far stay until the count replaces them; `open_document` re-reads its own
            self.counting, self._count, self._fresh = True, self._count + 1, set()
        self._reload_codes()

    @property
    def counting_for(self) -> int | None:
        """Which count of every document's progress is wanted, while one is (else None)."""
        return self._count if self.counting else None

    def count(self, stop=None) -> tuple[int, dict]:
        """Every document's progress, through a connection of its own: safe to call in another thread.
        Returns which count it is, for `counted`."""
        from gtcode.analysis.progress import every_document_progress

        wanted = self._count
        return wanted, every_document_progress(self.store.path, stop)

    def counted(self, which: int, progress: dict | None) -> bool:
        """Take a count's result (None: it failed, so count here); False when a newer count is wanted. Documents
        re-read since it began (a write) keep their newer figures."""
        from gtcode.analysis.progress import document_progress

        if not self.counting or which != self._count:
            return False
        if progress is None:
            progress = document_progress(self.store)
        progress.update({d: self.progress[d] for d in self._fresh if d in self.progress})
        self.progress, self.counting = progress, False
        return True

    def _progress_here(self) -> None:
        from gtcode.analysis.progress import document_progress

        self.progress.update(document_progress(self.store, self.doc.id))
        self._fresh.add(self.doc.id)

    def _reload_codes(self, changed: set[int] | None = None) -> None:
        """Codes and their counts: all of them, or (`changed`: the codes a write in this document touched) only
        the subtrees those codes sit in, so a keypress does not recount a large project's every coding."""
        from gtcode.analysis.progress import most_used_codes

        self.codes = self.project.codes.list()
        if changed is None or getattr(self, "counts", None) is None:
            self.counts = self.project.codes.counts()
        elif changed:
            by_id = {c.id: c for c in self.codes}
            tops = set()
            for code_id in changed:
                while code_id in by_id and by_id[code_id].parent_id is not None:
                    code_id = by_id[code_id].parent_id
                tops.add(code_id)
            heads = [by_id[t].path for t in tops if t in by_id]
            within = {c.id for c in self.codes if any(c.path == h or c.path.startswith(h + "/") for h in heads)}
            for code_id in within | changed:
                self.counts.pop(code_id, None)
            self.counts.update(self.project.codes.counts(within=within))
        known = {c.id for c in self.codes if c.kind == "code"}
        self.quick = [c for c in self.quick if c in known]
        if len(self.quick) < 9:
            self.quick += [c for c in most_used_codes(self.store, 30) if c not in self.quick][:9 - len(self.quick)]

    def open_document(self, ref) -> None:
        from gtcode.analysis.progress import participant_ordinals, segment_codes

        self.doc = self.project.docs.get(ref)
        self.segments = self.project.docs.segments(self.doc.id)
        self.turns = {t["ordinal"]: t for t in self.project.docs.turns(self.doc.id)}
        self.codings = segment_codes(self.store, self.doc.id)
        self.participant = participant_ordinals(self.store, self.doc.id)
        if self.doc.id not in self.progress or (self.counting and self.doc.id not in self._fresh):
            self._progress_here()

    def reload(self) -> None:
        """After a change (ours or another process's): re-read everything shown, keeping the document."""
        self.reload_project()
        if self.doc is not None:
            ids = {d.id for d in self.documents}
            if self.doc.id in ids:
                self.open_document(self.doc.id)
            elif self.documents:
                self.open_document(self.documents[0].id)
            else:
                self.doc, self.segments, self.codings, self.participant = None, [], {}, []

    def code_by_id(self, code_id: int):
        return next((c for c in self.codes if c.id == code_id), None)

    def address(self, sel: Selection) -> str:
        first, last = self.segments[sel.first].ordinal, self.segments[sel.last].ordinal
        return f"D{self.doc.id}:{format_ranges(range(first, last + 1))}"

    def codings_in(self, sel: Selection) -> list:
        """Codings touching the selected segments, each once."""
        seen: dict[int, object] = {}
        for seg in self.segments[sel.first:sel.last + 1]:
            for c in self.codings.get(seg.ordinal, []):
                seen.setdefault(c.coding_id, c)
        return list(seen.values())

    def codes_in(self, sel: Selection) -> list:
        """Codes on the selection (confirmed or pending), in tree order, each once."""
        ids = list(dict.fromkeys(c.code_id for c in self.codings_in(sel)))
        return [c for c in self.codes if c.id in ids]

    def picker_codes(self) -> list:
        """Codable codes for the picker: this coder's recently used first, then the tree."""
        from gtcode.analysis.progress import recent_codes

        codable = [c for c in self.codes if c.kind == "code"]
        recent = recent_codes(self.store, self.project.coder)
        rank = {cid: i for i, cid in enumerate(recent)}
        return sorted(codable, key=lambda c: rank.get(c.id, len(rank)))  # stable: tree order after the recent ones

    def uncoded(self, index: int, direction: int) -> int | None:
        """Index of the next (1) or previous (-1) participant segment with no confirmed coding."""
        wanted = set(self.participant)
        i = index + direction
        while 0 <= i < len(self.segments):
            seg = self.segments[i]
            if seg.ordinal in wanted and not any(not c.pending for c in self.codings.get(seg.ordinal, [])):
                return i
            i += direction
        return None

    def index_of(self, ordinal: int) -> int:
        for i, seg in enumerate(self.segments):
            if seg.ordinal >= ordinal:
                return i
        return max(0, len(self.segments) - 1)

    def passages(self, code_id: int):
        return self.project.coding.passages(f"#{code_id}", context=0)

    def similar(self, address: str, top: int = 12) -> dict:
        """Passages in other documents most like this one (an AI run, recorded in the log)."""
        with self.project.running(f"tui: similar {address}"):
            return self.project.assist.similar(address, top=top)

    def search(self, query: str, limit: int = 200):
        return self.project.analysis.search(query, limit=limit)

    # --- writing: one library call each, then re-read -------------------------------
    def _write(self, command: str, call, *, here: bool = True):
        """Run one write; then re-read. `here`: it can only change the open document's coding (not undo),
        so only that document's progress is recomputed: a keypress, not a pass over the whole project."""
        here = here and self.doc is not None and not self.changed_elsewhere()
        before = self.project.coding.document_keys(self.doc.id) if here else set()
        try:
            with self.project.running(f"tui: {command}"):
                return call()
        finally:
            if here:
                after = self.project.coding.document_keys(self.doc.id)
                self._reload_here({code_id for _, code_id, _ in before ^ after})
            else:
                self.reload()
            self._version = self._data_version()

    def _reload_here(self, changed: set[int]) -> None:
        self._progress_here()
        self._reload_codes(changed)
        self.open_document(self.doc.id)

    def apply(self, sel: Selection, code: str, create: bool = False) -> str:
        address = self.address(sel)
        result = self._write(f"code {address} {code!r}",
                             lambda: self.project.coding.apply(address, code, create=create))
        if not (result["added"] or result["merged"]):
            return f"{address} already has {code!r}"
        return f"Coded {address} with {code!r}"

    def remove(self, sel: Selection, code_id: int) -> str:
        code = self.code_by_id(code_id)
        address = self.address(sel)
        n = self._write(f"uncode {address} {code.path!r}",
                        lambda: self.project.coding.remove(address, f"#{code_id}"))
        if not n:
            others = sorted({c.coder for c in self.codings_in(sel) if c.code_id == code_id})
            return f"Nothing of yours to remove: {code.name!r} here was coded by {', '.join(others)}"
        return f"Removed {code.name!r} from {address}"

    def invivo(self, sel: Selection, quote: str) -> str:
        if sel.first != sel.last:
            raise InputError("in vivo coding takes the words of one segment: select a single segment")
        address = self.address(sel)
        code = self._write(f"invivo {address} {quote.strip()!r}", lambda: self.project.coding.invivo(address, quote))
        return f"In vivo code {code.name!r} applied to {address}"

    def review(self, sel: Selection, accept: bool) -> str:
        ids = [c.coding_id for c in self.codings_in(sel) if c.pending]
        address = self.address(sel)
        if not ids:
            return f"No pending codings on {address}"
        verb = "accept" if accept else "reject"
        call = self.project.review.accept if accept else self.project.review.reject
        done = self._write(f"review {verb} {' '.join(map(str, ids))} ({address})", lambda: call(ids))
        return (f"{verb.capitalize()}ed {plural(sum(done.values()), 'pending coding')} on {address}: "
                f"{', '.join(done)}")

    def memo(self, title: str, body: str, type: str, link: str) -> str:
        memo, unresolved = self._write(f"memo new {title!r} --link {link}",
                                       lambda: self.project.memos.new(title, body, type=type, links=[link]))
        extra = f"; not linked: {', '.join(unresolved)}" if unresolved else ""
        return f"Memo #{memo.id} {memo.title!r} saved, linked to {link}{extra}"

    def undo(self) -> str:
        done = self._write("undo", lambda: self.project.history.undo(1), here=False)
        return "Undid: " + "; ".join(d["summary"] for d in done)

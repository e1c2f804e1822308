"""Who speaks in a document: its speaker labels with their turns and roles, and fixing them — a role for a
label (`docs speakers --interviewer/--role`) or a new name (`--rename`, in the text too, every anchor carried by
exact offset shifts, or the change refused with the list). Each fix is logged for undo.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from gtcode import anchors
from gtcode.documents import DocumentInfo, document_text
from gtcode.errors import InputError, WouldBreakAnchors
from gtcode.history import captured_rewrite, captured_update
from gtcode.records import Record
from gtcode.store.db import Store, Txn
from gtcode.text import content_hash, count_words

ROLES = ("participant", "interviewer", "other")


def speaker_roles(store: Store, doc_id: int) -> dict[str, str]:
    """Each speech label of the document (case-folded) and its role."""
    return {r[0].casefold(): r[1] for r in store.all(
        "SELECT speaker, role FROM turns WHERE document_id = ? AND speaker IS NOT NULL AND kind = 'speech' "
        "ORDER BY ordinal", (doc_id,))}


@dataclass
class SpeakerLabel(Record):
    """One speaker label in a document: how many turns, which role(s)."""

    document: str
    name: str
    speaker: str
    turns: int
    role: str


def speaker_labels(store: Store, doc_ids: list[int] | None = None) -> list[SpeakerLabel]:
    """Every speaker label of the documents (all when None), with turn counts and roles; unlabelled speech,
    front matter and quoted material are listed as such."""
    sql = ("SELECT t.document_id, d.name, CASE WHEN t.kind = 'front' THEN '(front matter)' "
           "WHEN t.speaker IS NULL THEN '(unlabelled)' ELSE t.speaker END AS speaker, count(*) AS n, "
           "CASE WHEN t.kind = 'quoted' THEN 'quoted' WHEN t.kind = 'front' THEN 'front' ELSE "
           "group_concat(DISTINCT t.role) END AS role FROM turns t JOIN documents d ON d.id = t.document_id")
    args: list = []
    if doc_ids is not None:
        sql += f" WHERE t.document_id IN ({','.join('?' * len(doc_ids))})"
        args = list(doc_ids)
    sql += " GROUP BY t.document_id, 3, t.kind ORDER BY t.document_id, min(t.ordinal)"
    return [SpeakerLabel(f"D{r[0]}", r[1], r[2], r[3], r[4]) for r in store.all(sql, args)]


@dataclass
class SpeakerChange(Record):
    """What `docs speakers` changed in one document."""

    document: str
    name: str
    roles: dict[str, str] = field(default_factory=dict)       # label → new role
    renamed: dict[str, str] = field(default_factory=dict)     # old label → new label
    turns: int = 0                                           # turns changed
    moved: int = 0
    dropped: list[dict] = field(default_factory=list)


def parse_assignments(items: list[str], option: str, values: tuple[str, ...] | None = None) -> list[tuple[str, str]]:
    """`LABEL=VALUE` pairs (the label may hold commas; for roles the last '=' splits)."""
    out = []
    for item in items:
        label, eq, value = item.rpartition("=") if values else item.partition("=")
        label, value = label.strip(), value.strip()
        if not eq or not label or not value:
            raise InputError(f"{option} {item!r}: expected LABEL={'|'.join(values) if values else 'NEW'}")
        if values and value.casefold() not in values:
            raise InputError(f"{option} {item!r}: the role must be one of {', '.join(values)}")
        out.append((label, value.casefold() if values else value))
    return out


def _turn_rows(store: Store, doc_id: int):
    return store.all("SELECT id, speaker, role, start_char, body_start, end_char FROM turns WHERE document_id = ? "
                     "AND kind = 'speech' ORDER BY ordinal", (doc_id,))


def set_speakers(store: Store, txn: Txn, doc: DocumentInfo, roles: list[tuple[str, str]],
                 renames: list[tuple[str, str]], *, force: bool = False, strict: bool = True) -> SpeakerChange:
    """Give labels a role and/or rename them (in the text too, every anchor carried). `strict`: a label this
    document does not have is an error (else it is skipped: a batch over several documents)."""
    rows = _turn_rows(store, doc.id)
    have = {r["speaker"].casefold(): r["speaker"] for r in rows if r["speaker"]}
    targets = {b.casefold() for a, b in renames if a.casefold() in have}
    unknown = [a for a, _ in renames if a.casefold() not in have] + [
        a for a, _ in roles if a.casefold() not in have and a.casefold() not in targets]
    if strict and unknown:
        raise InputError(f"{doc.label} {doc.name!r} has no speaker {unknown[0]!r} (speakers: "
                         f"{', '.join(sorted(set(have.values()), key=str.casefold)) or 'none'})")
    change = SpeakerChange(doc.label, doc.name)
    if renames:
        _rename(store, txn, doc, rows, {a.casefold(): b for a, b in renames if a.casefold() in have}, force, change)
    for label, role in roles:
        key = label.casefold()
        if key not in have and key not in targets:
            continue
        now = change.renamed.get(have[key], have[key]) if key in have else label
        n = captured_update(store, txn, "turns", {"role": role, "is_interviewer": int(role == "interviewer")},
                            "document_id = ? AND kind = 'speech' AND speaker = ? COLLATE NOCASE AND role <> ?",
                            (doc.id, now, role))
        if n:
            change.roles[now] = role
            change.turns += n
    if change.roles or change.renamed:
        said = [f"{a} → {b}" for a, b in change.renamed.items()] + [f"{a}: {r}" for a, r in change.roles.items()]
        txn.record("document.speakers", f"speakers of D{doc.id} {doc.name!r}: {'; '.join(said)}", doc.uuid,
                   roles=change.roles, renamed=change.renamed, turns=change.turns, moved=change.moved,
                   dropped=change.dropped)
    return change


def _rename(store: Store, txn: Txn, doc: DocumentInfo, rows, names: dict[str, str], force: bool,
            change: SpeakerChange) -> None:
    """Rename labels in the text of each turn's label and in `turns.speaker`; shift everything after them."""
    text = document_text(store, doc.id)
    edits: list[tuple[int, int, str]] = []      # (position, old length, new words) in the old text
    for r in rows:
        new_name = names.get((r["speaker"] or "").casefold())
        if new_name is None:
            continue
        label = text[r["start_char"]:r["body_start"]]
        at = label.find(r["speaker"])
        if at >= 0:
            edits.append((r["start_char"] + at, len(r["speaker"]), new_name))
        captured_update(store, txn, "turns", {"speaker": new_name}, "id = ?", (r["id"],))
        change.renamed[r["speaker"]] = new_name
        change.turns += 1
    if not edits:
        return

    def shift(x: int) -> int:
        return x + sum(len(new) - n for pos, n, new in edits if pos + n <= x)

    old_anchors = anchors.document_anchors(store, doc.id, text)
    broken = [a for a in old_anchors if any(pos < a.end and pos + n > a.start for pos, n, _ in edits)]
    if broken and not force:
        raise WouldBreakAnchors(f"{doc.label} {doc.name!r}: " + anchors.Plan(doc.id, [], broken).refusal(
            "renaming these speakers"))
    moves = [(a, shift(a.start), shift(a.end)) for a in old_anchors if a not in broken]
    plan = anchors.Plan(doc.id, moves, broken)
    change.dropped = anchors.carry(store, plan, drop_broken=force)
    change.moved = plan.moved
    new_text, last = [], 0
    for pos, n, new in sorted(edits):
        new_text += [text[last:pos], new]
        last = pos + n
    new_text = "".join(new_text + [text[last:]])
    for table, cols in (("turns", ("start_char", "body_start", "end_char")), ("segments", ("start_char", "end_char"))):
        for r in store.all(f"SELECT id, {', '.join(cols)} FROM {table} WHERE document_id = ?", (doc.id,)):
            moved = {c: shift(r[c]) for c in cols}
            if any(moved[c] != r[c] for c in cols):
                captured_update(store, txn, table, moved, "id = ?", (r["id"],))
    captured_rewrite(store, txn, "documents", doc.id,
                     "UPDATE documents SET text = ?, text_hash = ?, word_count = ? WHERE id = ?",
                     (new_text, content_hash(new_text), count_words(new_text), doc.id),
                     check=("uuid", "name", "text_hash"))

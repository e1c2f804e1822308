"""Constant comparison: the passages most like a given one, and the passages of a code least like the rest.

`similar` looks across the *other* documents (a passage is always most like its neighbours in the same
interview); `contrast` ranks a code's passages by how far each is from the code's centre, the candidates for
negative cases to read first. Participant passages only (`gtcode.assist.passages`).
"""

from __future__ import annotations

from dataclasses import dataclass

from gtcode.assist.passages import Passage, attach_codes, load_passages, passage_at
from gtcode.assist.vectors import Index, method_info, top_indices
from gtcode.errors import InputError
from gtcode.store.db import Store


@dataclass
class Scored:
    passage: Passage
    score: float

    def to_dict(self) -> dict:
        return self.passage.to_dict() | {"score": round(self.score, 3)}


def similar(store: Store, address: str, *, top: int = 10, where=None, unit: str = "segment") -> dict:
    """The `top` participant passages in other documents most like the passage at `address`, with their codes."""
    if top < 1:
        raise InputError("--top must be at least 1")
    query = passage_at(store, address)
    corpus = [p for p in load_passages(store, unit, where, codes=False) if p.document_id != query.document_id]
    results: list[Scored] = []
    if corpus:
        index = Index.build([p.text for p in corpus], extra=[query.text])
        row = index.similarities(index.transform([query.text]))[0]
        results = [Scored(corpus[i], float(row[i])) for i in top_indices(row, top) if row[i] > 0]
        attach_codes(store, [r.passage for r in results])
    return {"query": query.to_dict(), "results": [r.to_dict() for r in results], "compared": len(corpus),
            "info": method_info()}


def contrast(store: Store, code: str, *, top: int = 10, where=None) -> dict:
    """The passages of `code` (and its children) least like the code's other passages: candidate negative cases.

    Each passage's score is its mean cosine similarity to the code's other passages; lowest first.
    """
    from gtcode.codes import resolve_code

    if top < 1:
        raise InputError("--top must be at least 1")
    path = resolve_code(store, code).path
    members = [p for p in load_passages(store, "segment", where)
               if any(c == path or c.startswith(path + "/") for c in p.codes)]
    if len(members) < 3:
        raise InputError(f"{path!r} has {len(members)} coded participant passage(s); contrast needs at least 3")
    index = Index.build([p.text for p in members])
    sims = index.similarities(index.matrix)
    n = len(members)
    means = [(float(sims[i].sum()) - float(sims[i, i])) / (n - 1) for i in range(n)]
    order = sorted(range(n), key=lambda i: (means[i], members[i].document_id, members[i].start))[:top]
    return {"code": path, "passages": n, "results": [Scored(members[i], means[i]).to_dict() for i in order],
            "info": method_info()}

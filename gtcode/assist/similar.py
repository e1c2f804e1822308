"""Constant comparison: the passages most like a given one, and the passages of a code least like the rest.

`similar` looks across the *other* documents (a passage is always most like its neighbours in the same
interview); `contrast` ranks a code's passages by how far each is from the code's centre, the candidates for
negative cases to read first. Participant passages only (`gtcode.assist.passages`).
"""

from __future__ import annotations

from dataclasses import dataclass

from gtcode.assist.index import Refresh, counts_of, plan, segment_counts
from gtcode.assist.passages import Passage, attach_codes, check_unit, load_passages, passage_at, segment_passages
from gtcode.assist.vectors import Index, Weights, hashed_counts, method_info, stack, top_indices
from gtcode.errors import InputError
from gtcode.store.db import Store


@dataclass
class Scored:
    passage: Passage
    score: float

    def to_dict(self) -> dict:
        return self.passage.to_dict() | {"score": round(self.score, 3)}


def similar(store: Store, address: str, *, top: int = 10, where=None, unit: str = "segment",
            refresh: Refresh | None = None) -> dict:
    """The `top` participant passages in other documents most like the passage at `address`, with their codes.

    Segments are compared through the stored index (`refresh` from `index.plan`; planned here, unstored, when
    not given), which needs neither scikit-learn nor scipy when it is up to date (numpy alone); whole turns are
    counted from their text.
    """
    if top < 1:
        raise InputError("--top must be at least 1")
    check_unit(unit)
    query = passage_at(store, address)
    if unit == "segment":
        refresh = refresh if refresh is not None else plan(store)
        ids, counts = segment_counts(store, refresh, where, besides=query.document_id)
        corpus = None
    else:
        corpus = [p for p in load_passages(store, unit, where, codes=False) if p.document_id != query.document_id]
        ids, counts = None, hashed_counts([p.text for p in corpus])
    results: list[Scored] = []
    if counts.shape[0]:
        asked = counts_of(store, refresh, [query]) if refresh is not None else hashed_counts([query.text])
        weights = Weights(stack([counts, asked]))
        row = weights.scores(counts.shape[0])[:-1]
        best = [i for i in top_indices(row, top) if row[i] > 0]
        found = segment_passages(store, [ids[i] for i in best]) if ids is not None else [corpus[i] for i in best]
        if ids is None:
            attach_codes(store, found)
        results = [Scored(p, float(row[i])) for p, i in zip(found, best)]
    return {"query": query.to_dict(), "results": [r.to_dict() for r in results], "compared": counts.shape[0],
            "info": method_info() | {"index": "stored" if unit == "segment" else "counted"}}


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
        raise InputError(f"{path!r} has {len(members)} coded participant passage{'s' * (len(members) != 1)}; "
                         "contrast needs at least 3")
    index = Index.build([p.text for p in members])
    sims = index.similarities(index.matrix)
    n = len(members)
    means = [(float(sims[i].sum()) - float(sims[i, i])) / (n - 1) for i in range(n)]
    order = sorted(range(n), key=lambda i: (means[i], members[i].document_id, members[i].start))[:top]
    return {"code": path, "passages": n, "results": [Scored(members[i], means[i]).to_dict() for i in order],
            "info": method_info()}

"""Suggested codes for uncoded passages, learned from the researcher's own coding ("continue my coding").

Each uncoded participant passage gets the project's codes ranked by a vote of its nearest coded passages
(k nearest) and of the codes' own definitions, inclusion criteria and examples, which count as one more labelled
passage each (so a code defined but not yet used can still be suggested). Nearness is the mean of the TF-IDF
cosine and the cosine of wordllama's bundled static embedding when the `ai` extra is installed
(`gtcode.assist.embedding`), else the TF-IDF cosine alone, and the run says which. The score is the code's share
of the neighbours' similarity; the evidence is the coded passages that voted for it. Chosen by measurement: see
`benchmarks/assist.py` and the README's "Local assistance".

`apply_suggestions` writes them as *pending* codings by the coder `gtcode-suggest`; a person confirms or rejects
them with `gtcode review`. A suggestion a reviewer rejected is never made again.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from gtcode.assist import SUGGEST_CODER, embedding
from gtcode.assist.index import Refresh, counts_of, plan
from gtcode.assist.passages import Passage, load_passages, passage_at
from gtcode.assist.vectors import Weights, hashed_counts, method_info, stack
from gtcode.codes import Code, all_codes
from gtcode.errors import InputError
from gtcode.store.db import Store, Txn
from gtcode.text import plural

#: neighbours that vote on a passage's codes
NEIGHBOURS = 15
#: passages shorter than this ("Yeah.", "Mm, alright.") get no suggestions unless addressed one by one
MIN_WORDS = 3
#: what the audit log records as the method when the embedding is used beside TF-IDF
BOTH = "tfidf+wordllama-knn"
#: passages ranked at a time (the similarity rows of a chunk are held in memory together)
CHUNK = 2000


@dataclass
class Suggestion:
    code: str
    score: float
    evidence: list[str]   # addresses of the coded passages that drove it ('codebook' for the definition)
    rationale: str | None = None   # why it fits, in one sentence, from the local model (`suggest --explain`)

    def to_dict(self) -> dict:
        out = {"code": self.code, "score": round(self.score, 3), "evidence": self.evidence}
        return out | {"rationale": self.rationale} if self.rationale is not None else out


@dataclass
class SuggestRun:
    """What `suggest` found: per uncoded passage, codes ranked with their evidence."""

    items: list[tuple[Passage, list[Suggestion]]]
    unit: str
    trained_on: int           # coded passages it learned from
    codes: int                # codes it could suggest
    info: dict = field(default_factory=dict)
    applied: dict = field(default_factory=dict)
    evidence: dict = field(default_factory=dict)   # address → text of the coded passages cited as evidence

    @property
    def embedded(self) -> bool:
        """Whether the bundled embedding ranked beside TF-IDF (else TF-IDF alone: the `ai` extra is missing)."""
        return self.info.get("method") == BOTH

    def to_list(self) -> list[dict]:
        return [{"address": p.address, "start": p.start, "end": p.end, "text": p.text,
                 "method": self.info.get("method"), "suggestions": [s.to_dict() for s in sugs]}
                for p, sugs in self.items]


def code_profile(code: Code) -> str:
    """The words a code's definition gives it: name, description, inclusion criteria, example."""
    return " ".join(t for t in (code.name, code.description, code.include, code.example) if t)


def _targets(store: Store, refs: list[str], unit: str, where) -> list[Passage]:
    from gtcode.address import is_address
    from gtcode.documents import resolve_document

    addresses = [r for r in refs if is_address(r)]
    docs = [resolve_document(store, r).id for r in refs if not is_address(r)]
    out = load_passages(store, unit, where, doc_ids=docs or None) if docs or not refs else []
    out = [p for p in out if len(p.text.split()) >= MIN_WORDS]
    return out + [passage_at(store, a) for a in addresses]


class Suggester:
    """Coded passages and code definitions, weighted: ranks codes for any text by a vote of its neighbours.

    `counts` are the training passages' hashed counts when the caller has them (the stored index); else they
    are counted from the text. With an `embedding` (`gtcode.assist.embedding.Embedding`), similarity is the mean
    of the TF-IDF cosine and the embedding's."""

    def __init__(self, training: list[Passage], codes: list[Code], neighbours: int = NEIGHBOURS, *, counts=None,
                 embedding=None):
        self.labels = [p.codes for p in training] + [[c.path] for c in codes]
        self.sources = [p.address for p in training] + ["codebook"] * len(codes)
        rows = counts if counts is not None else hashed_counts([p.text for p in training])
        profiles = [code_profile(c) for c in codes]
        self.weights = Weights(stack([rows, hashed_counts(profiles)]))
        self.neighbours = neighbours
        self.embedding = embedding
        self.vectors = embedding.embed([p.text for p in training] + profiles) if embedding is not None else None

    def rank(self, texts: list[str], top: int = 3, skips: list[set[str]] | None = None) -> list[list[Suggestion]]:
        """For each text, up to `top` codes, best first (codes in its `skips` set left out)."""
        return self.rank_counts(hashed_counts(texts), top, skips, texts) if texts else []

    def rank_counts(self, counts, top: int = 3, skips: list[set[str]] | None = None,
                    texts: list[str] | None = None) -> list[list[Suggestion]]:
        """`rank` for passages already counted (rows of hashed counts); their `texts` are needed (and only
        read) when ranking with the embedding."""
        out: list[list[Suggestion]] = []
        if not counts.shape[0]:
            return out
        asked, fitted = self.weights.transform(counts).csr(), self.weights.rows.csr().T
        for at in range(0, counts.shape[0], CHUNK):
            sims = (asked[at:at + CHUNK] @ fitted).toarray()   # TF-IDF cosines (rows are unit length)
            if self.vectors is not None:
                sims = (sims + self.embedding.embed(texts[at:at + CHUNK]) @ self.vectors.T) / 2
            out += [self._rank(row, top, skips[at + i] if skips else set()) for i, row in enumerate(sims)]
        return out

    def _rank(self, row, top: int, skip: set[str]) -> list[Suggestion]:
        from gtcode.assist.vectors import top_indices

        nearest = [i for i in top_indices(row, self.neighbours) if row[i] > 0]
        total = sum(float(row[i]) for i in nearest) or 1.0
        votes: dict[str, float] = {}
        evidence: dict[str, list[str]] = {}
        for i in nearest:
            for code in self.labels[i]:
                if code in skip:
                    continue
                votes[code] = votes.get(code, 0.0) + float(row[i])
                evidence.setdefault(code, []).append(self.sources[i])
        ranked = sorted(votes, key=lambda c: (-votes[c], c))[:top]
        return [Suggestion(c, votes[c] / total, evidence[c][:3]) for c in ranked]


def suggest(store: Store, refs: list[str] | None = None, *, unit: str = "segment", top: int = 3,
            where=None, refresh: Refresh | None = None) -> SuggestRun:
    """Rank codes for the uncoded participant passages in `refs` (documents or addresses; default: all).

    Segments are read through the stored index (`refresh` from `index.plan`; planned here when not given)."""
    if top < 1:
        raise InputError("--top must be at least 1")
    training = [p for p in load_passages(store, unit) if p.coded]
    if not training:
        raise InputError("nothing is coded yet: code some passages first, and suggest learns from them")
    codes = [c for c in all_codes(store) if code_profile(c).strip()]
    targets = [p for p in _targets(store, list(refs or []), unit, where) if not p.coded]
    refresh = refresh if refresh is not None else plan(store)
    embedded = embedding.load() if embedding.available() else None
    model = Suggester(training, codes, counts=counts_of(store, refresh, training), embedding=embedded)
    rejected = _rejected(store)
    skips = [{path for path, doc, a, b in rejected if doc == p.document_id and a < p.end and b > p.start}
             for p in targets]
    ranked = (model.rank_counts(counts_of(store, refresh, targets), top, skips, [p.text for p in targets])
              if targets else [])
    run = SuggestRun(list(zip(targets, ranked)), unit, len(training),
                     len({c for lab in model.labels for c in lab}), _info(embedded))
    used = {a for _, sugs in run.items for s in sugs for a in s.evidence}
    run.evidence = {p.address: p.text for p in training if p.address in used}
    return run


def _info(embedded) -> dict:
    """The method for the audit log: TF-IDF and the embedding (its version and weights' hash), or TF-IDF alone
    and why the embedding was not used."""
    info = method_info() | {"neighbours": NEIGHBOURS}
    if embedded is None:
        return info | {"embedding": None, "embedding_missing": embedding.reason() or "not available"}
    return info | {"method": BOTH} | {k: v for k, v in embedded.info.items() if k != "dims"}


def explain(store: Store, run: SuggestRun, model) -> int:
    """Ask the local model why each passage's top suggestion fits: one sentence, kept as its `rationale`.
    Returns how many were explained."""
    from gtcode.assist.llm import rationale

    codes = {c.path: c for c in all_codes(store)}
    asked = 0
    for p, sugs in run.items:
        if sugs:
            best = sugs[0]
            best.rationale = rationale(model, p.text, best.code, code_profile(codes[best.code]),
                                       [run.evidence[a] for a in best.evidence if a in run.evidence])
            asked += 1
    return asked


def sent_addresses(run: SuggestRun) -> list[str]:
    """The passages `explain` would send to the local model: each passage with a suggestion, and its evidence."""
    return [a for p, sugs in run.items if sugs
            for a in [p.address, *(e for e in sugs[0].evidence if e in run.evidence)]]


def _rejected(store: Store) -> list[tuple[str, int, int, int]]:
    """(code path, document, start, end) of suggestions a reviewer rejected."""
    from gtcode.codebook.autocode import rejected_spans

    codes = all_codes(store)
    paths = {c.id: c.path for c in codes}
    return [(paths[code_id], doc, a, b) for (code_id, doc), spans in rejected_spans(store, codes).items()
            for a, b in spans]


def apply_suggestions(store: Store, txn: Txn, run: SuggestRun) -> dict[str, int]:
    """Every listed suggestion as a pending coding by `gtcode-suggest`; one event per code, counts per code."""
    from gtcode.codes import resolve_code
    from gtcode.coding import add_coding

    coder = store.coder_id(SUGGEST_CODER)
    spans: dict[str, list] = {}
    for p, sugs in run.items:
        for s in sugs:
            spans.setdefault(s.code, []).append(p)
    applied = {}
    for path, passages in sorted(spans.items()):
        code = resolve_code(store, path)
        added = [p for p in passages if add_coding(store, txn, code.id, p.document_id, p.start, p.end,
                                                   status="pending", pattern="suggest", coder_id=coder) == "added"]
        if not added:
            continue
        applied[path] = len(added)
        txn.record("coding.suggest", f"suggested {path!r} for {plural(len(added), 'passage')} as {SUGGEST_CODER} "
                   "(pending review)", code.uuid, code={"uuid": code.uuid, "path": path}, coder=SUGGEST_CODER,
                   added=len(added), spans=[[p.document_id, p.start, p.end] for p in added])
    run.applied = applied
    return applied

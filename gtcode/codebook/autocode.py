"""Autocoding from codebook patterns, and the review of what it suggests.

A pattern is a word or phrase, matched on the words' lower-case forms and on
their lemmas ("cancel" finds "cancelled"), or a spaCy token pattern such as
`[{LEMMA: cancel}, {LOWER: appointment}]`. A match codes the whole segment it
is in. Autocoded codings are *pending* — left out of analyses — until a person
accepts them (they become confirmed) or rejects them (they are deleted, and
not suggested again).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path

from gtcode.codebook import pattern_text, read_codebook
from gtcode.codes import Code, all_codes, resolve_code, select_codes, subtree
from gtcode.documents import participant_speech
from gtcode.coding import (Passage, add_coding, confirm_codings, passages, reject_suggestions,
                           rejected_spans as coding_rejected_spans)
from gtcode.errors import BadCodebook, InputError, UnknownCode
from gtcode.scope import Scope
from gtcode.store.db import Store, Txn
from gtcode.text import plural

#: Token attributes that need the original capitalisation (the rest are matched on lower-cased text).
CASED_ATTRS = frozenset(("ORTH", "TEXT", "IS_TITLE", "IS_UPPER", "IS_LOWER", "SHAPE", "PREFIX", "SUFFIX"))
#: Token attributes only a statistical spaCy model provides.
MODEL_ATTRS = frozenset(("POS", "TAG", "MORPH", "DEP", "ENT_TYPE", "ENT_IOB", "ENT_ID", "ENT_KB_ID"))
#: Attribute values lower-cased so that `{LEMMA: Cancel}` means what it says.
_CASELESS = frozenset(("LOWER", "LEMMA", "NORM"))


@dataclass
class Rule:
    """One code and the patterns to apply for it."""

    code: Code
    patterns: list
    line: int | None = None     # where a codebook file gave them


def rules_from_project(store: Store, code: str | None = None) -> list[Rule]:
    """The patterns stored on codes (imported from a codebook), for every code or one code's subtree."""
    codes = all_codes(store)
    chosen = subtree(codes, resolve_code(store, code, codes)) if code else codes
    rules = [Rule(c, list(c.patterns)) for c in chosen if c.patterns]
    if not rules:
        where = f"{chosen[0].path!r} and its children have no" if code else "no code has"
        raise InputError(f"{where} autocoding patterns; add 'patterns:' to codes in a codebook "
                         "and run 'gtcode codebook import FILE', or pass --codebook FILE")
    return rules


def rules_from_codebook(store: Store, path: str | Path, code: str | None = None) -> list[Rule]:
    """The patterns in a codebook file, for codes that already exist in the project (matched by path)."""
    book = read_codebook(path)
    codes = all_codes(store)
    by_path = {c.path.casefold(): c for c in codes}
    scope = {c.id for c in subtree(codes, resolve_code(store, code, codes))} if code else None
    rules = []
    for entry in book.entries():
        patterns = entry.fields.get("patterns")
        if not patterns:
            continue
        target = by_path.get(entry.path.casefold())
        if target is None:
            raise BadCodebook(f"{book.source}, line {entry.line}: code {entry.path!r} is not in the project; "
                              f"import the codebook first with 'gtcode codebook import {book.source}'")
        if scope is None or target.id in scope:
            rules.append(Rule(target, patterns, entry.line))
    if not rules:
        raise InputError(f"{book.source}: no patterns" + (f" for {code!r} or its children" if code else "")
                         + "; add 'patterns:' to the codes to autocode")
    return rules


# --- matching ----------------------------------------------------------------------------------------------------

@dataclass
class _Segment:
    id: int
    document_id: int
    ordinal: int
    start: int
    end: int
    speaker: str | None
    text: str

    @property
    def address(self) -> str:
        return f"D{self.document_id}:{self.ordinal}"


def candidate_segments(store: Store, all_speakers: bool, where=None) -> list[_Segment]:
    """The segments autocoding reads: participants' own words unless `all_speakers`, within the `--where` scope."""
    scope = Scope.from_where(store, where)
    speakers = "" if all_speakers else " AND t.speaker IS NOT NULL AND " + participant_speech()
    rows = store.all("SELECT s.id, s.document_id, s.ordinal, s.start_char, s.end_char, t.speaker FROM segments s"
                     " JOIN turns t ON t.id = s.turn_id JOIN documents d ON d.id = s.document_id"
                     f" WHERE ({scope.clause}){speakers} ORDER BY s.document_id, s.ordinal", scope.params)
    texts: dict[int, str] = {}
    out = []
    for r in rows:
        doc_id = r["document_id"]
        if doc_id not in texts:
            texts[doc_id] = store.scalar("SELECT text FROM documents WHERE id = ?", (doc_id,))
        out.append(_Segment(r["id"], doc_id, r["ordinal"], r["start_char"], r["end_char"], r["speaker"],
                            texts[doc_id][r["start_char"]:r["end_char"]]))
    return out


def _uses(pattern, attrs) -> set[str]:
    return {k for tok in pattern for k in tok if k in attrs} if isinstance(pattern, list) else set()


def _caseless(pattern: list[dict]) -> list[dict]:
    def lower(v):
        if isinstance(v, str):
            return v.lower()
        if isinstance(v, dict):
            return {k: ([x.lower() if isinstance(x, str) else x for x in val] if k in ("IN", "NOT_IN") and
                        isinstance(val, list) else val) for k, val in v.items()}
        return v
    return [{k: lower(v) if k in _CASELESS else v for k, v in tok.items()} for tok in pattern]


class _LookupLemmas:
    """spaCy's lookup lemmatizer (same table, same result), set from arrays: about 3x faster on big runs."""

    def __init__(self, nlp):
        self.table = nlp.get_pipe("lemmatizer").lookups.get_table("lemma_lookup")
        self.strings = nlp.vocab.strings
        self.cache: dict[int, int] = {}

    def __call__(self, doc, attr: str = "ORTH"):
        import numpy
        from spacy.attrs import IDS, LEMMA

        if not len(doc):
            return doc
        lemmas = []
        for key in doc.to_array(IDS[attr]).tolist():
            lemma = self.cache.get(key)
            if lemma is None:
                text = self.table.get(key)
                lemma = self.cache[key] = self.strings.add(text) if text is not None else key
            lemmas.append(lemma)
        doc.from_array([LEMMA], numpy.array(lemmas, dtype="uint64").reshape(-1, 1))
        return doc


class Matchers:
    """spaCy matchers for a set of rules: phrases on LOWER and LEMMA, token patterns with the Matcher.

    With the default blank pipeline, text is lower-cased before lemmatising: the lookup table only knows
    lower-case words, and "Cancelled" at the start of a sentence must still find "cancel". Token patterns
    that test capitals (ORTH, IS_TITLE, …) get a second pass over the original text. A statistical model
    sees the original text (it needs the capitals to tag).
    """

    def __init__(self, nlp, rules: list[Rule], blank: bool):
        from spacy.matcher import Matcher, PhraseMatcher

        self.nlp = nlp
        self.blank = blank
        self.lemmas = _LookupLemmas(nlp) if blank else None
        self.keys: dict[int, tuple[int, int]] = {}   # match id -> (rule index, pattern index)
        self.phrase_lower = PhraseMatcher(nlp.vocab, attr="LOWER")
        self.phrase_lemma = PhraseMatcher(nlp.vocab, attr="LEMMA")
        self.tokens = Matcher(nlp.vocab, validate=True)
        self.tokens_cased = Matcher(nlp.vocab, validate=True)
        phrases: list[tuple[str, str]] = []
        for r, rule in enumerate(rules):
            for p, pattern in enumerate(rule.patterns):
                key = f"gtcode:{rule.code.id}:{p}"
                self.keys[nlp.vocab.strings.add(key)] = (r, p)
                if isinstance(pattern, str):
                    phrases.append((key, pattern))
                    continue
                needs_model = _uses(pattern, MODEL_ATTRS)
                if needs_model and blank:
                    raise BadCodebook(_where(rule) + f"token pattern {pattern_text(pattern)} uses "
                                      f"{', '.join(sorted(needs_model))}, which needs a statistical spaCy model "
                                      "(install one and pass --nlp en_core_web_sm), or use LEMMA/LOWER instead")
                cased = blank and bool(_uses(pattern, CASED_ATTRS))
                matcher = self.tokens_cased if cased else self.tokens
                try:
                    matcher.add(key, [_caseless(pattern) if blank and not cased else pattern])
                except ValueError as exc:  # spaCy's MatchPatternError: a pattern it cannot use
                    reason = " ".join(str(exc).split())[:300]
                    raise BadCodebook(_where(rule) + f"token pattern {pattern_text(pattern)}: {reason}") from None
        for (key, _), doc in zip(phrases, self.docs([t for _, t in phrases])):
            self.phrase_lower.add(key, [doc])
            self.phrase_lemma.add(key, [doc])
        self.has_phrases = bool(phrases)

    def docs(self, texts, batch_size: int = 1000):
        """Texts as docs with lemmas, ready for `find`."""
        if not self.blank:
            yield from self.nlp.pipe(texts, batch_size=batch_size)
            return
        with self.nlp.select_pipes(disable=self.nlp.pipe_names):
            for doc in self.nlp.pipe((t.lower() for t in texts), batch_size=batch_size):
                yield self.lemmas(doc)

    def cased_docs(self, texts, batch_size: int = 1000):
        """The original text, for token patterns that test capitals (lemmas as spaCy's lemmatizer gives them)."""
        with self.nlp.select_pipes(disable=self.nlp.pipe_names):
            for doc in self.nlp.pipe(texts, batch_size=batch_size):
                yield self.lemmas(doc)

    def find(self, doc) -> set[int]:
        """Match ids found in a doc from `docs`."""
        found = set()
        if self.has_phrases:
            found.update(m[0] for m in self.phrase_lower(doc))
            found.update(m[0] for m in self.phrase_lemma(doc))
        if len(self.tokens):
            found.update(m[0] for m in self.tokens(doc))
        return found


def _where(rule: Rule) -> str:
    return f"code {rule.code.path!r}" + (f" (codebook line {rule.line})" if rule.line else "") + ": "


@dataclass
class MatchRun:
    """Which segments each rule's patterns matched (read-only; nothing written)."""

    rules: list[Rule]
    hits: list[list[tuple[_Segment, list[int]]]]   # per rule: (segment, indices of the patterns that matched)
    segments: int
    words: int
    seconds: float
    source: str = "stored patterns"   # the codebook file the patterns came from
    speakers: str = "participants"    # participants | all


def match_segments(store: Store, rules: list[Rule], *, all_speakers: bool = False, where=None,
                   model: str | None = None, progress: Callable[[int, int], None] | None = None,
                   batch_size: int = 1000) -> MatchRun:
    """Run every rule over participant segments (or all, with `all_speakers`), batched through `nlp.pipe`."""
    from gtcode.ingest.nlp import load

    started = time.perf_counter()
    segs = candidate_segments(store, all_speakers, where)
    blank = not model or model == "blank:en"
    matchers = Matchers(load(model, lemmas=True), rules, blank)
    found: list[set[int]] = [set() for _ in segs]
    total = len(segs)
    for i, doc in enumerate(matchers.docs([s.text for s in segs], batch_size)):
        found[i] = matchers.find(doc)
        if progress and (i + 1) % batch_size == 0:
            progress(i + 1, total)
    if len(matchers.tokens_cased):  # token patterns that test capitals: a second pass over the original text
        for i, doc in enumerate(matchers.cased_docs([s.text for s in segs], batch_size)):
            found[i].update(m[0] for m in matchers.tokens_cased(doc))
    if progress:
        progress(total, total)
    hits: list[list[tuple[_Segment, list[int]]]] = [[] for _ in rules]
    for seg, ids in zip(segs, found):
        by_rule: dict[int, list[int]] = {}
        for key in ids:
            r, p = matchers.keys[key]
            by_rule.setdefault(r, []).append(p)
        for r, ps in by_rule.items():
            hits[r].append((seg, sorted(ps)))
    words = sum(len(s.text.split()) for s in segs)
    return MatchRun(rules, hits, total, words, time.perf_counter() - started,
                    speakers="all" if all_speakers else "participants")


def match_patterns(store: Store, *, codebook: str | Path | None = None, code: str | None = None,
                   all_speakers: bool = False, where=None, model: str | None = None,
                   progress: Callable[[int, int], None] | None = None) -> MatchRun:
    """Match a codebook file's patterns (or those stored on the codes) against segments; writes nothing, so it
    runs before the transaction `autocode_run` writes in."""
    rules = rules_from_codebook(store, codebook, code) if codebook else rules_from_project(store, code)
    run = match_segments(store, rules, all_speakers=all_speakers, where=where, model=model, progress=progress)
    run.source = str(codebook) if codebook else "stored patterns"
    return run


# --- applying ----------------------------------------------------------------------------------------------------

@dataclass
class CodeOutcome:
    """One code's autocoding: segments matched, new suggestions, and those skipped."""

    code: str
    uuid: str
    matched: int = 0
    added: int = 0
    already: int = 0     # the segment already carries this code (confirmed or pending)
    rejected: int = 0    # a reviewer rejected this suggestion before
    patterns: dict[str, int] = field(default_factory=dict)   # pattern -> segments it matched
    examples: list[dict] = field(default_factory=list)


@dataclass
class AutocodeResult:
    codes: list[CodeOutcome]
    segments: int
    words: int
    seconds: float
    dry_run: bool
    source: str          # the codebook file, or 'stored patterns'
    speakers: str        # participants | all

    @property
    def added(self) -> int:
        return sum(c.added for c in self.codes)

    @property
    def matched(self) -> int:
        return sum(c.matched for c in self.codes)

    def to_dict(self) -> dict:
        return asdict(self) | {"added": self.added, "matched": self.matched}


def _spans_by_code(store: Store, code_ids: list[int]) -> dict[tuple[int, int], list[tuple[int, int]]]:
    """(code id, document id) -> spans of every coding of those codes, by anyone, confirmed or pending."""
    if not code_ids:
        return {}
    marks = ",".join("?" * len(code_ids))
    out: dict[tuple[int, int], list[tuple[int, int]]] = {}
    for r in store.all(f"SELECT code_id, document_id, start_char, end_char FROM codings WHERE code_id IN ({marks})",
                       code_ids):
        out.setdefault((r[0], r[1]), []).append((r[2], r[3]))
    return out


def rejected_spans(store: Store, codes: list[Code]) -> dict[tuple[int, int], list[tuple[int, int]]]:
    """Spans whose suggestions of these codes were rejected, by (code id, document id)."""
    return coding_rejected_spans(store, [c.id for c in codes])


def spans_overlap(spans: list[tuple[int, int]] | None, start: int, end: int) -> bool:
    return bool(spans) and any(a < end and b > start for a, b in spans)


def plan_autocode(store: Store, run: MatchRun, *, retry_rejected: bool = False, examples: int = 3):
    """Per code: the outcome counts, and the segments that would get a new pending coding (with its pattern)."""
    codes = [r.code for r in run.rules]
    existing = _spans_by_code(store, [c.id for c in codes])
    rejected = {} if retry_rejected else rejected_spans(store, codes)
    plan = []
    for rule, hits in zip(run.rules, run.hits):
        outcome = CodeOutcome(rule.code.path, rule.code.uuid, matched=len(hits))
        new = []
        for seg, ps in hits:
            for p in ps:
                label = pattern_text(rule.patterns[p])
                outcome.patterns[label] = outcome.patterns.get(label, 0) + 1
            key = (rule.code.id, seg.document_id)
            if spans_overlap(existing.get(key), seg.start, seg.end):
                outcome.already += 1
            elif spans_overlap(rejected.get(key), seg.start, seg.end):
                outcome.rejected += 1
            else:
                new.append((seg, pattern_text(rule.patterns[ps[0]])))
        outcome.added = len(new)
        outcome.examples = _examples(new, examples)
        plan.append((rule, outcome, new))
    return plan


def _examples(new, n: int) -> list[dict]:
    """A few new suggestions, from different documents where possible."""
    picked, docs = [], set()
    for seg, label in new:
        if len(picked) < n and seg.document_id not in docs:
            picked.append((seg, label))
            docs.add(seg.document_id)
    for item in new:
        if len(picked) >= n:
            break
        if item not in picked:
            picked.append(item)
    picked.sort(key=lambda x: (x[0].document_id, x[0].ordinal))
    return [{"address": s.address, "speaker": s.speaker, "text": s.text, "pattern": label} for s, label in picked]


def apply_autocode(store: Store, txn: Txn, plan, source: str) -> None:
    """Write the planned suggestions as pending codings; one event per code."""
    for rule, outcome, new in plan:
        if not new:
            continue
        for seg, label in new:
            add_coding(store, txn, rule.code.id, seg.document_id, seg.start, seg.end, status="pending", pattern=label)
        txn.record("coding.autocode",
                   f"autocoded {plural(len(new), 'segment')} with {rule.code.path!r} (pending review)", rule.code.uuid,
                   code={"uuid": rule.code.uuid, "path": rule.code.path}, source=source,
                   added=len(new), patterns=outcome.patterns,
                   spans=[[s.document_id, s.start, s.end] for s, _ in new])


def autocode_run(store: Store, txn: Txn, run: MatchRun, *, examples: int = 3,
                 retry_rejected: bool = False) -> AutocodeResult:
    """Write what `match_patterns` found as pending codings (in a dry run, `txn.dry_run`, only count them).

    Returns counts per code plus the segments and words processed and the seconds taken (for benchmarks).
    """
    plan = plan_autocode(store, run, retry_rejected=retry_rejected, examples=examples)
    if not txn.dry_run:
        apply_autocode(store, txn, plan, run.source)
    return AutocodeResult([o for _, o, _ in plan], run.segments, run.words, run.seconds, txn.dry_run, run.source,
                          run.speakers)


# --- review ------------------------------------------------------------------------------------------------------

def pending(store: Store, code: str | None = None, *, where=None, context: int = 0) -> list[Passage]:
    """Pending (autocoded, unreviewed) codings of every code or one code's subtree, in document order."""
    scope = Scope.from_where(store, where)
    return passages(store, select_codes(store, code), f"({scope.clause}) AND g.status = 'pending'", scope.params,
                    include_pending=True, context=context)


def _chosen(store: Store, ids, code: str | None, all_pending: bool) -> list:
    if ids and all_pending:
        raise InputError("give coding ids or --all, not both")
    if not ids and not all_pending:
        raise InputError("name the pending codings to review by id (from 'gtcode review'), or pass --all")
    code_ids = select_codes(store, code)
    sql = ("SELECT g.id, g.code_id, g.document_id, g.start_char, g.end_char, g.status, g.pattern FROM codings g"
           " WHERE 1")
    args: list = []
    if ids:
        ids = sorted(set(int(i) for i in ids))
        sql += f" AND g.id IN ({','.join('?' * len(ids))})"
        args.extend(ids)
    else:
        sql += " AND g.status = 'pending'"
        if code_ids is not None:
            sql += f" AND g.code_id IN ({','.join('?' * len(code_ids))})"
            args.extend(code_ids)
    rows = store.all(sql + " ORDER BY g.id", args)
    if ids:
        found = {r["id"]: r for r in rows}
        missing = [i for i in ids if i not in found]
        if missing:
            raise InputError(f"no coding {', '.join(map(str, missing))}; 'gtcode review' lists pending codings")
        done = [i for i in ids if found[i]["status"] != "pending"]
        if done:
            raise InputError(f"coding {', '.join(map(str, done))} is not pending (already confirmed)")
        if code_ids is not None:
            paths = {c.id: c.path for c in all_codes(store)}
            other = [r for r in rows if r["code_id"] not in code_ids]
            if other:
                raise UnknownCode(f"coding {other[0]['id']} is a coding of {paths[other[0]['code_id']]!r}, "
                                  f"not of {code!r}")
    return rows


def _decide(store: Store, txn: Txn, ids, code: str | None, all_pending: bool, accept: bool) -> dict[str, int]:
    rows = _chosen(store, ids, code, all_pending)
    by_code: dict[int, list] = {}
    for r in rows:
        by_code.setdefault(r["code_id"], []).append(r)
    codes = {c.id: c for c in all_codes(store)}
    out: dict[str, int] = {}
    for code_id, items in by_code.items():
        c = codes[code_id]
        row_ids = [r["id"] for r in items]
        spans = [[r["document_id"], r["start_char"], r["end_char"]] for r in items]
        if accept:
            confirm_codings(store, row_ids)
            txn.record("coding.accept", f"accepted {plural(len(items), 'pending coding')} of {c.path!r}", c.uuid,
                       code={"uuid": c.uuid, "path": c.path}, codings=row_ids, spans=spans)
        else:
            reject_suggestions(store, txn, row_ids)
            txn.record("coding.reject", f"rejected {plural(len(items), 'pending coding')} of {c.path!r}", c.uuid,
                       code={"uuid": c.uuid, "path": c.path}, codings=row_ids, spans=spans,
                       patterns=sorted({r["pattern"] for r in items if r["pattern"]}))
        out[c.path] = len(items)
    return out


def review(store: Store, txn: Txn, action: str, ids=None, *, code: str | None = None,
           all_pending: bool = False) -> dict[str, int]:
    """`accept` (confirm) or `reject` (delete; never suggested again) pending codings, by id or all of them,
    optionally of one code's subtree; counts per code path."""
    if action not in ("accept", "reject"):
        raise InputError(f"{action!r}: expected accept or reject")
    return _decide(store, txn, ids, code, all_pending, accept=action == "accept")

"""Words across the transcripts: keyword in context (kwic) and word frequencies (freq).

Both need spaCy (tokens, lemmas), so they live apart from retrieval and
comparison, which must start without it.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass, field

from gtcode.documents import participant_speech
from gtcode.errors import InputError, did_you_mean
from gtcode.scope import Scope, as_list, case_attributes, natural_key, resolve_attribute
from gtcode.store.db import Store
from gtcode.records import Record

SORTS = ("document", "left", "right")


def _segment_rows(store: Store, where, speaker: str | None):
    """Segments (in document order) within --where, spoken by `speaker`: participant, interviewer, all or a label.

    'participant' means every turn not the interviewer's that has a speaker label; a document with no
    labelled turns at all (field notes, an open-ended answer) counts as the participant's words.
    """
    scope = Scope.from_where(store, where)
    clause, params = scope.clause, scope.params
    key = (speaker or "participant").strip().casefold()
    if key in ("all", "everyone"):
        who, args = "1", []
    elif key in ("participant", "participants"):
        who, args = participant_speech(), []
    elif key in ("interviewer", "interviewers"):
        who, args = "t.role = 'interviewer' AND t.kind = 'speech'", []
    else:
        labels = [r[0] for r in store.all("SELECT DISTINCT speaker FROM turns WHERE speaker IS NOT NULL")]
        if key not in {x.casefold() for x in labels}:
            raise InputError(f"--speaker {speaker!r}: not participant, interviewer, all or a speaker in the project"
                             + did_you_mean(speaker, ["participant", "interviewer", "all", *labels]))
        who, args = "t.speaker = ? COLLATE NOCASE", [speaker.strip()]
    rows = store.all(
        "SELECT s.document_id, d.name AS document, c.name AS \"case\", d.case_id, s.ordinal, t.speaker,"
        " s.start_char, s.end_char, t.body_start, t.end_char AS turn_end"
        " FROM segments s JOIN turns t ON t.id = s.turn_id JOIN documents d ON d.id = s.document_id"
        f" LEFT JOIN cases c ON c.id = d.case_id WHERE {clause} AND {who} ORDER BY s.document_id, s.ordinal",
        [*params, *args])
    # Texts once per document, sliced here: substr() in the query would read a whole text per segment.
    texts = {r[0]: r[1] for r in store.all(f"SELECT d.id, d.text FROM documents d WHERE {clause}", params)}
    return [dict(r, text=texts[r["document_id"]][r["start_char"]:r["end_char"]]) for r in rows], texts


def _pipeline(lemmas: bool):
    """The default pipeline (its tokenizer only: segments are already sentences), and a lemma function.

    Lemmas come from the lookup lemmatizer's table, memoised. The table knows 'filmed' but not
    'Filmed', so gtcode looks up the lower-cased text. Without `lemmas` the lemmatizer is not loaded.
    """
    from gtcode.ingest import nlp as gtnlp

    nlp = gtnlp.load(lemmas=lemmas)
    if not lemmas:
        return nlp, lambda lower: lower
    table = nlp.get_pipe("lemmatizer").lookups.get_table("lemma_lookup")
    memo: dict[str, str] = {}

    def lemma(lower: str) -> str:
        found = memo.get(lower)
        if found is None:
            found = memo[lower] = table.get(lower, lower).lower()
        return found

    return nlp, lemma


# --- kwic --------------------------------------------------------------------------------------

@dataclass
class KwicLine(Record):
    address: str
    document_id: int
    document: str
    case: str | None
    speaker: str | None
    start: int                # the keyword's [start, end) in the document's text
    end: int
    left: str
    keyword: str
    right: str



@dataclass
class Kwic:
    term: str
    lemma: bool
    sought: list[str]         # the words (or lemmas) matched, one per token of the term
    speaker: str
    where: list[str]
    width: int
    lines: list[KwicLine]
    segments: int             # segments searched

    def to_dict(self) -> dict:
        return asdict(self) | {"count": len(self.lines)}


def clip_left(text: str, width: int) -> str:
    """The last `width` characters of `text` on one line, '…' where it was cut."""
    text = " ".join(text.split())
    return text if len(text) <= width else "…" + text[len(text) - width + 1:]


def clip_right(text: str, width: int) -> str:
    """The first `width` characters of `text` on one line, '…' where it was cut."""
    text = " ".join(text.split())
    return text if len(text) <= width else text[:width - 1] + "…"


def kwic(store: Store, term: str, *, lemma: bool = False, width: int = 40, where=None, speaker: str = "participant",
         sort: str = "document", limit: int | None = None) -> Kwic:
    """Every occurrence of TERM (a word, a phrase, or `word*`) with `width` characters of the turn either side."""
    if sort not in SORTS:
        raise InputError(f"--sort {sort!r}: expected one of {', '.join(SORTS)}")
    if width < 1:
        raise InputError("--width: expected 1 or more characters")
    nlp, lemma_of = _pipeline(lemma)
    pattern: list[tuple[str, bool]] = []       # (word or lemma, prefix?) per token of the term
    for word in term.split():
        prefix = word.endswith("*") and bool(word.rstrip("*"))
        toks = [t.lower_ for t in nlp.tokenizer(word.rstrip("*") if prefix else word)]
        for i, t in enumerate(toks):
            last_prefix = prefix and i == len(toks) - 1
            pattern.append((t if last_prefix else lemma_of(t), last_prefix))
    if not pattern:
        raise InputError("kwic: give a word, a phrase or word*")
    rows, texts = _segment_rows(store, where, speaker)
    if not lemma:  # a cheap first pass: every word of the term must appear in the segment
        rows = [r for r in rows if all(w in r["text"].lower() for w, _ in pattern)]

    strings = nlp.vocab.strings
    known: list[dict[int, bool]] = [{} for _ in pattern]   # per token of the term: lower-case id → matches?

    def hit(k: int, lower: int) -> bool:
        found = known[k].get(lower)
        if found is None:
            word, prefix = pattern[k]
            text = strings[lower]
            found = known[k][lower] = text.startswith(word) if prefix else lemma_of(text) == word
        return found

    lines = []
    n = len(pattern)
    with nlp.select_pipes(disable=nlp.pipe_names):
        for r, doc in zip(rows, nlp.pipe((r["text"] for r in rows), batch_size=1000)):
            ids = doc.to_array("LOWER").tolist()
            for i in range(len(ids) - n + 1):
                if not hit(0, ids[i]) or not all(hit(k, ids[i + k]) for k in range(1, n)):
                    continue
                start = r["start_char"] + doc[i].idx
                last = doc[i + n - 1]
                end = r["start_char"] + last.idx + len(last.text)
                text = texts[r["document_id"]]
                lines.append(KwicLine(f"D{r['document_id']}:{r['ordinal']}", r["document_id"], r["document"],
                                      r["case"], r["speaker"], start, end,
                                      clip_left(text[r["body_start"]:start], width), text[start:end],
                                      clip_right(text[end:r["turn_end"]], width)))
    if sort == "right":
        lines.sort(key=lambda x: (x.keyword.casefold(), x.right.casefold()))
    elif sort == "left":
        lines.sort(key=lambda x: (x.keyword.casefold(), x.left.casefold()[::-1]))
    return Kwic(term, lemma, [w + ("*" if p else "") for w, p in pattern], speaker, as_list(where), width,
                lines[:limit] if limit else lines, len(rows))


# --- freq --------------------------------------------------------------------------------------

@dataclass
class WordCount(Record):
    word: str                 # the lemma, or the lower-cased word with lemma=False
    count: int
    documents: int            # documents it occurs in
    cases: int
    by: dict[str, int] = field(default_factory=dict)   # count per group (with `by`)



@dataclass
class Frequencies(Record):
    lemma: bool
    by: str | None
    speaker: str
    where: list[str]
    groups: list[str]          # the group labels (columns), with `by`
    words_spoken: dict[str, int]   # word tokens per group, stop words included: what rates are per
    total_words: int
    documents: int
    words: list[WordCount]
    fillers_left_out: bool = True      # FILLERS (think, know, yeah, like…) were not counted
    stop_words_added: int = 0          # words of the researcher's own stop list (`--stop FILE`)

    def rate(self, count: int, group: str | None = None) -> float:
        """Occurrences per 1,000 words spoken (in the group)."""
        total = self.words_spoken.get(group, 0) if group is not None else self.total_words
        return 1000 * count / total if total else 0.0



#: Words people say while thinking aloud, which top every interview's counts and say nothing of its content;
#: left out of `freq` unless asked for (`fillers=False`). Compared with the lemma and the word as spoken.
FILLERS = frozenset("""think know yes yeah yep like mean just really actually basically literally obviously
    sort kind um umm uh erm er ah oh mm mmm mhm hmm okay ok right well gonna wanna dunno thing things stuff
    bit lot""".split())


def freq(store: Store, *, by: str | None = None, top: int | None = 30, lemma: bool = True, where=None,
         speaker: str = "participant", stop=(), fillers: bool = True) -> Frequencies:
    """The most frequent content words (or lemmas), leaving out stop words, punctuation and numbers — and
    discourse fillers (`FILLERS`) unless `fillers` is False, and the words of `stop` (a researcher's list)."""
    if by is not None:
        by = resolve_attribute(store, by, "--by", ("case", "document"))
    rows, _ = _segment_rows(store, where, speaker)
    attrs = case_attributes(store)
    per_doc: dict[int, list[str]] = {}
    meta: dict[int, tuple] = {}
    for r in rows:
        per_doc.setdefault(r["document_id"], []).append(r["text"])
        if r["document_id"] not in meta:
            if by is None:
                group = None
            elif by == "case":
                group = r["case"] or "(no case)"
            elif by == "document":
                group = r["document"]
            else:
                group = attrs.get(r["case_id"], {}).get(by) or f"(no {by})"
            meta[r["document_id"]] = (r["case_id"], group)
    nlp, lemma_of = _pipeline(lemma)
    own = {w.strip().casefold() for w in stop if w.strip()}
    skip = set(nlp.Defaults.stop_words) | own | (FILLERS if fillers else set())
    kinds: dict[int, tuple[bool, str | None]] = {}    # token text id → (a word?, what is counted or None)

    def kind(lex) -> tuple[bool, str | None]:
        if lex.is_space or lex.is_punct or lex.like_num or not any(ch.isalpha() for ch in lex.orth_):
            return False, None
        key = lemma_of(lex.lower_)
        if lex.is_stop or key in skip or lex.lower_ in skip or len(key) < 2:
            return True, None
        return True, key

    counts: Counter = Counter()
    grouped: dict[str, Counter] = {}
    spoken: Counter = Counter()
    in_docs: dict[str, set] = {}
    in_cases: dict[str, set] = {}
    doc_ids = list(per_doc)
    with nlp.select_pipes(disable=nlp.pipe_names):
        for doc_id, doc in zip(doc_ids, nlp.pipe(("\n".join(per_doc[d]) for d in doc_ids), batch_size=64)):
            case_id, group = meta[doc_id]
            here: Counter = Counter()
            for orth in doc.to_array("ORTH").tolist():
                k = kinds.get(orth)
                if k is None:
                    k = kinds[orth] = kind(nlp.vocab[orth])
                if k[0]:
                    spoken[group] += 1
                    if k[1] is not None:
                        here[k[1]] += 1
            counts.update(here)
            grouped.setdefault(group, Counter()).update(here)
            for word in here:
                in_docs.setdefault(word, set()).add(doc_id)
                if case_id is not None:
                    in_cases.setdefault(word, set()).add(case_id)
    labels = sorted((g for g in grouped if g is not None), key=lambda g: (g.startswith("(no "), natural_key(g)))
    ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    words = [WordCount(w, n, len(in_docs[w]), len(in_cases.get(w, ())), {g: grouped[g][w] for g in labels})
             for w, n in (ranked[:top] if top else ranked)]
    return Frequencies(lemma, by, speaker, as_list(where), labels,
                       {g: spoken[g] for g in labels}, sum(spoken.values()), len(doc_ids), words, fillers, len(own))

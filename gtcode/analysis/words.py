"""Words across the transcripts: keyword in context (kwic) and word frequencies (freq).

Both need spaCy (tokens, lemmas), so they live apart from retrieval and
comparison, which must start without it.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass, field
from itertools import groupby
from operator import itemgetter

from gtcode.documents import participant_speech
from gtcode.errors import InputError, did_you_mean
from gtcode.scope import Scope, as_list, case_attributes, natural_key, resolve_attribute
from gtcode.store.db import Store
from gtcode.records import Record

SORTS = ("document", "left", "right")


#: Documents whose segments and texts are held at once: `kwic` and `freq` stream a corpus in batches of this
#: many, in document order, so their memory does not grow with the corpus.
BATCH = 250


def _segment_batches(store: Store, where, speaker: str | None):
    """The documents within --where, as (id, case id) in order, and their segments spoken by `speaker`
    (participant, interviewer, all or a label) as batches of (rows, texts by document id), in document order.

    A row is (document id, document, case, case id, ordinal, speaker, start, end, turn body start, turn end).
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
    docs = [(r[0], r[1]) for r in store.all(f"SELECT d.id, d.case_id FROM documents d WHERE {clause} ORDER BY d.id",
                                            params)]

    def batches():
        for i in range(0, len(docs), BATCH):
            ids = [d for d, _ in docs[i:i + BATCH]]
            marks = ",".join("?" * len(ids))
            # CROSS JOIN keeps SQLite reading the batch's segments first, in order: left to choose, it reads
            # every participant turn in the project through turns_who for each batch (0.9 s a batch).
            rows = store.all(
                "SELECT s.document_id, d.name, c.name, d.case_id, s.ordinal, t.speaker,"
                " s.start_char, s.end_char, t.body_start, t.end_char"
                " FROM segments s CROSS JOIN turns t ON t.id = s.turn_id JOIN documents d ON d.id = s.document_id"
                f" LEFT JOIN cases c ON c.id = d.case_id WHERE s.document_id IN ({marks}) AND {who}"
                " ORDER BY s.document_id, s.ordinal", [*ids, *args])
            # Texts once per document, sliced by the caller: substr() in the query would read a text a segment.
            spoken = sorted({r[0] for r in rows})
            texts = dict(store.all(f"SELECT id, text FROM documents WHERE id IN ({','.join('?' * len(spoken))})",
                                   spoken)) if spoken else {}
            yield rows, texts

    return docs, batches()


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
    return _clip_left(text, 0, len(text), width)


def clip_right(text: str, width: int) -> str:
    """The first `width` characters of `text` on one line, '…' where it was cut."""
    return _clip_right(text, 0, len(text), width)


def _clip_left(text: str, start: int, end: int, width: int) -> str:
    """`clip_left(text[start:end], width)`, reading only as much of the end as it shows, not a whole turn.

    Whitespace collapsed in a tail of the text is a suffix of it collapsed in the whole (the tail's first word
    may be cut, never changed), so a tail that collapses to more than `width` characters gives the same end."""
    size = 2 * width + 2
    while True:
        lo = max(start, end - size)
        line = " ".join(text[lo:end].split())
        if lo == start or len(line) > width:
            return line if len(line) <= width else "…" + line[len(line) - width + 1:]
        size *= 4


def _clip_right(text: str, start: int, end: int, width: int) -> str:
    """`clip_right(text[start:end], width)`, reading only as much of the start as it shows (see `_clip_left`)."""
    size = 2 * width + 2
    while True:
        hi = min(end, start + size)
        line = " ".join(text[start:hi].split())
        if hi == end or len(line) > width:
            return line if len(line) <= width else line[:width - 1] + "…"
        size *= 4


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
    _, batches = _segment_batches(store, where, speaker)
    needed = [] if lemma else list(dict.fromkeys(w for w, _ in pattern))
    searched = 0

    def segments():
        """(text, row and document text) of each segment to search; without `lemma`, a cheap first pass:
        every word of the term must appear in the segment."""
        nonlocal searched
        for rows, texts in batches:
            for r in rows:
                text = texts[r[0]]
                segment = text[r[6]:r[7]]
                if needed:
                    lower = segment.lower()
                    if not all(w in lower for w in needed):
                        continue
                searched += 1
                yield segment, (r, text)

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
    first = known[0]
    same = {}.setdefault   # one copy of each name, speaker and keyword: a line holds about 500 bytes, not 700
    with nlp.select_pipes(disable=nlp.pipe_names):
        for doc, (r, text) in nlp.pipe(segments(), as_tuples=True, batch_size=1000):
            ids = doc.to_array("LOWER").tolist()
            for i in range(len(ids) - n + 1):
                found = first.get(ids[i])
                if not (hit(0, ids[i]) if found is None else found) \
                        or not all(hit(k, ids[i + k]) for k in range(1, n)):
                    continue
                doc_id, name, case, _, ordinal, who, seg_start, _, body_start, turn_end = r
                start = seg_start + doc[i].idx
                last = doc[i + n - 1]
                end = seg_start + last.idx + len(last.text)
                keyword = text[start:end]
                lines.append(KwicLine(f"D{doc_id}:{ordinal}", same(doc_id, doc_id), same(name, name),
                                      same(case, case), same(who, who), start, end,
                                      _clip_left(text, body_start, start, width), same(keyword, keyword),
                                      _clip_right(text, end, turn_end, width)))
    if sort == "right":
        lines.sort(key=lambda x: (x.keyword.casefold(), x.right.casefold()))
    elif sort == "left":
        lines.sort(key=lambda x: (x.keyword.casefold(), x.left.casefold()[::-1]))
    return Kwic(term, lemma, [w + ("*" if p else "") for w, p in pattern], speaker, as_list(where), width,
                lines[:limit] if limit else lines, searched)


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
    docs, batches = _segment_batches(store, where, speaker)
    attrs = case_attributes(store)
    last_of_case = {case_id: doc_id for doc_id, case_id in docs if case_id is not None}

    def documents():
        """(the document's segments, one a line; (id, case id, group)) of each document with any."""
        for rows, texts in batches:
            for doc_id, segments in groupby(rows, key=itemgetter(0)):
                segments = list(segments)
                _, name, case, case_id = segments[0][:4]
                if by is None:
                    group = None
                elif by == "case":
                    group = case or "(no case)"
                elif by == "document":
                    group = name
                else:
                    group = attrs.get(case_id, {}).get(by) or f"(no {by})"
                text = texts[doc_id]
                yield "\n".join([text[r[6]:r[7]] for r in segments]), (doc_id, case_id, group)

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
    in_docs: Counter = Counter()              # word → documents it occurs in (each document is read once)
    in_cases: Counter = Counter()             # word → cases, counted once a case's last document is read
    open_cases: dict[int, set] = {}           # case id → words of its documents read so far
    documents_read = 0
    with nlp.select_pipes(disable=nlp.pipe_names):
        for doc, (doc_id, case_id, group) in nlp.pipe(documents(), as_tuples=True, batch_size=64):
            documents_read += 1
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
            in_docs.update(here.keys())
            if case_id is not None:
                open_cases.setdefault(case_id, set()).update(here)
                if last_of_case[case_id] == doc_id:
                    in_cases.update(open_cases.pop(case_id))
    for words_of_case in open_cases.values():    # cases whose last document had nothing spoken
        in_cases.update(words_of_case)
    labels = sorted((g for g in grouped if g is not None), key=lambda g: (g.startswith("(no "), natural_key(g)))
    ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    words = [WordCount(w, n, in_docs[w], in_cases[w], {g: grouped[g][w] for g in labels})
             for w, n in (ranked[:top] if top else ranked)]
    return Frequencies(lemma, by, speaker, as_list(where), labels,
                       {g: spoken[g] for g in labels}, sum(spoken.values()), documents_read, words, fillers, len(own))

"""The spaCy pipeline, loaded only by commands that need it (spaCy takes ~0.8 s to import).

Default: blank English + sentencizer (+ the lookup lemmatizer from
spacy-lookups-data when lemmas are wanted). Nothing is ever downloaded; a
named model must already be installed.
"""

from __future__ import annotations

from functools import lru_cache

from gtcode.errors import NlpModelMissing

BLANK = "blank:en"
_SENT_PIPES = ("sentencizer", "senter", "parser")


def load(model: str | None = None, lemmas: bool = False):
    """A ready pipeline. `model` is an installed spaCy package name, or None for the default.

    One pipeline per (model, lemmas) however it is asked for: `load()`, `load(None)` and `load("blank:en")` are the
    same object, so a process loads spaCy once and its tokenizer's cache stays warm."""
    return _load(model or BLANK, bool(lemmas))


@lru_cache(maxsize=4)
def _load(model: str, lemmas: bool):
    import spacy

    if model == BLANK:
        nlp = spacy.blank("en")
        nlp.add_pipe("sentencizer")
        if lemmas:
            nlp.add_pipe("lemmatizer", config={"mode": "lookup"})
            try:
                nlp.initialize()
            except Exception as exc:  # spacy-lookups-data missing or broken
                raise NlpModelMissing(f"lookup lemmatizer unavailable ({exc}); reinstall spacy-lookups-data") from None
        return nlp
    try:
        nlp = spacy.load(model)
    except OSError:
        raise NlpModelMissing(
            f"spaCy model {model!r} is not installed; gtcode downloads nothing — install it with pip, "
            "or leave out --nlp to use the built-in blank English pipeline"
        ) from None
    if not any(name in nlp.pipe_names for name in _SENT_PIPES):
        nlp.add_pipe("sentencizer")
    return nlp


def sentence_pipes(nlp) -> list[str]:
    """Only the components needed for sentence boundaries (fast segmentation)."""
    for name in _SENT_PIPES:
        if name in nlp.pipe_names:
            if name == "parser":
                # The parser needs its tok2vec/transformer listener.
                return [n for n in nlp.pipe_names if n in ("tok2vec", "transformer", "parser")]
            return [name]
    return []


def sentence_starts(nlp, texts, batch_size: int = 64):
    """For each text, the character offsets where its sentences start, as `[s.start_char for s in doc.sents]`
    after the pipeline's sentence components.

    With spaCy's rule-based `sentencizer` (the default pipeline), only the tokenizer runs and the sentencizer's
    rule is applied to the tokens' arrays: the sentencizer makes a Python `Token` of every token to read its
    text, which is half of spaCy's time on an import. The rule and its punctuation come from the pipeline's own
    sentencizer; a test holds the two to the same starts on awkward and random text. Any other pipeline (a
    trained senter or parser) runs as it is."""
    pipes = sentence_pipes(nlp)
    rule = _sentencizer_rule(nlp, pipes)
    if rule is None:
        with nlp.select_pipes(enable=pipes):
            for doc in nlp.pipe(texts, batch_size=batch_size):
                yield [sent.start_char for sent in doc.sents]
        return
    for doc in nlp.tokenizer.pipe(texts, batch_size=batch_size):
        yield rule(doc)


def _sentencizer_rule(nlp, pipes: list[str]):
    """`Sentencizer.predict` over arrays, for this pipeline's sentencizer; None when it has none to copy."""
    try:
        import numpy
        from spacy.attrs import IDX, IS_PUNCT, LENGTH, ORTH
        from spacy.pipeline import Sentencizer

        component = nlp.get_pipe(pipes[0]) if pipes == ["sentencizer"] else None
        if type(component) is not Sentencizer:
            return None
        marks = {nlp.vocab.strings.add(c) for c in component.punct_chars}
        mark_lengths = numpy.array(sorted({len(c) for c in component.punct_chars}), dtype=numpy.uint64)
    except Exception:                       # another spaCy: its own pipeline, as it is
        return None

    def starts(doc) -> list[int]:
        # A sentence starts at token 0, then at each token that is neither punctuation nor a sentence mark
        # (".", "?", "!"…) when a mark came after the previous such token: the sentencizer's `seen_period`.
        if not len(doc):
            return []
        arr = doc.to_array([ORTH, IS_PUNCT, IDX, LENGTH])
        short = numpy.flatnonzero(numpy.isin(arr[:, 3], mark_lengths))     # a mark's length: few tokens
        mark = numpy.zeros(len(arr), dtype=bool)
        mark[short] = [orth in marks for orth in arr[short, 0].tolist()]
        plain = numpy.flatnonzero(~mark & (arr[:, 1] == 0))
        marks_before = numpy.cumsum(mark)[plain]
        after_mark = plain[numpy.diff(marks_before, prepend=0) > 0]
        return [int(arr[0, 2]), *arr[after_mark, 2].tolist()]

    return starts

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

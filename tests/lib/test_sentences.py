"""Sentence starts (`gtcode.ingest.nlp.sentence_starts`): with the default pipeline the sentencizer's rule runs on
the tokens' arrays rather than through spaCy's component, so a segment must start exactly where spaCy's own
sentencizer starts a sentence, on awkward text and on random text alike; otherwise anchors would move."""

from __future__ import annotations

import spacy
from hypothesis import HealthCheck, given, settings, strategies as st

from gtcode.ingest.nlp import load, sentence_starts

AWKWARD = [
    "", " ", "\n\n", ".", "?!", "Hello.", "Hello. World", "Dr. Smith came. She said hi!",
    "Well... I don't know?! Maybe (I think.) Then", "It was 3.5 hours, e.g. too long. U.S. visits.",
    '"I was scared." She laughed. "Really?" Yes.', "Wait—what? No… not really。Next",
    "Interviewer: Why?\n\nP01: Because. [laughs] Right!", "😀. 😀! ok? ok", "one. . . two ?? three !! four",
    "mm-hmm. yeah. (pause) ok. 'quoted.' more", "Ends with a mark.", "a.b.c. d e.", "¿Qué? ¡Sí! Vale.",
    "Line one.\nLine two\nLine three.  Spaces   here.", "ok.)\" next", "Number 1. Item 2. http://x.org/a.b next.",
]
WORDS = ["I", "was", "Dr.", "e.g.", "3.5", "U.S.", "ok", "mum", "film", "(", ")", '"', "'", "—", "-", "…", "...",
         ".", "?", "!", "?!", "。", "؟", "\n", "\n\n", " ", "  ", "[laughs]", "😀", "don't", ":", ";", ",", "¿"]


def spacy_starts(nlp, texts: list[str]) -> list[list[int]]:
    """spaCy's own answer: the sentencizer component run through the pipeline."""
    return [[s.start_char for s in doc.sents] for doc in nlp.pipe(texts)]


def test_the_default_pipeline_starts_sentences_where_spacys_sentencizer_does():
    nlp = load()
    assert list(sentence_starts(nlp, AWKWARD)) == spacy_starts(nlp, AWKWARD)
    assert list(sentence_starts(nlp, ["Dr. Smith came. She said hi!"])) == [[0, 16]]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.lists(st.sampled_from(WORDS), max_size=40).map(" ".join) | st.text(max_size=60), min_size=1,
                max_size=5))
def test_random_text_starts_sentences_where_spacys_sentencizer_does(texts):
    nlp = load()
    assert list(sentence_starts(nlp, texts)) == spacy_starts(nlp, texts)


def test_a_sentencizer_with_its_own_marks_is_followed():
    """A pipeline whose sentencizer ends sentences at other marks (here ';' but not '.') keeps them."""
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer", config={"punct_chars": [";"]})
    texts = ["One; two. Three; four", *AWKWARD]
    assert list(sentence_starts(nlp, texts)) == spacy_starts(nlp, texts)
    assert list(sentence_starts(nlp, ["One; two. Three; four"])) == [[0, 5, 17]]

"""The vector index assistance compares passages with: TF-IDF over the project's own words (scikit-learn).

Chosen by measurement (`benchmarks/assist.py`): on the demo and on the public qc sample, nearest-neighbour
voting over TF-IDF vectors of word unigrams and bigrams does as well as anything we tried that ships offline,
and it needs no model file at all. scikit-learn is imported here, inside functions, so only assist commands
load it. The index is rebuilt from the text on each run (a 200-interview project takes about a second).
"""

from __future__ import annotations

from dataclasses import dataclass

#: what the audit log records as the method
METHOD = "tfidf-1-2gram"

#: spoken-English words that carry no topic, on top of scikit-learn's English stop words: contractions (which its
#: list lacks) and interview fillers
SPOKEN = ("i'm i've i'd i'll it's don't didn't doesn't wasn't weren't isn't aren't can't couldn't won't wouldn't "
          "shouldn't haven't hasn't hadn't you're you've you'd we're we've they're they've she'd he'd she's he's "
          "that's there's what's let's um uh erm er mm yeah oh okay ok gonna just really know mean sort kind got "
          "like").split()


def stop_words() -> list[str]:
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

    return sorted(ENGLISH_STOP_WORDS.union(SPOKEN))


def _normalise(text: str) -> str:
    return text.lower().replace("’", "'")


def method_info() -> dict:
    """Name and version of the method, for the audit log."""
    import sklearn

    return {"method": METHOD, "library": f"scikit-learn {sklearn.__version__}"}


@dataclass
class Index:
    """TF-IDF vectors of a list of texts (rows L2-normalised, so a dot product is the cosine)."""

    vectorizer: object
    matrix: object      # scipy sparse, one row per text

    @classmethod
    def build(cls, texts: list[str], *, extra: list[str] = ()) -> "Index":
        """Fit on `texts` plus `extra` (e.g. code definitions, so their words are in the vocabulary)."""
        from sklearn.feature_extraction.text import TfidfVectorizer

        vectorizer = TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, stop_words=stop_words(),
                                     preprocessor=_normalise,
                                     token_pattern=r"(?u)\b[a-z][a-z'-]+\b", min_df=1)
        fitted = list(texts) + list(extra)
        if not any(t.strip() for t in fitted):
            fitted = fitted + ["empty"]
        try:
            matrix = vectorizer.fit_transform(fitted)
        except ValueError:   # only stop words: keep them rather than fail
            vectorizer.set_params(stop_words=None)
            matrix = vectorizer.fit_transform(fitted + ["empty"])
        return cls(vectorizer, matrix[:len(texts)])

    def transform(self, texts: list[str]):
        return self.vectorizer.transform(texts)

    def similarities(self, rows):
        """Cosine similarity of `rows` (sparse vectors from `transform`) with every indexed text: dense array."""
        return (rows @ self.matrix.T).toarray()

    def terms(self):
        return self.vectorizer.get_feature_names_out()


def top_indices(scores, k: int, exclude=()) -> list[int]:
    """Indices of the `k` highest scores (best first), skipping `exclude`."""
    import numpy

    skip = set(exclude)
    order = numpy.argsort(-scores, kind="stable")
    out = []
    for i in order.tolist():
        if i not in skip:
            out.append(i)
            if len(out) >= k:
                break
    return out

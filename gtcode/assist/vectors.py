"""The vector index assistance compares passages with: TF-IDF over the project's own words (scikit-learn).

Chosen by measurement (`benchmarks/assist.py`, held-out top-1 / top-3): nearest-neighbour voting over TF-IDF
vectors of word unigrams and bigrams, with the codes' definitions as voters, scores 0.668 / 0.771 on the demo
and 0.301 / 0.359 on the public qc sample. scikit-learn's one-vs-rest logistic regression on the same vectors
scores 0.671 / 0.787 and 0.316 / 0.364, mixed with the vote 0.687 / 0.790 and 0.311 / 0.364: under the 3 points
top-3 on both that would justify a model whose held-out runs take 2-4 s where the vote's take under 0.1 s.
wordllama's static embedding beside TF-IDF gave 0.700 / 0.823 and 0.316 / 0.455, so `suggest` adds it when the
`ai` extra is installed (`gtcode.assist.embedding`). No model file is needed here. scikit-learn is imported
here, inside functions, so only assist commands load it.

Two forms of the same vectors. `Index` fits TF-IDF on texts (explore and contrast, which need the terms' names).
`hashed_counts` numbers each term with scikit-learn's HashingVectorizer, so a passage's counts never depend on
the other passages and can be stored (`gtcode.assist.index`); `Weights` applies the TF-IDF weighting to such
counts at query time, over the passages compared, giving the vectors `Index` would (up to hash collisions, rare
at 2^24 numbers). Stored counts travel as `Rows` (numpy arrays), and `Weights.scores` compares one passage with
them in numpy alone, so `similar` on an up-to-date index loads neither scikit-learn nor scipy.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

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


#: terms are numbered modulo 2^BITS (HashingVectorizer); stored rows hold these numbers
BITS = 24
#: the token pattern both forms share: words of two or more letters, apostrophes and hyphens inside
TOKENS = r"(?u)\b[a-z][a-z'-]+\b"


def _normalise(text: str) -> str:
    return text.lower().replace("’", "'")


@cache
def library_version() -> str:
    """scikit-learn's version, read from its metadata, not by importing it (seconds). Its `.dist-info` folder
    beside the package is read first (importing `importlib.metadata` costs `similar` some 0.03 s)."""
    from importlib.util import find_spec
    from pathlib import Path

    spec = find_spec("sklearn")
    if spec is not None and spec.origin:
        prefix, suffix = "scikit_learn-", ".dist-info"
        found = sorted(d.name for d in Path(spec.origin).parent.parent.glob(f"{prefix}*{suffix}"))
        if len(found) == 1:
            return found[0][len(prefix):-len(suffix)]
    from importlib.metadata import version

    return version("scikit-learn")


def method_info() -> dict:
    """Name and version of the method, for the audit log."""
    return {"method": METHOD, "library": f"scikit-learn {library_version()}"}


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
                                     token_pattern=TOKENS, min_df=1)
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


def hashed_counts(texts: list[str]):
    """Term counts (word unigrams and bigrams, as `Index` reads them) of each text: scipy CSR, one row per text,
    columns the terms' hashed numbers (0 … 2^BITS-1), ascending within a row."""
    from scipy.sparse import csr_matrix
    from sklearn.feature_extraction.text import HashingVectorizer

    texts = list(texts)
    if not texts:   # (the vectorizer refuses an empty list)
        return csr_matrix((0, 2 ** BITS))
    counts = HashingVectorizer(n_features=2 ** BITS, ngram_range=(1, 2), stop_words=stop_words(),
                               preprocessor=_normalise, token_pattern=TOKENS, alternate_sign=False,
                               norm=None).transform(texts)
    counts.sum_duplicates()
    return counts


@dataclass
class Rows:
    """Sparse rows as three numpy arrays (CSR's): the stored counts and their weighting are handed round in this
    form, so comparing one passage with the stored index needs numpy alone (importing scipy.sparse costs a
    noticeable part of a second). scipy's CSR matrices have the same three attributes, so either can be given
    where rows are read."""

    indptr: object    # row i's entries are [indptr[i], indptr[i + 1])
    indices: object   # each entry's column (a term's number), ascending within a row
    data: object      # each entry's value
    width: int = 2 ** BITS

    @property
    def shape(self) -> tuple[int, int]:
        return len(self.indptr) - 1, self.width

    def row_of_each(self):
        """The row number of every entry."""
        import numpy

        return numpy.repeat(numpy.arange(len(self.indptr) - 1), numpy.diff(self.indptr))

    def csr(self):
        """As a scipy CSR matrix, for products of many rows with many (`Weights.similarities`)."""
        from scipy.sparse import csr_matrix

        return csr_matrix((self.data, self.indices, self.indptr), shape=self.shape)


def stack(parts) -> Rows:
    """Rows (or scipy CSR matrices) one under another, as one `Rows`."""
    import numpy

    ends = numpy.cumsum([0] + [int(p.indptr[-1]) for p in parts])
    indptr = numpy.concatenate([numpy.zeros(1, dtype=numpy.int64)]
                               + [numpy.asarray(p.indptr[1:], dtype=numpy.int64) + end
                                  for p, end in zip(parts, ends)])
    return Rows(indptr, numpy.concatenate([p.indices for p in parts]),
                numpy.concatenate([numpy.asarray(p.data, dtype=float) for p in parts]))


class Weights:
    """TF-IDF weighting of hashed counts, fitted at query time on the passages compared: scikit-learn's
    TfidfVectorizer formula (sublinear tf 1 + ln(count), smoothed idf ln((1 + n) / (1 + df)) + 1, rows
    L2-normalised), written out with numpy so that comparing stored counts loads neither scikit-learn nor scipy
    (a second of start-up between them); `tests/lib/test_assist_index.py` checks it gives TfidfVectorizer's
    scores.

    Only the term numbers present in the fitted rows become columns, so the weighting costs what the passages
    compared hold, not 2^BITS; `transform` leaves out terms the fitted rows never use, as `Index` does. `scores`
    compares one fitted row with all in numpy; `similarities` multiplies many rows at once with scipy.
    """

    def __init__(self, counts):
        import numpy

        self.columns, at = numpy.unique(counts.indices, return_inverse=True)
        if not len(self.columns):   # nothing but stop words: one empty column, so every similarity is 0
            self.columns = numpy.zeros(1, dtype=counts.indices.dtype)
        n = counts.shape[0]
        self.idf = numpy.log((1 + n) / (1 + numpy.bincount(at, minlength=len(self.columns)))) + 1
        self.rows = self._weigh(Rows(counts.indptr, at.ravel(), counts.data, len(self.columns)))

    def _weigh(self, compact: Rows) -> Rows:
        """Each entry's tf × idf, each row divided by its length."""
        import numpy

        data = (numpy.log(numpy.asarray(compact.data, dtype=float)) + 1) * self.idf[compact.indices]
        row = compact.row_of_each()
        norms = numpy.sqrt(numpy.bincount(row, weights=data * data, minlength=compact.shape[0]))
        norms[norms == 0] = 1.0
        return Rows(compact.indptr, compact.indices, (1 / norms)[row] * data, compact.width)

    def _compact(self, counts) -> Rows:
        import numpy

        n = len(self.columns)
        at = numpy.searchsorted(self.columns, counts.indices)
        keep = at < n
        keep[keep] = self.columns[at[keep]] == counts.indices[keep]
        indptr = numpy.concatenate(([0], numpy.cumsum(keep)))[counts.indptr]
        return Rows(indptr, at[keep], counts.data[keep], n)

    def transform(self, counts) -> Rows:
        """Weighted, normalised rows for more counts (the fitted rows' idf)."""
        return self._weigh(self._compact(counts))

    def scores(self, i: int):
        """Cosine similarity of fitted row `i` with every fitted row: a dense numpy array, no scipy needed."""
        import numpy

        rows = self.rows
        a, b = rows.indptr[i], rows.indptr[i + 1]
        asked = numpy.zeros(rows.width)
        asked[rows.indices[a:b]] = rows.data[a:b]
        return numpy.bincount(rows.row_of_each(), weights=rows.data * asked[rows.indices], minlength=rows.shape[0])

    def similarities(self, rows: Rows):
        """Cosine similarity of `rows` (from `transform`) with every fitted row: dense array."""
        return (rows.csr() @ self.rows.csr().T).toarray()


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

"""Emergent groupings of uncoded participant passages: prompts to read, never codes.

TF-IDF vectors reduced with truncated SVD (latent semantic analysis) and grouped with k-means (scikit-learn,
fixed seed, so the same project gives the same groups). Each group shows its distinctive words (the terms whose
weight in the group most exceeds their weight overall) and the three passages nearest its centre.
"""

from __future__ import annotations

from gtcode.assist.passages import load_passages
from gtcode.assist.vectors import Index, method_info
from gtcode.errors import InputError
from gtcode.store.db import Store

#: fixed seed: the same project always gives the same groupings
SEED = 0
#: shorter passages ("No, I don't think so.") carry too few words to group by
MIN_WORDS = 6


def explore(store: Store, *, k: int = 6, where=None, unit: str = "segment", words: int = 8) -> dict:
    """Group the uncoded participant passages into `k` groups with distinctive words and three passages each."""
    import numpy
    from sklearn.cluster import KMeans
    from sklearn.decomposition import TruncatedSVD
    from sklearn.preprocessing import normalize

    if k < 2:
        raise InputError("--k must be at least 2")
    passages = [p for p in load_passages(store, unit, where) if not p.coded and len(p.text.split()) >= MIN_WORDS]
    if len(passages) < 2 * k:
        raise InputError(f"{len(passages)} uncoded participant passage{'s' * (len(passages) != 1)} "
                         "of six words or more: too few for "
                         f"{k} groups; lower --k or widen --where")
    index = Index.build([p.text for p in passages])
    dims = max(2, min(100, index.matrix.shape[1] - 1, len(passages) - 1))
    reduced = normalize(TruncatedSVD(dims, random_state=SEED).fit_transform(index.matrix))
    km = KMeans(k, n_init=10, random_state=SEED).fit(reduced)
    terms = index.terms()
    overall = numpy.asarray(index.matrix.mean(axis=0)).ravel()
    groups = []
    for g in range(k):
        members = numpy.flatnonzero(km.labels_ == g)
        weight = numpy.asarray(index.matrix[members].mean(axis=0)).ravel() - overall
        distance = ((reduced[members] - km.cluster_centers_[g]) ** 2).sum(axis=1)
        nearest = members[numpy.argsort(distance, kind="stable")[:3]]
        groups.append({"size": int(len(members)),
                       "words": [str(terms[i]) for i in numpy.argsort(-weight, kind="stable")[:words]],
                       "passages": [passages[i].to_dict() for i in nearest]})
    groups.sort(key=lambda g: -g["size"])
    for n, g in enumerate(groups, 1):
        g["group"] = n
    return {"groups": groups, "passages": len(passages), "k": k, "unit": unit,
            "info": method_info() | {"grouping": f"svd{dims}+kmeans", "seed": SEED}}


def groups_memo(result: dict) -> str:
    """The groupings as a memo body: prompts to read, with links to the passages."""
    lines = [f"Groupings of {result['passages']} uncoded participant passages ({result['info']['method']}, "
             f"{result['info']['grouping']}). Prompts to read, not codes.", ""]
    for g in result["groups"]:
        title = g.get("name") or ", ".join(g["words"][:4])
        lines += [f"## Group {g['group']}: {title} ({g['size']} passages)", "",
                  "Distinctive words: " + ", ".join(g["words"]), ""]
        lines += [f"- [[{p['address']}]] {' '.join(p['text'].split())}" for p in g["passages"]]
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"

"""The read paths made fast for large projects (issue 19, second round) give exactly what the direct ones gave:
agreement pooled by adding per-code tallies against krippendorff on the concatenated matrix, search highlights
worked out once per document against FTS5's highlight() on the project's index, and the rest (retrieve,
report, export) against their results on a small project."""

from __future__ import annotations

import math
import random

import numpy as np
import pytest

from gtcode import Project
from gtcode.analysis.search import _OPEN, _spans, fts_query
from gtcode.team.agreement import _Comparison, cohen_kappa, figures, krippendorff_alpha

from tests.conftest import own_config
from tests.hostile import copy_project


# --- agreement -----------------------------------------------------------------------------------------------

def _direct(m: np.ndarray, coders: list[str]) -> dict:
    """Agreement on a coders × units matrix the way it was computed before tallies: units by units."""
    present = ~np.isnan(m)
    pairable = present.sum(axis=0) >= 2
    agreed = sum(1 for u in np.flatnonzero(pairable) if len(set(m[present[:, u], u].tolist())) == 1)
    kappa = None
    if len(coders) == 2:
        both = present[0] & present[1]
        kappa = cohen_kappa(list(zip(m[0][both].tolist(), m[1][both].tolist())))
    return {"units": int(pairable.sum()), "agreed": agreed, "kappa": kappa,
            "alpha": krippendorff_alpha(m) if pairable.any() else None,
            "coded_by": {c: int((m[i] == 1).sum()) for i, c in enumerate(coders)}}


def _same(f, expected: dict) -> None:
    assert (f.units, f.agreed, f.coded_by) == (expected["units"], expected["agreed"], expected["coded_by"])
    for name in ("kappa", "alpha"):
        got, want = getattr(f, name), expected[name]
        assert (got is None) == (want is None), name
        if got is not None:
            assert got == pytest.approx(want, rel=1e-12, abs=1e-12), name


@pytest.mark.parametrize("coders", [2, 3, 4])
def test_figures_from_a_tally_equal_the_direct_computation(coders):
    rng = np.random.default_rng(coders)
    names = [f"c{i}" for i in range(coders)]
    for _ in range(20):
        m = rng.integers(0, 2, (coders, 60)).astype(float)
        m[rng.random(m.shape) < 0.3] = np.nan
        _same(figures(m, names), _direct(m, names))


def test_labels_other_than_zero_and_one_tally_alike():
    # Krippendorff (2011) example C again, through `figures` (which now sums coincidences itself).
    n = None
    data = [[1, 2, 3, 3, 2, 1, 4, 1, 2, n, n, n], [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, n, 3],
            [n, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, n], [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, n]]
    assert round(figures(data, ["a", "b", "c", "d"]).alpha, 3) == 0.743


@pytest.fixture(scope="module")
def coded_built(tmp_path_factory):
    """Six interviews, four codes, three coders who each code some of them, at random but reproducibly: built once
    per module, closed, its file copied for each test (`coded`)."""
    tmp_path = tmp_path_factory.mktemp("coded")
    rng = random.Random(7)
    paths = []
    for i in range(6):
        lines = []
        for k in range(12):
            lines += [f"Interviewer: Question {k}?", f"P{i:02d}: Answer {k}. The film helped. I was tired. "
                                                     f"Then the review came {k}."]
        path = tmp_path / f"P{i:02d}.txt"
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        paths.append(path)
    with own_config(tmp_path), Project.init(tmp_path / "proj", coder="ana") as p:
        build_coded(p, paths, rng)
    return tmp_path / "proj" / "gtcode.db"


def build_coded(p, paths, rng):
    p.docs.import_paths(paths)
    for name in ("Filming", "Tiredness", "Review", "Never shared"):
        p.codes.add(name)
    docs = p.docs.list()
    for coder, share in (("ana", 1.0), ("ben", 0.7), ("cy", 0.4)):
        p.coder = coder
        for d in docs:
            if rng.random() > share:
                continue
            for code in ("Filming", "Tiredness", "Review"):
                chosen = rng.sample(range(1, d.segments + 1), 6)
                p.coding.apply([f"D{d.id}:{o}" for o in chosen], code)
    p.coder = "ana"
    p.coding.apply(["D1:3"], "Never shared")


@pytest.fixture
def coded(coded_built, tmp_path):
    with Project.open(copy_project(coded_built, tmp_path / "proj"), coder="ana") as p:
        yield p


@pytest.mark.parametrize("unit", ["segment", "turn", "document"])
@pytest.mark.parametrize("coders", [["ana", "ben"], None])
def test_pooled_agreement_equals_krippendorff_on_every_code_matrix_joined(coded, unit, coders):
    report = coded.team.agreement(unit=unit, coders=coders)
    sel = _Comparison(coded.store, coders, None, unit, None)
    matrices = [sel.values(code) for code in sel.codes]
    assert [c.code for c in report.codes] == [code.path for code in sel.codes]
    for result, m in zip(report.codes, matrices):
        _same(result.figures, _direct(m, sel.coders))
    _same(report.overall, _direct(np.concatenate(matrices, axis=1), sel.coders))
    assert report.units == matrices[0].shape[1]


def test_disagreements_are_the_units_coders_who_coded_them_differ_on(coded):
    sel = _Comparison(coded.store, ["ana", "ben"], ["Filming"], "segment", None)
    m = sel.values(sel.codes[0])
    expected = [i for i in range(m.shape[1]) if len({v for v in m[:, i].tolist() if not math.isnan(v)}) == 2
                and (~np.isnan(m[:, i])).sum() >= 2]
    coders, found = coded.team.disagreements("Filming", coders=["ana", "ben"])
    assert coders == ["ana", "ben"] and found
    assert [d.address for d in found] == [sel.unit_at(i).address for i in expected]
    for d in found:
        assert sorted(d.values.values()) == [0, 1]
        text = coded.docs.text(int(d.address[1:].split(":")[0]))
        assert d.text in " ".join(text.split())


# --- search --------------------------------------------------------------------------------------------------

def _highlight_in_sql(store, query: str, speaker_sql: str = "1") -> list[tuple]:
    """Hits as FTS5's highlight() on the project's index marks them (the way search read them before)."""
    rows = store.all(
        "SELECT d.id, s.ordinal, s.start_char, f.rank, highlight(segment_fts, 0, char(2), char(3)) AS marked"
        " FROM segment_fts f JOIN segments s ON s.id = f.rowid JOIN turns t ON t.id = s.turn_id"
        f" JOIN documents d ON d.id = s.document_id WHERE segment_fts MATCH ? AND {speaker_sql}"
        " ORDER BY f.rank, d.id, s.ordinal", [fts_query(query)])
    return [(r[0], r[1], r[3], *_spans(r["marked"], r["start_char"])) for r in rows]


@pytest.fixture(scope="module")
def long_document_built(tmp_path_factory):
    """A 600-turn interview and a short one, imported once per module (`long_document` opens a copy)."""
    tmp_path = tmp_path_factory.mktemp("long-document")
    lines = []
    for i in range(600):
        lines.append(f"Interviewer: Did the filming help, question {i}?")
        lines.append(f"P01: The film helped me see my baby. Films, filmed, FILMING — Über-careful ☕ notes {i}. "
                     + ("We talked about the camera and the film. " if i % 3 == 0 else "")
                     + ("“Film” again, and film." if i % 7 == 0 else ""))
    (tmp_path / "long.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (tmp_path / "short.txt").write_text("Interviewer: And the film?\nP02: No film for me, just the camera.\n",
                                        encoding="utf-8")
    with own_config(tmp_path), Project.init(tmp_path / "proj", coder="tester") as project:
        project.docs.import_paths([tmp_path / "long.txt", tmp_path / "short.txt"])
    return tmp_path / "proj" / "gtcode.db"


@pytest.fixture
def long_document(long_document_built, tmp_path):
    with Project.open(copy_project(long_document_built, tmp_path / "proj"), coder="tester") as project:
        yield project


@pytest.mark.parametrize("query", ["film", "films", "camera OR baby", '"the film"', "cam*", "film NOT camera",
                                   "Über-careful", "filming help"])
def test_search_hits_and_highlights_equal_fts5_highlight_on_a_long_document(long_document, query):
    expected = _highlight_in_sql(long_document.store, query)
    hits, total = long_document.analysis.search(query, limit=None)
    assert total == len(hits) == len(expected) > 0
    got = [(h.document_id, h.ordinal, h.rank, h.text, h.spans) for h in hits]
    assert got == expected
    text = long_document.docs.text(1)
    assert all(h.text == text[h.start:h.end] for h in hits if h.document_id == 1)
    assert not any(_OPEN in h.text for h in hits)


def test_search_with_a_limit_and_a_speaker_is_the_first_of_the_same_hits(long_document):
    expected = _highlight_in_sql(long_document.store, "film", "t.role = 'interviewer'")
    hits, total = long_document.analysis.search("film", speaker="interviewer", limit=25)
    assert total == len(expected) and len(hits) == 25
    assert [(h.document_id, h.ordinal, h.rank, h.text, h.spans) for h in hits] == expected[:25]


# --- retrieve and export -------------------------------------------------------------------------------------

def test_passages_read_each_text_once_and_keep_the_same_words_and_attributes(coded):
    from gtcode.coding import passages

    for i, d in enumerate(coded.docs.list()):
        coded.cases.set(f"P{i:02d}", {"site": f"Trust {i % 2}", "role": "mother" if i % 3 else "father"})
        coded.docs.link(d.id, f"P{i:02d}")
    coded.cases.set("P01", {"age": "31"})          # added later: comes last in that case's attributes
    found = passages(coded.store)
    assert len(found) == coded.store.scalar("SELECT count(*) FROM codings WHERE status = 'confirmed'")
    direct = {r[0]: r[1] for r in coded.store.all(
        "SELECT g.id, substr(d.text, g.start_char + 1, g.end_char - g.start_char) FROM codings g "
        "JOIN documents d ON d.id = g.document_id")}
    assert all(p.text == direct[p.id] for p in found)
    expected: dict[str, dict] = {}
    for r in coded.store.all("SELECT c.name, a.name, ca.value FROM case_attributes ca JOIN attributes a "
                             "ON a.id = ca.attribute_id JOIN cases c ON c.id = ca.case_id ORDER BY ca.rowid"):
        expected.setdefault(r[0], {})[r[1]] = r[2]
    for p in found:
        assert list(p.attributes.items()) == list(expected[p.case].items())
    assert [p.id for p in found] == [r[0] for r in coded.store.all(
        "SELECT id FROM codings WHERE status = 'confirmed' ORDER BY document_id, start_char, id")]


def test_qdpx_cases_hold_their_documents_and_passage_notes_stay_on_their_document(coded, tmp_path):
    import zipfile

    from lxml import etree

    from gtcode.exchange import export_qdpx
    from gtcode.exchange.common import as_guid

    docs = coded.docs.list()
    coded.cases.set("P-A", {})
    coded.cases.set("P-B", {})
    coded.docs.link(docs[0].id, "P-A")
    coded.docs.link(docs[3].id, "P-A")
    coded.docs.link(docs[1].id, "P-B")
    memo, _ = coded.memos.new("On a passage", "Look here.", links=[f"D{docs[3].id}:5"])
    export_qdpx(coded, tmp_path / "x.qdpx")
    with zipfile.ZipFile(tmp_path / "x.qdpx") as z:
        qde = z.read("project.qde")
        names = z.namelist()
    root = etree.fromstring(qde)
    # the sources, serialised one by one, sit in the file exactly as the whole tree pretty-printed would put them
    whole = etree.fromstring(qde, etree.XMLParser(remove_blank_text=True))
    assert etree.tostring(whole, xml_declaration=True, encoding="utf-8", pretty_print=True) == qde
    assert b"<!--" not in qde
    ns = {"q": root.nsmap[None]}
    guid = {d.id: as_guid(coded.store.scalar("SELECT uuid FROM documents WHERE id = ?", (d.id,))) for d in docs}
    refs = {c.get("name"): [r.get("targetGUID") for r in c.findall("q:SourceRef", ns)]
            for c in root.iterfind(".//q:Case", ns)}
    assert refs == {"P-A": [guid[docs[0].id], guid[docs[3].id]], "P-B": [guid[docs[1].id]]}
    noted = [s.getparent().getparent().get("guid") for s in root.iterfind(".//q:PlainTextSelection/q:NoteRef", ns)]
    assert noted == [guid[docs[3].id]]
    assert len(names) == 1 + len(docs) and names[0] == "project.qde"


def test_saturation_bars_as_one_collection_draw_the_same_picture(coded, tmp_path, monkeypatch):
    from PIL import Image, ImageChops

    import gtcode.analysis.saturation as sat

    result = sat.saturation(coded.store)
    sat.plot_saturation(result, tmp_path / "patches.png")
    monkeypatch.setattr(sat, "PATCH_BARS", 0)          # what a project of thousands of transcripts gets
    sat.plot_saturation(result, tmp_path / "collection.png")
    a, b = (Image.open(tmp_path / f"{n}.png").convert("RGB") for n in ("patches", "collection"))
    assert a.size == b.size and ImageChops.difference(a, b).getbbox() is None

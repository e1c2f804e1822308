"""The paths made linear for large projects (issue 19) give the same results as before: the search index of a
long transcript, a codebook of many codes, linking many cases by file name, agreement's kappa."""

from __future__ import annotations

from gtcode.cases import CaseNames
from gtcode.team.agreement import _kappa_arrays, cohen_kappa


def test_search_index_of_a_long_transcript_holds_every_segment_exactly(project, tmp_path):
    lines = []
    for i in range(400):
        lines.append(f"Interviewer: Question {i} about the visits?")
        lines.append(f"P01: Answer {i}: the film helped me see my baby. Über-careful ☕ notes {i}.")
    (tmp_path / "long.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    project.docs.import_paths([tmp_path / "long.txt"])
    hits, total = project.analysis.search("film", limit=None)
    assert total == len(hits) == 400
    text = project.docs.text(1)
    for hit in hits:
        assert hit.text == text[hit.start:hit.end]
        assert [text[a:b] for a, b in hit.spans] == ["film"]
    indexed = project.store.all("SELECT rowid, text FROM segment_fts")   # what the view would give
    view = project.store.all("SELECT id, text FROM segment_texts ORDER BY id")
    assert sorted(map(tuple, indexed)) == [tuple(r) for r in view]
    assert project.analysis.search("Über-careful", limit=None)[1] == 400


def test_replacing_a_document_takes_its_old_words_out_of_the_index(project, tmp_path):
    path = tmp_path / "P01.txt"
    path.write_text("Interviewer: Hello.\nP01: The camera was awkward.\n", encoding="utf-8")
    project.docs.import_paths([path])
    path.write_text("Interviewer: Hello.\nP01: The film was lovely.\n", encoding="utf-8")
    project.docs.import_paths([path], replace=True)
    assert project.analysis.search("awkward")[1] == 0
    assert project.analysis.search("lovely")[1] == 1


def test_codebook_of_many_nested_codes_imports_to_the_same_tree(project, tmp_path):
    lines = ["codes:"]
    for t in range(30):
        lines += [f"  - name: Group {t}", "    codes:"]
        for k in range(20):
            lines += [f"      - name: Code {t}.{k}", "        codes:", f"          - name: Leaf {t}.{k}"]
    (tmp_path / "big.yml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    report = project.codebook.import_file(tmp_path / "big.yml")
    assert len(report.added) == 30 + 30 * 20 * 2
    paths = [c.path for c in project.codes.list()]
    assert "Group 7/Code 7.3/Leaf 7.3" in paths
    assert len(paths) == len(set(paths)) == 1230
    assert sorted(i.path for i in report.added) == sorted(paths)
    parents = {c.path: c.parent_id for c in project.codes.list()}
    ids = {c.path: c.id for c in project.codes.list()}
    assert parents["Group 7/Code 7.3/Leaf 7.3"] == ids["Group 7/Code 7.3"]
    assert parents["Group 7/Code 7.3"] == ids["Group 7"] and parents["Group 7"] is None
    again = project.codebook.import_file(tmp_path / "big.yml")
    assert not again.added and len(again.unchanged) == 1230


def test_case_names_pick_the_longest_case_a_file_stem_names():
    names = CaseNames([(1, "P1"), (2, "P10"), (3, "p10_b"), (4, "Élodie")])
    assert names.match("P10_interview") == 2          # not P1: "0" continues the name
    assert names.match("p10_b-2") == 3                # the longest name wins
    assert names.match("P1") == 1 and names.match("p1 second") == 1
    assert names.match("élodie_visit") == 4           # case ignored beyond ASCII
    assert names.match("P100") is None and names.match("X1") is None


def test_linking_many_cases_by_file_name(project, tmp_path):
    folder = tmp_path / "docs"
    folder.mkdir()
    for i in range(700):     # above Python's pattern cache of 512, where matching by regex fell off a cliff
        (folder / f"P{i:04d}_interview.txt").write_text(f"Interviewer: Hello.\nP{i:04d}: Fine {i}.\n")
    project.docs.import_paths([folder])
    csv = tmp_path / "participants.csv"
    csv.write_text("id,role\n" + "".join(f"P{i:04d},mother\n" for i in range(700)))
    result = project.cases.import_file(csv)
    assert len(result["linked"]) == 700
    cases = {d.name: d.case for d in project.docs.list()}
    assert all(cases[f"P{i:04d}_interview"] == f"P{i:04d}" for i in range(700))


def test_kappa_from_arrays_equals_the_pairwise_definition():
    import numpy as np

    rng = np.random.default_rng(3)
    a = rng.integers(0, 2, 500).astype(float)
    b = np.where(rng.random(500) < 0.8, a, 1 - a)
    assert _kappa_arrays(a, b) == cohen_kappa(list(zip(a.tolist(), b.tolist())))
    assert _kappa_arrays(np.ones(5), np.ones(5)) is None and _kappa_arrays(a[:0], b[:0]) is None

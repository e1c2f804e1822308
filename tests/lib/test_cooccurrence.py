"""Axial coding evidence: code × code co-occurrence (segment, turn, document) and codes × attribute matrices
(the commands: tests/cli/test_cli_cooccurrence.py)."""

from __future__ import annotations

import pytest

from gtcode.analysis.cooccurrence import cooccurrence, matrix, suggest_relations, top_pairs
from gtcode.errors import InputError, UnknownCode


P01 = ("Interviewer: How was the filming?\n\n"
       "P01: I was scared of the camera. The guider was kind. I felt judged by the nurse.\n\n"
       "Interviewer: And later?\n\n"
       "P01: Later I enjoyed it. The film made me proud.\n")
P02 = ("Interviewer: What do mothers fear?\n\n"
       "P02: They fear the camera. Some fear social workers. Most feel proud in the end.\n")
P03 = ("Interviewer: Tell me about it.\n\n"
       "P03: The camera worried me. I was proud of us.\n")
P04 = ("Interviewer: Anything else?\n\n"
       "P04: Nothing really. I felt proud.\n")


def _import(project, tmp_path, docs):
    for name, text in docs:
        (tmp_path / f"{name}.txt").write_text(text, encoding="utf-8")
    project.docs.import_paths([tmp_path / f"{name}.txt" for name, _ in docs])


@pytest.fixture
def study(project, tmp_path):
    """Two interviews, hand-coded so every count below can be checked by eye.

    D1 (P01, mother):        1 Q | 2 Fear+Camera, 3 Kind ("kind" only), 4 Fear | 5 Q | 6 -, 7 Pride
    D2 (P02, practitioner):  1 Q | 2-3 Fear (one passage), 2 Camera, 4 Pride
    ('|' separates speaker turns.)
    """
    _import(project, tmp_path, [("P01", P01), ("P02", P02)])
    assert [s.text for s in project.docs.segments("D1")] == [
        "How was the filming?", "I was scared of the camera.", "The guider was kind.", "I felt judged by the nurse.",
        "And later?", "Later I enjoyed it.", "The film made me proud."]
    assert [s.turn for s in project.docs.segments("D2")] == [1, 2, 2, 2]
    project.cases.set("P01", {"role": "mother", "site": "Trust A"})
    project.cases.set("P02", {"role": "practitioner", "site": "Trust A"})
    project.coding.apply(["D1:2", "D1:4", "D2:2-3"], "Fear", create=True)
    project.coding.apply(["D1:2", "D2:2"], "Camera", create=True)
    project.coding.apply("D1:3", "Kind", quote="kind", create=True)
    project.coding.apply(["D1:7", "D2:4"], "Pride", create=True)
    project.codes.add("Unused")
    return project


@pytest.fixture
def wider(study, tmp_path):
    """Adds D3 (P03, mother, Trust B: 2 Fear+Camera, 3 Pride) and D4 (P04, no role, Trust B: 3 Pride)."""
    _import(study, tmp_path, [("P03", P03), ("P04", P04)])
    study.cases.set("P03", {"role": "mother", "site": "Trust B"})
    study.cases.set("P04", {"site": "Trust B"})
    study.coding.apply("D3:2", ["Fear", "Camera"])
    study.coding.apply(["D3:3", "D4:3"], "Pride")
    return study


def counts(result):
    return {c.code: c.units for c in result.codes}


def both(result):
    return {(p.a, p.b): (p.both, round(p.jaccard, 3)) for p in result.pairs}


# --- co-occurrence -------------------------------------------------------------------------------

def test_cooccurrence_by_segment_counts_units_and_jaccard(study):
    result = cooccurrence(study.store)
    assert result.by == "segment" and result.units == 11                     # 7 + 4 segments
    assert counts(result) == {"Camera": 2, "Fear": 4, "Kind": 1, "Pride": 2}  # 'Unused' has no codings
    assert both(result) == {("Camera", "Fear"): (2, 0.5)}                   # D1:2, D2:2; 2 / (2 + 4 - 2)
    assert result.pair("Fear", "Kind").both == 0                             # a quote in D1:3, Fear is in D1:2, D1:4
    assert result.pair("Pride", "Fear").jaccard == 0.0
    assert result.shared("Fear", "Camera") == ["D1:2", "D2:2"]


def test_cooccurrence_by_turn_and_by_document(study):
    turns = cooccurrence(study.store, by="turn")
    assert turns.units == 6 and counts(turns) == {"Camera": 2, "Fear": 2, "Kind": 1, "Pride": 2}
    assert both(turns) == {("Camera", "Fear"): (2, 1.0), ("Camera", "Kind"): (1, 0.5),
                           ("Camera", "Pride"): (1, 0.333), ("Fear", "Kind"): (1, 0.5),
                           ("Fear", "Pride"): (1, 0.333)}                 # Kind and Pride: different turns of D1
    assert turns.shared("Fear", "Pride") == ["D2:2-4"]                     # a turn is named by its segments
    docs = cooccurrence(study.store, by="documents")
    assert docs.units == 2
    assert both(docs)[("Fear", "Pride")] == (2, 1.0) and both(docs)[("Kind", "Pride")] == (1, 0.5)
    assert ("Kind", "Pride") not in both(turns)


def test_pending_codings_are_left_out(study):
    from gtcode.coding import add_coding

    seg = study.docs.segment("D1:6")[0]
    with study.transaction() as txn:
        add_coding(study.store, txn, study.codes.get("Kind").id, 1, seg.start, seg.end, status="pending")
    assert counts(cooccurrence(study.store))["Kind"] == 1


def test_categories_count_their_subtree_once_and_named_codes(study):
    study.model.new_category("Barriers")
    study.model.add_to_category("Barriers", ["Fear", "Camera"])
    result = cooccurrence(study.store, ["Barriers", "pride"], by="turn")
    assert [(c.code, c.kind, c.units) for c in result.codes] == [("Barriers", "category", 2), ("Pride", "code", 2)]
    assert result.codes[0].codes == ["Barriers", "Barriers/Camera", "Barriers/Fear"]
    assert both(result) == {("Barriers", "Pride"): (1, 0.333)}
    by_segment = cooccurrence(study.store, ["Barriers", "Kind"])
    assert counts(by_segment) == {"Barriers": 4, "Kind": 1}           # D1:2 coded twice counts once
    # Named explicitly, a code with no codings is still compared (with zeros), unlike the default.
    assert counts(cooccurrence(study.store, ["Unused", "Kind"])) == {"Unused": 0, "Kind": 1}
    # By default, every code by its own codings: the category has none of its own.
    assert "Barriers" not in counts(cooccurrence(study.store))


def test_where_filters_documents(study):
    result = cooccurrence(study.store, where=["role=mother"])
    assert result.units == 7 and result.where == ["role=mother"]
    assert counts(result) == {"Camera": 1, "Fear": 2, "Kind": 1, "Pride": 1}
    assert both(result) == {("Camera", "Fear"): (1, 0.5)}


def test_top_pairs_sort_min_and_code(study):
    turns = cooccurrence(study.store, by="turn")
    assert [(p.a, p.b) for p in top_pairs(turns, 2)] == [("Camera", "Fear"), ("Camera", "Kind")]
    assert [p.both for p in top_pairs(turns, None, sort="both")] == [2, 1, 1, 1, 1]
    assert [(p.a, p.b) for p in top_pairs(turns, None, min_both=2)] == [("Camera", "Fear")]
    assert [(p.a, p.b) for p in top_pairs(turns, None, code="Kind")] == [("Camera", "Kind"), ("Fear", "Kind")]
    assert len(top_pairs(turns, None, min_both=0)) == 6                      # every pair, zeros included
    with pytest.raises(InputError, match="--sort 'size'"):
        top_pairs(turns, sort="size")


def test_suggest_relations_offers_unrelated_pairs_with_evidence(study):
    [s] = suggest_relations(study.store)                                          # at least 2 shared segments
    assert (s["a"], s["b"], s["both"], s["jaccard"]) == ("Camera", "Fear", 2, 0.5)
    assert s["evidence"] == ["D1:2", "D2:2"]
    assert s["command"] == 'gtcode relate "Camera" is-associated-with "Fear" --evidence D1:2,D2:2'
    study.model.relate("Fear", "hinders", "Camera", evidence=["D1:2"])
    assert suggest_relations(study.store) == []                                   # already related, either way


def test_unknown_code_and_bad_by(study):
    with pytest.raises(UnknownCode, match="did you mean 'Fear'"):
        cooccurrence(study.store, ["Fearr"])
    with pytest.raises(InputError, match="--by 'sentence': expected segment, turn, document"):
        cooccurrence(study.store, by="sentence")


# --- codes × attribute matrix --------------------------------------------------------------------

def rows_of(m):
    return {r.code: r.counts for r in m.rows}


def test_matrix_segments_by_role_with_none_column(wider):
    m = matrix(wider.store, "ROLE")
    assert m.attribute == "role"
    assert [(c.label, c.cases, c.documents) for c in m.columns] == [("mother", 2, 2), ("practitioner", 1, 1),
                                                                    ("(none)", 1, 1)]
    assert rows_of(m) == {"Camera": [2, 1, 0], "Fear": [3, 2, 0], "Kind": [1, 0, 0], "Pride": [2, 1, 1]}
    assert [r.total for r in m.rows] == [3, 5, 1, 4] and m.left_out == 1     # 'Unused' left out


def test_matrix_counts_cases_and_codings(wider):
    cases = matrix(wider.store, "role", count="cases")
    assert rows_of(cases) == {"Camera": [2, 1, 0], "Fear": [2, 1, 0], "Kind": [1, 0, 0], "Pride": [2, 1, 1]}
    codings = matrix(wider.store, "role", count="codings")
    assert rows_of(codings)["Fear"] == [3, 1, 0]             # D1:2, D1:4, D3:2 | D2:2-3 is one coding
    by_site = matrix(wider.store, "site", count="cases", where=["role!=practitioner"])
    assert [c.label for c in by_site.columns] == ["Trust A", "Trust B"]
    assert rows_of(by_site)["Pride"] == [1, 2]


def test_matrix_rows_categories_count_their_subtrees(wider):
    wider.model.new_category("Barriers")
    wider.model.add_to_category("Barriers", ["Fear", "Camera"])
    wider.model.new_category("Empty")
    assert rows_of(matrix(wider.store, "role", rows="categories")) == {"Barriers": [3, 2, 0], "Empty": [0, 0, 0]}
    assert rows_of(matrix(wider.store, "role", rows="categories", count="codings")) == {"Barriers": [5, 2, 0],
                                                                                  "Empty": [0, 0, 0]}
    # Rows named explicitly: a category with its subtree beside a single code.
    assert rows_of(matrix(wider.store, "role", codes=["Barriers", "Pride"], count="cases")) == {
        "Barriers": [2, 1, 0], "Pride": [2, 1, 1]}


# --- where a coding's edges fall -------------------------------------------------------------------

@pytest.fixture
def edges(study):
    """Codings of D1 whose edges fall on, inside or between segments and turns, one code each.

    D1's turns: 1 = D1:1 (Q) | 2 = D1:2-4 (P01) | 3 = D1:5 (Q) | 4 = D1:6-7 (P01).
    """
    from gtcode.coding import add_coding

    seg = {n: study.docs.segment(f"D1:{n}")[0] for n in range(1, 8)}
    assert all(P01[s.start:s.end] == s.text for s in seg.values())
    label, turn3 = P01.index("P01:"), P01.index("Interviewer: And")
    spans = {"Ends where D1:3 starts": (seg[2].start, seg[3].start),
             "Starts where D1:2 ends": (seg[2].end, seg[3].end),
             "Inside D1:3": (seg[3].start + 4, seg[3].start + 10),
             "Across three": (seg[2].start + 1, seg[4].end - 1),
             "Space between": (seg[3].end, seg[4].start),          # whitespace only: no segment, but its turn
             "Speaker label": (label, label + 3),                   # 'P01': no segment, but its turn
             "Across turns": (seg[4].start, seg[5].end),
             "Ends where turn 3 starts": (seg[4].start, turn3),
             "Starts where turn 2 ends": (seg[4].end, seg[5].end),
             "Between turns": (seg[4].end, turn3),                  # the blank line: no turn either
             "Interviewer label": (0, 11)}                          # before any segment
    assert P01[seg[3].end:seg[4].start] == " " and P01[seg[4].end:turn3] == "\n\n"
    with study.transaction() as txn:
        for name, (start, end) in spans.items():
            code = study.codes.add(name)
            add_coding(study.store, txn, code.id, 1, start, end)
    return study, list(spans)


def test_a_coding_touches_the_units_it_overlaps_and_no_neighbour_it_only_meets(edges):
    study, names = edges
    by_segment = cooccurrence(study.store, names)
    assert counts(by_segment) == {"Ends where D1:3 starts": 1, "Starts where D1:2 ends": 1, "Inside D1:3": 1,
                                  "Across three": 3, "Space between": 0, "Speaker label": 0, "Across turns": 2,
                                  "Ends where turn 3 starts": 1, "Starts where turn 2 ends": 1, "Between turns": 0,
                                  "Interviewer label": 0}
    assert by_segment.shared("Across three", "Ends where D1:3 starts") == ["D1:2"]
    assert by_segment.shared("Across three", "Starts where D1:2 ends") == ["D1:3"]
    assert by_segment.shared("Across three", "Across turns") == ["D1:4"]
    assert by_segment.shared("Ends where D1:3 starts", "Starts where D1:2 ends") == []
    by_turn = cooccurrence(study.store, names, by="turn")
    assert counts(by_turn) == {name: 1 for name in names} | {"Across turns": 2, "Between turns": 0}
    assert by_turn.shared("Ends where turn 3 starts", "Across turns") == ["D1:2-4"]
    assert by_turn.shared("Starts where turn 2 ends", "Across turns") == ["D1:5"]
    assert by_turn.shared("Interviewer label", "Across turns") == []
    assert by_turn.shared("Space between", "Speaker label") == ["D1:2-4"]
    assert by_turn.shared("Across turns", "Inside D1:3") == ["D1:2-4"]
    assert cooccurrence(study.store, ["Across turns", "Across three"], by="turn").shared(
        "Across turns", "Across three") == ["D1:2-4"]
    by_document = cooccurrence(study.store, names, by="document")
    assert counts(by_document) == {name: 1 for name in names}
    assert by_document.shared("Space between", "Inside D1:3") == ["D1"]
    # The matrix places codings in segments the same way.
    assert rows_of(matrix(study.store, "role", codes=names)) == {name: [n, 0] for name, n in
                                                                counts(by_segment).items()}


def test_a_category_counts_each_unit_of_its_subtree_once_within_where(edges):
    study, names = edges
    study.model.new_category("Edges")
    study.model.add_to_category("Edges", ["Space between", "Speaker label", "Across three"])
    for by, n in (("segment", 3), ("turn", 1), ("document", 1)):
        result = cooccurrence(study.store, ["Edges", "Across turns"], by=by)
        assert counts(result) == {"Edges": n, "Across turns": 1 if by == "document" else 2}
    assert cooccurrence(study.store, ["Edges", "Across turns"], by="turn").shared("Edges", "Across turns") == \
        ["D1:2-4"]
    elsewhere = cooccurrence(study.store, ["Edges", "Across turns"], by="turn", where=["role=practitioner"])
    assert elsewhere.units == 2 and counts(elsewhere) == {"Edges": 0, "Across turns": 0}
    assert elsewhere.shared("Edges", "Across turns") == []

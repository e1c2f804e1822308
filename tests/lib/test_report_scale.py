"""The report's large-project paths (issue 19) give what the direct computations give: which segments a coding
touches, found by two index seeks (m010), against every segment checked by hand; the codebook's segment and
participant counts against the codings and segments read in Python; a short passage widened to its sentence;
and the audit summary reading only the events it reports on."""

from __future__ import annotations

import inspect
import re

import pytest

from gtcode.analysis import exemplars
from gtcode.documents import touched_segments
from gtcode.report import audit_data, thesis_data
from gtcode.spans import Span

TEXT = ("Interviewer: How was visit {n}?\n\n"
        "{who}: It was fine. The camera scared me at first. Then I forgot it was there.\n\n"
        "Interviewer: And later on?\n\n"
        "{who}: Later I asked for the clips. My partner watched them twice. We laughed.\n")


@pytest.fixture
def study(project, tmp_path):
    """Three interviews (two with the same participant) and codes applied to spans of every awkward kind."""
    paths = []
    bodies = {name: TEXT.format(who=name[:3], n=n) for n, name in enumerate(("P01-a", "P01-b", "P02"), 1)}
    for name, body in bodies.items():
        path = tmp_path / f"{name}.txt"
        path.write_text(body, encoding="utf-8")
        paths.append(path)
    project.docs.import_paths(paths, interviewer="Interviewer")
    project.cases.set("P01", {})
    project.cases.set("P02", {})
    docs = project.docs.list()
    project.docs.link(docs[0].id, "P01")
    project.docs.link(docs[1].id, "P01")
    project.docs.link(docs[2].id, "P02")
    project.codes.add("Visits")
    for name in ("Fear", "Clips", "Labels"):
        project.codes.add(name, parent="Visits")
    for d in docs:
        body = bodies[d.name]
        scared = body.index("The camera")
        project.coding.apply_spans([Span(d.id, scared + 4, scared + 10, "camera")], "Visits/Fear")   # in one sentence
        clips = body.index("the clips")
        project.coding.apply_spans([Span(d.id, clips, body.index("We laughed") + 3, "clips")], "Visits/Clips")
        label = body.index("Interviewer: And")
        project.coding.apply_spans([Span(d.id, label, label + 5, "label")], "Visits/Labels")   # a speaker label
    return project


def _segments(store, doc_id: int) -> list[tuple[int, int, int]]:
    return [tuple(r) for r in store.all("SELECT ordinal, start_char, end_char FROM segments WHERE document_id = ? "
                                        "ORDER BY ordinal", (doc_id,))]


def test_two_seeks_find_the_first_and_last_segment_every_span_touches(study):
    store = study.store
    doc = study.docs.list()[0]
    segments = _segments(store, doc.id)
    length = max(s[2] for s in segments) + 3
    sql = f"SELECT {touched_segments('?1', '?2', '?3')}"
    checked = 0
    for start in range(0, length, 2):
        for end in range(start + 1, length + 1, 3):
            touched = [o for o, s, e in segments if s < end and e > start]
            first, last = store.one(sql, (doc.id, start, end))
            if touched:
                assert (first, last) == (touched[0], touched[-1]), (start, end)
            else:
                assert first is None or last is None or first > last, (start, end)
            checked += 1
    assert checked > 1000


def test_the_seeks_read_an_index_not_the_segments_table(study):
    plan = " | ".join(r[3] for r in study.store.all(
        f"EXPLAIN QUERY PLAN SELECT {touched_segments('g.document_id', 'g.start_char', 'g.end_char')} FROM codings g"))
    assert "COVERING INDEX segments_end" in plan and "COVERING INDEX segments_start" in plan
    assert "SCAN s" not in plan


def _direct_grounding(store, code_ids: set[int], doc_ids: set[int]) -> tuple[int, int]:
    """(participants, segments) of these codes the slow way: every coding against every segment of its document."""
    people, touched = set(), set()
    for code_id, doc_id, start, end, case_id in store.all(
            "SELECT g.code_id, g.document_id, g.start_char, g.end_char, d.case_id FROM codings g JOIN documents d "
            "ON d.id = g.document_id WHERE g.status = 'confirmed'"):
        if code_id not in code_ids or doc_id not in doc_ids:
            continue
        hits = {(doc_id, o) for o, s, e in _segments(store, doc_id) if s < end and e > start}
        if hits:
            touched |= hits
            people.add(case_id if case_id is not None else -doc_id)
    return len(people), len(touched)


@pytest.mark.parametrize("where", [None, "case=P01"])
def test_codebook_counts_are_the_segments_and_participants_the_codings_touch(study, where):
    sc = thesis_data.scope(study, where)
    grounding = thesis_data.Grounding(study, sc)
    in_scope = {r[0] for r in study.store.all(f"SELECT d.id FROM documents d WHERE {sc.clause}", sc.params)}
    tree = {c.path: c for c in study.codes.list()}
    for path, codes in (("Visits/Fear", ["Visits/Fear"]), ("Visits/Clips", ["Visits/Clips"]),
                        ("Visits/Labels", ["Visits/Labels"]), ("Visits", list(tree))):
        expected = _direct_grounding(study.store, {tree[c].id for c in codes}, in_scope)
        assert grounding.of(tree[path]) == expected, path
    # what a reader sees: a label-only coding grounds nothing; the clips run over three sentences in each interview
    assert grounding.of(tree["Visits/Labels"]) == (0, 0)
    assert grounding.of(tree["Visits/Clips"]) == ((2, 9) if where is None else (1, 6))


def test_a_short_passage_is_quoted_with_its_whole_sentence(study):
    quotes = exemplars.exemplar_per_code(study.store)
    tree = {c.path: c.id for c in study.codes.list()}
    assert quotes[tree["Visits/Fear"]].text == "The camera scared me at first."
    assert quotes[tree["Visits/Fear"]].document == "P01-a"
    assert tree["Visits/Labels"] not in quotes          # the interviewer's label is no one's words
    for code_id, chosen in quotes.items():              # the same passage the full ranking puts first
        assert exemplars.exemplars(study.store, [code_id], n=1)[0] == chosen


def test_the_audit_reads_every_kind_of_event_it_reports_on():
    handled = set(re.findall(r'"([a-z]+\.[a-z]+)"', inspect.getsource(audit_data._activity)))
    assert handled and handled <= set(audit_data.ACTIVITY_ACTIONS)
    assert set(audit_data.CODE_ACTIONS) <= set(audit_data.ACTIVITY_ACTIONS)


def test_the_report_s_audit_summary_counts_imports_but_not_case_events(study):
    summary = thesis_data.audit_summary(study)
    assert summary["summary"]["documents imported"] == 3
    assert summary["summary"]["codebook changes"] == 4
    assert summary["summary"]["passages coded"] == 9
    assert summary["events"] > 3 + 4 + 9          # case and link events are in the log, counted in the total

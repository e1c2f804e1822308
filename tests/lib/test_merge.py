"""Merging coders' projects: blind double-coding from one copied project, merged back without duplicates,
idempotent and undoable (the command, and refusing files that are not copies of this study:
tests/cli/test_cli_merge.py)."""

from __future__ import annotations

import shutil
import sqlite3

import pytest

from gtcode import Project
from gtcode.errors import NothingToUndo
from gtcode.team.merge import merge_project

from tests.conftest import REPO, copy_demo

P01 = ("Interviewer: How did the first filming go?\n\n"
       "P01: I was nervous at first. I thought they were judging me. Then I saw her smile at me.\n\n"
       "Interviewer: What helped?\n\n"
       "P01: The practitioner was warm. She never made me feel like a bad mum.\n")
P02 = ("Interviewer: Tell me about the videos.\n\n"
       "P02: I hated seeing myself. But watching it back with Jo was different. She pointed out the good bits.\n")
P03 = "Interviewer: Anything else?\n\nP03: Only that the social worker scared me.\n"


def dump(path) -> dict:
    """Every row of every table undo restores (the tables whose changes are captured), plus coders' names."""
    conn = sqlite3.connect(path)
    tables = [r[0][:-len("_capture_insert")] for r in
              conn.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE '%_capture_insert'")]
    out = {t: conn.execute(f"SELECT * FROM {t} ORDER BY rowid").fetchall() for t in sorted(tables)}
    conn.close()
    return out


def codings(p: Project) -> list[tuple]:
    return sorted(tuple(r) for r in p.store.all(
        "SELECT d.name, c.name, k.name, g.start_char, g.end_char FROM codings g"
        " JOIN documents d ON d.id = g.document_id JOIN codes c ON c.id = g.code_id"
        " JOIN coders k ON k.id = g.coder_id"))


def rows(p: Project, sql: str) -> list:
    return sorted(tuple(r) for r in p.store.all(sql))


@pytest.fixture
def study(tmp_path):
    """One project, coded a little by Hannah, then copied for blind double-coding (`cp gtcode.db coder2.db`)."""
    for name, text in (("P01", P01), ("P02", P02), ("P03", P03)):
        (tmp_path / f"{name}.txt").write_text(text, encoding="utf-8")
    with Project.init(tmp_path / "study", coder="Hannah") as p:
        p.docs.import_paths([tmp_path / "P01.txt", tmp_path / "P02.txt"])
        p.cases.set("P01", {"role": "mother", "site": "North"})
        p.codes.add("Barriers")
        p.codes.add("Facilitators")
        p.codes.add("Barriers/Fear of judgement", description="Worry that staff judge her as a mother")
        p.codes.add("Facilitators/Warm practitioner")
        p.coding.apply("P01:3", "Fear of judgement")
        p.memos.new("Being watched", "Filming feels like assessment at first.")
    main, copy = tmp_path / "study" / "gtcode.db", tmp_path / "coder2.db"
    shutil.copy(main, copy)
    return main, copy


def two_coders(main, copy) -> None:
    """Hannah and Sam each code, write a memo and a comment, add a code and a relation, in their own copy."""
    with Project.open(main, coder="Hannah") as p:
        p.coding.apply("P01:2", "Fear of judgement")
        p.coding.apply("P01:6", "Warm practitioner")
        p.codes.add("Barriers/Stigma")
        p.model.relate("Fear of judgement", "hinders", "Warm practitioner")
        p.memos.new("Judgement", "Judgement is anticipated before the first visit. [[code:Fear of judgement]]")
        p.memos.comment(1, "Is it the camera or the person?")
    with Project.open(copy, coder="Sam") as p:
        p.coding.apply("P01:3", "Fear of judgement")               # the same passage as Hannah: a second coder's coding
        p.coding.apply("P01:5-6", "Warm practitioner")
        p.coding.apply("P02:3", "Warm practitioner", create=True)
        p.codes.add("Barriers/Stigma", description="Shame about needing help")   # created separately, same path
        p.codes.add("Facilitators/Seeing strengths")
        p.model.relate("Seeing strengths", "facilitates", "Warm practitioner", evidence=["P02:4"])
        p.memos.new("Strengths", "Watching back shows her strengths. [[P02:4]]")
        p.memos.comment(1, "Sam: agree, it starts before filming.")


def test_two_coders_merge_into_the_union_once_and_undo_restores_before(study):
    main, copy = study
    two_coders(main, copy)
    with Project.open(main, coder="Hannah") as p, Project.open(copy, coder="Sam") as q:
        mine, theirs = codings(p), codings(q)
        memos_before = rows(p, "SELECT uuid FROM memos") + rows(q, "SELECT uuid FROM memos")
    before = dump(main)
    with Project.open(main, coder="Hannah") as p:
        report = merge_project(p, copy)
        assert report.changed and report.counts["codings"].added == 3
        assert sorted(set(mine) | set(theirs)) == codings(p)                      # the union, nothing twice
        seg = p.docs.segment("P01:3")[0]   # both coders coded this passage: two codings, one each
        assert {c[2] for c in codings(p) if c[3:] == (seg.start, seg.end)} == {"Hannah", "Sam"}
        assert sorted(m.title for m in p.memos.list()) == ["Being watched", "Judgement", "Strengths"]
        assert len(rows(p, "SELECT uuid FROM memos")) == len(set(memos_before))
        assert [c.author for c in p.memos.get(1).comments] == ["Hannah", "Sam"]
        assert [c.path for c in p.codes.list() if c.name == "Stigma"] == ["Barriers/Stigma"]
        assert p.codes.get("Stigma").description == "Shame about needing help"    # filled in: it was empty here
        assert any("'Barriers/Stigma' was created separately in both projects" in w for w in report.warnings)
        relations = rows(p, "SELECT s.name, r.type, t.name FROM relations r JOIN codes s ON s.id = r.source_id "
                            "JOIN codes t ON t.id = r.target_id")
        assert relations == [("Fear of judgement", "hinders", "Warm practitioner"),
                             ("Seeing strengths", "facilitates", "Warm practitioner")]
        assert p.store.scalar("SELECT count(*) FROM relation_evidence") == 1
        strengths = next(m for m in p.memos.list() if m.title == "Strengths")
        assert [link.label for link in p.memos.get(strengths.id).links] == ["D2:4"]
        log = p.history.events(limit=None)
        assert {e["summary"] for e in log if e["coder"] == "Sam"} >= {"wrote theoretical memo #2 'Strengths'"}
        assert log[0]["action"] == "merge" and log[0]["coder"] == "Hannah"
        merged = dump(main)

        again = merge_project(p, copy)
        assert not again.changed
        assert all(t.added == t.updated == 0 for t in again.counts.values())
        assert dump(main) == merged

        p.history.undo()
        assert codings(p) == mine
    assert dump(main) == before


def test_dry_run_reports_exactly_what_the_merge_does(study):
    main, copy = study
    two_coders(main, copy)
    with Project.open(main, coder="Hannah") as p:
        dry = merge_project(p, copy, dry_run=True)
        real = merge_project(p, copy)
    assert dry.dry_run and not real.dry_run
    assert dry.counts == real.counts and dry.warnings == real.warnings


def test_merging_into_the_copy_gives_the_same_union_and_undo_stays_with_each_coder(study):
    """Either coder can merge; the union is the same both ways; undo offers only commands made in this copy."""
    main, copy = study
    two_coders(main, copy)
    with Project.open(main, coder="Hannah") as p:
        merge_project(p, copy)
        union = codings(p)
    with Project.open(main, coder="Sam") as p:   # Sam's commands arrived by merge: not his to undo here
        with pytest.raises(NothingToUndo, match="nothing of 'Sam' to undo"):
            p.history.undo()
    with Project.open(copy, coder="Sam") as q:
        merge_project(q, main)
        assert codings(q) == union
        assert not merge_project(q, main).changed
        # Hannah's merge event (now here too) names Sam's commands; here they are his own and still undoable.
        assert [d["summary"].split(" ")[0] for d in q.history.undo(2)] == ["merged", "commented"]
        assert [c.author for c in q.memos.get(1).comments] == []


def test_transcript_that_differs_or_is_only_there_is_skipped_with_a_warning(study, tmp_path):
    main, copy = study
    (tmp_path / "P02.txt").write_text(P02.replace("Jo", "Joanne"), encoding="utf-8")
    with Project.open(copy, coder="Sam") as q:
        q.docs.import_paths([tmp_path / "P02.txt"], replace=True)
        q.docs.import_paths([tmp_path / "P03.txt"])
        q.coding.apply("P02:3", "Warm practitioner")
        q.coding.apply("P03:2", "Fear of judgement")
        q.coding.apply("P01:6", "Warm practitioner")
    with Project.open(main, coder="Hannah") as p:
        report = merge_project(p, copy)
        assert report.documents["differ"] == ["P02"] and report.documents["only_there"] == ["P03"]
        assert report.counts["codings"].added == 1 and report.counts["codings"].skipped == 2
        assert any(w.startswith("document 'P02': its transcript differs") and "skipped 1 coding" in w
                   for w in report.warnings)
        assert any(w.startswith("document 'P03' is only in") for w in report.warnings)
        assert [c[0] for c in codings(p) if c[2] == "Sam"] == ["P01"]


def test_same_coder_in_both_copies_overlapping_codings_join(study):
    """One coder's overlapping codings of one code join into one, as they do when coding."""
    main, copy = study
    with Project.open(copy, coder="Hannah") as q:
        q.coding.apply("P01:3-4", "Fear of judgement")
    before = dump(main)
    with Project.open(main, coder="Hannah") as p:
        report = merge_project(p, copy)
        text = p.docs.text("P01")
        spans = [c for c in codings(p) if c[1] == "Fear of judgement"]
        assert len(spans) == 1 and report.counts["codings"].updated == 1
        assert text[spans[0][3]:spans[0][4]].startswith("I thought") and text[spans[0][3]:spans[0][4]].endswith(
            "smile at me.")
        assert not merge_project(p, copy).changed
        p.history.undo()
    assert dump(main) == before


def test_attribute_conflict_is_reported_not_overwritten(study):
    main, copy = study
    with Project.open(copy, coder="Sam") as q:
        q.cases.set("P01", {"role": "grandmother", "age": "30-39"})
        q.cases.set("P02", {"role": "mother"})
    with Project.open(main, coder="Hannah") as p:
        report = merge_project(p, copy)
        assert p.cases.get("P01").attributes == {"role": "mother", "site": "North", "age": "30-39"}
        assert p.cases.get("P02").attributes == {"role": "mother"}
        assert "case P01: role is 'mother' here and 'grandmother' in" in " ".join(report.warnings)
        assert report.counts["attribute values"].skipped == 1


def test_memo_edited_only_there_gains_its_versions(study):
    main, copy = study
    with Project.open(copy, coder="Sam") as q:
        q.memos.edit(1, body="Filming feels like assessment, until the first review.")
        q.memos.signoff(1, "fine")
    with Project.open(main, coder="Hannah") as p:
        report = merge_project(p, copy)
        memo = p.memos.get(1)
        assert memo.version == 2 and memo.body.endswith("until the first review.")
        assert [s.version for s in memo.signoffs] == [2] and not report.warnings


def test_memo_edited_in_both_keeps_both_texts_and_reports_it(study):
    main, copy = study
    with Project.open(main, coder="Hannah") as p:
        p.memos.edit(1, body="Hannah's version.")
    with Project.open(copy, coder="Sam") as q:
        q.memos.edit(1, body="Sam's version [[P01:3]].")
        q.memos.comment(1, "on Sam's text")
    with Project.open(main, coder="Hannah") as p:
        report = merge_project(p, copy)
        bodies = [v.body for v in p.memos.history(1)]
        assert bodies == ["Filming feels like assessment at first.", "Hannah's version.", "Sam's version [[P01:3]]."]
        assert [(link.label, link.source) for link in p.memos.get(1).links] == [("D1:3", "reference")]
        assert "was edited in both projects" in " ".join(report.warnings)
        assert [(c.body, c.version) for c in p.memos.get(1).comments] == [("on Sam's text", 3)]
        assert not merge_project(p, copy).changed
        before = dump(main)
    with Project.open(main, coder="Hannah") as p:
        p.memos.edit(1, body="Merged text [[P01:2]]")
        edited = dump(main)
        merge_project(p, copy)            # nothing new: Sam's [[P01:3]] belongs to an older text now
        assert dump(main) == edited
        p.history.undo()
    assert dump(main) == before


def test_older_project_is_migrated_in_memory_and_left_untouched(project, tmp_path):
    fixture = REPO / "tests" / "fixtures" / "schema1.db"
    old = tmp_path / "old.db"
    shutil.copy(fixture, old)
    text = sqlite3.connect(old).execute("SELECT text FROM documents").fetchone()[0]
    (tmp_path / "P01.txt").write_text(text, encoding="utf-8")
    project.docs.import_paths([tmp_path / "P01.txt"])
    raw = old.read_bytes()
    report = merge_project(project, old)
    assert report.documents["matched"] == 1
    assert old.read_bytes() == raw
    assert sqlite3.connect(old).execute("PRAGMA user_version").fetchone()[0] == 1


@pytest.fixture(scope="module")
def demo_db(demo_build, tmp_path_factory):
    return copy_demo(demo_build, tmp_path_factory.mktemp("merge-demo") / "demo")


def test_a_second_coders_model_work_merges_and_undoes_exactly(demo_db, tmp_path):
    """The demo project (categories, properties, relations with evidence, reviewed memos) as two copies."""
    main, copy = tmp_path / "gtcode.db", tmp_path / "coder2.db"
    shutil.copy(demo_db, main)
    shutil.copy(demo_db, copy)
    with Project.open(copy, coder="Sam") as q:
        q.model.add_relation_type("buffers", "buffers", "+")
        q.memos.add_type("analytic")
        cat = q.model.new_category("Being seen as a good mother")
        q.model.add_to_category(cat.path, ["Feeling judged as a parent"])
        q.model.set_property(cat.path, "certainty", "doubtful..sure", at=["P02:31=doubtful"])
        memo, _ = q.memos.new("Seen", "Being seen well buffers the fear.", type="analytic",
                             links=[f"category:{cat.path}", "P02:31"])
        q.model.relate(cat.path, "buffers", "Engagement with VIG", evidence=["P02:31"], memo=memo.id)
        q.memos.signoff(memo.id, "ok")
    before = dump(main)
    with Project.open(main, coder="demo") as p:
        report = merge_project(p, copy)
        added = {k: t.added for k, t in report.counts.items() if t.added}
        assert added == {"coders": 1, "codes": 1, "memo types": 1, "memos": 1, "memo versions": 1, "memo links": 2,
                         "sign-offs": 1, "relation types": 1, "relations": 1, "relation evidence": 2,
                         "properties": 1, "property evidence": 1, "events": added["events"]}
        seen = p.codes.get("Being seen as a good mother")
        judged = p.codes.get("Feeling judged as a parent")     # moved under the new category there, not here: kept
        assert seen.is_category and not judged.path.startswith(seen.path + "/")
        assert f"code {judged.path!r} is '{seen.path}/{judged.name}' in" in " ".join(report.warnings)
        assert [r["type"] for r in p.store.all("SELECT type FROM relations WHERE source_id = ?", (seen.id,))] == [
            "buffers"]
        assert not merge_project(p, copy).changed
        p.history.undo()
    assert dump(main) == before


def test_separately_created_project_with_the_same_transcripts_merges_by_text_and_path(study, tmp_path):
    """Two coders who each imported the same transcripts: documents match by text, codes by path."""
    main, _ = study
    with Project.init(tmp_path / "sams", coder="Sam") as q:
        q.docs.import_paths([tmp_path / "P02.txt", tmp_path / "P01.txt"])    # other order: other document ids
        q.codes.add("Barriers")
        q.codes.add("Barriers/Fear of judgement")
        q.coding.apply("P01:3", "Fear of judgement")
        q.memos.new("Sam's", "About [[P01:3]] and [[doc:P02]].")
    with Project.open(main, coder="Hannah") as p:
        report = merge_project(p, tmp_path / "sams")
        assert report.documents["matched"] == 2
        assert "not a copy of this project" in report.warnings[0]
        assert [c.path for c in p.codes.list()].count("Barriers/Fear of judgement") == 1
        seg = p.docs.segment("P01:3")[0]
        assert {c[2] for c in codings(p) if c[3:] == (seg.start, seg.end)} == {"Hannah", "Sam"}
        memo = next(m for m in p.memos.list() if m.title == "Sam's")
        assert sorted(link.label for link in p.memos.get(memo.id).links) == ["D1:3", "P02"]


def test_suggestions_rejected_here_are_not_brought_back(study):
    from gtcode.coding import add_coding

    main, copy = study
    with Project.open(main, coder="Hannah") as p:
        code = p.codes.get("Warm practitioner")
        with p.transaction() as txn:
            for seg in p.docs.segment("P01:6") + p.docs.segment("P02:4"):
                add_coding(p.store, txn, code.id, seg.document_id, seg.start, seg.end, status="pending",
                           pattern="warm")
    shutil.copy(main, copy)                         # copied while the suggestions were still pending
    with Project.open(main, coder="Hannah") as p:
        pending = {x.address: x.id for x in p.review.pending()}
        p.review.reject([pending["D1:6"]])
        p.review.accept([pending["D2:4"]])
        before = codings(p)
        report = merge_project(p, copy)
        assert codings(p) == before
        assert report.counts["codings"].skipped == 1 and not report.changed
        assert "1 autocoded suggestion still pending in" in " ".join(report.warnings)


def test_suggestions_rejected_in_the_copy_come_back_as_rejections(study):
    from gtcode.anchors import document_anchors
    from gtcode.coding import add_coding

    main, copy = study
    with Project.open(main, coder="Hannah") as p:
        code = p.codes.get("Warm practitioner")
        with p.transaction() as txn:
            seg = p.docs.segment("P01:6")[0]
            add_coding(p.store, txn, code.id, seg.document_id, seg.start, seg.end, status="pending", pattern="warm")
    shutil.copy(main, copy)
    with Project.open(copy, coder="Sam") as p:
        p.review.reject([x.id for x in p.review.pending()])          # Sam rejects it in his copy
    with Project.open(main, coder="Hannah") as p:
        report = merge_project(p, copy)
        assert report.counts["rejected suggestions"].added == 1
        assert [(a.kind, a.what) for a in document_anchors(p.store, 1) if a.kind == "rejected suggestion"] == [
            ("rejected suggestion", "Warm practitioner")]
        assert merge_project(p, copy).counts["rejected suggestions"].added == 0     # twice adds nothing
        assert not [w for w in report.warnings if "rejected_suggestions" in w]

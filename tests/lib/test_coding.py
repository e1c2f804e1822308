"""Open coding through the library: codes, codings, quotes, in vivo, history and undo (the commands:
tests/cli/test_cli_coding.py, test_cli_codes.py)."""

from __future__ import annotations

import pytest

from gtcode.errors import CodeInUse, DuplicateCode, InputError, NothingToUndo, QuoteNotFound, UndoConflict, \
    UnknownCode

from tests.conftest import table_rows

TEXT = ("Interviewer: How did the filming feel?\n\n"
        "P01: I thought they were collecting evidence. I hated the camera. Then I saw her smile.\n"
        "Interviewer: And the review?\n\n"
        "P01: They only showed the good bits. It made me feel like a proper mum.\n")


@pytest.fixture
def coded(project, tmp_path):
    """One interview, P01 (role=mother), nothing coded yet; codes Barriers/Fear of judgement and
    Facilitators/Strengths-based focus."""
    (tmp_path / "P01.txt").write_text(TEXT, encoding="utf-8")
    project.docs.import_paths([tmp_path / "P01.txt"], case="P01")
    project.cases.set("P01", {"role": "mother"})
    project.codes.add("Barriers")
    project.codes.add("Fear of judgement", "Barriers", description="Worry about being judged as a mother")
    project.codes.add("Facilitators")
    project.codes.add("Strengths-based focus", "Facilitators")
    return project


def coding_rows(project):
    """Every row of the codes and codings tables, to check a command changed nothing (or everything back)."""
    return table_rows(project, ("codes", "codings"))


def test_codes_by_name_and_path(coded):
    assert [c.path for c in coded.codes.list()] == ["Barriers", "Barriers/Fear of judgement", "Facilitators",
                                               "Facilitators/Strengths-based focus"]
    assert coded.codes.get("fear of judgement").path == "Barriers/Fear of judgement"
    assert coded.codes.get("Barriers/Fear of judgement").description.startswith("Worry")
    with pytest.raises(UnknownCode, match="did you mean"):
        coded.codes.get("Fear of judgment")


def test_names_unique_among_siblings_only(coded):
    with pytest.raises(DuplicateCode):
        coded.codes.add("fear of JUDGEMENT", "Barriers")
    coded.codes.add("Fear of judgement", "Facilitators")  # another parent: fine
    with pytest.raises(UnknownCode, match="ambiguous"):
        coded.codes.get("Fear of judgement")
    for bad in ("", "   ", "A/B"):
        with pytest.raises(InputError):
            coded.codes.add(bad)


def test_code_segments_ranges_and_lists(coded):
    coded.coding.apply("D1:2-3", "Fear of judgement")
    coded.coding.apply("P01:2,7", "Strengths-based focus")
    fear = coded.coding.passages("Fear of judgement")
    assert [(p.address, p.text) for p in fear] == [
        ("D1:2-3", "I thought they were collecting evidence. I hated the camera.")]
    assert [p.address for p in coded.coding.passages("Strengths-based focus")] == ["D1:2", "D1:7"]
    assert fear[0].coder == "tester" and fear[0].speaker == "P01"
    text = coded.docs.text("P01")
    assert all(text[p.start:p.end] == p.text for p in coded.coding.passages())


def test_overlapping_codings_merge_not_duplicate(coded):
    coded.coding.apply("D1:2", "Fear of judgement")
    result = coded.coding.apply("D1:2-3", "Fear of judgement")
    assert result == {"added": 0, "merged": 1, "already": 0}
    assert len(coded.coding.passages("Fear of judgement")) == 1
    assert coded.coding.apply("D1:3", "Fear of judgement")["already"] == 1


def test_quote_codes_exact_words(coded):
    coded.coding.apply("D1:2", "Fear of judgement", quote="collecting   Evidence")
    [p] = coded.coding.passages("Fear of judgement")
    assert p.text == "collecting evidence"
    with pytest.raises(QuoteNotFound, match="not in the segment: 'I thought"):
        coded.coding.apply("D1:2", "Fear of judgement", quote="gathering proof")


def test_invivo_creates_and_codes_the_words(coded):
    code = coded.coding.invivo("D1:6", "only showed the good bits", parent="Facilitators")
    assert code.invivo and code.path == "Facilitators/only showed the good bits"
    [p] = coded.coding.passages(code.path)
    assert p.text == "only showed the good bits"


def test_uncode_trims_and_splits(coded):
    coded.coding.apply("D1:2-4", "Fear of judgement")
    coded.coding.remove("D1:3", "Fear of judgement")
    assert [p.text for p in coded.coding.passages("Fear of judgement")] == [
        "I thought they were collecting evidence.", "Then I saw her smile."]


def test_merge_moves_codings_collapses_and_keeps_history(coded):
    coded.codes.add("Judged", "Barriers", description="Being assessed")
    coded.coding.apply("D1:2", "Judged")
    coded.coding.apply("D1:2-3", "Fear of judgement")
    result = coded.codes.merge(["Judged"], "Fear of judgement")
    assert result["codings_moved"] == 1 and result["collapsed"] == 1
    assert [c.path for c in coded.codes.list()].count("Barriers/Judged") == 0
    assert len(coded.coding.passages("Fear of judgement")) == 1
    event = coded.history.log(limit=1)[0]
    assert event["action"] == "code.merge" and event["data"]["source"]["description"] == "Being assessed"


def test_split_moves_chosen_codings(coded):
    coded.coding.apply(["D1:2", "D1:3"], "Fear of judgement")
    ids = [p.id for p in coded.coding.passages("Fear of judgement")]
    coded.codes.split("Fear of judgement", "Camera", [ids[1]])
    assert [p.text for p in coded.coding.passages("Barriers/Camera")] == ["I hated the camera."]
    assert len(coded.coding.passages("Fear of judgement")) == 1
    with pytest.raises(InputError, match="coding 9999 is not a coding of"):
        coded.codes.split("Fear of judgement", "Other", [9999])


def test_delete_refuses_with_codings_unless_forced_and_undo_restores(coded):
    coded.coding.apply("D1:2", "Fear of judgement")
    before = coding_rows(coded)
    with pytest.raises(CodeInUse, match="1 coding"):
        coded.codes.delete("Fear of judgement")
    coded.codes.delete("Barriers", force=True)
    assert [c.path for c in coded.codes.list()] == ["Facilitators", "Facilitators/Strengths-based focus"]
    coded.history.undo()
    assert coding_rows(coded) == before


def test_undo_reverses_commands_exactly_in_order(coded):
    start = coding_rows(coded)
    coded.coding.apply("D1:2-3", "Fear of judgement")
    coded.codes.rename("Fear of judgement", "Feeling judged")
    coded.codes.move("Feeling judged", "Facilitators")
    coded.codes.describe("Feeling judged", include="assessment talk", color="#AA0000")
    done = coded.history.undo(4)
    assert [d["summary"].split()[0] for d in done] == ["described", "moved", "renamed", "coded"]
    assert coding_rows(coded) == start
    assert coded.history.log(limit=1)[0]["action"] == "undo"


def test_undo_only_takes_back_my_own_commands_and_refuses_conflicts(coded):
    coded.coding.apply("D1:2", "Fear of judgement")
    coded.coder = "second coder"
    with pytest.raises(NothingToUndo):
        coded.history.undo()
    coded.codes.rename("Fear of judgement", "Judged")  # second coder changes the code…
    coded.coder = "tester"
    coded.history.undo()  # …the first coder's coding is still undoable (it did not touch that row)
    coded.coder = "tester"
    coded.coding.apply("D1:2", "Judged")
    coded.coder = "second coder"
    coded.coding.apply("D1:2-3", "Judged")  # another coder's coding: a separate row
    coded.coder = "tester"
    coded.codes.describe("Judged", description="x")
    coded.coder = "second coder"
    coded.codes.describe("Judged", description="y")
    coded.coder = "tester"
    with pytest.raises(UndoConflict, match=r"a later command changed the same code: '.*' \(described code "
                                           r"'Barriers/Judged': description\) by second coder at \d{4}-\d\d-\d\d \d\d:\d\d UTC; undo that first") as caught:
        coded.history.undo()
    assert "row" not in str(caught.value)


def test_nothing_is_changed_by_a_failing_command(coded):
    before = coding_rows(coded)
    with pytest.raises(UnknownCode):
        coded.coding.apply(["D1:2", "D1:3"], ["Fear of judgement", "No such code"])
    assert coding_rows(coded) == before


def test_replacing_a_transcript_keeps_codings_on_the_same_words(coded, tmp_path):
    coded.coding.apply("D1:2", "Fear of judgement", quote="collecting evidence")
    coded.coding.apply("D1:7", "Strengths-based focus")
    corrected = TEXT.replace("How did the filming feel?", "How did it feel to be filmed?")
    (tmp_path / "P01.txt").write_text(corrected, encoding="utf-8")
    coded.docs.import_paths([tmp_path / "P01.txt"], replace=True)
    text = coded.docs.text("P01")
    assert [p.text for p in coded.coding.passages()] == ["collecting evidence", "It made me feel like a proper mum."]
    assert all(text[p.start:p.end] == p.text for p in coded.coding.passages())
    # words gone from the new text: refused unless --force, which drops that coding only
    (tmp_path / "P01.txt").write_text(corrected.replace("collecting evidence", "gathering proof"), encoding="utf-8")
    report = coded.docs.import_paths([tmp_path / "P01.txt"], replace=True)
    assert report.count("failed") == 1 and "would change the words of 1 anchored item: coding" in report.outcomes[0].message
    assert "“collecting evidence”" in report.outcomes[0].message   # the words, so the researcher sees what
    coded.docs.import_paths([tmp_path / "P01.txt"], replace=True, force=True)
    assert [p.text for p in coded.coding.passages()] == ["It made me feel like a proper mum."]


def test_a_replace_is_undone_whole_text_segments_anchors_and_index(coded, tmp_path):
    coded.coding.apply("D1:2", "Fear of judgement", quote="collecting evidence")
    text_before, segs_before = coded.docs.text("D1"), [s.text for s in coded.docs.segments("D1")]
    rows_before = coding_rows(coded)
    (tmp_path / "P01.txt").write_text("Interviewer: A new first question?\n" + TEXT, encoding="utf-8")
    coded.docs.import_paths([tmp_path / "P01.txt"], replace=True)
    assert coding_rows(coded) != rows_before                            # the coding moved with its words
    assert [h.text for h in coded.analysis.search("first question")[0]] == ["A new first question?"]
    coded.history.undo()
    assert coded.docs.text("D1") == text_before
    assert [s.text for s in coded.docs.segments("D1")] == segs_before
    assert coding_rows(coded) == rows_before
    assert coded.analysis.search("first question")[0] == []            # the index follows the undo
    assert [h.text for h in coded.analysis.search("evidence")[0]] == [segs_before[1]]


def test_an_import_is_undone_only_while_nothing_anchors_to_it(coded, tmp_path):
    (tmp_path / "P02.txt").write_text(TEXT.replace("proper mum", "real mum"), encoding="utf-8")
    coded.docs.import_paths([tmp_path / "P02.txt"])
    me = coded.coder
    coded.coder = "Sam"
    coded.coding.apply("D2:2", "Fear of judgement", quote="collecting evidence")
    coded.coder = me
    with pytest.raises(UndoConflict, match=r"cannot undo the import of D2 'P02': 1 item is anchored.*Sam"):
        coded.history.undo()
    assert [d.name for d in coded.docs.list()] == ["P01", "P02"]
    coded.coder = "Sam"
    coded.coding.remove("D2:2", "Fear of judgement")                 # Sam takes the coding off again
    coded.coder = me
    coded.history.undo()
    assert [d.name for d in coded.docs.list()] == ["P01"]
    assert coded.analysis.search("real mum")[0] == []


def test_counts_roll_up_to_parents(coded, tmp_path):
    (tmp_path / "P02.txt").write_text(TEXT.replace("P01", "P02"), encoding="utf-8")
    coded.docs.import_paths([tmp_path / "P02.txt"], case="P02")
    coded.coding.apply(["D1:2", "D1:3", "D2:2"], "Fear of judgement")
    coded.codes.add("Camera", "Barriers")
    coded.coding.apply("D1:3", "Camera")
    counts = coded.codes.counts()
    barriers, fear = coded.codes.get("Barriers"), coded.codes.get("Fear of judgement")
    assert counts[fear.id] == {"own": 3, "codings": 3, "documents": 2, "cases": 2}
    assert counts[barriers.id] == {"own": 0, "codings": 4, "documents": 2, "cases": 2}


def test_merge_then_undo_restores_the_exact_prior_state(coded):
    coded.codes.add("Judged", "Barriers", description="Being assessed")
    coded.codes.add("By staff", "Judged")
    coded.coding.apply(["D1:2", "D1:6"], "Judged")
    coded.coding.apply("D1:3", "By staff")
    coded.coding.apply("D1:2-3", "Fear of judgement")
    before = coding_rows(coded)
    result = coded.codes.merge(["Judged"], "Fear of judgement")
    assert result["collapsed"] == 1 and coding_rows(coded) != before
    assert coded.codes.get("By staff").path == "Barriers/Fear of judgement/By staff"
    coded.history.undo()
    assert coding_rows(coded) == before


def test_constant_comparison_through_the_project_api(coded):
    coded.coding.apply("D1:2-3", "Fear of judgement")
    coded.coding.apply("D1:3", "Strengths-based focus")
    assert [g.passages[0].passage.address for g in coded.analysis.retrieve("Fear of judgement").groups] == ["D1:2-3"]
    assert len(coded.analysis.compare("Fear of judgement", "Strengths-based focus").both) == 1
    assert [line.address for line in coded.analysis.kwic("camera").lines] == ["D1:3"]
    assert any(w.word == "camera" for w in coded.analysis.freq(top=None).words)


def test_counts_equal_a_recount_with_grandchildren_pending_codings_an_unlinked_document_and_a_filter(coded,
                                                                                                      tmp_path):
    """Counts roll up through every level, count a document or case once per code, leave pending codings out
    unless asked, and follow a filter on documents: checked against a plain recount of the codings."""
    from gtcode.coding import code_counts
    from gtcode.scope import Scope

    (tmp_path / "P02.txt").write_text(TEXT.replace("P01", "P02"), encoding="utf-8")
    (tmp_path / "Group.txt").write_text(TEXT.replace("P01", "P03"), encoding="utf-8")
    coded.docs.import_paths([tmp_path / "P02.txt"], case="P02")
    coded.docs.import_paths([tmp_path / "Group.txt"])                 # no case: its codings count no case
    coded.codes.add("Camera", "Fear of judgement")                      # a grandchild of Barriers
    coded.coding.apply(["D1:2", "D2:2", "D3:2"], "Fear of judgement")
    coded.coding.apply(["D1:3", "D2:3", "D3:3"], "Camera")
    coded.coding.apply("D2:4", "Strengths-based focus")
    s = coded.store
    s.conn.execute("UPDATE codings SET status = 'pending' WHERE id = (SELECT max(id) FROM codings)")

    def recount(pending: bool, doc_ids=None):
        parent = {r[0]: r[1] for r in s.all("SELECT id, parent_id FROM codes")}
        case_of = {r[0]: r[1] for r in s.all("SELECT id, case_id FROM documents")}
        out = {}
        for code_id, doc_id, status in s.all("SELECT code_id, document_id, status FROM codings"):
            if (status != "confirmed" and not pending) or (doc_ids is not None and doc_id not in doc_ids):
                continue
            node = code_id
            while node is not None:
                slot = out.setdefault(node, {"own": 0, "codings": 0, "documents": set(), "cases": set()})
                slot["own"] += node == code_id
                slot["codings"] += 1
                slot["documents"].add(doc_id)
                slot["cases"] |= {case_of[doc_id]} - {None}
                node = parent[node]
        return {k: v | {"documents": len(v["documents"]), "cases": len(v["cases"])} for k, v in out.items()}

    assert code_counts(s) == recount(False)
    assert code_counts(s, include_pending=True) == recount(True)
    barriers = coded.codes.get("Barriers").id
    assert code_counts(s)[barriers]["cases"] == 2 and code_counts(s)[barriers]["documents"] == 3
    scope = Scope.from_where(s, ["case=P02"])
    assert code_counts(s, False, scope.clause, scope.params) == recount(False, {2})
    # A second interview with the same participant: two documents, one case (counted once)
    (tmp_path / "P02-second.txt").write_text(TEXT.replace("P01", "P02") + "\nP02: A second visit.\n",
                                             encoding="utf-8")
    coded.docs.import_paths([tmp_path / "P02-second.txt"], case="P02")
    coded.coding.apply(["D4:2", "D4:3"], "Camera")
    assert code_counts(s) == recount(False)
    assert code_counts(s, include_pending=True) == recount(True)
    assert code_counts(s)[barriers]["cases"] == 2 and code_counts(s)[barriers]["documents"] == 4

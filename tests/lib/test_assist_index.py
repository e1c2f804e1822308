"""The stored passage index behind `similar` and `suggest`: built only by AI commands, refreshed only where the
words changed, the same rankings as TF-IDF fitted on the text, and gone with the words it derives from
(delete, purge, redaction, `ai index --drop`)."""

from __future__ import annotations

import pytest

from gtcode import Project
from gtcode.errors import AssistDisabled
from tests.conftest import copy_demo


@pytest.fixture
def demo(demo_build, tmp_path):
    """A copy of the demo study (built once per test process), opened as the researcher."""
    p = Project.open(copy_demo(demo_build, tmp_path / "demo"), coder="researcher")
    yield p
    p.close()


def _rows(p: Project, doc_id: int | None = None) -> dict[int, tuple]:
    where, params = ("WHERE document_id = ?", (doc_id,)) if doc_id else ("", ())
    return {r[0]: tuple(r[1:]) for r in p.store.all(
        f"SELECT segment_id, words, terms, counts FROM passage_vectors {where}", params)}


def _participant_segments(p: Project, doc_id: int | None = None) -> int:
    from gtcode.documents import participant_speech

    return p.store.scalar("SELECT count(*) FROM segments s JOIN turns t ON t.id = s.turn_id WHERE "
                          f"{participant_speech('t')} AND s.document_id = coalesce(?, s.document_id)", (doc_id,))


def test_nothing_is_stored_until_an_ai_command_runs_then_every_participant_segment_is(demo):
    assert _rows(demo) == {}                                  # the demo was imported and coded: no index
    demo.assist.similar("D2:31", top=3)
    assert len(_rows(demo)) == _participant_segments(demo) > 300
    event = demo.history.log(limit=1)[0]
    assert event["action"] == "ai.similar" and event["data"]["counts"]["indexed"] == _participant_segments(demo)
    demo.assist.similar("D2:31", top=3)                       # nothing changed: nothing counted again
    assert "indexed" not in demo.history.log(limit=1)[0]["data"]["counts"]


def _fitted_ranking(p: Project, address: str, unit: str = "segment", where=None) -> list[tuple[str, float]]:
    """What scikit-learn's TfidfVectorizer, fitted on the passages' text, ranks first: (address, score)."""
    from gtcode.assist.passages import load_passages, passage_at
    from gtcode.assist.vectors import Index, top_indices

    query = passage_at(p.store, address)
    corpus = [x for x in load_passages(p.store, unit, where, codes=False) if x.document_id != query.document_id]
    index = Index.build([x.text for x in corpus], extra=[query.text])
    row = index.similarities(index.transform([query.text]))[0]
    return [(corpus[i].address, round(float(row[i]), 3)) for i in top_indices(row, 10) if row[i] > 0]


def test_similar_ranks_exactly_as_tfidf_fitted_on_the_text(demo):
    """The stored counts, weighted at query time with numpy alone, give the ranking and scores the fitted
    TF-IDF gives."""
    for address in ("D2:31", "D3:40", "D5:12", "D7:20"):
        got = demo.assist.similar(address, top=10)["results"]
        assert [(r["address"], r["score"]) for r in got] == _fitted_ranking(demo, address)


def test_similar_within_a_where_and_over_whole_turns_ranks_as_fitted_tfidf(demo):
    mothers = demo.assist.similar("D7:20", top=10, where=["role=mother"])
    assert mothers["compared"] == len(_passages(demo, ["role=mother"]))
    assert {r["address"].split(":")[0] for r in mothers["results"]} <= {"D1", "D2", "D3", "D4", "D5"}
    assert [(r["address"], r["score"]) for r in mothers["results"]] == \
        _fitted_ranking(demo, "D7:20", where=["role=mother"])
    turns = demo.assist.similar("D2:31", top=10, unit="turn")
    assert turns["info"]["index"] == "counted" and any("-" in r["address"] for r in turns["results"])
    assert [(r["address"], r["score"]) for r in turns["results"]] == _fitted_ranking(demo, "D2:31", "turn")


def _passages(p: Project, where) -> list:
    from gtcode.assist.passages import load_passages

    return load_passages(p.store, "segment", where, codes=False)


def _texts(p: Project, doc_id: int) -> list[str]:
    from gtcode.assist.passages import load_passages

    return [x.text for x in load_passages(p.store, "segment", doc_ids=[doc_id], codes=False)]


def test_an_edit_recounts_only_the_sentences_it_changed(demo):
    demo.assist.similar("D2:31", top=1)
    others = {k: v for k, v in _rows(demo).items() if k not in _rows(demo, 3)}
    before = _texts(demo, 3)
    old = next(t for t in before if len(t.split()) > 8)
    demo.docs.edit("D3", demo.docs.text("D3").replace(old, old.rstrip(".") + " and it felt like a courtroom.", 1),
                   force=True)
    changed = [t for t in _texts(demo, 3) if t not in before]
    assert changed and len(changed) < 3
    demo.assist.similar("D2:31", top=1)
    assert demo.history.log(limit=1)[0]["data"]["counts"]["indexed"] == len(changed)
    assert {k: v for k, v in _rows(demo).items() if k in others} == others     # other documents untouched
    assert len(_rows(demo, 3)) == _participant_segments(demo, 3)


def test_the_edited_words_are_what_similar_finds(demo, tmp_path):
    demo.assist.similar("D2:31", top=1)
    (tmp_path / "P09.txt").write_text("Interviewer: And the camera?\n\nP09: The camera felt like a courtroom "
                                      "with a judge watching every move.\n", encoding="utf-8")
    demo.docs.import_paths([tmp_path / "P09.txt"])
    old = next(t for t in _texts(demo, 3) if len(t.split()) > 8)
    demo.docs.edit("D3", demo.docs.text("D3").replace(old, "It was like a courtroom, a judge watching every move.",
                                                      1), force=True)
    hits = demo.assist.similar("D9:2", top=3)["results"]
    assert hits[0]["address"].startswith("D3:") and "courtroom" in hits[0]["text"]


def test_deleting_or_purging_a_document_deletes_its_rows(demo):
    demo.assist.similar("D2:31", top=1)
    assert _rows(demo, 4) and _rows(demo, 5)
    demo.docs.delete("D4", force=True)
    assert _rows(demo, 4) == {}
    demo.history.undo()                      # a plain deletion comes back; its rows are counted again
    demo.assist.similar("D2:31", top=1)
    assert len(_rows(demo, 4)) == _participant_segments(demo, 4) > 0
    demo.docs.delete("D5", force=True, purge=True)
    assert _rows(demo, 5) == {}
    assert demo.store.scalar("SELECT count(*) FROM vector_documents WHERE document_id = 5") == 0


def test_redaction_deletes_the_counts_of_the_words_it_replaced(demo, tmp_path):
    from gtcode.assist.index import _digest

    (tmp_path / "P09.txt").write_text("Interviewer: Who came?\n\nP09: Jane Realname came to the house every "
                                      "week with the camera.\n", encoding="utf-8")
    demo.docs.import_paths([tmp_path / "P09.txt"])
    demo.assist.similar("D9:2", top=1)
    real = demo.assist.similar("D9:2")["query"]["text"]
    assert "Jane Realname" in real and _digest(real) in {v[0] for v in _rows(demo, 9).values()}
    untouched = _rows(demo, 2)
    key = tmp_path / "key.csv"
    key.write_text("real,pseudonym\nJane Realname,Nurse A\n", encoding="utf-8")
    demo.redact.apply(key)
    assert _rows(demo, 9) == {}                       # gone with the redaction, not at the next AI run
    assert _rows(demo, 2) == untouched                # documents the key did not change keep theirs
    demo.assist.similar("D2:31", top=1)
    query = demo.assist.similar("D9:2")["query"]["text"]
    assert "Nurse A" in query and {v[0] for v in _rows(demo, 9).values()} == {_digest(query)}


def test_off_or_locked_builds_nothing_and_drop_is_still_allowed(demo):
    from gtcode.config import set_config

    set_config("ai", "off")
    with pytest.raises(AssistDisabled):
        demo.assist.similar("D2:31")
    with pytest.raises(AssistDisabled):
        demo.assist.index()
    assert _rows(demo) == {}
    set_config("ai", None)
    built = demo.assist.index()
    assert built["segments"] == _participant_segments(demo) == built["counted"] and built["bytes"] > 0
    demo.assist.lock("REC condition 4")
    assert demo.assist.stored_index()["segments"] == built["segments"]
    held = demo.assist.drop_index()
    assert held["segments"] == built["segments"] and _rows(demo) == {}
    event = demo.history.log(limit=1)[0]
    assert event["action"] == "ai.index.drop" and event["data"]["segments"] == built["segments"]
    assert demo.assist.drop_index()["segments"] == 0                  # nothing left: nothing recorded
    assert demo.history.log(limit=1)[0]["action"] == "ai.index.drop"
    assert demo.history.log(limit=2)[1]["action"] == "ai.lock"


def test_rows_counted_another_way_are_counted_again(demo):
    demo.assist.index()
    with demo.store.conn:
        demo.store.conn.execute("UPDATE vector_documents SET method = 'older gtcode'")
    again = demo.assist.index()
    assert again["counted"] == again["segments"] == _participant_segments(demo)


def test_a_voice_relabelled_as_participant_is_indexed(demo):
    demo.assist.index()
    turn = demo.store.one("SELECT id, document_id FROM turns WHERE role = 'interviewer' AND kind = 'speech' "
                          "ORDER BY id LIMIT 1")
    with demo.store.conn:
        demo.store.conn.execute("UPDATE turns SET role = 'participant', is_interviewer = 0 WHERE id = ?", (turn[0],))
    n = demo.store.scalar("SELECT count(*) FROM segments WHERE turn_id = ?", (turn[0],))
    assert demo.assist.index()["counted"] == n
    assert len(_rows(demo, turn[1])) == _participant_segments(demo, turn[1])


def test_a_failed_run_stores_nothing(demo):
    with pytest.raises(Exception):
        demo.assist.similar("D99:1")
    assert _rows(demo) == {}


def test_the_library_version_recorded_is_the_installed_one():
    """Read from the installed files without importlib.metadata (start-up), and the same answer."""
    from importlib.metadata import version

    from gtcode.assist.vectors import library_version, method_info

    assert library_version() == version("scikit-learn")
    assert method_info()["library"] == f"scikit-learn {version('scikit-learn')}"

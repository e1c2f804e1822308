"""Coding progress (the TUI's document list and header): each document's participant segments and how many a
confirmed coding touches. The whole project is counted from the turns' stored segment counts and each coding's
first and last segment; it must equal a plain recount, segment by segment, whatever the codings and layouts."""

from __future__ import annotations

from gtcode import Project
from gtcode.analysis.progress import document_progress
from gtcode.documents import participant_speech

INTERVIEW = """Transcript of a research interview, site A.

Interviewer: How did the first visit go? Tell me about the camera.

P01: I was nervous at first. The camera felt like a judge. Then it got easier.

Interviewer: And later on?

P01: Later I liked seeing the good moments. My partner came too. We watched the clips together.
It helped us both. I would do it again.
"""

NOTES = """Field notes, no speakers.

The mother seemed calm. The room was small.

She asked about the film twice. We ended early.
"""


def recount(store) -> dict[int, tuple[int, int]]:
    """(participant segments, of them touched by a confirmed coding) per document, one segment at a time."""
    segments = store.all("SELECT s.document_id, s.start_char, s.end_char FROM segments s JOIN turns t ON "
                         f"t.id = s.turn_id WHERE {participant_speech()}")
    codings = store.all("SELECT document_id, start_char, end_char FROM codings WHERE status = 'confirmed'")
    out = {r[0]: (0, 0) for r in store.all("SELECT id FROM documents")}
    for doc, a, b in segments:
        touched = any(d == doc and s < b and e > a for d, s, e in codings)
        total, hit = out[doc]
        out[doc] = (total + 1, hit + touched)
    return out


def test_whole_project_progress_equals_a_segment_by_segment_recount(tmp_path):
    (tmp_path / "P01.txt").write_text(INTERVIEW, encoding="utf-8")
    (tmp_path / "P02.txt").write_text(INTERVIEW.replace("P01", "P02").replace("camera", "video"), encoding="utf-8")
    (tmp_path / "Notes.txt").write_text(NOTES, encoding="utf-8")
    (tmp_path / "Empty.txt").write_text(INTERVIEW.replace("P01", "P03").replace("nervous", "calm"), encoding="utf-8")
    p = Project.init(tmp_path / "proj", coder="tester")
    p.docs.import_paths([tmp_path / n for n in ("P01.txt", "P02.txt", "Notes.txt", "Empty.txt")],
                        interviewer="Interviewer")
    s = p.store
    p.coding.apply(["D1:4", "D1:5"], "Nerves", create=True)          # two participant segments
    p.coding.apply("D1:7-8", "Later on", create=True)                 # from the interviewer's turn into P01's
    p.coding.apply("D1:5", "Judged", create=True)                     # a second coding on a coded segment
    p.coding.apply("D2:9-11", "Together", create=True)                # a span over several segments
    p.coding.apply("D3:2", "Calm", create=True)                       # notes: every segment is the participant's
    p.coding.apply("D2:2", "Asked", create=True)                      # the interviewer's words only
    s.conn.execute("UPDATE codings SET status = 'pending' WHERE id = (SELECT max(id) FROM codings WHERE "
                   "document_id = 3)")                                # pending: not counted
    # an unlabelled stretch of speech in a labelled interview (a line the importer could not attribute) is
    # nobody's: not counted as the participant's
    s.conn.execute("UPDATE turns SET speaker = NULL WHERE document_id = 2 AND speaker = 'P02' AND ordinal = "
                   "(SELECT min(ordinal) FROM turns WHERE document_id = 2 AND speaker = 'P02')")
    whole = document_progress(s)
    assert {d: (x.participant, x.coded) for d, x in whole.items()} == recount(s)
    assert {d: document_progress(s, d)[d] for d in whole} == whole     # the one-document path agrees
    assert (whole[1].participant, whole[1].coded) == (8, 3)           # 4, 5 and 8; not the preamble or questions
    assert (whole[2].participant, whole[2].coded, whole[3].participant, whole[3].coded) == (5, 3, 5, 0)
    p.history.undo()                                                           # and after a change
    p.docs.import_paths([tmp_path / "P01.txt"], replace=True, interviewer="Interviewer")
    assert {d: (x.participant, x.coded) for d, x in document_progress(s).items()} == recount(s)
    p.close()

"""Autocoding from codebook patterns (pending until reviewed), and the review: accept, reject (the commands:
tests/cli/test_cli_autocode.py)."""

from __future__ import annotations

import pytest

from gtcode.anchors import document_anchors
from gtcode.codebook.autocode import autocode_run, match_patterns, pending, review
from gtcode.codebook import import_codebook_file
from gtcode.errors import BadCodebook, InputError


def autocode(project, *, dry_run=False, examples=3, retry_rejected=False, **match):
    """Match outside the transaction, then write (or, in a dry run, only count), as `gtcode autocode` does."""
    run = match_patterns(project.store, **match)
    with project.transaction(dry_run=dry_run) as txn:
        return autocode_run(project.store, txn, run, examples=examples, retry_rejected=retry_rejected)


def decide(project, action, ids=None, **options):
    with project.transaction() as txn:
        return review(project.store, txn, action, ids, **options)

INTERVIEW = """\
VIG study, interview 1. Topic: energy and engagement.

Interviewer: How much energy did you have for the sessions?

P01: Cancelled. That was the first one. I cancelled the appointment twice because I couldn't get out of bed.
I had no energy at all. She was lovely about it.

Interviewer: And the filming itself?

P01: The camera made me feel so awkward. But she cancels nothing, she just comes back.
"""

CODEBOOK = """\
codes:
  - name: Practical barriers
    description: Tiredness, energy, travel, time.
    patterns: ["energy", "out of bed"]
    codes:
      - name: Exhaustion
  - name: Cancelling
    patterns: ["cancel"]
  - name: Cancelled appointment
    patterns:
      - [{LEMMA: cancel}, {LOWER: the, OP: "?"}, {LEMMA: appointment}]
  - name: Being filmed
    patterns: ["camera"]
"""


@pytest.fixture
def study(project, tmp_path):
    """One interview, P01, and the CODEBOOK's codes with their patterns; nothing coded yet."""
    (tmp_path / "P01.txt").write_text(INTERVIEW, encoding="utf-8")
    project.docs.import_paths([tmp_path / "P01.txt"])
    (tmp_path / "book.yml").write_text(CODEBOOK, encoding="utf-8")
    with project.transaction() as txn:
        import_codebook_file(project.store, txn, tmp_path / "book.yml")
    return project


def texts(project, code, include_pending=True):
    return [p.text for p in project.coding.passages(code, include_pending=include_pending)]


def test_phrases_match_on_lower_case_words_and_lemmas(study):
    result = autocode(study)
    assert texts(study, "Practical barriers", include_pending=True) == [
        "I cancelled the appointment twice because I couldn't get out of bed.", "I had no energy at all."]
    # "cancel" finds "Cancelled" (capitalised, sentence-initial), "cancelled" and "cancels" through their lemma
    assert texts(study, "Cancelling") == [
        "Cancelled.", "I cancelled the appointment twice because I couldn't get out of bed.",
        "But she cancels nothing, she just comes back."]
    outcome = {c.code: c for c in result.codes}
    assert outcome["Cancelling"].added == 3 and outcome["Cancelling"].patterns == {"cancel": 3}
    assert outcome["Practical barriers"].patterns == {"energy": 1, "out of bed": 1}


def test_token_patterns_use_spacy_matcher(study):
    autocode(study)
    passages = study.coding.passages("Cancelled appointment", include_pending=True)
    assert [p.text for p in passages] == ["I cancelled the appointment twice because I couldn't get out of bed."]
    assert passages[0].pattern == '[{"LEMMA": "cancel"}, {"LOWER": "the", "OP": "?"}, {"LEMMA": "appointment"}]'


def test_interviewer_and_unattributed_turns_are_skipped_by_default(study):
    autocode(study)
    assert all(p.speaker == "P01" for p in study.coding.passages(include_pending=True))
    assert "How much energy did you have for the sessions?" not in texts(study, "Practical barriers")
    result = autocode(study, all_speakers=True)
    added = texts(study, "Practical barriers")
    assert "How much energy did you have for the sessions?" in added                    # the interviewer
    assert "Topic: energy and engagement." in added                                     # the unattributed header
    assert result.speakers == "all"


def test_autocoded_codings_are_pending_until_accepted(study):
    autocode(study)
    assert study.coding.passages("Being filmed") == []                           # analyses leave suggestions out
    suggestion = study.coding.passages("Being filmed", include_pending=True)[0]
    assert (suggestion.status, suggestion.pattern) == ("pending", "camera")
    assert [p.id for p in pending(study.store, "Being filmed")] == [suggestion.id]
    assert decide(study, "accept", [suggestion.id]) == {"Being filmed": 1}
    confirmed = study.coding.passages("Being filmed")
    assert [(p.id, p.status) for p in confirmed] == [(suggestion.id, "confirmed")]
    assert pending(study.store, "Being filmed") == []
    assert study.history.events(limit=1)[0]["summary"] == "accepted 1 pending coding of 'Being filmed'"


def test_rejected_suggestions_are_deleted_and_not_suggested_again(study):
    autocode(study)
    assert decide(study, "reject", all_pending=True, code="Cancelling") == {"Cancelling": 3}
    assert texts(study, "Cancelling") == []
    assert len(pending(study.store)) > 0                                  # other codes' suggestions remain
    again = {c.code: c for c in autocode(study).codes}["Cancelling"]
    assert (again.matched, again.added, again.rejected) == (3, 0, 3)
    assert texts(study, "Cancelling") == []
    retried = {c.code: c for c in autocode(study, retry_rejected=True).codes}["Cancelling"]
    assert retried.added == 3


def test_review_refuses_unknown_or_confirmed_ids_and_changes_nothing(study):
    autocode(study)
    first = pending(study.store)[0]
    decide(study, "accept", [first.id])
    before = len(pending(study.store))
    with pytest.raises(InputError, match=f"coding {first.id} is not pending"):
        decide(study, "reject", [first.id, pending(study.store)[0].id])
    with pytest.raises(InputError, match="no coding 999"):
        decide(study, "accept", [999])
    with pytest.raises(InputError, match="or pass --all"):
        decide(study, "accept", [])
    assert len(pending(study.store)) == before


def test_rerun_adds_nothing_and_leaves_reviewed_codings_alone(study):
    study.coding.apply("D1:10", "Being filmed", quote="The camera")             # a person's exact quote, confirmed
    first = {c.code: c for c in autocode(study).codes}
    assert (first["Being filmed"].added, first["Being filmed"].already) == (0, 1)
    quote = study.coding.passages("Being filmed")
    assert [(p.text, p.status) for p in quote] == [("The camera", "confirmed")]   # not widened to the segment
    codings = len(study.coding.passages(include_pending=True))
    second = autocode(study)
    assert second.added == 0 and len(study.coding.passages(include_pending=True)) == codings


def test_dry_run_counts_and_shows_examples_but_changes_nothing(study):
    events = len(study.history.events())
    result = autocode(study, dry_run=True, examples=2)
    assert result.dry_run and result.added == 7
    cancelling = {c.code: c for c in result.codes}["Cancelling"]
    assert [e["address"] for e in cancelling.examples] == ["D1:4", "D1:6"]
    assert cancelling.examples[0] == {"address": "D1:4", "speaker": "P01", "text": "Cancelled.", "pattern": "cancel"}
    assert study.coding.passages(include_pending=True) == [] and len(study.history.events()) == events


def test_undo_removes_an_autocode(study):
    autocode(study)
    assert study.coding.passages(include_pending=True)
    assert "autocoded 3 segments with 'Cancelling' (pending review)" in [e["summary"] for e in study.history.events()]
    study.history.undo()
    assert study.coding.passages(include_pending=True) == []


def test_undo_of_a_rejection_brings_the_suggestion_back(study):
    autocode(study)
    decide(study, "reject", all_pending=True, code="Being filmed")
    study.history.undo()
    assert texts(study, "Being filmed") == ["The camera made me feel so awkward."]
    assert {c.code: c for c in autocode(study, dry_run=True).codes}["Being filmed"].already == 1


def test_codebook_file_patterns_apply_to_existing_codes_only(study, tmp_path):
    other = tmp_path / "other.yml"
    other.write_text("codes:\n  - name: Being filmed\n    patterns: [awkward]\n", encoding="utf-8")
    result = autocode(study, codebook=other)
    assert [c.code for c in result.codes] == ["Being filmed"] and result.source == str(other)
    assert study.coding.passages("Being filmed", include_pending=True)[0].pattern == "awkward"
    other.write_text("codes:\n  - name: Being filmed\n  - name: Not here\n    patterns: [x]\n", encoding="utf-8")
    with pytest.raises(BadCodebook, match=r"other.yml, line 3: code 'Not here' is not in the project"):
        autocode(study, codebook=other)


def test_one_code_and_its_children_only(study):
    result = autocode(study, code="Practical barriers")
    assert [c.code for c in result.codes] == ["Practical barriers"]
    assert texts(study, "Cancelling") == []
    with pytest.raises(InputError, match="'Practical barriers/Exhaustion' and its children have no autocoding"):
        autocode(study, code="Exhaustion")


def test_token_pattern_needing_a_tagger_is_refused_with_the_blank_pipeline(study, tmp_path):
    path = tmp_path / "pos.yml"
    path.write_text("codes:\n  - name: Being filmed\n    patterns: [[{POS: VERB}]]\n", encoding="utf-8")
    with pytest.raises(BadCodebook, match="code 'Being filmed' \\(codebook line 2\\): token pattern .* uses POS"):
        autocode(study, codebook=path)


def test_run_reports_throughput_and_progress(study):
    seen = []
    result = autocode(study, dry_run=True, progress=lambda done, total: seen.append((done, total)))
    said = [s.text for s in study.docs.segments("P01") if s.speaker == "P01"]
    assert result.segments == len(said) == 7                          # participant segments only
    assert result.words == sum(len(t.split()) for t in said) == 44
    assert seen[-1] == (7, 7) and result.seconds > 0


def test_fast_lemmas_equal_spacys_lookup_lemmatizer():
    from gtcode.codebook.autocode import _LookupLemmas
    from gtcode.ingest.nlp import load

    from tests.conftest import TRANSCRIPTS

    nlp = load(lemmas=True)
    text = (TRANSCRIPTS / "P02.txt").read_text(encoding="utf-8")[:20000]
    with nlp.select_pipes(enable=["lemmatizer"]):
        expected = [(t.text, t.lemma_) for t in nlp(text)]
    with nlp.select_pipes(disable=nlp.pipe_names):
        ours = [(t.text, t.lemma_) for t in _LookupLemmas(nlp)(nlp(text))]
    assert ours == expected
    assert ("cancelled", "cancel") in [(t.text, t.lemma_) for t in _LookupLemmas(nlp)(nlp.make_doc("cancelled"))]


def test_demo_is_coded_from_the_starter_codebook(demo_build, demo_copy):
    result, p = demo_build, demo_copy
    assert len(result.codebook.added) == 52
    assert len([c for c in p.codes.list() if c.path != 'Engagement with VIG']) == 52  # + the model's core category
    assert result.autocode.added > 100 and sum(result.accepted.values()) == result.autocode.added
    assert pending(p.store) == []
    counts = p.codes.counts()
    by_demo = p.store.scalar("SELECT count(*) FROM codings c JOIN coders k ON k.id = c.coder_id "
                             "WHERE k.name = 'demo' AND c.pattern IS NOT NULL")
    assert by_demo == result.autocode.added  # the second coder's and hand-coded passages come on top
    filmed = p.codes.get("Self-consciousness while filming")
    assert counts[filmed.id]["cases"] >= 3                        # coded across several participants
    assert all(q.speaker and q.status == "confirmed" for q in p.coding.passages(filmed.path))


def test_where_limits_autocoding_to_matching_documents(study):
    assert autocode(study, dry_run=True, where=["document=Nothing-here"]).segments == 0
    assert autocode(study, dry_run=True, where=["document=P01"]).added == 7


def test_a_rejection_stays_on_its_words_through_an_edit_and_is_undone_with_the_review(study):
    autocode(study)
    decide(study, "reject", all_pending=True, code="Cancelling")
    rejected = [(a.what, a.words) for a in document_anchors(study.store, 1) if a.kind == "rejected suggestion"]
    assert len(rejected) == 3 and all(what == "Cancelling" for what, _ in rejected)
    study.docs.edit("D1", INTERVIEW.replace("Interviewer: How much", "Interviewer: So, how much"))
    assert [(a.what, a.words) for a in document_anchors(study.store, 1) if a.kind == "rejected suggestion"] == rejected
    again = {c.code: c for c in autocode(study).codes}["Cancelling"]
    assert (again.added, again.rejected) == (0, 3)        # still not suggested again, on the moved words
    study.history.undo(3)                                 # the edit, the rejection: back to before it
    assert [a for a in document_anchors(study.store, 1) if a.kind == "rejected suggestion"] == []
    assert {c.code: c for c in autocode(study, dry_run=True).codes}["Cancelling"].rejected == 0

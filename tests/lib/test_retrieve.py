"""Constant comparison through the library: compare, kwic and freq. The tests that also run the commands
(retrieve's among them) are in tests/cli/test_cli_retrieve.py and test_cli_words.py."""

from __future__ import annotations

import pytest

from gtcode.analysis import retrieve as analysis, words
from gtcode.errors import InputError

P01 = ("Interviewer: How did the filming go?\n\n"
       "P01: I was nervous at first. Then I saw her smile at me. They filmed us at home.\n\n"
       "Interviewer: What worried you?\n\n"
       "P01: I thought the social worker would judge me. The film belongs to me now.\n")
P02 = ("Interviewer: How do you introduce it?\n\n"
       "P02: I say the film belongs to the mother. Mums worry about social workers. Filming can feel exposing.\n")
P03 = ("Interviewer: Tell me about the reviews.\n\n"
       "P03: Watching the clips made me cry. We met 3 times in seventeen weeks and I was proud of us.\n")


@pytest.fixture
def study(project, tmp_path):
    """Three interviews: P01 and P03 mothers, P02 a practitioner; P03 has no site."""
    for name, text in (("P01", P01), ("P02", P02), ("P03", P03)):
        (tmp_path / f"{name}.txt").write_text(text, encoding="utf-8")
    project.docs.import_paths([tmp_path / f"{n}.txt" for n in ("P01", "P02", "P03")])
    project.cases.set("P01", {"role": "mother", "site": "Trust A"})
    project.cases.set("P02", {"role": "practitioner", "site": "Trust A"})
    project.cases.set("P03", {"role": "mother"})
    project.codes.add("Fear")
    project.codes.add("Hope")
    return project


# --- compare -------------------------------------------------------------------------------------


def test_compare_counts_a_quote_inside_a_segment_as_both(study):
    study.coding.apply("D1:6", "Fear", quote="social worker")
    study.coding.apply("D1:6", "Hope")
    study.coding.apply("D1:7", "Hope")
    c = analysis.compare(study.store, "Fear", "Hope")
    assert c.a_only == [] and [u.address for u in c.b_only] == ["D1:7"]
    (both,) = c.both
    text = study.docs.text("D1")
    assert [text[s:e] for s, e in both.shared] == ["social worker"]


def test_compare_by_chosen_attribute_and_where(study):
    study.coding.apply(["D1:2", "D2:3"], "Fear")
    study.coding.apply("D2:3", "Hope")
    c = analysis.compare(study.store, "Fear", "Hope", where=["role=practitioner"], attributes=["site"])
    assert [u.address for u in c.both] == ["D2:3"] and c.a_only == []
    assert [(s.attribute, s.label, s.cases) for s in c.split] == [("site", "Trust A", 1)]
    with pytest.raises(InputError, match="two different codes"):
        analysis.compare(study.store, "Fear", "fear")


# --- kwic ----------------------------------------------------------------------------------------

def test_kwic_plain_matches_the_word_only(study):
    k = words.kwic(study.store, "film")
    assert [(x.address, x.keyword) for x in k.lines] == [("D1:7", "film"), ("D2:2", "film")]
    text = study.docs.text("D1")
    line = k.lines[0]
    assert text[line.start:line.end] == "film"
    assert line.left.endswith("would judge me. The") and line.right == "belongs to me now."


def test_kwic_lemma_finds_every_form(study):
    k = words.kwic(study.store, "film", lemma=True)
    assert [(x.address, x.keyword) for x in k.lines] == [
        ("D1:4", "filmed"), ("D1:7", "film"), ("D2:2", "film"), ("D2:4", "Filming")]
    assert [x.keyword for x in words.kwic(study.store, "filmed", lemma=True).lines] == ["filmed", "film", "film",
                                                                                    "Filming"]
    interviewer = words.kwic(study.store, "film", lemma=True, speaker="interviewer")
    assert [(x.address, x.keyword) for x in interviewer.lines] == [("D1:1", "filming")]
    assert len(words.kwic(study.store, "film", lemma=True, speaker="all").lines) == 5
    phrase = words.kwic(study.store, "social worker", lemma=True)
    assert [x.keyword for x in phrase.lines] == ["social worker", "social workers"]
    assert [x.keyword for x in words.kwic(study.store, "social worker").lines] == ["social worker"]
    assert [x.keyword for x in words.kwic(study.store, "film*", where=["role=mother"]).lines] == ["filmed", "film"]


def test_unlabelled_text_is_the_participants_only_when_nothing_is_labelled(study, tmp_path):
    (tmp_path / "notes.txt").write_text("The mother filmed the baby herself.\n", encoding="utf-8")
    (tmp_path / "P04.txt").write_text("Study of filming at home\n\nInterviewer: Go on.\n\nP04: I never filmed it.\n",
                                      encoding="utf-8")
    study.docs.import_paths([tmp_path / "notes.txt", tmp_path / "P04.txt"])
    assert [(s.address, s.speaker) for s in study.docs.segments("P04")] == [("D5:1", None), ("D5:2", "Interviewer"),
                                                                       ("D5:3", "P04")]
    found = [x.address for x in words.kwic(study.store, "film", lemma=True).lines]
    assert "D4:1" in found and "D5:3" in found and "D5:1" not in found  # field notes yes, a header no
    assert "D5:1" in [x.address for x in words.kwic(study.store, "film", lemma=True, speaker="all").lines]


# --- freq ----------------------------------------------------------------------------------------

def test_freq_counts_content_lemmas_of_participants(study):
    f = words.freq(study.store, top=None)
    counts = {w.word: w.count for w in f.words}
    assert counts["film"] == 4 and counts["social"] == 2 and counts["worker"] == 2
    assert counts["time"] == 1  # "times", lemmatised
    for left_out in ("the", "i", "me", "would", "3", "seventeen", ".", "introduce", "review", "tell"):
        assert left_out not in counts  # stop words, numbers, punctuation, the interviewer's words
    assert counts["worry"] == 1  # the practitioner's "worry", not the interviewer's "worried"
    film = next(w for w in f.words if w.word == "film")
    assert (film.documents, film.cases) == (2, 2)
    forms = {w.word: w.count for w in words.freq(study.store, lemma=False, top=None).words}
    assert forms["film"] == 2 and forms["filmed"] == 1 and forms["filming"] == 1
    everyone = {w.word: w.count for w in words.freq(study.store, speaker="all", top=None).words}
    assert everyone["film"] == 5 and everyone["introduce"] == 1 and everyone["worry"] == 2

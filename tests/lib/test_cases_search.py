"""Cases and attributes, --where filters, and full-text search."""

from __future__ import annotations

import pytest

from gtcode.errors import BadFilter, BadQuery, InputError, UnknownCase

MOTHER = ("Interviewer: What worried you about the filming?\n\n"
          "P01: I thought they were collecting evidence. I was scared of being judged as a bad mum.\n"
          "Interviewer: And later?\n\n"
          "P01: Seeing her look at me on the film, that changed everything.\n")
PRACTITIONER = ("Interviewer: How do you introduce the filming?\n\n"
                "P06: I explain the film is deleted afterwards. Some mums still fear being judged.\n")


@pytest.fixture
def study(project, tmp_path):
    """A mother's (P01) and a practitioner's (P06_interview) interview, and three cases from people.csv
    (P09 without a transcript)."""
    (tmp_path / "people.csv").write_text(
        "participant,role,site\nP01,mother,Trust A\nP06,practitioner,Trust B\nP09,mother,Trust B\n", encoding="utf-8")
    (tmp_path / "P01.txt").write_text(MOTHER, encoding="utf-8")
    (tmp_path / "P06_interview.txt").write_text(PRACTITIONER, encoding="utf-8")
    project.docs.import_paths([tmp_path / "P01.txt", tmp_path / "P06_interview.txt"])
    result = project.cases.import_file(tmp_path / "people.csv")
    assert result["created"] == 3 and result["id_column"] == "participant"
    assert sorted(result["linked"]) == ["P01", "P06_interview"]
    return project


def test_cases_import_links_documents_by_stem(study):
    cases = {c.name: c for c in study.cases.list()}
    assert cases["P01"].attributes == {"role": "mother", "site": "Trust A"}
    assert cases["P06"].documents == ["P06_interview"]
    assert cases["P09"].documents == []
    assert study.history.events()[0]["action"] == "document.link"


def test_cases_set_records_before_and_after(study):
    changes = study.cases.set("P01", {"site": "Trust B", "age_band": "25-29"})
    assert changes == {"site": {"before": "Trust A", "after": "Trust B"},
                       "age_band": {"before": None, "after": "25-29"}}
    event = study.history.events()[0]
    assert event["action"] == "case.set" and event["data"]["changes"] == changes
    study.cases.set("P01", {"age_band": ""})  # empty value removes it
    assert "age_band" not in study.cases.get("P01").attributes
    with pytest.raises(UnknownCase, match="did you mean 'P01'"):
        study.cases.get("P011")


def test_reimporting_cases_updates_not_duplicates(study, tmp_path):
    (tmp_path / "people2.csv").write_text("participant,role\nP01,mother\nP09,father\n", encoding="utf-8")
    result = study.cases.import_file(tmp_path / "people2.csv")
    assert result["created"] == 0 and result["updated"] == 1
    assert len(study.cases.list()) == 3
    assert study.cases.get("P09").attributes["role"] == "father"


def test_cases_csv_errors_name_the_file(project, tmp_path):
    (tmp_path / "bad.csv").write_text("participant,role\n,mother\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"bad\.csv: line 2"):
        project.cases.import_file(tmp_path / "bad.csv")
    assert project.cases.list() == []
    with pytest.raises(InputError, match="no such file"):
        project.cases.import_file(tmp_path / "absent.csv")


def test_where_filters_documents(study):
    assert [d.name for d in study.docs.list(where=["role=mother"])] == ["P01"]
    assert [d.name for d in study.docs.list(where=["role!=mother"])] == ["P06_interview"]
    assert [d.name for d in study.docs.list(where=["role=mother,practitioner", "site=Trust B"])] == ["P06_interview"]
    assert [d.name for d in study.docs.list(where=["case=P06"])] == ["P06_interview"]
    with pytest.raises(BadFilter, match="did you mean 'role'"):
        study.docs.list(where=["rol=mother"])
    with pytest.raises(BadFilter, match="ATTRIBUTE=VALUE"):
        study.docs.list(where=["mother"])


def test_search_ranks_highlights_and_addresses(study):
    hits, total = study.analysis.search("judged")
    assert total == 2
    assert {h.address for h in hits} == {"D1:3", "D2:3"}
    text = study.docs.text("P01")
    hit = next(h for h in hits if h.document == "P01")
    assert hit.spans and all(text[a:b] == "judged" for a, b in hit.spans)
    assert text[hit.start:hit.end] == hit.text


def test_search_stems_and_handles_apostrophes(study):
    hits, _ = study.analysis.search("film")  # Porter stemming: filming, film
    assert sorted(h.address for h in hits) == ["D1:1", "D1:5", "D2:1", "D2:2"]
    hits, _ = study.analysis.search("they were")
    assert [h.address for h in hits] == ["D1:2"]
    assert study.analysis.search("don't")[1] == 0  # punctuation does not break the query


def test_search_filters_by_speaker_and_attribute(study):
    assert {h.speaker for h in study.analysis.search("filming", speaker="interviewer")[0]} == {"Interviewer"}
    assert {h.speaker for h in study.analysis.search("filming", speaker="participant")[0]} == {"P01", "P06"}
    assert [h.address for h in study.analysis.search("filming", speaker="p06")[0]] == ["D2:2"]
    assert [h.address for h in study.analysis.search("judged", where=["role=practitioner"])[0]] == ["D2:3"]
    assert [h.case for h in study.analysis.search('"bad mum"')[0]] == ["P01"]


def test_search_syntax_errors_are_clean(study):
    with pytest.raises(BadQuery):
        study.analysis.search('"unbalanced')
    with pytest.raises(BadQuery, match="empty"):
        study.analysis.search("   ")


def test_near_finds_words_close_together_and_not_far_apart(project, tmp_path):
    (tmp_path / "P01.txt").write_text(
        "Interviewer: Tell me about it.\n\nP01: The film showed my baby smiling. Later, much later in the "
        "day and after a long walk round the park, the camera was gone and the baby slept.\n", encoding="utf-8")
    project.docs.import_paths([tmp_path / "P01.txt"])
    near, _ = project.analysis.search("NEAR(film baby, 3)")
    assert [h.text for h in near] == ["The film showed my baby smiling."]
    assert project.analysis.search("NEAR(camera baby, 2)")[0] == []              # four words apart
    assert len(project.analysis.search("NEAR(camera baby, 5)")[0]) == 1


def test_search_total_counts_every_matching_segment_past_the_limit_and_after_changes(study, tmp_path):
    """The whole-project total comes from the search index alone: it must agree with the hits themselves, past
    the limit, and follow a replaced and a deleted transcript (no stale entries left in the index)."""
    hits, total = study.analysis.search("film", limit=1)
    assert len(hits) == 1 and total == len(study.analysis.search("film", limit=None)[0]) == 4
    assert total == study.analysis.search("film", where=["role=mother,practitioner"], limit=None)[1]
    (tmp_path / "P01.txt").write_text(MOTHER.replace("on the film", "on the screen"), encoding="utf-8")
    assert study.docs.import_paths([tmp_path / "P01.txt"], replace=True).count("replaced") == 1
    assert study.analysis.search("film")[1] == len(study.analysis.search("film", limit=None)[0]) == 3
    study.docs.delete("P06_interview")
    assert study.analysis.search("film")[1] == 1
    assert [h.address for h in study.analysis.search("film")[0]] == ["D1:1"]

"""Constant comparison: retrieve, compare, kwic and freq through the library and the CLI."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from typer.testing import CliRunner

from gtcode.analysis import retrieve as analysis, words
from gtcode.cli import app
from gtcode.errors import InputError, UnknownCode

runner = CliRunner()

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


def cli(project, *args, ok=True):
    result = runner.invoke(app, ["-p", str(project.path), *args])
    if ok:
        assert result.exit_code == 0, result.output
    return result


# --- retrieve ------------------------------------------------------------------------------------

def test_retrieve_groups_by_case_with_counts_and_coding_ids(study):
    study.coding.apply(["D1:2", "D1:6", "D3:2"], "Fear")
    result = analysis.retrieve(study.store, "Fear")
    assert [(g.label, len(g.passages), g.attributes.get("role")) for g in result.groups] == [
        ("P01", 2, "mother"), ("P03", 1, "mother")]
    assert [r.passage.address for r in result.passages] == ["D1:2", "D1:6", "D3:2"]
    ids = [r.passage.id for r in result.passages]
    out = cli(study, "retrieve", "Fear").stdout
    assert "P01 (role=mother, site=Trust A) · 2 passages, 1 document" in out
    assert "P03 (role=mother) · 1 passage, 1 document" in out
    assert out.index("P01 (") < out.index("I was nervous at first.") < out.index("P03 (")
    assert all(f"#{i}" in out for i in ids)  # the ids `codes split --codings` needs


def test_retrieve_by_document_and_by_attribute(study):
    study.coding.apply(["D1:2", "D2:3", "D3:2"], "Fear")
    by_doc = analysis.retrieve(study.store, "Fear", by="document")
    assert [g.label for g in by_doc.groups] == ["D1 P01", "D2 P02", "D3 P03"]
    by_role = analysis.retrieve(study.store, "Fear", by="ROLE")
    assert [(g.label, [r.passage.address for r in g.passages]) for g in by_role.groups] == [
        ("mother", ["D1:2", "D3:2"]), ("practitioner", ["D2:3"])]
    by_site = analysis.retrieve(study.store, "Fear", by="site")
    assert [(g.key, g.label, len(g.passages)) for g in by_site.groups] == [("Trust A", "Trust A", 2),
                                                                           (None, "(no site)", 1)]
    out = cli(study, "retrieve", "Fear", "--by", "role").stdout
    assert "role = mother · 2 passages, 2 documents, 2 cases" in out
    assert "role = practitioner · 1 passage, 1 document, 1 case" in out
    bad = cli(study, "retrieve", "Fear", "--by", "rol", ok=False)
    assert bad.exit_code == 1 and "did you mean 'role'" in bad.stderr


def test_retrieve_where_filters_by_case_attribute(study):
    study.coding.apply(["D1:2", "D2:3"], "Fear")
    result = analysis.retrieve(study.store, "Fear", where=["role=mother"])
    assert [r.passage.address for r in result.passages] == ["D1:2"]
    out = cli(study, "retrieve", "Fear", "--where", "role=practitioner").stdout
    assert "Mums worry about social workers." in out and "I was nervous" not in out


def test_retrieve_shows_context_segments_with_their_speakers(study):
    study.coding.apply("D1:6", "Fear")
    (item,) = analysis.retrieve(study.store, "Fear", context=1).passages
    assert [(c.address, c.speaker, c.text) for c in item.before] == [("D1:5", "Interviewer", "What worried you?")]
    assert [(c.address, c.text) for c in item.after] == [("D1:7", "The film belongs to me now.")]
    assert analysis.retrieve(study.store, "Fear").passages[0].before == []
    out = cli(study, "retrieve", "Fear", "--context", "1").stdout
    lines = out.splitlines()
    question = next(i for i, line in enumerate(lines) if "What worried you?" in line)
    assert "Interviewer" in lines[question] and "D1:5" in lines[question]
    assert "would judge me" in lines[question + 1] and "The film belongs to me now." in lines[question + 2]


def test_retrieve_includes_child_codes_and_names_the_code(study):
    study.codes.add("Judged", parent="Fear")
    study.coding.apply("D1:2", "Fear")
    study.coding.apply("D1:6", "Fear/Judged")
    result = analysis.retrieve(study.store, "Fear")
    assert result.codes == ["Fear", "Fear/Judged"]
    assert [(r.passage.address, r.passage.code) for r in result.passages] == [("D1:2", "Fear"),
                                                                              ("D1:6", "Fear/Judged")]
    assert [r.passage.address for r in analysis.retrieve(study.store, "Fear", children=False).passages] == ["D1:2"]
    out = cli(study, "retrieve", "Fear").stdout
    judged = next(line for line in out.splitlines() if "would judge me" in line)
    assert "Fear/Judged" in judged
    assert "would judge me" not in cli(study, "retrieve", "Fear", "--no-children").stdout
    by_code = analysis.retrieve(study.store, "Fear", by="code")
    assert [g.label for g in by_code.groups] == ["Fear", "Fear/Judged"]


def _code_pending(project, address, code):
    """As autocoding does: a coding waiting for review."""
    from gtcode.coding import code_spans, spans_for_addresses

    with project.transaction() as txn:
        code_spans(project.store, txn, [code], spans_for_addresses(project.store, [address]), status="pending")


def test_pending_codings_are_left_out_unless_asked(study):
    study.coding.apply("D1:2", "Fear")
    _code_pending(study, "D3:2", "Fear")
    result = analysis.retrieve(study.store, "Fear")
    assert [r.passage.address for r in result.passages] == ["D1:2"] and result.pending_left_out == 1
    shown = cli(study, "retrieve", "Fear")
    assert "Watching the clips" not in shown.stdout
    assert "1 pending coding" in shown.stderr and "--pending" in shown.stderr
    with_pending = analysis.retrieve(study.store, "Fear", include_pending=True)
    assert [(r.passage.address, r.passage.status) for r in with_pending.passages] == [
        ("D1:2", "confirmed"), ("D3:2", "pending")]
    out = cli(study, "retrieve", "Fear", "--pending").stdout
    row = next(line for line in out.splitlines() if "Watching the clips" in line)
    assert "pending" in row
    assert len(analysis.compare(study.store, "Fear", "Hope").a_only) == 1
    assert len(analysis.compare(study.store, "Fear", "Hope", include_pending=True).a_only) == 2


def test_unknown_code_is_one_clean_error_line(study):
    with pytest.raises(UnknownCode, match="did you mean"):
        analysis.retrieve(study.store, "Feer")
    for args in (["retrieve", "Feer"], ["compare", "Fear", "Hoep"]):
        result = cli(study, *args, ok=False)
        assert result.exit_code == 1
        assert result.stdout == ""
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("Error: no code") and "did you mean" in lines[0]
        assert "Traceback" not in result.output


def test_retrieve_with_nothing_coded_says_so(study):
    result = cli(study, "retrieve", "Hope", "--where", "role=mother")
    assert result.stdout == "" and "No passages coded 'Hope' where role=mother" in result.stderr


# --- compare -------------------------------------------------------------------------------------

def test_compare_a_only_b_only_both_and_attribute_split(study):
    study.coding.apply(["D1:2", "D1:6", "D3:2"], "Fear")
    study.coding.apply(["D1:6-7", "D2:3"], "Hope")
    c = analysis.compare(study.store, "Fear", "Hope")
    assert [u.address for u in c.a_only] == ["D1:2", "D3:2"]
    assert [u.address for u in c.b_only] == ["D2:3"]
    (both,) = c.both
    assert both.address == "D1:6-7" and [p.address for p in both.a] == ["D1:6"]
    assert both.shared == [(both.a[0].start, both.a[0].end)]  # where A and B overlap
    assert (c.cases, c.cases_a_only, c.cases_b_only, c.cases_both) == (3, 1, 1, 1)
    split = {(s.attribute, s.label): (s.cases, s.cases_a_only, s.cases_b_only, s.cases_both,
                                      s.passages_a_only, s.passages_b_only, s.passages_both) for s in c.split}
    assert split == {("role", "mother"): (2, 1, 0, 1, 2, 0, 1),
                     ("role", "practitioner"): (1, 0, 1, 0, 0, 1, 0),
                     ("site", "Trust A"): (2, 0, 1, 1, 1, 1, 1),
                     ("site", "(no site)"): (1, 1, 0, 0, 1, 0, 0)}
    out = cli(study, "compare", "Fear", "Hope").stdout
    assert "2 A only, 1 B only, 1 both" in out
    mother = next(line for line in out.splitlines() if "mother" in line)
    assert [cell.strip() for cell in mother.split("│")] == ["role", "mother", "2", "1", "0", "1", "2", "0", "1"]
    header = next(line for line in out.splitlines() if "A only: Fear" in line)
    assert "B only: Hope" in header  # side by side
    assert out.index("Both (1)") < out.index("The film belongs to me now.")


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


def test_kwic_cli_aligns_keywords_and_gives_addresses(study):
    out = cli(study, "kwic", "film", "--lemma", "--width", "30").stdout
    lines = [line for line in out.splitlines() if line.strip()]
    assert [line.split()[0] for line in lines] == ["D1:4", "D1:7", "D2:2", "D2:4"]
    columns = {line.index(word) for line, word in zip(lines, ["filmed", "film", "film", "Filming"])}
    assert len(columns) == 1  # left context right-aligned: every keyword starts in the same column
    assert "me. They filmed" in lines[0] and lines[0].rstrip().endswith("filmed  us at home.")
    assert "…" in lines[1]  # context clipped to --width
    assert "Interviewer" not in out
    none = cli(study, "kwic", "camera")
    assert none.stdout == "" and "No occurrences of 'camera'" in none.stderr
    bad = cli(study, "kwic", "film", "--speaker", "P0l", ok=False)
    assert bad.exit_code == 1 and "did you mean" in bad.stderr


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


def test_freq_by_attribute_gives_a_column_per_value(study):
    f = words.freq(study.store, by="role", top=3)
    assert f.groups == ["mother", "practitioner"]
    film = f.words[0]
    assert (film.word, film.count, film.by) == ("film", 4, {"mother": 2, "practitioner": 2})
    assert len(f.words) == 3
    assert f.words_spoken["mother"] > f.words_spoken["practitioner"] > 0
    out = cli(study, "freq", "--by", "role", "--top", "3").stdout
    header = out.splitlines()[0] + out.splitlines()[1]
    assert "mother" in header and "practitioner" in header
    film_row = next(line for line in out.splitlines() if " film " in line)
    assert film_row.split("│")[5].split()[0] == "2" and film_row.split("│")[6].split()[0] == "2"
    assert "stop words" in cli(study, "freq").stderr


# --- JSON and start-up ---------------------------------------------------------------------------

def test_json_shapes(study):
    study.coding.apply(["D1:2", "D1:6"], "Fear")
    study.coding.apply("D1:6", "Hope")
    r = json.loads(cli(study, "retrieve", "Fear", "--context", "1", "--json").stdout)
    assert (r["code"], r["by"], r["count"], r["cases"]) == ("Fear", "case", 2, 1)
    (group,) = r["groups"]
    p = group["passages"][0]
    assert group["label"] == "P01" and group["count"] == 2
    assert {"id", "code", "address", "document", "case", "speaker", "text", "status", "before", "after"} <= set(p)
    assert p["before"][0] == {"address": "D1:1", "speaker": "Interviewer", "is_interviewer": True,
                              "text": "How did the filming go?"}
    c = json.loads(cli(study, "compare", "Fear", "Hope", "--json").stdout)
    assert c["counts"] == {"a_only": 1, "b_only": 0, "both": 1}
    assert c["both"][0]["a"][0]["address"] == "D1:6" and c["both"][0]["b"][0]["code"] == "Hope"
    assert c["split"][0] == {"attribute": "role", "value": "mother", "cases": 2, "cases_a_only": 0,
                             "cases_b_only": 0, "cases_both": 1, "passages_a_only": 1, "passages_b_only": 0,
                             "passages_both": 1}
    k = json.loads(cli(study, "kwic", "film", "--lemma", "--json").stdout)
    assert k["count"] == 4 and k["sought"] == ["film"]
    assert k["lines"][0] | {"left": None} == {"address": "D1:4", "document_id": 1, "document": "P01", "case": "P01",
                                              "speaker": "P01", "start": k["lines"][0]["start"],
                                              "end": k["lines"][0]["start"] + 6, "left": None,
                                              "keyword": "filmed", "right": "us at home."}
    f = json.loads(cli(study, "freq", "--by", "role", "--top", "2", "--json").stdout)
    assert f["groups"] == ["mother", "practitioner"] and len(f["words"]) == 2
    assert f["words"][0] == {"word": "film", "count": 4, "documents": 2, "cases": 2,
                             "by": {"mother": 2, "practitioner": 2}}


def test_retrieve_and_compare_do_not_load_spacy(study):
    study.coding.apply("D1:2", "Fear")
    study.coding.apply("D1:2", "Hope")
    code = (f"import sys\nfrom gtcode.cli import app\n"
            f"for argv in (['retrieve', 'Fear', '--context', '1'], ['compare', 'Fear', 'Hope']):\n"
            f"    try:\n        app(['-p', {str(study.path)!r}, *argv], standalone_mode=False)\n"
            f"    except SystemExit:\n        pass\n"
            f"print(sorted({{m.split('.')[0] for m in sys.modules}} & {{'spacy', 'numpy', 'networkx'}}))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines()[-1] == "[]"

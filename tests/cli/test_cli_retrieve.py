"""`gtcode retrieve` and `compare` (with the library calls they show), on the library tests' study."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from gtcode.analysis import retrieve as analysis
from gtcode.errors import UnknownCode

from tests.conftest import invoke
from tests.lib import test_retrieve as lib

study = lib.study  # the library tests' fixture, shared rather than copied


def test_retrieve_groups_by_case_with_counts_and_coding_ids(study):
    study.coding.apply(["D1:2", "D1:6", "D3:2"], "Fear")
    result = analysis.retrieve(study.store, "Fear")
    assert [(g.label, len(g.passages), g.attributes.get("role")) for g in result.groups] == [
        ("P01", 2, "mother"), ("P03", 1, "mother")]
    assert [r.passage.address for r in result.passages] == ["D1:2", "D1:6", "D3:2"]
    ids = [r.passage.id for r in result.passages]
    out = invoke(study, "retrieve", "Fear").stdout
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
    out = invoke(study, "retrieve", "Fear", "--by", "role").stdout
    assert "role = mother · 2 passages, 2 documents, 2 cases" in out
    assert "role = practitioner · 1 passage, 1 document, 1 case" in out
    bad = invoke(study, "retrieve", "Fear", "--by", "rol", ok=False)
    assert bad.exit_code == 1 and "did you mean 'role'" in bad.stderr


def test_retrieve_where_filters_by_case_attribute(study):
    study.coding.apply(["D1:2", "D2:3"], "Fear")
    result = analysis.retrieve(study.store, "Fear", where=["role=mother"])
    assert [r.passage.address for r in result.passages] == ["D1:2"]
    out = invoke(study, "retrieve", "Fear", "--where", "role=practitioner").stdout
    assert "Mums worry about social workers." in out and "I was nervous" not in out


def test_retrieve_shows_context_segments_with_their_speakers(study):
    study.coding.apply("D1:6", "Fear")
    (item,) = analysis.retrieve(study.store, "Fear", context=1).passages
    assert [(c.address, c.speaker, c.text) for c in item.before] == [("D1:5", "Interviewer", "What worried you?")]
    assert [(c.address, c.text) for c in item.after] == [("D1:7", "The film belongs to me now.")]
    assert analysis.retrieve(study.store, "Fear").passages[0].before == []
    out = invoke(study, "retrieve", "Fear", "--context", "1").stdout
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
    out = invoke(study, "retrieve", "Fear").stdout
    judged = next(line for line in out.splitlines() if "would judge me" in line)
    assert "Fear/Judged" in judged
    assert "would judge me" not in invoke(study, "retrieve", "Fear", "--no-children").stdout
    by_code = analysis.retrieve(study.store, "Fear", by="code")
    assert [g.label for g in by_code.groups] == ["Fear", "Fear/Judged"]


def _code_pending(project, address, code):
    """As autocoding does: a coding waiting for review."""
    from gtcode.coding import code_spans
    from gtcode.spans import spans_for_addresses

    with project.transaction() as txn:
        code_spans(project.store, txn, [code], spans_for_addresses(project.store, [address]), status="pending")


def test_pending_codings_are_left_out_unless_asked(study):
    study.coding.apply("D1:2", "Fear")
    _code_pending(study, "D3:2", "Fear")
    result = analysis.retrieve(study.store, "Fear")
    assert [r.passage.address for r in result.passages] == ["D1:2"] and result.pending_left_out == 1
    shown = invoke(study, "retrieve", "Fear")
    assert "Watching the clips" not in shown.stdout
    assert "1 pending coding" in shown.stderr and "--pending" in shown.stderr
    with_pending = analysis.retrieve(study.store, "Fear", include_pending=True)
    assert [(r.passage.address, r.passage.status) for r in with_pending.passages] == [
        ("D1:2", "confirmed"), ("D3:2", "pending")]
    out = invoke(study, "retrieve", "Fear", "--pending").stdout
    row = next(line for line in out.splitlines() if "Watching the clips" in line)
    assert "pending" in row
    assert len(analysis.compare(study.store, "Fear", "Hope").a_only) == 1
    assert len(analysis.compare(study.store, "Fear", "Hope", include_pending=True).a_only) == 2


def test_unknown_code_is_one_clean_error_line(study):
    with pytest.raises(UnknownCode, match="did you mean"):
        analysis.retrieve(study.store, "Feer")
    for args in (["retrieve", "Feer"], ["compare", "Fear", "Hoep"]):
        result = invoke(study, *args, ok=False)
        assert result.exit_code == 1
        assert result.stdout == ""
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("Error: no code") and "did you mean" in lines[0]
        assert "Traceback" not in result.output


def test_retrieve_with_nothing_coded_says_so(study):
    result = invoke(study, "retrieve", "Hope", "--where", "role=mother")
    assert result.stdout == "" and "No passages coded 'Hope' where role=mother" in result.stderr


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
    out = invoke(study, "compare", "Fear", "Hope").stdout
    assert "2 A only, 1 B only, 1 both" in out
    mother = next(line for line in out.splitlines() if "mother" in line)
    assert [cell.strip() for cell in mother.split("│")] == ["role", "mother", "2", "1", "0", "1", "2", "0", "1"]
    header = next(line for line in out.splitlines() if "A only: Fear" in line)
    assert "B only: Hope" in header  # side by side
    assert out.index("Both (1)") < out.index("The film belongs to me now.")


def test_json_shapes(study):
    study.coding.apply(["D1:2", "D1:6"], "Fear")
    study.coding.apply("D1:6", "Hope")
    r = json.loads(invoke(study, "retrieve", "Fear", "--context", "1", "--json").stdout)
    assert (r["code"], r["by"], r["count"], r["cases"]) == ("Fear", "case", 2, 1)
    (group,) = r["groups"]
    p = group["passages"][0]
    assert group["label"] == "P01" and group["count"] == 2
    assert {"id", "code", "address", "document", "case", "speaker", "text", "status", "before", "after"} <= set(p)
    assert p["before"][0] == {"address": "D1:1", "speaker": "Interviewer", "is_interviewer": True,
                              "text": "How did the filming go?"}
    c = json.loads(invoke(study, "compare", "Fear", "Hope", "--json").stdout)
    assert c["counts"] == {"a_only": 1, "b_only": 0, "both": 1}
    assert c["both"][0]["a"][0]["address"] == "D1:6" and c["both"][0]["b"][0]["code"] == "Hope"
    assert c["split"][0] == {"attribute": "role", "value": "mother", "cases": 2, "cases_a_only": 0,
                             "cases_b_only": 0, "cases_both": 1, "passages_a_only": 1, "passages_b_only": 0,
                             "passages_both": 1}
    k = json.loads(invoke(study, "kwic", "film", "--lemma", "--json").stdout)
    assert k["count"] == 4 and k["sought"] == ["film"]
    assert k["lines"][0] | {"left": None} == {"address": "D1:4", "document_id": 1, "document": "P01", "case": "P01",
                                              "speaker": "P01", "start": k["lines"][0]["start"],
                                              "end": k["lines"][0]["start"] + 6, "left": None,
                                              "keyword": "filmed", "right": "us at home."}
    f = json.loads(invoke(study, "freq", "--by", "role", "--top", "2", "--json").stdout)
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


def test_the_listing_is_the_text_rich_builds_piece_by_piece():
    """`retrieve` gathers its listing as pieces and makes one Rich Text at the end: the same text and styles
    as appending each piece, control codes (which Rich strips) and headings with styles of their own included."""
    import io

    from rich.console import Console
    from rich.text import Text

    from gtcode.cli.retrieve import _Listing

    head = Text("\nP01", style="bold cyan").append(" (role=mother)", style="cyan").append(" · 2 passages", style="dim")
    for quote in ("I was nervous at first.", "a bell\x07, a backspace\x08 and a return\r in it"):
        pieces = [(head, ""), ("\n", ""), ("#12 ", "dim"), ("D1:2 ", ""), ("P01 ", "bold"), (quote + "\n", ""),
                  ("", "dim"), ("     ", ""), ("the context\n", "dim")]
        listing, appended = _Listing(), Text()
        for text, style in pieces:
            listing.add(text, style)
            appended.append(text, style=style or None)
        made = listing.text()
        assert made.plain == appended.plain and "\x07" not in made.plain
        assert made.spans == appended.spans
        printed = []
        for t in (made, appended):
            console = Console(file=io.StringIO(), width=60, force_terminal=True, color_system="truecolor")
            console.print(t, end="", soft_wrap=True)
            printed.append(console.file.getvalue())
        assert printed[0] == printed[1] and "\x1b[1" in printed[0]          # styled (bold at least)


def test_retrieve_in_a_narrow_terminal_wraps_the_title_and_keeps_every_passage(study):
    study.coding.apply(["D1:2", "D1:6", "D3:2"], "Fear")
    out = invoke(study, "retrieve", "Fear", env={"COLUMNS": "30"}).stdout
    lines = out.splitlines()
    title = "Fear · 3 passages in 2 documents, 2 cases"
    assert lines[0] != title and " ".join(" ".join(lines[:2]).split()) == title     # wrapped, every word kept
    assert "P01 (role=mother, site=Trust" in out and "I was nervous" in out and out.count("#") == 3

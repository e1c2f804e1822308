"""The thesis report: one outline rendered as Word, Markdown and HTML, read back to check what a
supervisor would see — headings, the codebook table's rows and exemplars, embedded figures and captions —
plus the Markdown golden file, the --where filter, pending codings left out, and clean failures (the command:
tests/cli/test_cli_report.py).

Set GTCODE_UPDATE_GOLDEN=1 to rewrite tests/golden/report/ after a deliberate change.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from gtcode.analysis import exemplars
from gtcode.errors import InputError, UnsupportedFormat
from gtcode.report import thesis, thesis_data
from gtcode.report.codebook_docx import write_codebook_docx
from gtcode.report.thesis import build_report, write_report

from tests.conftest import assert_golden, import_gtcode_modules

GOLDEN = Path(__file__).parents[1] / "golden" / "report"
FIXED = "2024-03-04T09:30:00.000000+00:00"

P01 = ("Interviewer: How did the filming go?\r\n\r\n"
       "P01: Honestly I thought they were collecting evidence about me, that the film would end up with the social "
       "worker and count against me as a mum. It felt like a test | a *trap*. <b>Bold</b> move, I know. Then she "
       "smiled 😊 and I relaxed.\r\n\r\n"
       "Interviewer: And the review?\r\n\r\n"
       "P01: Seeing myself calm with him on the screen, the café music in the background, I felt accepted for the "
       "first time since the birth.\r\n")
P02 = ("WEBVTT\n\n00:00:01.000 --> 00:00:05.000\n<v Interviewer>What do mothers worry about?</v>\n\n"
       "00:00:06.000 --> 00:10:00.000\n<v P02>Mothers often think the camera is for the social worker. Once they "
       "trust me that fades, and they start to enjoy the clips.</v>\n\n"
       "00:10:01.000 --> 00:20:00.000\n<v P02>Getting there on the bus with a newborn is hard, so I go to them.</v>\n")
P03 = ("Interviewer: Anything else?\n\n"
       "P03: 母親として見られている気がした. I did not want to be filmed at all, "
       "it felt like being watched.\n")

FEAR, SHY, ACCEPTED = "Fear of *judgement*", "Camera shy 📷", "Feeling accepted 😊"
SECTIONS = ["Study summary", "Codebook", "Categories", "Explanatory model", "Saturation", "Appendix A: Memos",
            "Appendix B: Audit summary"]


@pytest.fixture
def clock(monkeypatch):
    """Every stored time is one fixed moment, so reports are the same on every run."""
    import sys

    import gtcode.store.db as db

    import_gtcode_modules()
    real = db.now
    for name, module in list(sys.modules.items()):
        if name.startswith("gtcode") and getattr(module, "now", None) is real:
            monkeypatch.setattr(module, "now", lambda: FIXED)


@pytest.fixture
def study(clock, tmp_path):
    """An awkward little study: CRLF, emoji, CJK, Markdown specials, a timed VTT, nested categories, an empty code,
    a pending suggestion, a core category with relations and a property, memos with a comment and a sign-off."""
    from gtcode import Project
    from gtcode.coding import code_spans
    from gtcode.spans import spans_for_addresses

    p = Project.init(tmp_path / "proj", coder="Hannah Reid")
    (tmp_path / "P01.txt").write_bytes(P01.encode("utf-8"))
    (tmp_path / "P02.vtt").write_text(P02, encoding="utf-8")
    (tmp_path / "P03.txt").write_text(P03, encoding="utf-8")
    p.cases.set("P01", {"role": "mother", "site": "Trust A"})
    p.cases.set("P02", {"role": "practitioner", "site": "Trust B"})
    p.cases.set("P03", {"role": "mother"})
    p.docs.import_paths([tmp_path / n for n in ("P01.txt", "P02.vtt", "P03.txt")], interviewer="Interviewer")
    p.codes.add(FEAR, description="Worry | about <being> judged as a mother",
               include="Mentions of evidence, assessment", exclude="General anxiety")
    p.codes.add(SHY, parent=FEAR, description="Not wanting to be on camera")
    p.codes.add(ACCEPTED, description="Feeling met, not judged")
    p.codes.add("Practical obstacles", description="Travel, time, childcare")
    p.codes.add("Empty code")
    p.coding.apply(["D1:1", "D1:2", "D2:2", "D3:3"], FEAR)
    p.coding.apply("D3:2-3", f"{FEAR}/{SHY}")
    p.coding.apply(["D1:5", "D1:7", "D2:3"], ACCEPTED)
    p.coding.apply("D2:4", "Practical obstacles")
    with p.transaction() as txn:     # an autocoded suggestion nobody has reviewed
        code_spans(p.store, txn, ["Practical obstacles"], spans_for_addresses(p.store, ["D1:3"]), status="pending")
    p.model.new_category("Barriers", description="What keeps mothers away")
    p.model.add_to_category("Barriers", [FEAR])
    p.model.new_category("Support")
    p.model.new_category("Practitioner trust", parent="Support")
    p.model.add_to_category("Support/Practitioner trust", [ACCEPTED])
    p.model.new_category("Engagement", description="Taking up and staying with VIG.")
    memo, _ = p.memos.new("Evidence & surveillance", "The camera reads as *evidence* [[D1:2]].\n\n- a bullet\n- another",
                         type="theoretical")
    p.memos.new("My position", "I film mothers myself.", type="reflexive")
    p.model.relate("Barriers", "hinders", "Engagement", evidence=["D1:2", "D3:3"])
    p.model.relate("Support/Practitioner trust", "facilitates", "Engagement", evidence=["D1:7"], memo=memo.id)
    p.model.set_core("Engagement")
    p.model.add_property("Barriers", "intensity", "passing worry..overwhelming")
    p.model.place("Barriers", "intensity", ["D1:2=overwhelming", "D3:3=high"])
    p.memos.new("The storyline", "Engagement turns on trust.", type="storyline", links=["category:Engagement"])
    p.coder = "Dr Okafor"
    p.memos.comment(memo.id, "Is there a mother who expected evidence and still engaged?")
    p.memos.signoff(2, "Fine.")
    p.coder = "Hannah Reid"
    yield p
    p.close()


def _check_golden(text: str, name: str) -> None:
    assert_golden(text, GOLDEN / name)


# --- Markdown ------------------------------------------------------------------------------------------------

def test_markdown_report_matches_golden_file_with_figures_beside_it(study, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    written = write_report(study, out / "report.md", title="Engagement with VIG: a grounded theory")
    assert written == [out / "report.md", out / "report-model.png", out / "report-saturation.png"]
    for png in written[1:]:
        assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    text = (out / "report.md").read_text(encoding="utf-8")
    assert "](report-model.png)" in text and "](report-saturation.png)" in text
    _check_golden(text, "report.md")


def test_markdown_escapes_researchers_text(study, tmp_path):
    write_report(study, tmp_path / "r.md")
    text = (tmp_path / "r.md").read_text(encoding="utf-8")
    assert r"Fear of \*judgement\*" in text                  # not italics
    assert "Worry \\| about &lt;being> judged" in text     # a pipe cannot break the table, no raw HTML
    assert "<being>" not in text and "<b>Bold" not in text


# --- Word ----------------------------------------------------------------------------------------------------

def _docx(path):
    import docx

    return docx.Document(str(path))


def test_docx_has_the_sections_built_in_styles_figures_and_captions(study, tmp_path):
    write_report(study, tmp_path / "report.docx", title="Engagement with VIG")
    d = _docx(tmp_path / "report.docx")
    styles = [(p.style.name, p.text) for p in d.paragraphs]
    assert styles[0] == ("Title", "Engagement with VIG")
    assert [t for s, t in styles if s == "Heading 1"] == SECTIONS
    assert "Engagement (core category)" in [t for s, t in styles if s == "Heading 2"]
    assert {"Barriers", "Facilitators"} <= {t for s, t in styles if s == "Heading 3"}
    captions = [t for s, t in styles if s == "Caption"]
    assert [c.split(".")[0] for c in captions if c.startswith("Figure")] == ["Figure 1", "Figure 2"]
    assert any(c.startswith("Table ") and c.endswith(". Codebook") for c in captions)
    assert len(d.inline_shapes) == 2                              # the model and the saturation plot
    assert "Quote" in {s for s, _ in styles}                      # the supervisor's comment
    assert all(t.style.name == "Table Grid" for t in d.tables)
    for section in d.sections:                                    # A4, either way round
        assert {round(section.page_width.mm), round(section.page_height.mm)} == {210, 297}


def _codebook_table(d):
    return next(t for t in d.tables if [c.text for c in t.rows[0].cells][:3] == ["Category", "Code", "Definition"])


def test_docx_codebook_table_has_a_row_per_code_with_counts_and_exemplar(study, tmp_path):
    write_report(study, tmp_path / "report.docx")
    d = _docx(tmp_path / "report.docx")
    rows = [[c.text for c in r.cells] for r in _codebook_table(d).rows[1:]]
    by_code = {r[1]: r for r in rows}
    assert list(by_code) == [f"{FEAR}", f"{FEAR}/{SHY}", "Empty code", "Practical obstacles", ACCEPTED]
    fear = by_code[FEAR]
    assert fear[0] == "Barriers" and fear[2] == "Worry | about <being> judged as a mother"
    assert fear[3] == "Include: Mentions of evidence, assessment\nExclude: General anxiety"
    assert fear[4] == "3 participants\n5 segments"     # its sub-code's D3:2 counts too; P01, P02, P03
    assert fear[5].startswith("“Honestly I thought they were collecting evidence") and fear[5].endswith("(P01, D1:2)")
    assert by_code["Empty code"][4:] == ["0 participants\n0 segments", "—"]
    assert by_code["Practical obstacles"][0] == "—"     # in no category
    assert by_code[ACCEPTED][0] == "Practitioner trust"


def test_docx_tables_fit_the_page_and_the_codebook_is_landscape(study, tmp_path):
    write_report(study, tmp_path / "report.docx")
    d = _docx(tmp_path / "report.docx")
    body = d.element.body
    for table in d.tables:
        section = next(s for s in d.sections if _section_holds(body, s, table))
        room = section.page_width - section.left_margin - section.right_margin
        assert sum(c.width for c in table.rows[0].cells) <= room + 100   # EMU rounding
        if table is _codebook_table(d):
            assert section.page_width > section.page_height


def _section_holds(body, section, table) -> bool:
    """Whether `table` sits in `section` (a section's properties close it, after its content)."""
    children = list(body.iterchildren())
    sect_pr = section._sectPr
    end = next(i for i, el in enumerate(children) if el is sect_pr or sect_pr in el.iter())
    ends = sorted(next(i for i, el in enumerate(children) if el is s._sectPr or s._sectPr in el.iter())
                  for s in section.part.document.sections)
    start = max([e for e in ends if e < end], default=-1)
    return start < children.index(table._tbl) <= end


def test_codebook_alone_as_a_word_appendix(study, tmp_path):
    write_codebook_docx(study, tmp_path / "codebook.docx", title="Appendix C: Codebook")
    d = _docx(tmp_path / "codebook.docx")
    assert d.paragraphs[0].style.name == "Title" and d.paragraphs[0].text == "Appendix C: Codebook"
    assert len(d.tables) == 1 and len(d.tables[0].rows) == 1 + 5
    assert len(d.sections) == 1 and d.sections[0].page_width > d.sections[0].page_height
    assert [p.text for p in d.paragraphs if p.style.name == "Caption"] == ["Table 1. Codebook"]
    write_codebook_docx(study, tmp_path / "fear.docx", code=FEAR)
    rows = _docx(tmp_path / "fear.docx").tables[0].rows[1:]
    assert [r.cells[1].text for r in rows] == [FEAR, f"{FEAR}/{SHY}"]


def test_codebook_appendix_needs_codes(tmp_path, project):
    (tmp_path / "P01.txt").write_text("Interviewer: Hi.\n\nP01: Hello.\n", encoding="utf-8")
    project.docs.import_paths([tmp_path / "P01.txt"])
    with pytest.raises(InputError, match="no codes to export"):
        write_codebook_docx(project, tmp_path / "codebook.docx")
    assert not (tmp_path / "codebook.docx").exists()


# --- the same content in every format ----------------------------------------------------------------------

def test_html_is_self_contained_and_says_what_markdown_says(study, tmp_path):
    write_report(study, tmp_path / "r.html")
    write_report(study, tmp_path / "r.md")
    page = (tmp_path / "r.html").read_text(encoding="utf-8")
    md = (tmp_path / "r.md").read_text(encoding="utf-8")
    assert page.count('src="data:image/png;base64,') == 2
    assert not re.search(r"(src|href)=\"(https?:|//)", page) and "<script" not in page
    assert "&lt;being&gt;" in page and "<being>" not in page
    html_heads = [re.sub(r"<[^>]+>", "", h) for h in re.findall(r"<h[2-4]>(.*?)</h[2-4]>", page)]
    md_heads = [h.replace("\\", "") for h in re.findall(r"^#{2,4} (.*)$", md, re.M)]
    import html
    assert [html.unescape(h) for h in html_heads] == md_heads
    assert re.findall(r"<b>(Table \d+|Figure \d+)\.</b>", page) == re.findall(r"\*\*(Table \d+|Figure \d+)\.\*\*", md)


def test_docx_and_markdown_have_the_same_headings(study, tmp_path):
    write_report(study, tmp_path / "r.docx")
    write_report(study, tmp_path / "r.md")
    d = _docx(tmp_path / "r.docx")
    docx_heads = [p.text for p in d.paragraphs if p.style.name.startswith("Heading")]
    md = (tmp_path / "r.md").read_text(encoding="utf-8")
    assert docx_heads == [h.replace("\\", "") for h in re.findall(r"^#{2,4} (.*)$", md, re.M)]


# --- what is counted and quoted ------------------------------------------------------------------------------

def test_pending_suggestions_are_left_out_of_counts_and_said_to_be(study):
    report = build_report(study)
    text = "\n".join(r[0] for b in report.blocks for r in b.runs)
    assert "1 autocoded suggestion still waiting for review is left out" in text
    codebook = next(b for b in report.blocks if b.kind == "table" and b.caption == "Codebook")
    obstacles = next(r for r in codebook.rows if r[1] == "Practical obstacles")
    assert obstacles[4] == "1 participant\n1 segment"   # D2:4 only; the pending D1:3 is not counted
    facts = dict(next(b for b in report.blocks if b.kind == "table").rows)
    assert facts["Pending suggestions (left out)"] == "1" and facts["Confirmed codings"] == "9"


def test_exemplar_is_spoken_by_a_participant_and_closest_to_typical_length(study, monkeypatch):
    # With a 5-word target the interviewer's "How did the filming go?" (D1:1) would fit best: it is never chosen.
    monkeypatch.setattr(exemplars, "EXEMPLAR_WORDS", 5)
    sc = thesis_data.scope(study)
    fear = study.codes.get(FEAR)
    quote = thesis_data.exemplars(study, sc)[fear.id]
    assert (quote.participant, quote.address) == ("P02", "D2:2")
    assert quote.text == "Mothers often think the camera is for the social worker."


def test_study_summary_counts_interviews_words_and_timed_length(study):
    s = thesis_data.study(study, thesis_data.scope(study))
    assert [i.participant for i in s.interviews] == ["P01", "P02", "P03"]
    assert [i.label for i in s.timed] == ["D2"] and round(s.mean_minutes) == 20
    assert s.attributes == {"role": {"mother": 2, "practitioner": 1}, "site": {"Trust A": 1, "Trust B": 1}}
    assert s.coders == [("Hannah Reid", 9)] and s.pending == 1
    assert s.codes == 5 and s.codes_used == 4


def test_where_restricts_interviews_counts_and_quotes(study, tmp_path):
    report = build_report(study, where=["role=mother"])
    assert "Restricted to role=mother: 2 of 3 interviews." in report.subtitle
    interviews = next(b for b in report.blocks if b.kind == "table" and b.caption == "Interviews")
    assert [r[1] for r in interviews.rows] == ["P01", "P03"]
    codebook = next(b for b in report.blocks if b.kind == "table" and b.caption == "Codebook")
    assert all("P02" not in r[5] for r in codebook.rows)
    accepted = next(r for r in codebook.rows if r[1] == ACCEPTED)
    assert accepted[4] == "1 participant\n2 segments"  # P01's D1:5 and D1:7; not P02's D2:3


# --- bad input: nothing half-written ---------------------------------------------------------------------------

def test_empty_project_is_a_clear_error_and_writes_no_file(project, tmp_path):
    with pytest.raises(InputError, match="no documents yet"):
        write_report(project, tmp_path / "report.docx")
    assert not (tmp_path / "report.docx").exists()


def test_unwritable_output_and_unknown_format(study, tmp_path):
    with pytest.raises(InputError, match="does not exist"):
        write_report(study, tmp_path / "missing" / "report.docx")
    with pytest.raises(InputError, match="is a folder"):
        write_report(study, tmp_path)
    with pytest.raises(UnsupportedFormat, match="report.pdf"):
        write_report(study, tmp_path / "report.pdf")


def test_a_failed_report_leaves_the_old_file_and_no_temporary_files(study, tmp_path, monkeypatch):
    out = tmp_path / "out"
    out.mkdir()
    (out / "report.docx").write_bytes(b"the previous report")
    from gtcode.report import render_docx

    def broken(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(render_docx, "write_docx", broken)
    with pytest.raises(OSError):
        write_report(study, out / "report.docx")
    assert sorted(p.name for p in out.iterdir()) == ["report.docx"]
    assert (out / "report.docx").read_bytes() == b"the previous report"
    with pytest.raises(InputError, match="no documents where role=nobody"):
        write_report(study, out / "report.md", where=["role=nobody"])
    assert sorted(p.name for p in out.iterdir()) == ["report.docx"]


def test_report_outline_numbers_tables_and_figures_in_reading_order(study):
    report = build_report(study)
    labels = [b.label for b in report.blocks if b.kind in ("table", "figure")]
    tables = [int(x.split()[1]) for x in labels if x.startswith("Table")]
    figures = [int(x.split()[1]) for x in labels if x.startswith("Figure")]
    assert tables == list(range(1, len(tables) + 1)) and figures == [1, 2]
    assert report.headings(1) == SECTIONS
    assert set(report.figures) == {"model", "saturation"}
    assert thesis.resolve_format(Path("x.MD"), None) == "md"


def test_grounding_counts_each_segment_a_coding_spans_and_each_participant_once(project, tmp_path):
    from gtcode.report import thesis_data

    for who in ("P01", "P02"):
        (tmp_path / f"{who}.txt").write_text(f"{who}: One.\n\n{who}: Two.\n\n{who}: Three.\n", encoding="utf-8")
    project.docs.import_paths([tmp_path / "P01.txt", tmp_path / "P02.txt"])
    project.cases.set("P01", {"role": "mother"})
    project.codes.add("Calm")
    project.coding.apply("D1:1-2", "Calm")
    project.coding.apply(["D1:2", "D2:3"], "Calm")
    grounding = thesis_data.Grounding(project, thesis_data.scope(project))
    assert grounding.of(project.codes.get("Calm")) == (2, 3)        # D1:1, D1:2 and D2:3; P01 and P02's document

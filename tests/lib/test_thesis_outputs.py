"""What an examiner sees in the thesis outputs (issue 18): the Word report's structure (the figure as wide as
the text with its caption kept with it, tables whose headers repeat and whose rows stay on one page, no raw
[[…]] links), the core category's rolled-up grounding, relations away from the core, relation styles told
apart in greyscale, the same evidence counts everywhere, exemplars, the grouped `model check`, and the
read-only SQL views for Datasette and sqlite3."""

from __future__ import annotations

import json
import re
import sqlite3

import pytest

from gtcode.report.thesis import build_report, write_report
from tests.conftest import copy_demo, invoke
from tests.lib.test_report import ACCEPTED, FEAR, clock, study  # noqa: F401  (fixtures)

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _docx(path):
    import docx

    return docx.Document(str(path))


def _text_width(section) -> int:
    return section.page_width - section.left_margin - section.right_margin


def test_model_figure_spans_the_text_width_with_its_caption_kept_with_it(study, tmp_path):
    write_report(study, tmp_path / "r.docx")
    d = _docx(tmp_path / "r.docx")
    paragraphs = d.paragraphs
    i = next(k for k, p in enumerate(paragraphs) if p.text.startswith("Figure 1."))
    picture = paragraphs[i - 1]
    assert picture._p.findall(f".//{W}drawing"), "the caption follows its picture"
    assert picture.paragraph_format.keep_with_next
    shape = next(s for s in d.inline_shapes if s._inline.getparent().getparent().getparent() is picture._p)
    landscape = next(s for s in d.sections if s.page_width > s.page_height)
    assert abs(shape.width - _text_width(landscape)) < 20000          # EMU: within 0.6 mm
    # heading, figure and a two-line caption fit one page
    room = landscape.page_height - landscape.top_margin - landscape.bottom_margin
    assert shape.height < room - 25 * 36000


def test_report_figure_is_drawn_at_print_size_with_labels_of_8_points(study):
    from gtcode.report.diagram.graph import build_graph
    from gtcode.report.diagram.layout import layout_model, report_page
    from gtcode.report.thesis import MODEL_FIGURE_MM

    page = report_page(*MODEL_FIGURE_MM)
    layout = layout_model(build_graph(study.store, name=study.name), page=page)
    assert abs(page.w * 25.4 - MODEL_FIGURE_MM[0]) < 0.01
    assert all(b.size >= 8 for b in layout.boxes.values())


def test_word_tables_repeat_headers_keep_rows_whole_and_never_break_a_header_word(study, tmp_path):
    from gtcode.report.word import TABLE_PT, _width_mm

    write_report(study, tmp_path / "r.docx")
    d = _docx(tmp_path / "r.docx")
    assert d.tables
    for table in d.tables:
        rows = table.rows
        assert rows[0]._tr.trPr.find(f"{W}tblHeader") is not None
        assert all(r._tr.trPr is not None and r._tr.trPr.find(f"{W}cantSplit") is not None for r in rows[1:])
        for cell in rows[0].cells:
            for word in cell.text.split():
                assert cell.width / 36000 >= _width_mm(word, TABLE_PT, True), (word, cell.width / 36000)


def test_word_table_cells_hold_their_text_as_written_however_awkward():
    """Long tables copy one empty row and fill it (`_filled`): each cell is the XML python-docx writes cell by
    cell, with spaces kept, tabs and line breaks as Word's own, control characters dropped, short rows too."""
    from docx.shared import Mm
    from lxml import etree

    from gtcode.report.word import WordWriter, _add_row, column_widths

    headers = ["A", "B", "C", "D"]
    rows = [["plain", " spaced ", "a\tb", "line one\nline two"], ["", "x\r\ny", "bell\x07", "é 😀 <&>"],
            ["short"], ["\n", "  ", "\t", "tail "]]
    writer = WordWriter("t")
    table = writer.table(headers, rows)
    read = [[c.text for c in r.cells] for r in table.rows[1:]]
    assert read == [["plain", " spaced ", "a\tb", "line one\nline two"], ["", "x\n\ny", "bell", "é 😀 <&>"],
                    ["short", "", "", ""], ["\n", "  ", "\t", "tail "]]
    mm = column_widths(headers, rows, writer.text_width_mm)
    reference = WordWriter("t").table(headers, [])      # the same columns, rows to come cell by cell
    for column, width in zip(reference.columns, mm):
        column.width = Mm(width)
    for got, row in zip(table.rows[1:], rows):
        expected = _add_row(reference, row, mm, True)._tr
        assert [etree.tostring(tc) for tc in got._tr.tc_lst] == [etree.tostring(tc) for tc in expected.tc_lst]


def test_empty_columns_stay_narrow():
    from gtcode.report.word import column_widths

    long = "a passage of many words that goes on " * 6
    widths = column_widths(["Code", "Definition", "Exemplar"], [["A code", "", long]] * 5, 247)
    assert abs(sum(widths) - 247) < 0.01
    assert widths[1] < 30 and widths[2] > 150


def test_no_raw_links_in_any_format_and_the_storyline_heading_is_said_once(study, tmp_path):
    memo, _ = study.memos.new("The storyline", "Engagement rests on [[code:Barriers]]; see [[memo:1]], [[D1:2]].",
                              type="storyline")
    study.memos.link(memo.id, ["category:Engagement"])
    write_report(study, tmp_path / "r.docx")
    write_report(study, tmp_path / "r.md")
    text = "\n".join(p.text for p in _docx(tmp_path / "r.docx").paragraphs)
    for body in (text, (tmp_path / "r.md").read_text(encoding="utf-8")):
        assert "[[" not in body
        assert "‘Barriers’" in body and "memo #1 ‘Evidence & surveillance’" in body
        assert "“Honestly I thought they were collecting evidence" in body and "(P01, D1:2)" in body
    headings = build_report(study).headings()
    assert "The storyline" in headings and not any(h.startswith("Storyline: ") for h in headings)


def test_core_category_rolls_up_its_grounding_everywhere(study, tmp_path):
    view = study.model.show()
    assert view["core"]["segments"] > 0 and view["core"]["participants"] == 3 and view["core"]["direct"] == 0
    mermaid = invoke(study, "model", "export", "-o", str(tmp_path / "m.mmd"))
    assert mermaid.exit_code == 0
    text = (tmp_path / "m.mmd").read_text(encoding="utf-8")
    core_line = next(line for line in text.splitlines() if "Engagement<br/>" in line)
    assert "0 codings" not in core_line and f"{view['core']['segments']} codings" in core_line
    report = build_report(study)
    words = " ".join(t for b in report.blocks for t, _ in b.runs)
    assert f"grounded in {view['core']['segments']} codings from 3 participants" in words


def test_model_show_lists_relations_away_from_the_core(study):
    study.model.relate(f"Barriers/{FEAR}", "contradicts", "Support/Practitioner trust", evidence=["D1:2"])
    view = study.model.show()
    assert [(r["source"], r["type"]) for r in view["elsewhere"]] == [(f"Barriers/{FEAR}", "contradicts")]
    out = invoke(study, "model", "show").stdout
    assert "Relations between other categories" in out and "—contradicts→" in out


def test_every_relation_type_has_its_own_dash_pattern():
    import networkx as nx

    from gtcode.report.diagram.layout import BUILTIN_STYLES, relation_styles

    dashes = [s.dash for s in BUILTIN_STYLES.values()]
    assert len(set(dashes)) == len(dashes)
    g = nx.MultiDiGraph()
    g.add_node("a"), g.add_node("b")
    for i in range(6):
        g.add_edge("a", "b", key=str(i), type=f"own-{i}", polarity="+-0"[i % 3])
    own = relation_styles(g)
    assert len({s.dash for s in own.values()} | set(dashes)) == len(dashes) + 6


def test_mermaid_counts_passages_and_memos_as_model_show_does(study, tmp_path):
    invoke(study, "model", "export", "-o", str(tmp_path / "m.mmd"))
    text = (tmp_path / "m.mmd").read_text(encoding="utf-8")
    assert '"facilitates (1 passage, 1 memo)"' in text and '"hinders (2 passages)"' in text
    out = invoke(study, "model", "show").stdout
    assert "facilitates: 1 passage from 1 participant, 1 memo" in out


def test_codebook_shows_the_researchers_example_and_in_vivo_exemplars_quote_a_passage(study):
    from gtcode.report import thesis_data

    study.codes.describe(FEAR, example="It felt like a test")
    study.coding.invivo("D1:7", "felt accepted")
    rows = {r.path: r for r in thesis_data.codebook(study, thesis_data.scope(study))}
    assert "Example: It felt like a test" in rows[f"Barriers/{FEAR}"].criteria
    invivo = rows["felt accepted"].exemplar
    assert invivo is not None and len(invivo.text.split()) > 8 and "felt accepted" in invivo.text


def test_model_check_groups_many_of_a_kind_and_puts_what_matters_first(project):
    for i in range(6):
        project.codes.add(f"Loose {i}")
    project.model.new_category("Alone")
    kinds = [p.kind for p in project.model.check()]
    assert kinds[0] == "no core category" and kinds[-1] == "code in no category"
    result = invoke(project, "model", "check", ok=False)
    assert result.exit_code == 1
    assert "6 codes are in no category yet" in result.stdout and result.stdout.count("Loose") == 6
    assert "most serious first" in result.stderr
    assert "6 codes in no category" in result.stderr and "1 unrelated category" in result.stderr


def test_model_check_summary_counts_each_kind_in_the_right_number(project):
    for i in range(2):
        project.codes.add(f"Loose {i}")
    result = invoke(project, "model", "check", ok=False)
    assert "2 codes in no category" in result.stderr and "2 code in" not in result.stderr
    assert "1 missing core category" in result.stderr and result.stderr.startswith("3 problems")


def test_sql_views_read_codings_and_memos_without_substr(study, tmp_path):
    result = invoke(study, "export", "datasette-metadata")
    assert result.exit_code == 0
    db = study.store.path
    meta = json.loads((db.parent / "datasette.json").read_text(encoding="utf-8"))
    tables = meta["databases"][db.stem]["tables"]
    assert "text" in tables["coded_passages"]["columns"] and "links" in tables["memo_texts"]["columns"]
    conn = sqlite3.connect(f"{db.as_uri()}?mode=ro", uri=True)
    rows = conn.execute('SELECT code, document, address, speaker, "case", coder, status, text FROM coded_passages '
                        "WHERE address = 'D1:2'").fetchall()
    assert (f"Barriers/{FEAR}", "D1", "D1:2", "P01", "P01", "Hannah Reid", "confirmed") == rows[0][:7]
    assert rows[0][7].startswith("Honestly I thought they were collecting evidence")
    assert conn.execute("SELECT count(*) FROM coded_passages").fetchone()[0] == \
        conn.execute("SELECT count(*) FROM codings").fetchone()[0]
    title, text, author, links = conn.execute(
        "SELECT title, text, author, links FROM memo_texts WHERE memo = 1").fetchone()
    assert title == "Evidence & surveillance" and author == "Hannah Reid"
    assert "D1:2 “Honestly I thought" in links and "(P01)" in links


def test_html_tables_are_sized_to_their_content(study, tmp_path):
    import re

    from gtcode.report.audit import to_html as audit_html
    from gtcode.report.audit_data import collect_audit

    write_report(study, tmp_path / "r.html")
    for page in ((tmp_path / "r.html").read_text(encoding="utf-8"), audit_html(collect_audit(study))):
        assert "<table>" in page
        assert "<col" not in page and "table-layout: fixed" not in page and "table-layout: auto" in page
        css = re.search(r"<style>(.*?)</style>", page, re.S).group(1)
        rules = dict(re.findall(r"(?m)^\s*([a-z, .]+?)\s*\{([^}]*)\}", css))
        header = " ".join(v for k, v in rules.items() if "th" in k.replace(",", " ").split())
        assert "anywhere" not in header and "keep-all" in header     # a header word is never broken
        assert "anywhere" not in css                                 # nor a word in a cell, unless it overflows
        assert not re.search(r"<t[hd][^>]*style=", page)


@pytest.fixture(scope="module")
def demo(demo_build, tmp_path_factory):
    """The demo study (six interviews, its real codebook and model): the report an examiner is shown first."""
    from gtcode import Project

    with Project.open(copy_demo(demo_build, tmp_path_factory.mktemp("demo") / "demo"), coder="demo") as project:
        yield project


def test_codebook_counts_share_one_column_so_whole_rows_take_fewer_pages(demo, tmp_path):
    """Rows stay whole (cantSplit), so the codebook's length is the sum of its rows' heights: one "Used" column
    for the counts leaves the text columns room enough to make the table measurably shorter than two columns
    headed "Participants" and "Segments" did (the demo: 13 landscape pages before, 10 now)."""
    from gtcode.report.word import column_widths, row_height_mm

    write_report(demo, tmp_path / "r.docx")
    table = next(t for t in _docx(tmp_path / "r.docx").tables if t.rows[0].cells[1].text == "Code")
    headers = [c.text for c in table.rows[0].cells]
    assert headers == ["Category", "Code", "Definition", "Inclusion, exclusion, example", "Used", "Exemplar"]
    assert all(r._tr.trPr.find(f"{W}cantSplit") is not None for r in table.rows[1:])
    rows = [[c.text for c in r.cells] for r in table.rows[1:]]
    assert all(re.fullmatch(r"\d+ participants?\n\d+ segments?", r[4]) for r in rows)

    def height(headers, rows):
        widths = column_widths(headers, rows, 247)
        return sum(row_height_mm(r, widths) for r in rows)

    split = [r[:4] + [r[4].split()[0], r[4].split()[2]] + r[5:] for r in rows]
    before = height(headers[:4] + ["Participants", "Segments"] + headers[5:], split)
    assert height(headers, rows) < 0.9 * before
    assert table.rows[1].cells[4].width < 30 * 36000      # EMU: the counts column stays narrow


def _report_layout(project, **options):
    from gtcode.report.diagram.graph import build_graph
    from gtcode.report.diagram.layout import layout_model, report_page
    from gtcode.report.thesis import MODEL_FIGURE_MM

    graph = build_graph(project.store, name=project.name, **options)
    return graph, layout_model(graph, page=report_page(*MODEL_FIGURE_MM))


def test_printed_core_box_shows_its_rolled_up_counts_at_8_points_or_more(demo, study, tmp_path):
    import xml.etree.ElementTree as ET

    from gtcode.report.diagram.draw import export_model
    from gtcode.report.diagram.layout import COUNTS_SCALE, PAD, report_page
    from gtcode.report.diagram.text import LINE
    from gtcode.report.thesis import MODEL_FIGURE_MM

    for project in (demo, study):
        view = project.model.show()["core"]
        counts = f"{view['segments']} codings · {view['participants']} cases"
        _, layout = _report_layout(project)
        core = next(b for b in layout.boxes.values() if b.bold)
        assert core.extra == counts and view["segments"] > 0
        assert core.size >= 8 and layout.page.pt(core.size * COUNTS_SCALE) >= 8
        assert (len(core.lines) + 0.85) * core.size * LINE / 72 <= core.h - 2 * PAD + 1e-9   # name and counts fit
        # the figure as printed (drawn at print size: 1 SVG px is 1 pt on paper)
        svg = export_model(project, tmp_path / f"{project.name}.svg", page=report_page(*MODEL_FIGURE_MM))
        sizes = {el.text: float(re.search(r"font-size: ([\d.]+)px", el.get("style")).group(1))
                 for el in ET.parse(svg).getroot().iter() if el.tag.endswith("text") and el.text}
        assert sizes[counts] >= 8 and min(sizes.values()) >= 8


def test_no_line_crosses_a_side_caption_or_runs_past_a_box_it_does_not_join(demo, study):
    from gtcode.report.diagram import route
    from gtcode.report.diagram.layout import layout_model

    for project in (demo, study):
        graph, printed = _report_layout(project)
        for layout in (printed, layout_model(graph)):          # the report's figure and the A4 export
            assert {c for c, _, _ in layout.labels} >= {"Core category", "Barriers", "Facilitators"}
            lines = [(u, v, a, b, route.edge_path(layout, (u, v, k), 0)[0])
                     for u, v, k, a, b in route.drawn_relations(graph, layout)]
            size = route.caption_size(layout)
            for caption, x, top in layout.labels:
                rect = route.caption_rect(caption, x, top, size)
                crossing = [graph.nodes[u]["name"] for u, _, _, _, pts in lines if route.crosses(pts, rect)]
                assert not crossing, (project.name, layout.page.w, caption, crossing)
            for u, v, a, b, pts in lines:    # nor passes under, or within 1.3 mm of, another category's box
                for key, box in layout.boxes.items():
                    near = (box.x - 0.05, box.y - 0.05, box.w + 0.1, box.h + 0.1)
                    assert key in (a, b) or not route.crosses(pts, near), \
                        (project.name, graph.nodes[u]["name"], graph.nodes[v]["name"], box.lines)

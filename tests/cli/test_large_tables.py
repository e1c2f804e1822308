"""Long tables (`docs list`, `saturation` of thousands of rows) are drawn by `LongTable`, quickly, and must print
exactly what Rich's own table prints, at any width, with colours or without."""

from __future__ import annotations

import io

import pytest
from rich.console import Console
from rich.text import Text

from gtcode.cli.long_table import LongTable
from gtcode.cli.output import table
from tests.conftest import invoke

NAMES = ["interview-01.docx", "日本語の面接", "😀 Zoë", "", "notes [draft].docx", "at 12:30", "a  b",
         "a-rather-long-document-name-that-will-not-fit", "Ünïcødé", "👨‍👩‍👧 family"]


def awkward_table(**options):
    """Every kind of cell the commands print: ASCII, wide CJK and emoji, empty, right-justified numbers, markup-like
    names, a dim column, a cut column, a coloured bar, styled rows, and names too long for a narrow console."""
    right = {"justify": "right"}
    t = table(("#", right | {"style": "dim"}), "Document", ("Case", {"no_wrap": True, "overflow": "ellipsis"}),
              ("Words", right), ("", {"width": 6, "no_wrap": True}), ("Share", {"justify": "center"}), **options)
    for i, name in enumerate(NAMES * 3):
        bar = Text("█" * (i % 5) + ("▌" if i % 2 else ""), style="cyan" if i % 3 else "blue")
        t.add_row(str(i + 1), name, f"case {name}" if i % 4 else "-", f"{i * 1234:,}", bar,
                  "" if i % 7 == 0 else f"{i / 3:.1f}%", style="bold" if i % 5 == 0 else None)
    return t


def printed(renderable, width: int, colour: bool) -> str:
    console = Console(file=io.StringIO(), width=width, force_terminal=colour, color_system="truecolor" if colour
                      else None, highlight=False)
    console.print(renderable, crop=False)
    return console.file.getvalue()


@pytest.mark.parametrize("colour", [False, True], ids=["plain", "colour"])
@pytest.mark.parametrize("width", [30, 50, 80, 120, 200])
def test_long_table_prints_what_rich_prints(width, colour):
    expected = printed(awkward_table(), width, colour)
    assert printed(LongTable(awkward_table()), width, colour) == expected
    assert ("\x1b[" in expected) == colour and "╇" in expected


@pytest.mark.parametrize("options", [{"box": None, "show_header": False}, {"show_edge": True, "pad_edge": True},
                                     {"row_styles": ["", "on grey11"], "border_style": "green"},
                                     {"show_lines": True}, {"show_lines": True, "border_style": "green"},
                                     {"show_lines": True, "show_header": False, "show_edge": True}],
                         ids=["no-box", "edge", "row-styles", "lines", "lines-coloured", "lines-no-header"])
def test_long_table_other_table_options(options):
    for width, colour in [(40, False), (40, True), (120, True)]:
        assert printed(LongTable(awkward_table(**options)), width, colour) == \
            printed(awkward_table(**options), width, colour)


def test_docs_list_of_a_thousand_documents_shows_every_row(project, tmp_path):
    folder = tmp_path / "interviews"
    folder.mkdir()
    for i in range(1000):
        (folder / f"P{i:04d}.txt").write_text(f"Interviewer: How was it?\nP{i}: Fine, thanks.\n", encoding="utf-8")
    project.docs.import_paths([folder])
    lines = invoke(project, "docs", "list").stdout.splitlines()
    assert lines[0].split() == ["ID", "┃", "Document", "┃", "Case", "┃", "Format", "┃", "Words", "┃", "Turns", "┃",
                                "Segments", "┃", "Imported"]
    assert [line.split("│")[1].strip() for line in lines[2:]] == [f"P{i:04d}" for i in range(1000)]
    assert lines[-1].split("│")[0].strip() == "D1000"



def test_a_long_table_is_still_drawn_by_rich_when_the_internals_it_uses_are_gone(monkeypatch):
    """The fast path uses Rich internals; if a newer Rich moved them, the table is Rich's, printed once."""
    import io

    from rich.console import Console

    from gtcode.cli import long_table
    from gtcode.cli.output import table

    t = table("ID", "Document")
    for i in range(120):
        t.add_row(f"D{i}", f"P{i:03d}")

    def printed(renderable) -> str:
        out = io.StringIO()
        Console(width=60, file=out, color_system=None).print(renderable)
        return out.getvalue()

    expected = printed(t)
    assert printed(long_table.LongTable(t)) == expected             # the fast path, as Rich prints it

    def moved(*args):
        raise AttributeError("'Table' object has no attribute '_calculate_column_widths'")

    monkeypatch.setattr(long_table, "_widths", moved)
    assert printed(long_table.LongTable(t)) == expected             # Rich's own drawing, once


def test_rows_added_at_once_make_the_table_row_by_row_adding_makes(monkeypatch):
    """`add_rows` (plain text, no checks a cell) prints what `add_row` for each row prints; a row of anything
    else, or a Rich without the cell lists it fills, goes through `add_row`, so the table is the same."""
    import sys

    from gtcode.cli import output

    def both(rows, moved=False):
        one, many = awkward_table(), awkward_table()
        for row in rows:
            one.add_row(*row)
        with monkeypatch.context() as m:
            if moved:                                            # a Rich whose table module moved: row by row
                m.setitem(sys.modules, "rich.table", None)
            output.add_rows(many, rows)
        return [printed(t, width, colour) for t in (one, many) for width, colour in ((50, False), (120, True))]

    plain = [(str(i), name, f"case {i}", f"{i:,}", "", f"{i}%") for i, name in enumerate(NAMES * 9)]
    a, b, c, d = both(plain)
    assert (a, b) == (c, d) and a.count("\n") > 90
    styled = plain[:5] + [("6", Text("bold name", style="bold"), "c", "1", "", "")]     # not all text
    a, b, c, d = both(styled)
    assert (a, b) == (c, d) and "\x1b[1mbold name" in b
    short = plain[:5] + [("6", "no more cells")]                                       # a short row, padded
    a, b, c, d = both(short)
    assert (a, b) == (c, d) and "no more cells" in b
    a, b, c, d = both(plain, moved=True)
    assert (a, b) == (c, d) and a.count("\n") > 90

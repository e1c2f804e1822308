"""The one outline every report is written as: a `Report` (title, subtitle, `Block`s, figures to draw).

The thesis report (`thesis`), its codebook appendix and the audit trail (`audit`) build a `Report`;
`render_md`, `render_html` and `render_docx` each turn any `Report` into one format, so every format
carries the same content by construction.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Block:
    """One piece of the outline.

    kind: heading (text, level 1–3 below the report's title) · para (runs of (text, bold)) · bullets (items) ·
    table (headers, rows; widths as relative weights, none to let the format size the columns; label + caption
    when numbered) · figure (name, label + caption) · quote (text, source: a short quotation, line by line) ·
    note (italic text) · memo (text: the researcher's Markdown) · memo_quote (text: a memo's Markdown set off as
    a block quote, paragraph by paragraph) · diff (text: a unified diff) · layout (text: landscape | portrait,
    Word only).
    """

    kind: str
    text: str = ""
    level: int = 0
    runs: list[tuple[str, bool]] = field(default_factory=list)
    items: list[str] = field(default_factory=list)
    headers: list[str] = field(default_factory=list)
    rows: list[list[str]] = field(default_factory=list)
    widths: list[float] = field(default_factory=list)
    label: str = ""
    caption: str = ""
    name: str = ""
    source: str = ""


@dataclass
class Report:
    """A document: its title, a subtitle (may be empty), the outline, and its figures by name."""

    title: str
    subtitle: str
    blocks: list[Block]
    figures: dict[str, dict] = field(default_factory=dict)   # name → how to draw it (see thesis.draw_figures)

    def headings(self, level: int | None = None) -> list[str]:
        return [b.text for b in self.blocks if b.kind == "heading" and (level is None or b.level == level)]


def heading(level: int, text: str) -> Block:
    return Block("heading", text, level)


def para(*runs) -> Block:
    """A paragraph of runs: plain strings, or (text, bold) pairs."""
    return Block("para", runs=[(r, False) if isinstance(r, str) else r for r in runs])


def note(text: str) -> Block:
    return Block("note", text)


def table(headers: list[str], rows: list[list], widths: list[float] | None = None, label: str = "",
          caption: str = "") -> Block:
    """A table, its cells as text (None as empty); unnumbered unless given a label (see `Numbers`)."""
    return Block("table", headers=headers, rows=[["" if c is None else str(c) for c in row] for row in rows],
                 widths=list(widths or []), label=label, caption=caption)


class Numbers:
    """Table and figure numbers in reading order."""

    def __init__(self):
        self.tables = self.figures = 0

    def table(self, caption: str, headers: list[str], rows: list[list], widths: list[float] | None = None) -> Block:
        self.tables += 1
        return table(headers, rows, widths or [1] * len(headers), f"Table {self.tables}", caption)

    def figure(self, name: str, caption: str) -> Block:
        self.figures += 1
        return Block("figure", name=name, label=f"Figure {self.figures}", caption=caption)

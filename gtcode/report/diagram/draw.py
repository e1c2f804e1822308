"""The theory model as a figure for the thesis, or as data for other tools.

One deliberate layout (no force layout) feeds every picture: the core category
in the centre, barriers on the left, facilitators on the right, conditions and
context above, consequences below, strategies beneath the core. Each side is a
grid of boxes, so labels never overlap; a label is wrapped, then shrunk, to fit
its box. Relations differ in colour *and* line style (readable in black and
white). Pictures are A4 landscape. matplotlib and networkx load only here.
"""

from __future__ import annotations

import math
from pathlib import Path

from gtcode.errors import InputError, UnsupportedFormat
from gtcode.files import atomic_file, is_stream
from gtcode.errors import GraphvizNotFound  # noqa: F401  (raised here; importable from here too)
from gtcode.report.diagram.graph import CONTAINS, build_graph
from gtcode.report.diagram.formats import dot_text, json_text, legend_note, mermaid_text, networkx_text, tikz_text
from gtcode.report.diagram.layout import (A4, COUNTS_SCALE, EDGE, FILL, Layout, Page, layout_model, legend_entries,
                                         line_width, relation_styles)
from gtcode.report.diagram.route import caption_size, edge_path  # noqa: F401 (edge_path: importable from here too)
from gtcode.report.diagram.text import LINE, wrap
from gtcode.report.render_md import fence, md_inline

#: Format name → what it is. Suffixes map onto these (see SUFFIXES).
FORMATS = {
    "svg": "picture (matplotlib or Graphviz)", "png": "picture, 300 dpi", "pdf": "picture, vector",
    "dot": "Graphviz source with the layout pinned", "mermaid": "Mermaid flowchart (.mmd, or .md fenced)",
    "graphml": "GraphML for yEd, Gephi, Cytoscape", "gexf": "GEXF for Gephi",
    "tikz": "LaTeX document with a TikZ picture (pdflatex)", "json": "nodes and edges with attributes",
}
SUFFIXES = {".svg": "svg", ".png": "png", ".pdf": "pdf", ".dot": "dot", ".gv": "dot", ".mmd": "mermaid",
            ".mermaid": "mermaid", ".md": "mermaid", ".graphml": "graphml", ".gexf": "gexf", ".tex": "tikz",
            ".json": "json"}
ALIASES = {"gv": "dot", "mmd": "mermaid", "md": "mermaid", "tex": "tikz", "latex": "tikz"}
PICTURES = ("svg", "png", "pdf")
ENGINES = ("matplotlib", "graphviz")


# --- pictures --------------------------------------------------------------------------------------------
def _font_family() -> list[str]:
    """DejaVu Sans, then installed fonts that have CJK or emoji glyphs (matplotlib falls back through the list)."""
    from matplotlib import font_manager

    have = {f.name for f in font_manager.fontManager.ttflist}
    wanted = ("DejaVu Sans", "Noto Sans CJK JP", "Noto Sans CJK SC", "Source Han Sans", "WenQuanYi Zen Hei",
              "Droid Sans Fallback", "Noto Emoji", "Symbola")
    return [f for f in wanted if f in have or f == "DejaVu Sans"]


def _draw(graph, layout: Layout):
    """A matplotlib Figure (no pyplot: nothing global) of the laid-out model."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    family = _font_family()
    page = layout.page
    fig = Figure(figsize=(page.w, page.h))
    FigureCanvasAgg(fig)
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set_xlim(0, page.w)
    ax.set_ylim(0, page.h)
    ax.set_axis_off()
    _draw_frame(ax, layout, family)
    _draw_relations(ax, graph, layout)
    _draw_boxes(ax, graph, layout, family)
    _draw_legend(ax, graph, family, page)
    return fig


def _draw_frame(ax, layout: Layout, family: list[str]) -> None:
    """Title, subtitle, the shaded sides with their captions, and the brackets joining listed codes."""
    from matplotlib.lines import Line2D
    from matplotlib.patches import FancyBboxPatch

    page = layout.page
    if page.title_h:    # a report's figure has its caption instead
        ax.text(page.w / 2, page.h - page.margin, layout.title, ha="center", va="top", fontsize=layout.title_size,
                fontweight="bold", family=family)
        ax.text(page.w / 2, page.h - page.margin - 0.3, layout.subtitle, ha="center", va="top",
                fontsize=layout.subtitle_size, family=family, color="#333333")
    for _, (x, y, w, h) in layout.regions:
        ax.add_patch(FancyBboxPatch((x, y), w, h, boxstyle="round,pad=0,rounding_size=0.05", fc="#f5f5f5",
                                    ec="none", zorder=0))
    for caption, x, top in layout.labels:   # each where no line runs (`route.place_captions`)
        ax.text(x, top, caption, ha="left", va="top", fontsize=caption_size(layout), style="italic",
                color="#555555", family=family, zorder=1)
    for spine in layout.spines:
        (sx, sy), rest = spine[0], spine[1:]
        ax.add_line(Line2D([sx, sx], [sy, rest[-1][1]], lw=0.5, color="#aaaaaa", zorder=2.9))
        for x, y in rest:
            ax.add_line(Line2D([sx, x], [y, y], lw=0.5, color="#aaaaaa", zorder=2.9))


def _draw_relations(ax, graph, layout: Layout) -> None:
    """Each relation as a line in its type's colour and dash, as thick as its evidence, with its arrowhead."""
    from matplotlib.lines import Line2D
    from matplotlib.patches import Polygon

    styles = relation_styles(graph)
    for u, v, k, d in graph.edges(keys=True, data=True):
        if (u, v, k) not in layout.bends:
            continue
        if d["type"] == CONTAINS:   # a subcategory in a box of its own: a thin grey line from its parent
            pts, _ = edge_path(layout, (u, v, k), 0.0)
            ax.add_line(Line2D([p[0] for p in pts], [p[1] for p in pts], lw=0.6, color="#999999", zorder=1, snap=False))
            continue
        s = styles[d["type"]]
        lw = line_width(d["evidence"])
        head = 0.07 + 0.012 * lw
        pts, (tip, base) = edge_path(layout, (u, v, k), head)
        ls = (0, s.dash) if s.dash else "solid"
        ax.add_line(Line2D([p[0] for p in pts], [p[1] for p in pts], lw=lw, color=s.color, linestyle=ls,
                           solid_capstyle="butt", zorder=2, snap=False))
        ux, uy = tip[0] - base[0], tip[1] - base[1]
        norm = math.hypot(ux, uy) or 1.0
        px, py = -uy / norm * head * 0.45, ux / norm * head * 0.45
        corners = [(base[0] + px, base[1] + py), tip, (base[0] - px, base[1] - py)]
        if s.head == "open":
            ax.add_line(Line2D([c[0] for c in corners], [c[1] for c in corners], lw=max(0.8, lw * 0.8),
                               color=s.color, zorder=2, solid_joinstyle="miter"))
        else:
            ax.add_patch(Polygon(corners, closed=True, fc=s.color, ec=s.color, lw=0.5, zorder=2))


def _draw_boxes(ax, graph, layout: Layout, family: list[str]) -> None:
    """Category boxes (tinted by their colour, else their side's), code boxes, and their fitted labels."""
    from matplotlib.patches import FancyBboxPatch, Rectangle

    for card in layout.units.values():   # a category's card: its box at the top, the codes it lists beneath
        ax.add_patch(FancyBboxPatch((card.x, card.y), card.w, card.h, boxstyle="round,pad=0,rounding_size=0.05",
                                    fc="#ffffff", ec=EDGE[card.role], lw=0.6, zorder=2.8))
    for key, b in layout.boxes.items():
        if b.kind == "more":
            ax.text(b.x, b.cy, b.lines[0], ha="left", va="center", fontsize=b.size, style="italic", color="#555555",
                    family=family, zorder=4)
            continue
        d = graph.nodes[key]
        if b.kind == "category":
            fill = _tint(d["color"]) if d["color"] else FILL[b.role]
            ax.add_patch(FancyBboxPatch((b.x, b.y), b.w, b.h, boxstyle="round,pad=0,rounding_size=0.05", fc=fill,
                                        ec=EDGE[b.role], lw=2.2 if b.bold else 0.9, zorder=3))
        else:
            ax.add_patch(Rectangle((b.x, b.y), b.w, b.h, fc=_tint(d["color"]) if d["color"] else "#ffffff",
                                   ec="#999999", lw=0.4, zorder=3))
        text = "\n".join(b.lines)
        if b.extra:
            ax.text(b.cx, b.cy + b.size * LINE * 0.85 / 72 / 2, text, ha="center", va="center", fontsize=b.size,
                    fontweight="bold" if b.bold else "normal", linespacing=LINE, family=family, zorder=4)
            ax.text(b.cx, b.cy - len(b.lines) * b.size * LINE / 72 / 2, b.extra, ha="center", va="center",
                    fontsize=layout.page.pt(b.size * COUNTS_SCALE), color="#444444", family=family, zorder=4)
        else:
            ax.text(b.cx, b.cy, text, ha="center", va="center", fontsize=b.size, linespacing=LINE, family=family,
                    fontweight="bold" if b.bold else "normal", zorder=4)


def _draw_legend(ax, graph, family: list[str], page: Page = A4) -> None:
    """The relation types drawn, and the note on how to read the picture."""
    from matplotlib.lines import Line2D

    entries = legend_entries(graph)
    note_pt = page.pt(6.5)
    note = "\n".join(wrap(legend_note(graph), page.w - 2 * page.margin - 0.2, note_pt))
    note_h = (note.count("\n") + 1) * note_pt * LINE / 72
    if entries:
        handles = [Line2D([], [], color=s.color, lw=1.4, linestyle=(0, s.dash) if s.dash else "solid")
                   for _, _, s in entries]
        ax.legend(handles, [text for _, text, _ in entries], loc="lower center",
                  bbox_to_anchor=(0.5, (max(0.02, page.margin - 0.05) + note_h + 0.04) / page.h),
                  ncol=min(len(entries), 5),
                  frameon=False, handlelength=3.2, columnspacing=1.6, borderaxespad=0.1, labelspacing=0.25,
                  prop={"family": family, "size": page.pt(7)})
    ax.text(page.w / 2, max(0.02, page.margin - 0.05), note, ha="center", va="bottom", fontsize=note_pt,
            linespacing=LINE, color="#444444", family=family)


def _tint(color: str, amount: float = 0.7) -> str:
    """`color` mixed with white: a fill light enough for black text."""
    r, g, b = (int(color[i:i + 2], 16) for i in (1, 3, 5))
    return "#" + "".join(f"{round(c + (255 - c) * amount):02x}" for c in (r, g, b))


def _save_picture(graph, layout: Layout, path: Path, fmt: str) -> None:
    import logging
    import warnings

    import matplotlib

    rc = {"svg.fonttype": "none", "svg.hashsalt": "gtcode", "pdf.fonttype": 42, "path.simplify": False}
    metadata = {"svg": {"Date": None, "Creator": "gtcode"}, "pdf": {"CreationDate": None, "Creator": "gtcode"},
                "png": {"Software": "gtcode"}}[fmt]
    # The library never prints: font fallback notes (no bold CJK, no emoji glyph) stay quiet.
    quiet = logging.getLogger("matplotlib.font_manager")
    level = quiet.level
    quiet.setLevel(logging.ERROR)
    try:
        with matplotlib.rc_context(rc), warnings.catch_warnings():
            warnings.filterwarnings("ignore", message=r"Glyph .* missing from")
            fig = _draw(graph, layout)
            fig.savefig(path, format=fmt, dpi=300 if fmt == "png" else 72, metadata=metadata, facecolor="white")
    finally:
        quiet.setLevel(level)


def _dot_command() -> str:
    """Graphviz's `dot`, or a GraphvizNotFound saying how to install it."""
    import shutil

    exe = shutil.which("dot")
    if not exe:
        raise GraphvizNotFound(
            "Graphviz is not installed (no 'dot' command): install it (Debian/Ubuntu: apt-get install graphviz; "
            "macOS: brew install graphviz; Windows: winget install graphviz) or use the default matplotlib engine")
    return exe


def _graphviz(dot: str, path: Path, fmt: str) -> None:
    import subprocess

    done = subprocess.run([_dot_command(), f"-T{fmt}", "-o", str(path)], input=dot.encode("utf-8"), capture_output=True)
    if done.returncode != 0:
        raise InputError(f"Graphviz could not draw the model: {done.stderr.decode('utf-8', 'replace').strip()}")


def resolve_format(path: Path, fmt: str | None) -> str:
    """The export format from `fmt`, else from the file's suffix."""
    listing = ", ".join(f"{k} ({v})" for k, v in FORMATS.items())
    if fmt:
        key = ALIASES.get(fmt.lower().lstrip("."), fmt.lower().lstrip("."))
        if key not in FORMATS:
            raise UnsupportedFormat(f"model export format {fmt!r} is not supported; choose one of: {listing}")
        return key
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        what = f"suffix {suffix!r}" if suffix else "no suffix"
        raise UnsupportedFormat(f"{path.name}: {what}, so the format is unknown; name a format or use a suffix "
                                f"({', '.join(SUFFIXES)}). Formats: {listing}")
    return SUFFIXES[suffix]


def render(graph, fmt: str, *, markdown: bool = False, title: str | None = None) -> str:
    """A text format (dot, mermaid, graphml, gexf, tikz, json) as a string."""
    if fmt == "json":
        return json_text(graph)
    if fmt in ("graphml", "gexf"):
        return networkx_text(graph, fmt)
    if fmt == "mermaid":
        text = mermaid_text(graph)
        if markdown:
            heading = md_inline(title or graph.graph["name"] + ": theory model")
            return f"# {heading}\n\n" + fence(text, "mermaid") + "\n"
        return text
    layout = layout_model(graph, title)
    return dot_text(graph, layout) if fmt == "dot" else tikz_text(graph, layout)


def export_model(project, path, fmt: str | None = None, *, include_codes: bool = False, min_evidence: int = 0,
                 engine: str = "matplotlib", where=None, title: str | None = None, page: Page = A4) -> Path:
    """Write the theory model to `path` as a picture (svg, png, pdf) or data (dot, mermaid, graphml, gexf, tikz,
    json); the format comes from `fmt` or the suffix. Returns the path written. A picture is drawn on `page`
    (A4 landscape with a title, or a report's figure: see `layout.report_page`)."""
    path = Path(path)
    fmt_given, fmt = fmt, resolve_format(path, fmt)
    if engine not in ENGINES:
        raise InputError(f"engine {engine!r}: choose {' or '.join(ENGINES)}")
    if min_evidence < 0:
        raise InputError("min_evidence cannot be negative")
    graph = build_graph(project.store, include_codes=include_codes, min_evidence=min_evidence, where=where,
                        name=project.name)
    if title:
        graph.graph["title"] = title
    if fmt in PICTURES and engine == "graphviz":
        _dot_command()   # before any work: no Graphviz, a clear message and nothing written
    if not is_stream(path):
        path.parent.mkdir(parents=True, exist_ok=True)
    with atomic_file(path) as temp:   # whole or not at all; `-`, /dev/null and FIFOs are written into
        if fmt in PICTURES:
            layout = layout_model(graph, title, page)
            if engine == "graphviz":
                _graphviz(dot_text(graph, layout), temp, fmt)
            else:
                _save_picture(graph, layout, temp, fmt)
            return path
        markdown = path.suffix.lower() == ".md" or (fmt_given or "").lower().lstrip(".") == "md"
        text = render(graph, fmt, markdown=markdown, title=title)
        temp.write_text(text, encoding="utf-8", newline="\n")
    return path

"""The theory model as a figure for the thesis, or as data for other tools.

One deliberate layout (no force layout) feeds every picture: the core category
in the centre, barriers on the left, facilitators on the right, conditions and
context above, consequences below, strategies beneath the core. Each side is a
grid of boxes, so labels never overlap; a label is wrapped, then shrunk, to fit
its box. Relations differ in colour *and* line style (readable in black and
white). Pictures are A4 landscape. matplotlib and networkx load only here.
"""

from __future__ import annotations

import json
import math
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import InputError, UnsupportedFormat
from ..graph import CONTAINS, ROLES, build_graph, relation_edges

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


class GraphvizNotFound(InputError):
    """`--engine graphviz` was asked for but Graphviz's `dot` is not installed."""


# --- page -------------------------------------------------------------------------------------------
PAGE_W, PAGE_H = 11.69, 8.27          # A4 landscape, inches; every layout unit is an inch
MARGIN, TITLE_H, LEGEND_H, GAP = 0.35, 0.62, 0.78, 0.14
PAD = 0.06                            # inside a box, around its text
LINE = 1.18                           # line height, in font sizes

CAPTIONS = {"barrier": "Barriers", "facilitator": "Facilitators", "condition": "Conditions",
            "context": "Context", "strategy": "Strategies", "consequence": "Consequences",
            "core": "Core category", "other": "Other categories"}
EDGE = {"core": "#000000", "barrier": "#b2182b", "facilitator": "#1b7837", "condition": "#8c510a",
        "context": "#8c510a", "strategy": "#2166ac", "consequence": "#762a83", "other": "#6b6b6b"}
FILL = {"core": "#fde9b8", "barrier": "#fbe3e1", "facilitator": "#e3f1e3", "condition": "#f6ead8",
        "context": "#f6ead8", "strategy": "#e1ebf5", "consequence": "#ece3f0", "other": "#f0f0f0"}


# --- measuring and wrapping text (DejaVu Sans metrics, matplotlib's own font: the same on every machine) ---
_ADVANCE: dict[tuple[bool, str], float] = {}
_FONTS: dict[bool, object] = {}


def _em(ch: str, bold: bool) -> float:
    """Width of one character in ems; characters DejaVu lacks (CJK, emoji) count as a full em."""
    key = (bold, ch)
    if key not in _ADVANCE:
        from matplotlib import ft2font

        if bold not in _FONTS:
            import os

            import matplotlib

            name = "DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf"
            font = ft2font.FT2Font(os.path.join(matplotlib.get_data_path(), "fonts", "ttf", name))
            font.set_size(100, 72)
            _FONTS[bold] = font
        font = _FONTS[bold]
        cp = ord(ch)
        if unicodedata.category(ch) in ("Mn", "Me", "Cf") or 0xFE00 <= cp <= 0xFE0F:
            width = 0.0
        elif font.get_char_index(cp):
            flags = ft2font.LoadFlags.NO_HINTING if hasattr(ft2font, "LoadFlags") else 2
            width = font.load_char(cp, flags=flags).linearHoriAdvance / 65536 / 100
        else:
            width = 1.0 if unicodedata.east_asian_width(ch) in "WF" or cp >= 0x2000 else 0.62
        _ADVANCE[key] = width
    return _ADVANCE[key]


def text_width(text: str, size: float, bold: bool = False) -> float:
    """Width in inches of `text` at `size` points."""
    return sum(_em(ch, bold) for ch in text) * size / 72


def _tokens(text: str) -> list[str]:
    """Words, with each wide (CJK) character a word of its own so such names can break anywhere."""
    out: list[str] = []
    for word in text.split():
        buf = ""
        for ch in word:
            if unicodedata.east_asian_width(ch) in "WF":
                if buf:
                    out.append(buf)
                    buf = ""
                out.append(ch)
            else:
                buf += ch
        if buf:
            out.append(buf)
    return out


def wrap(text: str, width: float, size: float, bold: bool = False) -> list[str]:
    """Greedy word wrap to `width` inches; a word too long for a line is split between characters."""
    lines: list[str] = []
    line = ""
    for tok in _tokens(text):
        wide = len(tok) == 1 and unicodedata.east_asian_width(tok) in "WF"
        glue = "" if (not line or (wide and unicodedata.east_asian_width(line[-1]) in "WF")) else " "
        if text_width(line + glue + tok, size, bold) <= width:
            line += glue + tok
            continue
        if line:
            lines.append(line)
            line = ""
        while text_width(tok, size, bold) > width and len(tok) > 1:
            cut = 1
            while cut < len(tok) and text_width(tok[:cut + 1], size, bold) <= width:
                cut += 1
            lines.append(tok[:cut])
            tok = tok[cut:]
        line = tok
    if line:
        lines.append(line)
    return lines or [""]


def fit(text: str, width: float, height: float, biggest: float, smallest: float, bold: bool = False,
        extra: str = "") -> tuple[list[str], float]:
    """Lines and font size that fit `text` (and an optional smaller `extra` line) in width × height inches.

    Tries the biggest size first, shrinking by half points; at the smallest size, lines that do not
    fit are cut and the last one ends in an ellipsis.
    """
    size = biggest
    while True:
        lines = wrap(text, width, size, bold)
        needed = (len(lines) + (0.85 if extra else 0)) * size * LINE / 72
        if needed <= height or size <= smallest:
            break
        size = max(smallest, size - 0.5)
    room = max(1, int(height / (size * LINE / 72) - (0.85 if extra else 0)))
    if len(lines) > room:
        lines = lines[:room]
        last = lines[-1]
        while last and text_width(last + "…", size, bold) > width:
            last = last[:-1]
        lines[-1] = last.rstrip() + "…"
    return lines, size


# --- layout ------------------------------------------------------------------------------------------
@dataclass
class Box:
    """One node's place on the page: lower-left corner, size, and its fitted label."""

    key: str
    x: float
    y: float
    w: float
    h: float
    lines: list[str]
    size: float
    role: str
    kind: str
    bold: bool = False
    extra: str = ""                     # the smaller counts line under a category's name

    @property
    def cx(self) -> float:
        return self.x + self.w / 2

    @property
    def cy(self) -> float:
        return self.y + self.h / 2


@dataclass
class Layout:
    title: str
    subtitle: str
    title_size: float = 14.0
    subtitle_size: float = 8.0
    boxes: dict[str, Box] = field(default_factory=dict)
    regions: list[tuple[str, tuple[float, float, float, float]]] = field(default_factory=list)
    spines: list[list[tuple[float, float]]] = field(default_factory=list)   # 'contains' brackets
    hidden: dict[str, str] = field(default_factory=dict)   # code not drawn (no room) → the box standing for it
    bends: dict[tuple[str, str, str], float] = field(default_factory=dict)   # relation → curvature


def _counts_line(d: dict) -> str:
    n, cases = d["codings"], d["cases"]
    return f"{n} coding{'s' * (n != 1)} · {cases} case{'s' * (cases != 1)}"


def _units(graph) -> dict[str, list[str]]:
    """Head node → the codes drawn inside its box (nearest category above them), in tree order."""
    units: dict[str, list[str]] = {}
    for key, d in graph.nodes(data=True):
        if d["kind"] == "category":
            units.setdefault(key, [])
        elif d["category"]:
            units.setdefault(d["category"], []).append(key)
        else:  # a code under no category: its top-level code heads a unit of its own
            top = key
            while graph.nodes[top]["parent"] and graph.nodes[graph.nodes[top]["parent"]]["kind"] == "code":
                top = graph.nodes[top]["parent"]
            units.setdefault(top, [])
            if top != key:
                units[top].append(key)
    return units


def _grid(n: int, w: float, h: float, aspect: float) -> tuple[int, int]:
    """Columns and rows for n boxes in w × h whose shape comes closest to `aspect` (width / height)."""
    best = None
    for cols in range(1, n + 1):
        rows = math.ceil(n / cols)
        score = abs(math.log((w / cols) / (h / rows) / aspect))
        if best is None or score < best[0] - 1e-9:
            best = (score, cols, rows)
    return best[1], best[2]


def layout_model(graph, title: str | None = None) -> Layout:
    """Where every box goes on an A4 landscape page (inches, origin bottom-left)."""
    nodes = graph.nodes
    units = _units(graph)
    role_of = {k: nodes[k]["role"] for k in units}
    cores = [k for k in units if role_of[k] == "core"]
    n_cat = sum(1 for _, d in graph.nodes(data=True) if d["kind"] == "category")
    n_rel = len(relation_edges(graph))
    name = graph.graph.get("name") or "gtcode project"
    head = title or f"{name}: theory model"
    bits = [("core category: " + graph.graph["core"]) if cores else "no core category chosen yet",
            f"{n_cat} categor{'y' if n_cat == 1 else 'ies'}", f"{n_rel} relation{'s' * (n_rel != 1)}"]
    if graph.graph.get("where"):
        bits.append("cases where " + graph.graph["where"])
    if graph.graph.get("min_evidence"):
        weaker = graph.graph.get("weaker_left_out", 0)
        bits.append(f"relations with ≥ {graph.graph['min_evidence']} evidence"
                    + (f" ({weaker} weaker left out)" if weaker else ""))
    width = PAGE_W - 2 * MARGIN            # a long project name shrinks, then is cut, to stay on one line
    (head,), title_size = fit(head, width, 14 * LINE / 72, 14, 9, bold=True)
    (sub,), sub_size = fit(" · ".join(bits), width, 8 * LINE / 72, 8, 6)
    out = Layout(head, sub, title_size=title_size, subtitle_size=sub_size)

    def load(*roles):
        return sum(1 for k in units if role_of[k] in roles)

    def tall(*roles):   # extra height for the codes listed under a category (at most 7 rows' worth)
        return max([min(7, len(units[k])) * 0.2 + 0.05 for k in units if role_of[k] in roles and units[k]] or [0.0])

    frame = (MARGIN, MARGIN + LEGEND_H, PAGE_W - MARGIN, PAGE_H - MARGIN - TITLE_H)
    regions, box_h = _regions(load, tall, bool(cores), frame)
    core_region = next((r for r in regions if r[0] == "core"), None)
    centre = ((core_region[1] + core_region[3] / 2, core_region[2] + core_region[4] / 2) if core_region
              else ((frame[0] + frame[2]) / 2, (frame[1] + frame[3]) / 2))
    cap = None
    for _ in range(2):   # the second pass gives every category the same size at most: the median of the first
        out.boxes.clear(), out.regions.clear(), out.spines.clear(), out.hidden.clear()
        for role, rx, ry, rw, rh in regions:
            members = [k for k in units if (role_of[k] == role or (role == "other" and not cores))]
            if not members:
                continue
            out.regions.append((CAPTIONS[role] if cores else "Categories", (rx, ry, rw, rh)))
            if role == "strategy" and load("consequence"):
                # Strategies either side of a corridor, so the core's lines to its consequences stay in view.
                lane = min(1.0, 0.2 * rw)
                half = (rw - lane) / 2
                ranked = sorted(members, key=lambda k: (nodes[k]["rank"], -nodes[k]["codings"],
                                                        nodes[k]["path"].casefold()))
                for part, x in ((ranked[0::2], rx), (ranked[1::2], rx + half + lane)):
                    if part:
                        _place(graph, out, units, part, (x, ry, half, rh - CAPTION_H), centre, role, cap, box_h)
                continue
            _place(graph, out, units, members, (rx, ry, rw, rh - CAPTION_H), centre, role, cap, box_h)
        sizes = sorted(b.size for b in out.boxes.values() if b.kind == "category" and not b.bold)
        if not sizes or sizes[0] == sizes[-1]:
            break
        cap = sizes[len(sizes) // 2]
    out.bends = _bends(graph, out)
    return out


CAPTION_H = 0.2   # a side's caption, above its boxes


def _regions(load, tall, has_core: bool, frame) -> tuple[list[tuple[str, float, float, float, float]], float]:
    """(role, x, y, w, h) of each side, and the box height they are sized for.

    Every side is a grid of boxes of one size: the largest size (up to 2.3 × 0.78 in) at which every
    side fits on the page beside a core box of 3.4 × 1.0 in. Space left over goes to the core.
    """
    x0, y0, x1, y1 = frame
    width, height = x1 - x0, y1 - y0
    if not has_core:
        return [("other", x0, y0, width, height)], 0.78
    core_w, core_h = 3.6, 1.4

    def sizes(bh: float):
        cell_w = min(2.3, 2.6 * bh) + GAP

        def across(role: str, w: float) -> float:       # height of a side's boxes in rows across width w
            n = load(role)
            rows = math.ceil(n / max(1, int((w + GAP / 2) / cell_w)))
            return CAPTION_H + rows * (bh + GAP + tall(role)) if n else 0.0

        def down(role: str, h: float) -> float:         # width of a side's boxes in columns down height h
            n = load(role)
            return math.ceil(n / max(1, int((h - CAPTION_H + GAP / 2) / (bh + GAP + tall(role))))) * cell_w \
                if n else 0.0

        h_other = across("other", width)
        rest = height - h_other - (GAP / 2 if h_other else 0)
        w_left, w_right = down("barrier", rest), down("facilitator", rest)
        cw = width - w_left - w_right - (GAP / 2 if w_left else 0) - (GAP / 2 if w_right else 0)
        top, n_cond = load("condition", "context"), load("condition")
        h_top = max(across("condition", cw * n_cond / top - GAP / 2) if n_cond else 0,
                    across("context", cw * (top - n_cond) / top - GAP / 2) if top > n_cond else 0)
        h_bottom, h_strategy = across("consequence", cw), across("strategy", cw)
        spare = rest - h_top - h_bottom - h_strategy - core_h
        return (cw >= core_w and spare >= 0), (h_other, w_left, w_right, h_top, h_bottom, h_strategy)

    low, high = 0.16, 0.78
    if sizes(high)[0]:
        low = high
    else:
        for _ in range(20):                              # the largest box height that fits
            mid = (low + high) / 2
            low, high = (mid, high) if sizes(mid)[0] else (low, mid)
    ok, (h_other, w_left, w_right, h_top, h_bottom, h_strategy) = sizes(low)
    if not ok:  # even the smallest boxes do not fit: share the page out in proportion instead
        rest = height - h_other
        over = max(1.0, (w_left + w_right) / max(0.1, width - core_w))
        w_left, w_right = w_left / over, w_right / over
        over = max(1.0, (h_top + h_bottom + h_strategy) / max(0.1, rest - core_h))
        h_top, h_bottom, h_strategy = h_top / over, h_bottom / over, h_strategy / over
    regions = []
    if h_other:
        regions.append(("other", x0, y0, width, h_other))
        y0 += h_other + GAP / 2
    if w_left:
        regions.append(("barrier", x0, y0, w_left, y1 - y0))
        x0 += w_left + GAP / 2
    if w_right:
        regions.append(("facilitator", x1 - w_right, y0, w_right, y1 - y0))
        x1 -= w_right + GAP / 2
    cw = x1 - x0
    if h_top:
        top, n_cond = load("condition", "context"), load("condition")
        w_cond = cw * n_cond / top
        if n_cond:
            regions.append(("condition", x0, y1 - h_top, w_cond - (GAP / 2 if n_cond < top else 0), h_top))
        if n_cond < top:
            gap = GAP / 2 if n_cond else 0
            regions.append(("context", x0 + w_cond + gap, y1 - h_top, cw - w_cond - gap, h_top))
        y1 -= h_top + GAP / 2
    if h_bottom:
        regions.append(("consequence", x0, y0, cw, h_bottom))
        y0 += h_bottom + GAP / 2
    if h_strategy:
        regions.append(("strategy", x0, y0, cw, h_strategy))
        y0 += h_strategy + GAP / 2
    regions.append(("core", x0, y0, cw, y1 - y0))
    return regions, low


def _place(graph, out: Layout, units, members: list[str], rect, centre, role, cap: float | None,
           box_h: float) -> None:
    """Boxes for one side: a grid, the closest-related and best-grounded categories nearest the core."""
    nodes = graph.nodes
    rx, ry, rw, rh = rect
    n = len(members)
    if any(units[k] for k in members) or role == "core":
        cols, rows = _grid(n, rw, rh, 1.5 if role != "core" else 3.2)
    else:   # the grid the side was sized for; more columns than needed spread the boxes evenly
        cols = max(1, min(n, int((rw + GAP / 2) / (min(2.3, 2.6 * box_h) + GAP))))
        rows = math.ceil(n / cols)
        if rows * (box_h + GAP) > rh + GAP / 2 + 1e-6:
            cols, rows = _grid(n, rw, rh, 2.6)
        else:
            cols = math.ceil(n / rows)
    cw, ch = rw / cols, rh / rows
    cells = [(c, r) for r in range(rows) for c in range(cols)]
    cells.sort(key=lambda cr: (round(math.hypot(rx + (cr[0] + 0.5) * cw - centre[0],
                                                ry + rh - (cr[1] + 0.5) * ch - centre[1]), 6), cr[1], cr[0]))
    order = sorted(members, key=lambda k: (nodes[k]["rank"], -nodes[k]["codings"], nodes[k]["path"].casefold()))
    max_w, max_h = (3.2, 1.0) if role == "core" else (2.3, 0.78)
    for key, (c, r) in zip(order, cells):
        w = min(cw - GAP, max_w)
        h = min(ch - GAP, max_h + 0.2 * len(units[key]) + (0.05 if units[key] else 0))
        x, y = rx + c * cw + (cw - w) / 2, ry + rh - (r + 1) * ch + (ch - h) / 2
        _unit_boxes(graph, out, key, units[key], x, y, w, h, None if role == "core" else cap)


def _unit_boxes(graph, out: Layout, key: str, codes: list[str], x: float, y: float, w: float, h: float,
                cap: float | None) -> None:
    """A category's box, with the codes under it (if shown) listed in small boxes beneath its name."""
    d = graph.nodes[key]
    core = d["role"] == "core"
    head_h = h if not codes else min(h, 0.44)   # one header height for every category with its codes
    big, small = (12.0, 6.0) if core else ((9.0, 4.5) if d["kind"] == "category" else (7.0, 4.0))
    big = min(big, cap) if cap else big
    extra = _counts_line(d)
    room = head_h - 2 * PAD
    if extra and room < 1.85 * small * LINE / 72:   # too small a box for the counts: the name comes first
        extra = ""
    small = max(3.0, min(small, room * 72 / LINE))
    lines, size = fit(d["name"], w - 2 * PAD, room, max(big, small), small, bold=core, extra=extra)
    out.boxes[key] = Box(key, x, y + h - head_h, w, head_h, lines, size, d["role"], d["kind"], core, extra)
    if not codes:
        return
    top, bottom = y + h - head_h - 0.05, y
    row = min(0.2, (top - bottom) / len(codes))
    shown = codes if row >= 0.085 else codes[:max(0, int((top - bottom) / 0.085) - 1)]
    if len(shown) < len(codes):
        row = 0.085
    depth0 = d["path"].count("/")
    spine: list[tuple[float, float]] = []
    for i, code in enumerate(shown):
        c = graph.nodes[code]
        indent = 0.12 * max(1, c["path"].count("/") - depth0)
        bx, by, bw, bh = x + indent, top - (i + 1) * row + 0.01, w - indent, row - 0.02
        clines, csize = fit(f"{c['name']} ({c['codings']})", bw - 2 * 0.03, bh, 6.5, 3.5)
        out.boxes[code] = Box(code, bx, by, bw, bh, clines[:1], csize, c["role"], "code")
        spine.append((bx, by + bh / 2))
    for code in codes[len(shown):]:
        out.hidden[code] = key
    if len(shown) < len(codes):
        more = len(codes) - len(shown)
        out.boxes[f"more:{key}"] = Box(f"more:{key}", x + 0.12, top - (len(shown) + 1) * row, w - 0.12, row,
                                       [f"+ {more} more code{'s' * (more != 1)}"], 4.0, "other", "more")
    if spine:
        out.spines.append([(x + 0.06, y + h - head_h)] + spine)


def _bends(graph, layout: Layout) -> dict[tuple[str, str, str], float]:
    """A bend for each drawn relation: the one (of a few) whose curve crosses the fewest other boxes;
    several relations between the same two boxes fan out around it."""
    cell = 0.25
    index: dict[tuple[int, int], list[Box]] = {}
    for b in layout.boxes.values():
        for i in range(int(b.x / cell), int((b.x + b.w) / cell) + 1):
            for j in range(int(b.y / cell), int((b.y + b.h) / cell) + 1):
                index.setdefault((i, j), []).append(b)
    pairs: dict[tuple[str, str], list] = {}
    for u, v, k, d in graph.edges(keys=True, data=True):
        a, b = layout.hidden.get(u, u), layout.hidden.get(v, v)
        if a == b or a not in layout.boxes or b not in layout.boxes:
            continue
        # Codes listed under their category show containment already; a subcategory in its own box gets a line.
        if d["type"] != CONTAINS or (layout.boxes[b].kind == "category" and graph.nodes[u]["kind"] == "category"):
            pairs.setdefault(tuple(sorted((a, b))), []).append((u, v, k, a, b))
    bends = {}
    for (first, second), edges in sorted(pairs.items()):
        a, b = layout.boxes[first], layout.boxes[second]
        p0, p2 = (a.cx, a.cy), (b.cx, b.cy)
        def cost(bend: float) -> float:
            p1 = ((p0[0] + p2[0]) / 2 - (p2[1] - p0[1]) * bend, (p0[1] + p2[1]) / 2 + (p2[0] - p0[0]) * bend)
            hits = set()
            for t in range(1, 32):
                x, y = _bezier(p0, p1, p2, t / 32)
                if not (MARGIN < x < PAGE_W - MARGIN and MARGIN + LEGEND_H < y < PAGE_H - MARGIN - TITLE_H):
                    hits.add("outside")          # over the title, the legend or off the page
                    continue
                for box in index.get((int(x / cell), int(y / cell)), ()):
                    if box is not a and box is not b and _inside(box, (x, y), 0.0):
                        hits.add(box.key)
            return abs(bend) * 0.5 + sum(50.0 if h == "outside" else 1.0 if layout.boxes[h].kind == "category"
                                         else 0.3 for h in hits)

        costs = {bend: cost(bend) for bend in (0.0, 0.12, -0.12, 0.25, -0.25, 0.4, -0.4, 0.55, -0.55, 0.8, -0.8)}
        taken: list[float] = []
        for u, v, k, ea, _ in edges:   # each relation its own curve, clear of those already drawn between the pair
            free = [bend for bend in costs if all(abs(bend - t) > 0.1 for t in taken)] or [0.2 * len(taken)]
            bend = min(free, key=lambda x: (round(costs.get(x, 9.0), 9), abs(x), x))
            taken.append(bend)
            bends[(u, v, k)] = bend if ea == first else -bend
    return bends


# --- relation styles -----------------------------------------------------------------------------------
@dataclass(frozen=True)
class Style:
    color: str
    dash: tuple[float, ...] | None     # on-off lengths in points; None is solid
    head: str = "filled"               # filled | open


BUILTIN_STYLES = {
    "facilitates": Style("#1b7837", None), "causes": Style("#00441b", None, "open"),
    "leads-to": Style("#4d9221", None, "open"),
    "hinders": Style("#b2182b", (5, 2.5)), "contradicts": Style("#d6604d", (5, 2, 1.2, 2)),
    "is-condition-for": Style("#8c510a", (1, 1.8)), "is-intervening-condition-for": Style("#bf812d", (1, 1.2, 1, 3.5)),
    "is-context-for": Style("#01665e", (1, 3)), "is-strategy-for": Style("#2166ac", (1, 1.2, 1, 1.2, 1, 3.5)),
    "is-consequence-of": Style("#762a83", (1, 1.8), "open"), "is-part-of": Style("#4d4d4d", (1, 3), "open"),
    "is-a": Style("#4d4d4d", (1, 1.8), "open"), "is-property-of": Style("#878787", (1, 1.2, 1, 3.5), "open"),
    "is-associated-with": Style("#878787", (1, 2.5), "open"),
}
_PALETTE = ("#e08214", "#8073ac", "#35978f", "#c51b7d", "#7f3b08", "#2d004b", "#543005", "#003c30")
_EXTRA_DASH = {"+": [None], "-": [(3, 1.5), (6, 2, 1, 2, 1, 2)], "0": [(1, 2.2), (1, 1, 1, 3)]}


def relation_styles(graph) -> dict[str, Style]:
    """Style per relation type in the graph: the built-in ones fixed, a project's own by polarity."""
    types = sorted({(d["type"], d["polarity"]) for _, _, d in relation_edges(graph)})
    styles, extra = {}, 0
    for name, polarity in types:
        if name in BUILTIN_STYLES:
            styles[name] = BUILTIN_STYLES[name]
            continue
        dashes = _EXTRA_DASH.get(polarity, _EXTRA_DASH["0"])
        styles[name] = Style(_PALETTE[extra % len(_PALETTE)], dashes[extra % len(dashes)],
                             "open" if extra % 2 else "filled")
        extra += 1
    return styles


def legend_entries(graph) -> list[tuple[str, str, Style]]:
    """(type, label, style) for the relation types drawn, positive first, then negative, then neutral."""
    styles = relation_styles(graph)
    seen = {d["type"]: (d["label"], d["polarity"]) for _, _, d in relation_edges(graph)}
    rank = {"+": 0, "-": 1, "0": 2}
    names = sorted(seen, key=lambda t: (rank.get(seen[t][1], 3), t.casefold()))
    sign = {"+": " (+)", "-": " (−)", "0": ""}
    return [(t, seen[t][0] + sign.get(seen[t][1], ""), styles[t]) for t in names]


def line_width(evidence: int) -> float:
    """Points: thicker lines carry more evidence."""
    return round(min(3.2, 0.8 + 0.55 * math.log2(1 + evidence)), 2)


# --- writers -------------------------------------------------------------------------------------------
def _json_text(graph) -> str:
    nodes = sorted(graph.nodes(data=True), key=lambda nd: (nd[1]["path"].casefold(), nd[1]["path"], nd[0]))
    path = {k: d["path"] for k, d in graph.nodes(data=True)}
    edges = sorted(graph.edges(data=True), key=lambda e: (path[e[0]].casefold(), e[2]["type"], path[e[1]].casefold(),
                                                          e[2]["uuid"]))
    doc = {
        "format": "gtcode-model", "version": 1,
        "model": {k: graph.graph[k] for k in sorted(graph.graph)},
        "nodes": [{k: d[k] for k in ("uuid", "name", "path", "kind", "core", "role", "rank", "color", "codings",
                                     "documents", "cases", "parent")} for _, d in nodes],
        "edges": [{"source": u, "source_path": path[u], "type": d["type"], "target": v, "target_path": path[v]}
                  | {k: d[k] for k in ("label", "polarity", "evidence", "passages", "memos", "participants", "uuid",
                                       "note")} for u, v, d in edges],
    }
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"


def _mm_text(text: str) -> str:
    """Text safe inside a Mermaid "quoted" label: entity codes for quotes, markup and '#'."""
    swap = {"#": "#35;", '"': "#quot;", "<": "#lt;", ">": "#gt;", "&": "#amp;", "`": "#96;", "\n": " "}
    return "".join(swap.get(ch, ch) for ch in text)


def _mermaid_text(graph) -> str:
    """A Mermaid flowchart: one subgraph per side of the model; codes (if any) in a box with their category,
    so containment costs no edges (Mermaid refuses more than 500 by default)."""
    nodes = graph.nodes
    ident = {k: f"c{d['id']}" for k, d in nodes(data=True)}
    units = _units(graph)
    title = graph.graph.get("title") or f"{graph.graph['name']}: theory model"
    lines = ["---", "title: " + json.dumps(title, ensure_ascii=False), "---",
             "%% gtcode theory model: barriers → core ← facilitators; line style shows the relation type",
             "flowchart LR"]

    def node(key: str, indent: str) -> None:
        d = nodes[key]
        if d["kind"] == "category":
            text = _mm_text(d["name"]) + "<br/><small>" + _mm_text(_counts_line(d)) + "</small>"
            shape = f'(["{text}"])' if d["core"] else f'["{text}"]'
            lines.append(f"{indent}{ident[key]}{shape}:::{d['role']}")
        else:
            depth = d["path"].count("/") - (nodes[d["category"]]["path"].count("/") + 1 if d["category"] else 0)
            lines.append(f'{indent}{ident[key]}("{"↳ " * depth}{_mm_text(d["name"])} ({d["codings"]})"):::code')

    def unit(key: str, indent: str) -> None:
        if not units.get(key):
            node(key, indent)
            return
        lines.append(f'{indent}subgraph u{nodes[key]["id"]} [" "]')
        lines.append(f"{indent}  direction TB")
        for member in [key, *units[key]]:
            node(member, indent + "  ")
        lines.append(f"{indent}end")

    by_role: dict[str, list[str]] = {}
    for key in units:
        by_role.setdefault(nodes[key]["role"] if nodes[key]["kind"] == "category" else "code", []).append(key)
    for role in [r for r in (*ROLES, "code") if r in by_role]:
        caption = CAPTIONS[role] if role != "code" else "Codes outside categories"
        lines.append(f'  subgraph {role}s ["{caption}"]')
        lines.append("    direction TB")
        for key in sorted(by_role[role], key=lambda k: nodes[k]["path"].casefold()):
            unit(key, "    ")
        lines.append("  end")
    styles = relation_styles(graph)
    link_styles = []
    index = 0
    path = {k: d["path"].casefold() for k, d in nodes(data=True)}
    edges = sorted(relation_edges(graph), key=lambda e: (path[e[0]], e[2]["type"], path[e[1]]))
    for u, v, d in edges:
        if d["type"] == CONTAINS:
            continue
        else:
            arrow = "-->" if styles[d["type"]].dash is None else "-.->"
            label = _mm_text(f"{d['label']} ({d['evidence']})")
            lines.append(f'  {ident[u]} {arrow}|"{label}"| {ident[v]}')
            s = styles[d["type"]]
            dash = f",stroke-dasharray:{' '.join(f'{x:g}' for x in s.dash)}" if s.dash else ""
            width = line_width(d["evidence"])
            link_styles.append(f"  linkStyle {index} stroke:{s.color},stroke-width:{width:g}px{dash}")
        index += 1
    lines.extend(link_styles)
    for role in ROLES:
        weight = ",stroke-width:3px,font-weight:bold" if role == "core" else ""
        lines.append(f"  classDef {role} fill:{FILL[role]},stroke:{EDGE[role]},color:#000000{weight}")
    lines.append("  classDef code fill:#ffffff,stroke:#999999,color:#000000,font-size:11px")
    return "\n".join(lines) + "\n"



def _dot_str(text: str) -> str:
    """A DOT double-quoted string; backslashes doubled so Graphviz's escapes (\\n, \\N…) stay literal."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ") + '"'


def _html(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def _dot_text(graph, layout: Layout) -> str:
    """Graphviz source with every box pinned where the layout put it (neato -n keeps positions)."""
    nodes = graph.nodes
    ident = {k: f"c{d['id']}" for k, d in nodes(data=True)}
    styles = relation_styles(graph)
    out = ["// gtcode theory model. Render: dot -Tsvg model.dot -o model.svg (positions are pinned; layout=neato)",
           "digraph model {",
           "  graph [layout=neato, splines=true, overlap=true, sep=\"+1\", esep=\"+0.5\", outputorder=edgesfirst, "
           f"pad=0.2, label={_dot_str(layout.title)[:-1]}\\n{_dot_str(layout.subtitle)[1:]}, labelloc=t, "
           f"fontsize={layout.title_size:g}, fontname=\"DejaVu Sans\"];",
           "  node [shape=box, style=\"rounded,filled\", fixedsize=true, fontname=\"DejaVu Sans\", margin=0];",
           "  edge [fontname=\"DejaVu Sans\", fontsize=7, arrowsize=0.7];"]
    for key in sorted(nodes, key=lambda k: nodes[k]["path"].casefold()):
        d = nodes[key]
        box = layout.boxes.get(key)
        attrs = {"gtcode_uuid": d["uuid"], "gtcode_path": d["path"], "gtcode_role": d["role"],
                 "gtcode_kind": d["kind"]}
        fmt = ", ".join(f"{k}={_dot_str(str(v))}" for k, v in attrs.items())
        if box is None:   # a code with no room on the page: kept in the data, hidden under its category's box
            head = layout.boxes.get(layout.hidden.get(key, ""))
            at = f"{head.cx:.3f},{head.cy:.3f}!" if head else "0,0!"
            out.append(f"  {ident[key]} [{fmt}, style=invis, pos=\"{at}\", width=0.01, height=0.01, label=\"\"];")
            continue
        text = "\\n".join(line.replace("\\", "\\\\").replace('"', '\\"') for line in box.lines)
        if box.extra:
            text += "\\n" + box.extra
        fill = FILL[d["role"]] if d["kind"] == "category" else "#ffffff"
        color = EDGE[d["role"]] if d["kind"] == "category" else "#999999"
        extra = ", penwidth=2.5, fontname=\"DejaVu Sans Bold\"" if box.bold else ""
        out.append(f"  {ident[key]} [label=\"{text}\", pos=\"{box.cx:.3f},{box.cy:.3f}!\", width={box.w:.3f}, "
                   f"height={box.h:.3f}, fontsize={box.size:g}, fillcolor=\"{fill}\", color=\"{color}\"{extra}, "
                   f"{fmt}];")
    path = {k: d["path"].casefold() for k, d in nodes(data=True)}
    for u, v, d in sorted(graph.edges(data=True), key=lambda e: (path[e[0]], e[2]["type"], path[e[1]])):
        if d["type"] == CONTAINS:
            look = "style=invis" if v in layout.hidden else "color=\"#bbbbbb\", arrowhead=none"
            out.append(f"  {ident[u]} -> {ident[v]} [gtcode_type=\"contains\", {look}];")
            continue
        s = styles[d["type"]]
        style = "solid" if s.dash is None else ("dashed" if s.dash[0] > 2 else "dotted")
        head = "vee" if s.head == "open" else "normal"
        out.append(f"  {ident[u]} -> {ident[v]} [gtcode_type={_dot_str(d['type'])}, tooltip="
                   f"{_dot_str(d['label'] + ' — evidence ' + str(d['evidence']))}, color=\"{s.color}\", "
                   f"style={style}, "
                   f"arrowhead={head}, penwidth={line_width(d['evidence']):g}, gtcode_evidence={d['evidence']}, "
                   f"gtcode_participants={d['participants']}];")
    entries = legend_entries(graph)
    if entries:
        sample = {"solid": "━━━", "dashed": "╍╍╍", "dotted": "┈┈┈"}
        cells = []
        for _, text, s in entries:
            kind = "solid" if s.dash is None else ("dashed" if s.dash[0] > 2 else "dotted")
            cells.append(f"<td><font color=\"{s.color}\">{sample[kind]}</font> {_html(text)}</td>")
        rows = ["<tr>" + "".join(cells[i:i + 6]) + "</tr>" for i in range(0, len(cells), 6)]
        out.append(f"  legend [shape=plaintext, style=\"\", fixedsize=false, fontsize=8, pos=\"{PAGE_W / 2:.3f},"
                   f"{MARGIN + LEGEND_H / 2:.3f}!\", label=<<table border=\"0\" cellspacing=\"4\">{''.join(rows)}"
                   f"</table>>];")
    out.append("}")
    return "\n".join(out) + "\n"


_LATEX = {"\\": r"\textbackslash{}", "{": r"\{", "}": r"\}", "$": r"\$", "&": r"\&", "#": r"\#", "%": r"\%",
          "_": r"\_", "^": r"\textasciicircum{}", "~": r"\textasciitilde{}", "<": r"\textless{}",
          ">": r"\textgreater{}", '"': r"\textquotedbl{}", "|": r"\textbar{}", "−": r"\ensuremath{-}",
          "≥": r"\ensuremath{\geq}", "≤": r"\ensuremath{\leq}", "→": r"\ensuremath{\rightarrow}",
          "←": r"\ensuremath{\leftarrow}"}
#: Beyond ASCII, what pdflatex typesets with T1 + utf8 without extra packages.
_LATEX_OK = set(range(0xA1, 0x180)) | {0x2013, 0x2014, 0x2018, 0x2019, 0x201C, 0x201D, 0x2026, 0x2022, 0x20AC}


def latex_escape(text: str) -> str:
    return "".join(_LATEX.get(ch, ch) for ch in text.replace("\u00a0", " "))


def _tikz_text(graph, layout: Layout) -> str:
    nodes = graph.nodes
    styles = relation_styles(graph)
    cm = 2.54
    body: list[str] = []
    styles_tex: list[str] = []
    used: set[str] = set()

    def tex(text: str) -> str:
        used.update(ch for ch in text if ord(ch) > 0x7E)
        return latex_escape(text)

    def pt(x: float, y: float) -> str:
        return f"({x * cm:.3f},{y * cm:.3f})"

    type_style = {t: f"gtcrel{i}" for i, t in enumerate(sorted(styles))}
    for t, s in sorted(styles.items()):
        dash = ("dash pattern=" + " ".join(f"{'on' if i % 2 == 0 else 'off'} {x:g}pt" for i, x in enumerate(s.dash))
                if s.dash else "solid")
        tip = "Stealth" if s.head == "filled" else "Straight Barb"
        styles_tex.append(f"\\definecolor{{{type_style[t]}c}}{{HTML}}{{{s.color[1:].upper()}}}")
        styles_tex.append(f"\\tikzset{{{type_style[t]}/.style={{-{{{tip}[length=4pt]}}, draw={type_style[t]}c, "
                          f"{dash}}}}}  % {tex(t)}")
    for role in ROLES:
        styles_tex.append(f"\\definecolor{{gtc{role}}}{{HTML}}{{{EDGE[role][1:].upper()}}}"
                          f"\\definecolor{{gtc{role}fill}}{{HTML}}{{{FILL[role][1:].upper()}}}")
    body.append("\\begin{tikzpicture}[x=1cm, y=1cm, every node/.style={font=\\sffamily}]")
    inset = 0.2   # the picture is a little smaller than the page, so it never spills onto a second one
    body.append(f"    \\useasboundingbox {pt(inset, inset)} rectangle {pt(PAGE_W - inset, PAGE_H - inset)};")
    for text, size, y, bold in ((layout.title, layout.title_size, 0, "\\bfseries"),
                                (layout.subtitle, layout.subtitle_size, 0.28, "")):
        body.append(f"    \\node[anchor=north, font=\\sffamily{bold}\\fontsize{{{size:g}}}{{{size * LINE:.1f}}}"
                    f"\\selectfont] at {pt(PAGE_W / 2, PAGE_H - MARGIN - y)} {{{tex(text)}}};")
    for caption, (x, y, w, h) in layout.regions:
        body.append(f"    \\fill[black!4, rounded corners=3pt] {pt(x, y)} rectangle {pt(x + w, y + h)};")
        body.append(f"    \\node[anchor=north west, font=\\sffamily\\itshape\\fontsize{{7}}{{8}}\\selectfont, "
                    f"text=black!60] at {pt(x + 0.03, y + h - 0.02)} {{{tex(caption)}}};")
    ident = {k: f"c{d['id']}" for k, d in nodes(data=True)}
    for key in sorted(layout.boxes, key=lambda k: (nodes[k]["path"].casefold() if k in nodes else "\uffff" + k)):
        b = layout.boxes[key]
        if b.kind == "more":
            body.append(f"    \\node[font=\\sffamily\\itshape\\fontsize{{{b.size:g}}}{{{b.size * LINE:.1f}}}"
                        "\\selectfont,"
                        f" anchor=west] at {pt(b.x, b.cy)} {{{tex(b.lines[0])}}};")
            continue
        text = "\\\\".join(tex(line) for line in b.lines)
        if b.extra:
            text += f"\\\\[1pt]{{\\fontsize{{{b.size * 0.8:.1f}}}{{{b.size * 0.9:.1f}}}\\selectfont {tex(b.extra)}}}"
        if b.kind == "category":
            look = f"draw=gtc{b.role}, fill=gtc{b.role}fill, rounded corners=2pt" + (", line width=1.6pt" if b.bold
                                                                                       else "")
        else:
            look = "draw=black!40, fill=white, line width=0.3pt"
        font = ("\\bfseries" if b.bold else "") + f"\\fontsize{{{b.size:g}}}{{{b.size * LINE:.1f}}}\\selectfont"
        body.append(f"    \\node[{look}, minimum width={b.w * cm:.3f}cm, minimum height={b.h * cm:.3f}cm, "
                    f"text width={(b.w - 2 * PAD) * cm:.3f}cm, align=center, inner sep=0pt, font=\\sffamily{font}] "
                    f"({ident[key]}) at {pt(b.cx, b.cy)} {{{text}}};")
    for spine in layout.spines:
        (sx, sy), rest = spine[0], spine[1:]
        body.append(f"    \\draw[black!35, line width=0.4pt] {pt(sx, sy)} -- {pt(sx, rest[-1][1])};")
        for x, y in rest:
            body.append(f"    \\draw[black!35, line width=0.4pt] {pt(sx, y)} -- {pt(x, y)};")
    path = {k: d["path"].casefold() for k, d in nodes(data=True)}
    for u, v, k, d in sorted(graph.edges(keys=True, data=True), key=lambda e: (path[e[0]], e[3]["type"], path[e[1]])):
        if (u, v, k) not in layout.bends:
            continue
        a, b = layout.hidden.get(u, u), layout.hidden.get(v, v)
        bend = layout.bends[(u, v, k)]
        how = " --"
        if bend:   # the same quadratic curve as the picture, as a cubic Bézier; TikZ clips it at the boxes
            (x0, y0), (x2, y2) = (layout.boxes[a].cx, layout.boxes[a].cy), (layout.boxes[b].cx, layout.boxes[b].cy)
            x1, y1 = (x0 + x2) / 2 - (y2 - y0) * bend, (y0 + y2) / 2 + (x2 - x0) * bend
            how = (f" .. controls {pt(x0 + 2 / 3 * (x1 - x0), y0 + 2 / 3 * (y1 - y0))} and "
                   f"{pt(x2 + 2 / 3 * (x1 - x2), y2 + 2 / 3 * (y1 - y2))} ..")
        if d["type"] == CONTAINS:
            body.append(f"    \\draw[black!40, line width=0.6pt] ({ident[a]}){how} ({ident[b]});  % contains")
            continue
        body.append(f"    \\draw[{type_style[d['type']]}, line width={line_width(d['evidence']):g}pt] "
                    f"({ident[a]}){how} ({ident[b]});  % {tex(d['type'])}, evidence {d['evidence']}")
    entries = legend_entries(graph)
    if entries:
        per_row = min(len(entries), 5)
        col_w = (PAGE_W - 2 * MARGIN) / per_row
        for i, (t, text, _) in enumerate(entries):
            x = MARGIN + (i % per_row) * col_w + 0.1
            y = MARGIN + LEGEND_H - 0.18 - (i // per_row) * 0.2
            body.append(f"    \\draw[{type_style[t]}, line width=1pt] {pt(x, y)} -- {pt(x + 0.45, y)};")
            body.append(f"    \\node[anchor=west, font=\\sffamily\\fontsize{{7}}{{8}}\\selectfont] at {pt(x + 0.5, y)} "
                        f"{{{tex(text)}}};")
    body.append(f"    \\node[anchor=south, font=\\sffamily\\fontsize{{6.5}}{{8}}\\selectfont, text=black!70] at "
                f"{pt(PAGE_W / 2, MARGIN - 0.1)} {{{tex(_note(graph))}}};")
    body.append("\\end{tikzpicture}%")
    missing = sorted(ch for ch in used if ord(ch) not in _LATEX_OK)
    declare = [f"  \\DeclareUnicodeCharacter{{{ord(ch):04X}}}{{\\gtcodeglyph{{{ord(ch):04X}}}}}" for ch in missing
               if not (unicodedata.category(ch) in ("Mn", "Cf") or 0xFE00 <= ord(ch) <= 0xFE0F)]
    declare += [f"  \\DeclareUnicodeCharacter{{{ord(ch):04X}}}{{}}" for ch in missing
                if unicodedata.category(ch) in ("Mn", "Cf") or 0xFE00 <= ord(ch) <= 0xFE0F]
    head = [
        f"% gtcode theory model: {tex(graph.graph['name'])}",
        "% Compiles with pdflatex (characters it cannot typeset show their code point), or with lualatex/xelatex",
        "% and \\setmainfont/\\setsansfont a font that has them. Copy the tikzpicture into a thesis that loads",
        "% tikz with \\usetikzlibrary{arrows.meta}.",
        "\\documentclass{article}",
        "\\usepackage[a4paper,landscape,margin=0pt]{geometry}",
        "\\usepackage{iftex}",
        "\\ifPDFTeX",
        "  \\usepackage[T1]{fontenc}",
        "  \\usepackage[utf8]{inputenc}",
        "  \\usepackage{lmodern}",
        "  \\newcommand{\\gtcodeglyph}[1]{\\fbox{\\fontsize{4}{4}\\selectfont U+#1}}",
        *declare,
        "\\else",
        "  \\usepackage{fontspec}",
        "\\fi",
        "\\usepackage{tikz}",
        "\\usetikzlibrary{arrows.meta}",
        "\\pagestyle{empty}",
        *styles_tex,
        "\\begin{document}",
        "\\centering",
    ]
    return "\n".join(head + body + ["\\end{document}"]) + "\n"


NOTE = ("Boxes: categories with confirmed codings · cases; bold border: the core category. Line width grows with "
        "evidence (passages + memos).")


def _note(graph) -> str:
    extra = " Listed under a category, or joined by a thin grey line: what it contains; (n): codings." \
        if graph.graph.get("include_codes") else ""
    return NOTE + extra


def _networkx_text(graph, fmt: str) -> str:
    import networkx as nx

    if fmt == "graphml":
        return "\n".join(nx.generate_graphml(graph, prettyprint=True)) + "\n"
    text = "\n".join(nx.generate_gexf(graph, prettyprint=True)) + "\n"
    return re.sub(r'\s+lastmodifieddate="[^"]*"', "", text)   # no dates: the same model gives the same file


# --- pictures --------------------------------------------------------------------------------------------
def _font_family() -> list[str]:
    """DejaVu Sans, then installed fonts that have CJK or emoji glyphs (matplotlib falls back through the list)."""
    from matplotlib import font_manager

    have = {f.name for f in font_manager.fontManager.ttflist}
    wanted = ("DejaVu Sans", "Noto Sans CJK JP", "Noto Sans CJK SC", "Source Han Sans", "WenQuanYi Zen Hei",
              "Droid Sans Fallback", "Noto Emoji", "Symbola")
    return [f for f in wanted if f in have or f == "DejaVu Sans"]


def _bezier(p0, p1, p2, t):
    return ((1 - t) ** 2 * p0[0] + 2 * (1 - t) * t * p1[0] + t ** 2 * p2[0],
            (1 - t) ** 2 * p0[1] + 2 * (1 - t) * t * p1[1] + t ** 2 * p2[1])


def _inside(box: Box, p, margin: float = 0.02) -> bool:
    return box.x - margin <= p[0] <= box.x + box.w + margin and box.y - margin <= p[1] <= box.y + box.h + margin


def edge_path(a: Box, b: Box, bend: float, head: float) -> tuple[list[tuple[float, float]], tuple]:
    """Points of the line from box a's edge to box b's edge (a quadratic curve for bend ≠ 0), shortened by
    the arrowhead, and the (tip, direction) of that head."""
    p0, p2 = (a.cx, a.cy), (b.cx, b.cy)
    dx, dy = p2[0] - p0[0], p2[1] - p0[1]
    p1 = ((p0[0] + p2[0]) / 2 - dy * bend, (p0[1] + p2[1]) / 2 + dx * bend)

    def edge_t(box: Box, lo: float, hi: float) -> float:
        for _ in range(30):                       # bisect for where the curve crosses the box's border
            mid = (lo + hi) / 2
            if _inside(box, _bezier(p0, p1, p2, mid)) == _inside(box, _bezier(p0, p1, p2, lo)):
                lo = mid
            else:
                hi = mid
        return (lo + hi) / 2

    t0, t1 = edge_t(a, 0.0, 1.0), edge_t(b, 1.0, 0.0)
    if t1 <= t0:
        t0, t1 = 0.0, 1.0
    pts = [_bezier(p0, p1, p2, t0 + (t1 - t0) * i / 24) for i in range(25)]
    tip = pts[-1]
    # walk back along the curve by the head's length
    dist, i = 0.0, len(pts) - 1
    while i > 0 and dist < head:
        dist += math.dist(pts[i], pts[i - 1])
        i -= 1
    base = pts[i]
    return pts[:i + 1], (tip, base)


def _draw(graph, layout: Layout):
    """A matplotlib Figure (no pyplot: nothing global) of the laid-out model."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.lines import Line2D
    from matplotlib.patches import FancyBboxPatch, Polygon, Rectangle

    nodes = graph.nodes
    family = _font_family()
    fig = Figure(figsize=(PAGE_W, PAGE_H))
    FigureCanvasAgg(fig)
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set_xlim(0, PAGE_W)
    ax.set_ylim(0, PAGE_H)
    ax.set_axis_off()
    ax.text(PAGE_W / 2, PAGE_H - MARGIN, layout.title, ha="center", va="top", fontsize=layout.title_size,
            fontweight="bold", family=family)
    ax.text(PAGE_W / 2, PAGE_H - MARGIN - 0.3, layout.subtitle, ha="center", va="top", fontsize=layout.subtitle_size,
            family=family, color="#333333")
    for caption, (x, y, w, h) in layout.regions:
        ax.add_patch(FancyBboxPatch((x, y), w, h, boxstyle="round,pad=0,rounding_size=0.05", fc="#f5f5f5",
                                    ec="none", zorder=0))
        ax.text(x + 0.05, y + h - 0.04, caption, ha="left", va="top", fontsize=7, style="italic", color="#666666",
                family=family, zorder=1)
    for spine in layout.spines:
        (sx, sy), rest = spine[0], spine[1:]
        ax.add_line(Line2D([sx, sx], [sy, rest[-1][1]], lw=0.5, color="#aaaaaa", zorder=1))
        for x, y in rest:
            ax.add_line(Line2D([sx, x], [y, y], lw=0.5, color="#aaaaaa", zorder=1))
    styles = relation_styles(graph)
    for u, v, k, d in graph.edges(keys=True, data=True):
        if (u, v, k) not in layout.bends:
            continue
        a, b = layout.hidden.get(u, u), layout.hidden.get(v, v)
        if d["type"] == CONTAINS:   # a subcategory in a box of its own: a thin grey line from its parent
            pts, _ = edge_path(layout.boxes[a], layout.boxes[b], layout.bends[(u, v, k)], 0.0)
            ax.add_line(Line2D([p[0] for p in pts], [p[1] for p in pts], lw=0.6, color="#999999", zorder=1))
            continue
        s = styles[d["type"]]
        lw = line_width(d["evidence"])
        head = 0.07 + 0.012 * lw
        pts, (tip, base) = edge_path(layout.boxes[a], layout.boxes[b], layout.bends[(u, v, k)], head)
        ls = (0, s.dash) if s.dash else "solid"
        ax.add_line(Line2D([p[0] for p in pts], [p[1] for p in pts], lw=lw, color=s.color, linestyle=ls,
                           solid_capstyle="butt", zorder=2))
        ux, uy = tip[0] - base[0], tip[1] - base[1]
        norm = math.hypot(ux, uy) or 1.0
        px, py = -uy / norm * head * 0.45, ux / norm * head * 0.45
        corners = [(base[0] + px, base[1] + py), tip, (base[0] - px, base[1] - py)]
        if s.head == "open":
            ax.add_line(Line2D([c[0] for c in corners], [c[1] for c in corners], lw=max(0.8, lw * 0.8),
                               color=s.color, zorder=2, solid_joinstyle="miter"))
        else:
            ax.add_patch(Polygon(corners, closed=True, fc=s.color, ec=s.color, lw=0.5, zorder=2))
    for key, b in layout.boxes.items():
        if b.kind == "more":
            ax.text(b.x, b.cy, b.lines[0], ha="left", va="center", fontsize=b.size, style="italic", color="#555555",
                    family=family, zorder=4)
            continue
        d = nodes[key]
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
                    fontsize=b.size * 0.78, color="#444444", family=family, zorder=4)
        else:
            ax.text(b.cx, b.cy, text, ha="center", va="center", fontsize=b.size, linespacing=LINE, family=family,
                    fontweight="bold" if b.bold else "normal", zorder=4)
    entries = legend_entries(graph)
    if entries:
        handles = [Line2D([], [], color=s.color, lw=1.4, linestyle=(0, s.dash) if s.dash else "solid")
                   for _, _, s in entries]
        ax.legend(handles, [text for _, text, _ in entries], loc="lower center",
                  bbox_to_anchor=(0.5, (MARGIN + 0.12) / PAGE_H), ncol=min(len(entries), 5),
                  frameon=False, handlelength=3.2, columnspacing=1.6, prop={"family": family, "size": 7})
    ax.text(PAGE_W / 2, MARGIN - 0.05, _note(graph), ha="center", va="bottom", fontsize=6.5, color="#444444",
            family=family)
    return fig


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
        return _json_text(graph)
    if fmt in ("graphml", "gexf"):
        return _networkx_text(graph, fmt)
    if fmt == "mermaid":
        text = _mermaid_text(graph)
        if markdown:
            from . import fence, md_inline

            heading = md_inline(title or graph.graph["name"] + ": theory model")
            return f"# {heading}\n\n" + fence(text, "mermaid") + "\n"
        return text
    layout = layout_model(graph, title)
    return _dot_text(graph, layout) if fmt == "dot" else _tikz_text(graph, layout)


def export_model(project, path, fmt: str | None = None, *, include_codes: bool = False, min_evidence: int = 0,
                 engine: str = "matplotlib", where=None, title: str | None = None) -> Path:
    """Write the theory model to `path` as a picture (svg, png, pdf) or data (dot, mermaid, graphml, gexf, tikz,
    json); the format comes from `fmt` or the suffix. Returns the path written."""
    path = Path(path)
    fmt_given, fmt = fmt, resolve_format(path, fmt)
    if engine not in ENGINES:
        raise InputError(f"engine {engine!r}: choose {' or '.join(ENGINES)}")
    if min_evidence < 0:
        raise InputError("min_evidence cannot be negative")
    graph = build_graph(project, include_codes=include_codes, min_evidence=min_evidence, where=where)
    if title:
        graph.graph["title"] = title
    if fmt in PICTURES and engine == "graphviz":
        _dot_command()   # before any work: no Graphviz, a clear message and nothing written
    path.parent.mkdir(parents=True, exist_ok=True)
    if fmt in PICTURES:
        layout = layout_model(graph, title)
        if engine == "graphviz":
            _graphviz(_dot_text(graph, layout), path, fmt)
        else:
            _save_picture(graph, layout, path, fmt)
        return path
    markdown = path.suffix.lower() == ".md" or (fmt_given or "").lower().lstrip(".") == "md"
    text = render(graph, fmt, markdown=markdown, title=title)
    path.write_text(text, encoding="utf-8", newline="\n")
    return path

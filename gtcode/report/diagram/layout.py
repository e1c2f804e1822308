"""Layout of the theory model on an A4 page: regions, boxes, the bend of each line, relation styles.

One deliberate layout (no force layout) shared by every picture and by the DOT and TikZ writers.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from gtcode.report.diagram.graph import relation_edges
from gtcode.report.diagram.route import bends, place_captions, ports
from gtcode.report.diagram.text import LINE, fit


# --- page -------------------------------------------------------------------------------------------
PAGE_W, PAGE_H = 11.69, 8.27          # A4 landscape, inches; every layout unit is an inch
MARGIN, TITLE_H, LEGEND_H, GAP = 0.35, 0.62, 0.78, 0.14
PAD = 0.06                            # inside a box, around its text
CARD_PAD = 0.05                       # inside a category's card, around the codes it lists


@dataclass(frozen=True)
class Page:
    """The drawing's page in inches: A4 landscape with a title (`model export`), or the room a report gives
    the figure (`report_page`), drawn at the size it is printed, untitled, no text under `min_pt` points."""

    w: float = PAGE_W
    h: float = PAGE_H
    margin: float = MARGIN
    title_h: float = TITLE_H
    legend_h: float = LEGEND_H
    min_pt: float = 0.0               # 0: the A4 design's own sizes

    @property
    def frame(self) -> tuple[float, float, float, float]:
        """Where the boxes go: x0, y0, x1, y1."""
        return self.margin, self.margin + self.legend_h, self.w - self.margin, self.h - self.margin - self.title_h

    def pt(self, size: float) -> float:
        """A font size, raised to the page's smallest."""
        return max(size, self.min_pt)


A4 = Page()


def report_page(width_mm: float, height_mm: float) -> Page:
    """The page of a figure printed `width_mm` × `height_mm` in a report: no title (the caption says what it
    is), every label at least 8 pt on paper."""
    return Page(width_mm / 25.4, height_mm / 25.4, margin=0.04, title_h=0.0, legend_h=0.85, min_pt=8.0)

CAPTIONS = {"barrier": "Barriers", "facilitator": "Facilitators", "condition": "Conditions",
            "context": "Context", "strategy": "Strategies", "consequence": "Consequences",
            "core": "Core category", "other": "Other categories"}
EDGE = {"core": "#000000", "barrier": "#b2182b", "facilitator": "#1b7837", "condition": "#8c510a",
        "context": "#8c510a", "strategy": "#2166ac", "consequence": "#762a83", "other": "#6b6b6b"}
FILL = {"core": "#fde9b8", "barrier": "#fbe3e1", "facilitator": "#e3f1e3", "condition": "#f6ead8",
        "context": "#f6ead8", "strategy": "#e1ebf5", "consequence": "#ece3f0", "other": "#f0f0f0"}


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
    unit: str = ""                      # a listed code: the category whose card lists it

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
    units: dict[str, Box] = field(default_factory=dict)   # category → its card: its box and the codes listed
    ports: dict[tuple[str, str, str], tuple] = field(default_factory=dict)   # relation → its two end points
    vias: dict[tuple[str, str, str], tuple] = field(default_factory=dict)    # relation → the gap it runs through
    bends: dict[tuple[str, str, str], float] = field(default_factory=dict)   # relation → curvature
    labels: list[tuple[str, float, float]] = field(default_factory=list)   # side captions: text, left, top
    page: Page = A4


COUNTS_SCALE = 0.78   # a category's counts line, as a share of its name's size


def counts_line(d: dict) -> str:
    """A category's smaller second line: '12 codings · 4 cases'."""
    n, cases = d["codings"], d["cases"]
    return f"{n} coding{'s' * (n != 1)} · {cases} case{'s' * (cases != 1)}"


def unit_codes(graph) -> dict[str, list[str]]:
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


def layout_model(graph, title: str | None = None, page: Page = A4) -> Layout:
    """Where every box goes on the page (A4 landscape unless given; inches, origin bottom-left)."""
    nodes = graph.nodes
    units = unit_codes(graph)
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
    width = page.w - 2 * page.margin       # a long project name shrinks, then is cut, to stay on one line
    (head,), title_size = fit(head, width, 14 * LINE / 72, 14, 9, bold=True)
    (sub,), sub_size = fit(" · ".join(bits), width, 8 * LINE / 72, 8, 6)
    out = Layout(head, sub, title_size=title_size, subtitle_size=sub_size, page=page)

    def load(*roles):
        return sum(1 for k in units if role_of[k] in roles)

    def tall(*roles):   # extra height for the codes listed under a category (at most 7 rows' worth)
        return max([min(7, len(units[k])) * 0.2 + 0.05 for k in units if role_of[k] in roles and units[k]] or [0.0])

    frame = page.frame
    regions, box_h = _regions(load, tall, bool(cores), frame, page)
    core_region = next((r for r in regions if r[0] == "core"), None)
    centre = ((core_region[1] + core_region[3] / 2, core_region[2] + core_region[4] / 2) if core_region
              else ((frame[0] + frame[2]) / 2, (frame[1] + frame[3]) / 2))
    cap = None
    for _ in range(2):   # the second pass gives every category the same size at most: the median of the first
        out.boxes.clear(), out.regions.clear(), out.spines.clear(), out.hidden.clear(), out.units.clear()
        for role, rx, ry, rw, rh in regions:
            members = [k for k in units if (role_of[k] == role or (role == "other" and not cores))]
            if not members:
                continue
            out.regions.append((CAPTIONS[role] if cores else "Categories", (rx, ry, rw, rh)))
            if role == "strategy" and load("consequence"):
                # Strategies either side of a corridor, so the core's lines to its consequences stay in view.
                lane = min(0.5, 0.12 * rw)
                half = (rw - lane) / 2
                ranked = sorted(members, key=lambda k: (nodes[k]["rank"], -nodes[k]["codings"],
                                                        nodes[k]["path"].casefold()))
                for part, side in ((ranked[0::2], -1), (ranked[1::2], 1)):
                    if not part:
                        continue
                    # Each half's boxes beside the corridor, so lines from the sides pass outside them.
                    listed = any(units[k] for k in part)
                    rows = 1 if listed else max(1, int((rh - CAPTION_H + GAP / 2) / (box_h + GAP)))
                    per = (2.3 if listed else min(2.3, 2.6 * box_h)) + GAP
                    need = min(half, math.ceil(len(part) / rows) * per)
                    x = rx + half - need if side < 0 else rx + half + lane
                    _place(graph, out, units, part, (x, ry, need, rh - CAPTION_H), centre, role, cap, box_h)
                continue
            _place(graph, out, units, members, (rx, ry, rw, rh - CAPTION_H), centre, role, cap, box_h)
        sizes = sorted(b.size for b in out.boxes.values() if b.kind == "category" and not b.bold)
        if not sizes or sizes[0] == sizes[-1]:
            break
        cap = sizes[len(sizes) // 2]
    out.ports = ports(graph, out)
    out.bends = bends(graph, out)
    out.labels = place_captions(graph, out)   # last: where no line runs
    return out


CAPTION_H = 0.2   # a side's caption, above its boxes (its size: `route.CAPTION_PT`)


def _regions(load, tall, has_core: bool, frame, page: Page = A4
             ) -> tuple[list[tuple[str, float, float, float, float]], float]:
    """(role, x, y, w, h) of each side, and the box height they are sized for.

    Every side is a grid of boxes of one size: the largest size (up to 2.3 × 0.78 in) at which every
    side fits on the page beside a core box of 3.2 × 1.0 in (printed in a report: 2.6 × 0.55 in, room for
    its name and its counts line at 8 pt or more), with the core's caption above it and the gaps between
    the sides. Space left over goes to the core.
    """
    x0, y0, x1, y1 = frame
    width, height = x1 - x0, y1 - y0
    if not has_core:
        return [("other", x0, y0, width, height)], 0.78
    core_w, core_box = (3.6, 1.0) if not page.min_pt else (2.6, 0.55)
    core_h = CAPTION_H + core_box + GAP      # the core's side: caption, box, and air around the box

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
        gaps = GAP / 2 * sum(1 for h in (h_top, h_bottom, h_strategy) if h)   # between the middle's sides
        spare = rest - h_top - h_bottom - h_strategy - core_h - gaps
        return (cw >= core_w and spare >= 0), (h_other, w_left, w_right, h_top, h_bottom, h_strategy)

    low, high = (0.16, 0.78) if not page.min_pt else (0.45, 0.78)   # print: room for two lines and the counts
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
    page = out.page
    if page.min_pt:      # printed at this size: names from the smallest size up, the counts line no smaller
        small = page.min_pt
        big = max(big, page.min_pt / COUNTS_SCALE if d["kind"] == "category" else page.min_pt)
    extra = counts_line(d)
    room = head_h - 2 * PAD
    if extra and room < 1.85 * small * LINE / 72:   # too small a box for the counts: the name comes first
        extra = ""
    small = max(page.min_pt or 3.0, min(small, room * 72 / LINE))
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
        bx, by, bw, bh = x + indent, top - (i + 1) * row + 0.01, w - indent - CARD_PAD, row - 0.02
        clines, csize = fit(f"{c['name']} ({c['codings']})", bw - 2 * 0.03, bh, page.pt(6.5), page.pt(3.5))
        out.boxes[code] = Box(code, bx, by, bw, bh, clines[:1], csize, c["role"], "code", unit=key)
        spine.append((bx, by + bh / 2))
    for code in codes[len(shown):]:
        out.hidden[code] = key
    if len(shown) < len(codes):
        more = len(codes) - len(shown)
        out.boxes[f"more:{key}"] = Box(f"more:{key}", x + 0.12, top - (len(shown) + 1) * row, w - 0.12, row,
                                       [f"+ {more} more code{'s' * (more != 1)}"], 4.0, "other", "more", unit=key)
    if spine:
        out.spines.append([(x + 0.06, y + h - head_h)] + spine)
    # The card holding the box and its list: lines end on its border, so none runs under a listed code.
    low = min(b.y for b in out.boxes.values() if b.unit == key) - CARD_PAD
    out.units[key] = Box(key, x, low, w, y + h - low, [], 0.0, d["role"], "unit")


# --- relation styles -----------------------------------------------------------------------------------
@dataclass(frozen=True)
class Style:
    color: str
    dash: tuple[float, ...] | None     # on-off lengths in points; None is solid
    head: str = "filled"               # filled | open


#: Every built-in type its own dash pattern, so the legend still tells them apart printed in black and white.
BUILTIN_STYLES = {
    "facilitates": Style("#1b7837", None), "leads-to": Style("#4d9221", (10, 2), "open"),
    "causes": Style("#00441b", (10, 2, 2, 2), "open"),
    "hinders": Style("#b2182b", (5, 2.5)), "contradicts": Style("#d6604d", (5, 2, 1.2, 2)),
    "is-condition-for": Style("#8c510a", (1, 1.8)), "is-intervening-condition-for": Style("#bf812d", (1, 1.2, 1, 3.5)),
    "is-context-for": Style("#01665e", (1, 3.5)), "is-strategy-for": Style("#2166ac", (1, 1.2, 1, 1.2, 1, 3.5)),
    "is-consequence-of": Style("#762a83", (3, 1.5, 1, 1.5), "open"),
    "is-part-of": Style("#4d4d4d", (3, 1.5, 1, 1.5, 1, 1.5), "open"),
    "is-a": Style("#4d4d4d", (2.5, 2.5), "open"), "is-property-of": Style("#878787", (7, 1.5, 1, 1.5, 1, 1.5, 1, 1.5),
                                                                          "open"),
    "is-associated-with": Style("#878787", (7, 4), "open"),
}
_PALETTE = ("#e08214", "#8073ac", "#35978f", "#c51b7d", "#7f3b08", "#2d004b", "#543005", "#003c30")


def _extra_dashes():
    """Dash patterns no built-in type uses, for a project's own types: a dash and 0–3 dots, two spacings."""
    taken = {s.dash for s in BUILTIN_STYLES.values()}
    for gap in (1.5, 3.0):
        for dots in range(4):
            for dash in (2.0, 4.0, 6.0, 12.0):
                pattern = (dash, gap) + (1.0, gap) * dots
                if pattern not in taken:
                    yield pattern


def relation_styles(graph) -> dict[str, Style]:
    """Style per relation type in the graph: the built-in ones fixed, a project's own by polarity."""
    types = sorted({(d["type"], d["polarity"]) for _, _, d in relation_edges(graph)})
    styles, extra, dashes = {}, 0, _extra_dashes()
    for name, polarity in types:
        if name in BUILTIN_STYLES:
            styles[name] = BUILTIN_STYLES[name]
            continue
        styles[name] = Style(_PALETTE[extra % len(_PALETTE)], next(dashes, (1.0, 1.0 + extra)),
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

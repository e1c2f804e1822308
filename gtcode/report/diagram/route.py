"""Where the model's lines run: each relation's bend, the path it is drawn along, and where each side's caption
goes so that no line crosses it.

A relation is a quadratic curve between the centres of its two boxes, drawn from border to border. Its bend is
the one (of a few) that crosses, or passes close to, the fewest other boxes. Captions are placed last, along the
top of their side, where no line runs. Pure geometry in inches (origin bottom-left); nothing is drawn here.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from gtcode.report.diagram.graph import CONTAINS
from gtcode.report.diagram.text import LINE, text_width

if TYPE_CHECKING:
    from gtcode.report.diagram.layout import Box, Layout

#: Bends tried for each relation: 0 is straight, ± pull the middle of the curve to one side (× its length).
BENDS = (0.0, 0.12, -0.12, 0.25, -0.25, 0.4, -0.4, 0.55, -0.55, 0.8, -0.8)
CLEAR = 0.08          # inches: a line this close to a box it does not join is said to graze it
CAPTION_PT = 7.0      # a side's caption size on the A4 design
CAPTION_INSET = 0.05  # from the side's top-left corner


def bezier(p0, p1, p2, t):
    """The point at `t` (0–1) on the quadratic Bézier curve p0 → p2 pulled towards p1."""
    return ((1 - t) ** 2 * p0[0] + 2 * (1 - t) * t * p1[0] + t ** 2 * p2[0],
            (1 - t) ** 2 * p0[1] + 2 * (1 - t) * t * p1[1] + t ** 2 * p2[1])


def inside(box, p, margin: float = 0.02) -> bool:
    """Whether point p lies on `box` (grown by `margin` inches on every side)."""
    return box.x - margin <= p[0] <= box.x + box.w + margin and box.y - margin <= p[1] <= box.y + box.h + margin


def control(p0, p2, bend: float):
    """The control point of the curve p0 → p2 with this bend."""
    return (p0[0] + p2[0]) / 2 - (p2[1] - p0[1]) * bend, (p0[1] + p2[1]) / 2 + (p2[0] - p0[0]) * bend


def ends(a: Box, b: Box) -> tuple[tuple[float, float], tuple[float, float]]:
    """Where a line between boxes a and b is aimed, inside each: where the boxes face each other across a gap,
    straight across it (the middle of their shared stretch); otherwise the points of each nearest the other.
    So a barrier's line meets the core at the core's near end, not at its middle across the boxes between."""
    def axis(lo1: float, hi1: float, lo2: float, hi2: float) -> tuple[float, float]:
        lo, hi = max(lo1, lo2), min(hi1, hi2)
        if lo <= hi:
            return (lo + hi) / 2, (lo + hi) / 2
        c1, c2 = (lo1 + hi1) / 2, (lo2 + hi2) / 2
        return min(max(c2, lo1), hi1), min(max(c1, lo2), hi2)

    def inset(box: Box) -> tuple[float, float]:
        return min(0.15, box.w / 4), min(0.1, box.h / 4)

    (ax_, ay_), (bx_, by_) = inset(a), inset(b)
    x0, x2 = axis(a.x + ax_, a.x + a.w - ax_, b.x + bx_, b.x + b.w - bx_)
    y0, y2 = axis(a.y + ay_, a.y + a.h - ay_, b.y + by_, b.y + b.h - by_)
    return (x0, y0), (x2, y2)


def visible_curve(a: Box, b: Box, bend: float) -> tuple[tuple[float, float], ...]:
    """The part of the line between boxes a and b that is drawn, border to border: a quadratic curve's start,
    control point and end (for bend 0 a straight line: the control point halfway)."""
    p0, p2 = ends(a, b)
    p1 = control(p0, p2, bend)

    def edge_t(box: Box, lo: float, hi: float) -> float:
        for _ in range(30):                       # bisect for where the curve crosses the box's border
            mid = (lo + hi) / 2
            if inside(box, bezier(p0, p1, p2, mid)) == inside(box, bezier(p0, p1, p2, lo)):
                lo = mid
            else:
                hi = mid
        return (lo + hi) / 2

    t0, t1 = edge_t(a, 0.0, 1.0), edge_t(b, 1.0, 0.0)
    if t1 <= t0:
        t0, t1 = 0.0, 1.0
    # the same curve from t0 to t1 (its blossom): still a quadratic
    q1 = tuple((1 - t0) * (1 - t1) * p0[i] + ((1 - t0) * t1 + t0 * (1 - t1)) * p1[i] + t0 * t1 * p2[i]
               for i in (0, 1))
    return bezier(p0, p1, p2, t0), q1, bezier(p0, p1, p2, t1)


def edge_path(a: Box, b: Box, bend: float, head: float) -> tuple[list[tuple[float, float]], tuple]:
    """Points of the line from box a's edge to box b's edge (`visible_curve`), shortened by the arrowhead, and
    the (tip, direction) of that head."""
    q0, q1, q2 = visible_curve(a, b, bend)
    pts = [bezier(q0, q1, q2, i / 24) for i in range(25)]
    tip = pts[-1]
    # walk back along the curve by the head's length
    dist, i = 0.0, len(pts) - 1
    while i > 0 and dist < head:
        dist += math.dist(pts[i], pts[i - 1])
        i -= 1
    base = pts[i]
    return pts[:i + 1], (tip, base)


def drawn_relations(graph, layout: Layout) -> list[tuple[str, str, str, str, str]]:
    """(u, v, key, box of u, box of v) for every relation the picture draws as a line (a code not drawn stands
    in its category's box; codes listed under their category show containment already, so only a subcategory
    in a box of its own gets a 'contains' line)."""
    out = []
    for u, v, k, d in graph.edges(keys=True, data=True):
        a, b = layout.hidden.get(u, u), layout.hidden.get(v, v)
        if a == b or a not in layout.boxes or b not in layout.boxes:
            continue
        if d["type"] != CONTAINS or (layout.boxes[b].kind == "category" and graph.nodes[u]["kind"] == "category"):
            out.append((u, v, k, a, b))
    return out


def bends(graph, layout: Layout) -> dict[tuple[str, str, str], float]:
    """A bend for each drawn relation: the one (of `BENDS`) whose curve crosses, then grazes, the fewest other
    boxes; several relations between the same two boxes fan out around it."""
    cell = 0.25
    index: dict[tuple[int, int], list[Box]] = {}
    for box in layout.boxes.values():     # each box under every cell it reaches, grown by the clearance
        for i in range(int((box.x - CLEAR) / cell), int((box.x + box.w + CLEAR) / cell) + 1):
            for j in range(int((box.y - CLEAR) / cell), int((box.y + box.h + CLEAR) / cell) + 1):
                index.setdefault((i, j), []).append(box)
    pairs: dict[tuple[str, str], list] = {}
    for u, v, k, a, b in drawn_relations(graph, layout):
        pairs.setdefault(tuple(sorted((a, b))), []).append((u, v, k, a, b))
    x0, y0, x1, y1 = layout.page.frame
    out = {}
    for (first, second), edges in sorted(pairs.items()):
        a, b = layout.boxes[first], layout.boxes[second]
        p0, p2 = ends(a, b)
        steps = max(32, int(math.dist(p0, p2) / 0.04))   # close enough not to step over a box's corner

        def cost(bend: float) -> float:
            p1 = control(p0, p2, bend)
            crossed, grazed = set(), set()
            for t in range(1, steps):
                x, y = bezier(p0, p1, p2, t / steps)
                if not (x0 < x < x1 and y0 < y < y1):
                    crossed.add(("outside", "page"))     # over the title, the legend or off the page
                    continue
                for box in index.get((int(x / cell), int(y / cell)), ()):
                    if box is a or box is b or not inside(box, (x, y), CLEAR):
                        continue
                    (crossed if inside(box, (x, y), 0.0) else grazed).add((box.key, box.kind))
            weight = {"page": 50.0, "category": 1.0, "code": 0.8}
            return (abs(bend) * 0.5 + sum(weight.get(kind, 0.3) for _, kind in crossed)
                    + sum(0.4 * weight.get(kind, 0.3) for _, kind in grazed - crossed))

        costs = {bend: cost(bend) for bend in BENDS}
        taken: list[float] = []
        for u, v, k, ea, _ in edges:   # each relation its own curve, clear of those already drawn between the pair
            free = [bend for bend in costs if all(abs(bend - t) > 0.1 for t in taken)] or [0.2 * len(taken)]
            bend = min(free, key=lambda x: (round(costs.get(x, 9.0), 9), abs(x), x))
            taken.append(bend)
            out[(u, v, k)] = bend if ea == first else -bend
    return out


def crosses(points, rect) -> bool:
    """Whether the polyline `points` enters the rectangle (x, y, w, h)."""
    rx, ry, rw, rh = rect
    for (ax, ay), (bx, by) in zip(points, points[1:]):
        lo, hi = 0.0, 1.0                 # Liang–Barsky: clip the segment to the rectangle
        for p, q in ((-(bx - ax), ax - rx), (bx - ax, rx + rw - ax), (-(by - ay), ay - ry), (by - ay, ry + rh - ay)):
            if p == 0:
                if q < 0:
                    break
                continue
            t = q / p
            if p < 0:
                lo = max(lo, t)
            else:
                hi = min(hi, t)
            if lo > hi:
                break
        else:
            return True
    return False


def caption_size(layout: Layout) -> float:
    return layout.page.pt(CAPTION_PT)


def caption_rect(text: str, x: float, top: float, size: float) -> tuple[float, float, float, float]:
    """The caption's box (x, y, w, h) when its top-left corner is at (x, top)."""
    h = size * LINE / 72
    return x, top - h, text_width(text, size) + 0.02, h


def relation_paths(graph, layout: Layout) -> list[list[tuple[float, float]]]:
    """The path of every line drawn, border to border (arrowheads included)."""
    return [edge_path(layout.boxes[a], layout.boxes[b], layout.bends[(u, v, k)], 0.0)[0]
            for u, v, k, a, b in drawn_relations(graph, layout) if (u, v, k) in layout.bends]


def place_captions(graph, layout: Layout) -> list[tuple[str, float, float]]:
    """(caption, x, top) for each side: along the top of the side, as far left as no line crosses it (nor comes
    within a hair of it); where every place is crossed, the one crossed by the fewest lines."""
    paths = [(p, (min(x for x, _ in p), min(y for _, y in p), max(x for x, _ in p), max(y for _, y in p)))
             for p in relation_paths(graph, layout)]
    size = caption_size(layout)
    out = []
    for caption, (rx, ry, rw, rh) in layout.regions:
        top = ry + rh - 0.04
        _, bottom, width, _ = caption_rect(caption, 0, top, size)
        near = [p for p, (px0, py0, px1, py1) in paths   # only lines that pass along the top of this side
                if px1 >= rx and px0 <= rx + rw and py1 >= bottom - 0.03 and py0 <= top + 0.03]
        last = max(rx + CAPTION_INSET, rx + rw - CAPTION_INSET - width)
        spots = [rx + CAPTION_INSET + i * 0.05 for i in range(int((last - rx - CAPTION_INSET) / 0.05) + 1)] + [last]
        best = None
        for x in spots:
            x_, y_, w_, h_ = caption_rect(caption, x, top, size)
            grown = (x_ - 0.03, y_ - 0.03, w_ + 0.06, h_ + 0.06)
            crossed = sum(crosses(p, grown) for p in near)
            if best is None or crossed < best[0]:
                best = (crossed, x)
            if not crossed:
                break
        out.append((caption, best[1], top))
    return out

"""Where the model's lines run: each relation's bend, the path it is drawn along, and where each side's caption
goes so that no line crosses it.

A relation runs from a port on one box's border to a port on the other's (a category's card, when its codes
are listed in it): on the sides that face each other, the ports of the lines on one side spread along it in the
order the lines come from, so arrowheads never meet at a corner nor lines cross on the way in (`ports`). It is
a quadratic curve whose bend is the one (of a few) that crosses, or passes close to, the fewest other boxes;
where every curve would cross one, it leaves from another side, or runs through a gap between the boxes in the
way. Captions are placed last, along the top of their side, where no line runs. Pure geometry in inches (origin
bottom-left); nothing is drawn here.
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


def frame(layout: Layout, key: str) -> Box:
    """What a line to `key` ends on: a category's card when its codes are listed in it, else its box."""
    return layout.units.get(key) or layout.boxes[key]


def facing(a: Box, b: Box) -> tuple[str, str]:
    """The sides of a and of b a line between them leaves from: across the wider gap between them (a box beside
    the other and a little below it uses the sides, as most lines on a page of wide boxes run across)."""
    gx = max(b.x - (a.x + a.w), a.x - (b.x + b.w))
    gy = max(b.y - (a.y + a.h), a.y - (b.y + b.h))
    if gx > 0 and gx >= 0.75 * gy:
        return ("right", "left") if b.cx > a.cx else ("left", "right")
    return ("top", "bottom") if b.cy > a.cy else ("bottom", "top")


def aims(a: Box, b: Box) -> tuple[float, float]:
    """Where along their facing sides a line between a and b would end, alone: straight across the stretch
    the two share, else the points of each nearest the other (clear of the rounded corners)."""
    along_y = facing(a, b)[0] in ("left", "right")
    lo1, hi1, lo2, hi2 = (span(a, along_y) + span(b, along_y))
    lo, hi = max(lo1, lo2), min(hi1, hi2)
    if lo <= hi:
        return (lo + hi) / 2, (lo + hi) / 2
    c1, c2 = (lo1 + hi1) / 2, (lo2 + hi2) / 2
    return min(max(c2, lo1), hi1), min(max(c1, lo2), hi2)


def span(box: Box, along_y: bool) -> tuple[float, float]:
    """The stretch of a box's side where a line may end: its left or right side (`along_y`), else its top or
    bottom, less the corners."""
    if along_y:
        inset = min(0.1, box.h / 4)
        return box.y + inset, box.y + box.h - inset
    inset = min(0.15, box.w / 4)
    return box.x + inset, box.x + box.w - inset


def spread(wanted: list[float], lo: float, hi: float, gap: float) -> list[float]:
    """Positions in [lo, hi], in the order given, at least `gap` apart (less if the side is too short), each
    as near the one wanted as that allows (least squares: pool adjacent violators)."""
    n = len(wanted)
    gap = min(gap, (hi - lo) / (n - 1)) if n > 1 else 0.0
    blocks: list[list[float]] = []          # [mean, weight] of each pooled run of z = position − i·gap
    for i, w in enumerate(wanted):
        blocks.append([w - i * gap, 1.0])
        while len(blocks) > 1 and blocks[-2][0] > blocks[-1][0]:
            (m2, w2), (m1, w1) = blocks.pop(), blocks.pop()
            blocks.append([(m1 * w1 + m2 * w2) / (w1 + w2), w1 + w2])
    z = [m for m, w in blocks for _ in range(int(w))]
    top = hi - (n - 1) * gap
    return [min(max(v, lo), top) + i * gap for i, v in enumerate(z)]


PORT_GAP = 0.22   # inches between the ends of lines on one side of a box


def ports(graph, layout: Layout) -> dict[tuple[str, str, str], tuple[tuple[float, float], tuple[float, float]]]:
    """Where each drawn line starts and ends, on the borders of its boxes (or cards). Lines ending on the
    same side of a box are spread along it, in the order of where they come from, so they neither meet
    at a point nor cross on the way in."""
    index = _obstacles(layout, CELL)
    sides: dict[tuple[str, str], list] = {}
    chosen = {(u, v, k): (a, b, *_sides(layout, a, b, index)) for u, v, k, a, b in drawn_relations(graph, layout)}
    layout.vias.clear()
    layout.vias.update(_lanes({rel: (c[2][1], c[4]) for rel, c in chosen.items() if c[4]}))
    for rel, (a, b, (sa, pa), (sb, pb), _) in chosen.items():
        via = layout.vias.get(rel)
        sides.setdefault((a, sa), []).append((_along(via[0] if via else pb, sa), _along(pa, sa), rel, 0))
        sides.setdefault((b, sb), []).append((_along(via[1] if via else pa, sb), _along(pb, sb), rel, 1))
    points: dict[tuple[str, str, str], list] = {}
    for (key, side), ends_ in sides.items():
        box, along_y = frame(layout, key), side in ("left", "right")
        ends_.sort(key=lambda e: (e[0], e[2]))
        at = spread([e[1] for e in ends_], *span(box, along_y), PORT_GAP)
        for (_, _, rel, end), pos in zip(ends_, at):
            points.setdefault(rel, [None, None])[end] = _on(box, side, pos)
    return {rel: (p[0], p[1]) for rel, p in points.items()}


def _lanes(vias: dict) -> dict:
    """Lines through the same gap, each in a lane of its own across it, in the order they come from."""
    gaps: dict[tuple, list] = {}
    for rel, (start, via) in vias.items():
        gaps.setdefault((via[0], via[1]), []).append((start[1] if via[2] else start[0], rel))
    out = {}
    for (entry, leave), lines in gaps.items():
        lines.sort()
        across, width = vias[lines[0][1]][1][2:]
        step = min(0.07, max(0.0, width - 0.1) / max(1, len(lines) - 1))
        for i, (_, rel) in enumerate(lines):
            d = (i - (len(lines) - 1) / 2) * step
            shift = (lambda p: (p[0], p[1] + d)) if across else (lambda p: (p[0] + d, p[1]))
            out[rel] = (shift(entry), shift(leave), across)
    return out


def _along(point, side: str) -> float:
    return point[1] if side in ("left", "right") else point[0]


def _on(box: Box, side: str, pos: float) -> tuple[float, float]:
    """The point `pos` along that side of `box`."""
    fixed = {"left": box.x, "right": box.x + box.w, "bottom": box.y, "top": box.y + box.h}[side]
    return (fixed, pos) if side in ("left", "right") else (pos, fixed)


def _sides(layout: Layout, a: str, b: str, index):
    """(side, point) at each end of the line between boxes a and b, and the point it passes through on the way
    (or None): the sides facing each other, unless every curve between them crosses a box and one leaving from
    the top or bottom (or a side) of either goes clear, or else one through a gap between the boxes in the way."""
    fa, fb = frame(layout, a), frame(layout, b)
    (sa, sb), (wa, wb) = facing(fa, fb), aims(fa, fb)
    best = ((sa, _on(fa, sa, wa)), (sb, _on(fb, sb, wb)), None)
    mine = {a, b, layout.boxes[a].unit, layout.boxes[b].unit}

    def cost(p0, p2, via=None, bends_=BENDS, limit=math.inf):
        for bend in (0.0,) if via else bends_:
            limit = min(limit, _cost(pieces(p0, p2, bend, via), fa, fb, mine, index, layout.page.frame, limit))
        return limit

    least = cost(best[0][1], best[1][1])
    if least < 0.5:
        return best
    other = ("top", "bottom") if sa in ("left", "right") else ("left", "right")

    def aim(box, side, toward):
        lo, hi = span(box, side in ("left", "right"))
        return _on(box, side, min(max(_along(toward, side), lo), hi))

    for ta, tb in [(t, sb) for t in other] + [(sa, t) for t in other]:
        ends_ = ((ta, best[0][1] if ta == sa else aim(fa, ta, (fb.cx, fb.cy))),
                 (tb, best[1][1] if tb == sb else aim(fb, tb, (fa.cx, fa.cy))), None)
        c = 0.3 + cost(ends_[0][1], ends_[1][1], bends_=BENDS[:7], limit=least - 0.3)
        if c < least:
            best, least = ends_, c
    if least < 0.5:
        return best
    across = sa in ("left", "right")
    for entry, leave, width in _gaps(layout, fa, fb, mine, across):
        for ta, tb in [(t, sb) for t in (sa, *other)] + [(sa, t) for t in other]:
            ends_ = ((ta, aim(fa, ta, entry)), (tb, aim(fb, tb, leave)), (entry, leave, across, width))
            extra = 0.15 + 0.1 * (ta != sa or tb != sb)
            c = extra + cost(ends_[0][1], ends_[1][1], ends_[2], limit=least - extra)
            if c < least:
                best, least = ends_, c
    return best


def _gaps(layout: Layout, fa: Box, fb: Box, mine: set, across: bool, most: int = 6) -> list[tuple]:
    """Ways between the boxes in the way of a line from a to b: the gap between a box and the next one above
    it (beside it, for a line running up or down), as the points where a line enters and leaves it, for the
    gaps that lie between a and b; the `most` nearest the way."""
    boxes = {id(f): f for f in (frame(layout, k) for k, b in layout.boxes.items()
                                if not b.unit and b.kind != "more" and k not in mine)}.values()
    low, high = sorted((fa.cx, fb.cx) if across else (fa.cy, fb.cy))
    out = []
    for b1 in boxes:
        def rank(b2):   # the next box up (or along), if it overlaps b1 the other way
            if across:
                lo, hi, gap = max(b1.x, b2.x), min(b1.x + b1.w, b2.x + b2.w), b2.y - b1.y - b1.h
            else:
                lo, hi, gap = max(b1.y, b2.y), min(b1.y + b1.h, b2.y + b2.h), b2.x - b1.x - b1.w
            return (gap, lo, hi) if hi > lo and gap > 0.1 else None

        near = min((r for r in map(rank, boxes) if r), default=None)
        if not near or not (low < (near[1] + near[2]) / 2 < high):
            continue
        gap, lo, hi = near
        mid = b1.y + b1.h + gap / 2 if across else b1.x + b1.w + gap / 2
        ends_ = [(at, mid) if across else (mid, at) for at in (lo + 0.05, hi - 0.05)]
        here = (fa.cx, fa.cy)
        ends_.sort(key=lambda p: math.dist(p, here))    # in at the end nearer a, out at the end nearer b
        out.append((*ends_, gap))
    there = (fb.cx, fb.cy)
    return sorted(out, key=lambda e: math.dist((fa.cx, fa.cy), e[0]) + math.dist(e[1], there))[:most]


def pieces(p0, p2, bend: float, via=None) -> list[tuple[tuple[float, float], ...]]:
    """The quadratic curves a line p0 → p2 is drawn with: one with this bend, or, through a gap between boxes
    (`via`: where it enters and leaves the gap, and whether the gap runs across the page), a curve into the
    gap, a straight run along it and a curve out, meeting smoothly."""
    if via is None:
        return [(p0, control(p0, p2, bend), p2)]
    (ex, ey), (lx, ly), across = via[:3]
    if across:     # level along the gap
        into, out_ = (ex + (p0[0] - ex) * 0.6, ey), (lx + (p2[0] - lx) * 0.6, ly)
    else:
        into, out_ = (ex, ey + (p0[1] - ey) * 0.6), (lx, ly + (p2[1] - ly) * 0.6)
    return [(p0, into, (ex, ey)), ((ex, ey), ((ex + lx) / 2, (ey + ly) / 2), (lx, ly)), ((lx, ly), out_, p2)]


def curve(layout: Layout, rel: tuple[str, str, str]) -> list[tuple[tuple[float, float], ...]]:
    """The line of relation `rel`, border to border: the start, control point and end of each quadratic curve
    it is drawn with (`pieces`; for bend 0 a straight line: the control point halfway)."""
    p0, p2 = layout.ports[rel]
    return pieces(p0, p2, layout.bends[rel], layout.vias.get(rel))


def edge_path(layout: Layout, rel: tuple[str, str, str], head: float) -> tuple[list[tuple[float, float]], tuple]:
    """Points of the line of relation `rel` (`curve`), shortened by the arrowhead, and the (tip, base) of
    that head."""
    pts = [p for i, (q0, q1, q2) in enumerate(curve(layout, rel))
           for p in (bezier(q0, q1, q2, j / 24) for j in range(1 if i else 0, 25))]
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


def _obstacles(layout: Layout, cell: float) -> dict[tuple[int, int], list[Box]]:
    """Each box a line must keep clear of (a card for a category's listed codes), under every grid cell it
    reaches, grown by the clearance."""
    index: dict[tuple[int, int], list[Box]] = {}
    for box in layout.boxes.values():
        if box.unit:
            continue
        box = layout.units.get(box.key, box)
        for i in range(int((box.x - CLEAR) / cell), int((box.x + box.w + CLEAR) / cell) + 1):
            for j in range(int((box.y - CLEAR) / cell), int((box.y + box.h + CLEAR) / cell) + 1):
                index.setdefault((i, j), []).append(box)
    return index


CELL = 0.25   # inches: the grid the boxes are indexed on


def _cost(curves, fa: Box, fb: Box, mine: set, index, page_frame, limit: float = math.inf) -> float:
    """How bad a line drawn with these quadratic curves is: the boxes it crosses, then grazes, running back into
    its own two, off the page, bent, or meeting its boxes aslant. Past `limit`, a figure at least that."""
    x0, y0, x1, y1 = page_frame
    weight = {"page": 50.0, "category": 1.0, "code": 0.8, "unit": 1.0}
    (p0, p1, _), (_, q1, p2) = curves[0], curves[-1]
    bend = math.dist(p1, ((p0[0] + p2[0]) / 2, (p0[1] + p2[1]) / 2)) / (math.dist(p0, p2) or 1.0)
    total = bend * 0.5 + 0.3 * (_slant(p0, p1, fa) + _slant(p2, q1, fb))
    seen: dict[str, float] = {}      # box → what it adds: crossed, else grazed
    back = False
    own = [(f.x + 0.01, f.y + 0.01, f.x + f.w - 0.01, f.y + f.h - 0.01) for f in (fa, fb)]
    for q0, q1, q2 in curves:
        steps = max(32, int(math.dist(q0, q2) / 0.04))   # close enough not to step over a box's corner
        for t in range(1, steps):
            x, y = bezier(q0, q1, q2, t / steps)
            if not (x0 < x < x1 and y0 < y < y1):
                hits = [("page", 50.0)]                  # over the title, the legend or off the page
            else:
                if not back and any(a <= x <= c and b <= y <= d for a, b, c, d in own):
                    back, total = True, total + 5.0
                hits = [(box.key, weight.get(box.kind, 0.3) * (1.0 if inside(box, (x, y), 0.0) else 0.4))
                        for box in index.get((int(x / CELL), int(y / CELL)), ())
                        if box.x - CLEAR <= x <= box.x + box.w + CLEAR
                        and box.y - CLEAR <= y <= box.y + box.h + CLEAR and box.key not in mine]
            for key, w in hits:
                if w > seen.get(key, 0.0):
                    total += w - seen.get(key, 0.0)
                    seen[key] = w
            if total >= limit:
                return total
    return total


def bends(graph, layout: Layout) -> dict[tuple[str, str, str], float]:
    """A bend for each drawn relation: the one (of `BENDS`) whose curve crosses, then grazes, the fewest other
    boxes, stays out of its own two, and meets them most nearly head on."""
    index = _obstacles(layout, CELL)
    out = {}
    for u, v, k, a, b in drawn_relations(graph, layout):
        rel = (u, v, k)
        fa, fb = frame(layout, a), frame(layout, b)
        mine = {a, b, layout.boxes[a].unit, layout.boxes[b].unit}
        p0, p2 = layout.ports[rel]
        if rel in layout.vias:   # through a gap: two curves meeting there, no bend of its own
            out[rel] = 0.0
            continue
        best = (math.inf, 0.0)
        for bend in BENDS:           # in order of how far they bend: on a tie, the straighter
            c = round(_cost(pieces(p0, p2, bend), fa, fb, mine, index, layout.page.frame, best[0]), 9)
            if c < best[0]:
                best = (c, bend)
        out[rel] = best[1]
    return out


def _slant(end, p1, box: Box) -> float:
    """0 when the curve leaves `box` at `end` square to the side it is on, up to 1 when it runs along it."""
    dx, dy = p1[0] - end[0], p1[1] - end[1]
    norm = math.hypot(dx, dy) or 1.0
    on_side = abs(end[0] - box.x) < 1e-6 or abs(end[0] - box.x - box.w) < 1e-6
    return 1.0 - abs(dx if on_side else dy) / norm


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
    return [edge_path(layout, (u, v, k), 0.0)[0]
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

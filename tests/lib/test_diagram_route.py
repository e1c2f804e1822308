"""Where the model's lines run: several lines into the core category end at points of their own, spread along
its sides in the order they come from (so they do not cross on the way in), and no line passes under a box it
does not join, nor under the codes listed in a category's card (`model export --include codes`)."""

from __future__ import annotations

import math
from itertools import combinations

import pytest

from gtcode.report.diagram import route
from gtcode.report.diagram.graph import build_graph
from gtcode.report.diagram.layout import layout_model, report_page
from gtcode.store.db import now

BARRIERS = ["Being filmed", "Service factors", "Practical obstacles", "Fear of judgement"]
FACILITATORS = ["Seeing attunement", "Keeping the film", "Practitioner relationship", "Strengths focus",
                "Ownership of questions"]


@pytest.fixture
def model(project):
    """A core with four barriers and five facilitators, each a category listing three codes."""
    ids: dict[str, int] = {}
    with project.transaction() as txn:
        db = txn.conn
        n = 0

        def add(name, parent=None, kind="category", core=0):
            nonlocal n
            n += 1
            ids[name] = db.execute(
                "INSERT INTO codes (uuid, parent_id, name, created_at, created_by, kind, core)"
                " VALUES (?, ?, ?, ?, ?, ?, ?)",
                (f"00000000-0000-4000-8000-{n:012d}", ids.get(parent), name, now(), txn.coder_id, kind,
                 core)).lastrowid

        add("Engagement", core=1)
        for name in BARRIERS + FACILITATORS:
            add(name)
            for i in range(3):
                add(f"{name}: code {i}", parent=name, kind="code")
        for i, name in enumerate(BARRIERS + FACILITATORS):
            db.execute("INSERT INTO relations (uuid, source_id, type, target_id, created_at, created_by)"
                       " VALUES (?, ?, ?, ?, ?, ?)",
                       (f"00000000-0000-4000-9000-{i:012d}", ids[name],
                        "hinders" if name in BARRIERS else "facilitates", ids["Engagement"], now(), txn.coder_id))
    return project


def layouts(project):
    for page, options in ((None, {}), (None, {"include_codes": True}), (report_page(247, 124), {})):
        graph = build_graph(project.store, **options)
        yield graph, (layout_model(graph, page=page) if page else layout_model(graph))


def on_side(point, box) -> str | None:
    """Which side of `box` the point lies on, if any."""
    x, y = point
    if abs(x - box.x) < 1e-6 and box.y <= y <= box.y + box.h:
        return "left"
    if abs(x - box.x - box.w) < 1e-6 and box.y <= y <= box.y + box.h:
        return "right"
    if abs(y - box.y) < 1e-6 and box.x <= x <= box.x + box.w:
        return "bottom"
    if abs(y - box.y - box.h) < 1e-6 and box.x <= x <= box.x + box.w:
        return "top"
    return None


def test_lines_into_the_core_end_at_points_of_their_own_on_its_border(model):
    for graph, layout in layouts(model):
        core = next(k for k, b in layout.boxes.items() if b.bold)
        tips = []
        for u, v, k, a, b in route.drawn_relations(graph, layout):
            pieces = route.curve(layout, (u, v, k))
            start, end = pieces[0][0], pieces[-1][2]
            assert on_side(start, route.frame(layout, a)) and on_side(end, route.frame(layout, b))
            if b == core:
                tips.append(end)
        assert len(tips) == 9
        for p, q in combinations(tips, 2):     # no two arrowheads meet: each a head's width or more apart
            assert math.dist(p, q) >= 0.1, (layout.page.w, p, q)
        sides = {on_side(t, layout.boxes[core]) for t in tips}
        assert {"left", "right"} <= sides


def _segments_cross(p1, p2, q1, q2) -> bool:
    def turn(a, b, c):
        return (b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0])

    return (turn(p1, p2, q1) * turn(p1, p2, q2) < 0) and (turn(q1, q2, p1) * turn(q1, q2, p2) < 0)


def test_lines_into_one_side_come_in_the_order_of_their_sources_and_do_not_cross(model):
    for graph, layout in layouts(model):
        core = next(k for k, b in layout.boxes.items() if b.bold)
        by_side: dict[str, list] = {}
        for u, v, k, a, b in route.drawn_relations(graph, layout):
            if b == core:
                side = on_side(route.curve(layout, (u, v, k))[-1][2], layout.boxes[core])
                by_side.setdefault(side, []).append(route.edge_path(layout, (u, v, k), 0.0)[0])
        for side, paths in by_side.items():
            for p, q in combinations(paths, 2):
                crossing = any(_segments_cross(p[i], p[i + 1], q[j], q[j + 1])
                               for i in range(len(p) - 1) for j in range(len(q) - 1))
                assert not crossing, (layout.page.w, side, p[0], q[0])


def test_no_line_passes_under_a_listed_code_or_a_box_it_does_not_join(model):
    for graph, layout in layouts(model):
        if graph.graph["include_codes"]:
            assert layout.units and all(b.unit in layout.units for b in layout.boxes.values() if b.kind == "code")
        for u, v, k, a, b in route.drawn_relations(graph, layout):
            path = route.edge_path(layout, (u, v, k), 0.0)[0]
            for key, box in layout.boxes.items():
                if key in (a, b) or box.unit in (a, b):    # its own box and codes: never entered
                    rect = (box.x + 0.01, box.y + 0.01, box.w - 0.02, box.h - 0.02)
                else:                                      # any other box or code: not within a hair
                    rect = (box.x - 0.02, box.y - 0.02, box.w + 0.04, box.h + 0.04)
                assert not route.crosses(path, rect), (layout.page.w, graph.nodes[u]["name"], box.kind, box.lines)

"""The theory model as a graph and as exported files: roles relative to the core, evidence counts,
golden files for the text formats, and pictures that open (PNG, PDF, SVG with its labels as text).

Set GTCODE_UPDATE_GOLDEN=1 to rewrite the golden files under tests/golden/model/ after a deliberate change.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from gtcode.errors import InputError, UnsupportedFormat
from gtcode.report.diagram.graph import build_graph, relation_edges
from gtcode.report.diagram.draw import GraphvizNotFound, export_model
from gtcode.report.diagram.text import fit, text_width
from gtcode.store.db import now

from tests.conftest import assert_golden

GOLDEN = Path(__file__).parents[1] / "golden" / "model"

P01 = ("Interviewer: How did the filming go?\n\n"
       "P01: I thought they were collecting evidence. Then she smiled at me. I felt accepted.\n")
P02 = ("Interviewer: What happens after the sessions?\n\n"
       "P02: The social worker was always there. Mothers grow in confidence. We watch the clips together.\n")

#: Awkward names: LaTeX and XML specials, quotes, a backslash, accents, an emoji, CJK.
CORE = "Engagement with VIG"
FEAR = 'Fear of "judgement" \\ <evidence> & being filmed'
ACCEPTED = "Feeling accepted 😊"
TRUST = "Trust in the practitioner (confiança, é)"
CONFIDENCE = "母親の自信 (confidence)"
STIGMA = "Stigma {100%} $cost #1 ~ ^ _ |"
SOCIAL = "Social-worker involvement"
PRACTICE = "Practitioner factors"


def uid(n: int) -> str:
    return f"00000000-0000-4000-8000-{n:012d}"


@pytest.fixture
def model(project, tmp_path):
    """Two interviews (a mother and a practitioner) and an awkward model inserted directly, with fixed UUIDs."""
    p = project
    (tmp_path / "P01.txt").write_text(P01, encoding="utf-8")
    (tmp_path / "P02.txt").write_text(P02, encoding="utf-8")
    p.docs.import_paths([tmp_path / "P01.txt", tmp_path / "P02.txt"])
    p.cases.set("P01", {"role": "mother"})
    p.cases.set("P02", {"role": "practitioner"})
    memo, _ = p.memos.new("Why judgement keeps mothers away", "Evidence, surveillance, the camera.")
    ids: dict[str, int] = {}
    with p.transaction() as txn:
        db = txn.conn

        def code(n, name, parent=None, kind="category", core=0, color=None):
            ids[name] = db.execute(
                "INSERT INTO codes (uuid, parent_id, name, color, created_at, created_by, kind, core)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (uid(n), ids.get(parent), name, color, now(), txn.coder_id, kind, core)).lastrowid

        code(1, CORE, core=1, color="#ffcc00")
        code(2, FEAR)
        code(3, ACCEPTED, color="#1f77b4")
        code(4, PRACTICE)                       # a parent category with no relations
        code(5, TRUST, parent=PRACTICE)         # a nested category
        code(6, CONFIDENCE)
        code(7, STIGMA)                         # no relations at all
        code(8, SOCIAL)
        code(20, "Being filmed", parent=FEAR, kind="code")
        code(21, "Camera shy", parent="Being filmed", kind="code")
        code(22, "Smiles", parent=ACCEPTED, kind="code")
        code(23, "Loose code", kind="code")     # under no category

        def relate(n, source, kind, target, passages=(), memos=()):
            rel = db.execute("INSERT INTO relations (uuid, source_id, type, target_id, created_at, created_by)"
                             " VALUES (?, ?, ?, ?, ?, ?)",
                             (uid(100 + n), ids[source], kind, ids[target], now(), txn.coder_id)).lastrowid
            for i, (doc, start, end) in enumerate(passages):
                db.execute("INSERT INTO relation_evidence (uuid, relation_id, document_id, start_char, end_char,"
                           " created_at, created_by) VALUES (?, ?, ?, ?, ?, ?, ?)",
                           (uid(200 + 10 * n + i), rel, doc, start, end, now(), txn.coder_id))
            for i, memo_id in enumerate(memos):
                db.execute("INSERT INTO relation_evidence (uuid, relation_id, memo_id, created_at, created_by)"
                           " VALUES (?, ?, ?, ?, ?)", (uid(300 + 10 * n + i), rel, memo_id, now(), txn.coder_id))

        relate(1, FEAR, "hinders", CORE, passages=[(1, 50, 80), (2, 60, 90)], memos=[memo.id])   # 3 evidence, 2 cases
        relate(2, ACCEPTED, "facilitates", CORE, passages=[(1, 110, 130)])                       # 1
        relate(3, TRUST, "is-condition-for", CORE, memos=[memo.id])                              # 1, memo only
        relate(4, CONFIDENCE, "is-consequence-of", CORE)                                         # 0: not grounded yet
        relate(5, SOCIAL, "hinders", ACCEPTED, passages=[(2, 60, 90), (2, 91, 120)])             # indirect barrier
        relate(6, FEAR, "is-associated-with", ACCEPTED)                                          # two relations,
        relate(7, ACCEPTED, "contradicts", FEAR, passages=[(1, 50, 80)])                         # one pair
    p.coding.apply("P01:2", "Being filmed")
    p.coding.apply("P01:3", "Smiles")
    p.coding.apply("P02:2-3", "Camera shy")
    p.coding.apply("P02:4", "Loose code")
    p.store.conn.execute("UPDATE project SET name = ?", ('VIG study: "engagement" & <trust> 50%',))
    return p


def by_name(graph):
    return {d["name"]: d for _, d in graph.nodes(data=True)}


# --- the graph -----------------------------------------------------------------------------------------
def test_roles_are_derived_relative_to_the_core(model):
    nodes = by_name(build_graph(model.store))
    assert {n: d["role"] for n, d in nodes.items()} == {
        CORE: "core", FEAR: "barrier", ACCEPTED: "facilitator", TRUST: "condition", CONFIDENCE: "consequence",
        SOCIAL: "barrier", STIGMA: "other", PRACTICE: "other"}
    assert nodes[SOCIAL]["rank"] == 2 and nodes[FEAR]["rank"] == 1       # hinders a facilitator: one step further
    assert nodes[CORE]["core"] is True and nodes[FEAR]["core"] is False
    assert nodes[TRUST]["path"] == f"{PRACTICE}/{TRUST}"
    assert nodes[CORE]["color"] == "#ffcc00" and nodes[FEAR]["color"] == ""


def test_counts_cover_the_subtree_and_evidence_counts_passages_and_memos(model):
    graph = build_graph(model.store)
    nodes = by_name(graph)
    assert {k: nodes[FEAR][k] for k in ("codings", "documents", "cases")} == {"codings": 2, "documents": 2, "cases": 2}
    assert nodes[ACCEPTED]["codings"] == 1 and nodes[STIGMA]["codings"] == 0
    edges = {(graph.nodes[u]["name"], d["type"], graph.nodes[v]["name"]): d for u, v, d in relation_edges(graph)}
    hinders = edges[(FEAR, "hinders", CORE)]
    assert (hinders["evidence"], hinders["passages"], hinders["memos"], hinders["participants"]) == (3, 2, 1, 2)
    assert hinders["polarity"] == "-" and hinders["label"] == "hinders"
    assert edges[(TRUST, "is-condition-for", CORE)]["participants"] == 0     # a memo is no participant
    assert edges[(CONFIDENCE, "is-consequence-of", CORE)]["evidence"] == 0
    assert (FEAR, "is-associated-with", ACCEPTED) in edges and (ACCEPTED, "contradicts", FEAR) in edges
    assert len(edges) == 7


def test_where_restricts_counts_and_passages_but_keeps_memos(model):
    graph = build_graph(model.store, where=["role=mother"])
    nodes = by_name(graph)
    assert nodes[FEAR]["codings"] == 1 and nodes[FEAR]["cases"] == 1
    hinders = next(d for u, v, d in relation_edges(graph) if d["type"] == "hinders" and graph.nodes[v]["core"])
    assert (hinders["passages"], hinders["memos"], hinders["participants"]) == (1, 1, 1)
    assert graph.graph["where"] == "role=mother"


def test_min_evidence_drops_weak_relations_and_roles_follow(model):
    graph = build_graph(model.store, min_evidence=2)
    assert sorted(d["type"] for _, _, d in relation_edges(graph)) == ["hinders", "hinders"]
    assert graph.graph["weaker_left_out"] == 5
    nodes = by_name(graph)
    assert nodes[FEAR]["role"] == "barrier"
    assert nodes[ACCEPTED]["role"] == "other" and nodes[SOCIAL]["role"] == "other"   # its facilitator is gone
    assert len(graph) == len(build_graph(model.store))                               # categories all stay


def test_include_codes_adds_codes_and_contains_edges(model):
    plain, full = build_graph(model.store), build_graph(model.store, include_codes=True)
    assert {d["kind"] for _, d in plain.nodes(data=True)} == {"category"}
    assert len(full) == len(plain) + 4
    contains = {(full.nodes[u]["name"], full.nodes[v]["name"]) for u, v, d in full.edges(data=True)
                if d["type"] == "contains"}
    assert contains == {(FEAR, "Being filmed"), ("Being filmed", "Camera shy"), (ACCEPTED, "Smiles"),
                        (PRACTICE, TRUST)}
    nodes = by_name(full)
    assert nodes["Being filmed"]["codings"] == 2 and nodes["Camera shy"]["codings"] == 1


def test_a_model_without_a_core_has_no_roles(project):
    project.codes.add("Alone")
    project.store.conn.execute("UPDATE codes SET kind = 'category'")
    graph = build_graph(project.store)
    assert [d["role"] for _, d in graph.nodes(data=True)] == ["other"]
    assert graph.number_of_edges() == 0


# --- text formats against golden files ----------------------------------------------------------------------
def check_golden(written: Path, name: str) -> None:
    text = written.read_text(encoding="utf-8")
    assert_golden(text, GOLDEN / name)


@pytest.mark.parametrize("name, options", [
    ("model.dot", {}), ("model.mmd", {}), ("model.md", {}), ("model.graphml", {}), ("model.tex", {}),
    ("model.json", {}), ("model-codes.json", {"include_codes": True}), ("model-codes.dot", {"include_codes": True}),
    ("model-min2.mmd", {"min_evidence": 2}), ("model-codes.mmd", {"include_codes": True}),
])
def test_text_formats_match_golden_files(model, tmp_path, name, options):
    written = export_model(model, tmp_path / "out" / name, **options)
    text = written.read_text(encoding="utf-8")
    assert str(tmp_path) not in text and str(Path.home()) not in text     # no absolute paths
    assert not any(year in text for year in ("2024-", "2025-", "2026-", "2027-"))   # no timestamps
    check_golden(written, name)


def test_exports_are_deterministic(model, tmp_path):
    for name in ("a.dot", "a.mmd", "a.graphml", "a.gexf", "a.tex", "a.json", "a.svg", "a.pdf"):
        first = export_model(model, tmp_path / "1" / name, include_codes=True).read_bytes()
        second = export_model(model, tmp_path / "2" / name, include_codes=True).read_bytes()
        assert first == second, name


def test_json_lists_nodes_and_edges_with_attributes(model, tmp_path):
    doc = json.loads(export_model(model, tmp_path / "m.json").read_text(encoding="utf-8"))
    assert doc["format"] == "gtcode-model" and doc["model"]["name"].startswith("VIG study")
    paths = [n["path"] for n in doc["nodes"]]
    assert paths == sorted(paths, key=str.casefold)
    edge = next(e for e in doc["edges"] if e["type"] == "hinders" and e["target_path"] == CORE)
    assert edge["source_path"] == FEAR and edge["evidence"] == 3 and edge["participants"] == 2


def test_graphml_and_gexf_read_back(model, tmp_path):
    import networkx as nx

    back = nx.read_graphml(export_model(model, tmp_path / "m.graphml", include_codes=True))
    assert {d["name"] for _, d in back.nodes(data=True)} >= {FEAR, CONFIDENCE, ACCEPTED, "Camera shy"}
    assert sum(1 for *_, d in back.edges(data=True) if d["type"] == "hinders") == 2
    gexf = export_model(model, tmp_path / "m.gexf").read_text(encoding="utf-8")
    assert "lastmodifieddate" not in gexf
    assert {d["name"] for _, d in nx.read_gexf(tmp_path / "m.gexf").nodes(data=True)} >= {STIGMA, TRUST}


def test_mermaid_escapes_labels(model, tmp_path):
    text = export_model(model, tmp_path / "m.mmd").read_text(encoding="utf-8")
    assert "Fear of #quot;judgement#quot; \\ #lt;evidence#gt; #amp; being filmed" in text
    assert "<evidence>" not in text
    md = export_model(model, tmp_path / "m.md").read_text(encoding="utf-8")
    assert "```mermaid\n" in md and md.rstrip().endswith("```")


def test_dot_escapes_quotes_and_backslashes(model, tmp_path):
    text = export_model(model, tmp_path / "m.dot").read_text(encoding="utf-8")
    assert 'judgement\\" \\\\ <evidence>' in text          # \" and \\ inside the DOT string


def test_tikz_escapes_latex_specials(model, tmp_path):
    text = export_model(model, tmp_path / "m.tex").read_text(encoding="utf-8")
    assert r"Stigma \{100\%\} \$cost \#1 \textasciitilde{} \textasciicircum{} \_ \textbar{}" in text
    assert r"\textless{}evidence\textgreater{} \&" in text and r"\textquotedbl{}judgement\textquotedbl{}" in text
    assert r"\textbackslash{}" in text and "\\ <" not in text
    assert r"\DeclareUnicodeCharacter{1F60A}" in text and r"\DeclareUnicodeCharacter{6BCD}" in text


@pytest.mark.skipif(not shutil.which("pdflatex"), reason="pdflatex is not installed")
def test_tikz_compiles_with_pdflatex(model, tmp_path):
    tex = export_model(model, tmp_path / "tex" / "model.tex", include_codes=True)
    done = subprocess.run(["pdflatex", "-interaction=nonstopmode", "-halt-on-error", tex.name], cwd=tex.parent,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout[-3000:]
    assert (tex.parent / "model.pdf").read_bytes().startswith(b"%PDF")


# --- pictures -----------------------------------------------------------------------------------------
def svg_text(path: Path) -> str:
    root = ET.parse(path).getroot()
    return " ".join(t.strip() for el in root.iter() if el.tag.endswith("text")
                    for t in el.itertext() if t.strip())


def test_svg_is_xml_with_labels_as_text(model, tmp_path):
    path = export_model(model, tmp_path / "model.svg")
    text = svg_text(path)
    for label in (CORE, "Stigma", "judgement", "😊", "母親の自信", "hinders (−)", "facilitates (+)",
                  "is a condition for", "Barriers", "Facilitators", "Consequences", "Conditions"):
        assert label in text, label
    assert "2 codings · 2 cases" in text


def test_png_and_pdf_have_valid_headers(model, tmp_path):
    png = export_model(model, tmp_path / "model.png", include_codes=True)
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    pdf = export_model(model, tmp_path / "model.pdf")
    assert pdf.read_bytes().startswith(b"%PDF")
    assert export_model(model, tmp_path / "picture", "pdf").read_bytes().startswith(b"%PDF")   # format by name


def test_png_is_a4_landscape(model, tmp_path):
    import struct

    data = export_model(model, tmp_path / "model.png").read_bytes()
    width, height = struct.unpack(">II", data[16:24])
    assert abs(width / height - 297 / 210) < 0.01 and width >= 3000      # 300 dpi


def test_boxes_never_overlap_and_labels_fit(model):
    from gtcode.report.diagram.draw import layout_model

    for options in ({}, {"include_codes": True}):
        layout = layout_model(build_graph(model.store, **options))
        boxes = list(layout.boxes.values())
        for i, a in enumerate(boxes):
            assert 0 <= a.x and a.x + a.w <= 11.69 and 0 <= a.y and a.y + a.h <= 8.27
            for b in boxes[i + 1:]:
                apart = a.x + a.w <= b.x or b.x + b.w <= a.x or a.y + a.h <= b.y or b.y + b.h <= a.y
                assert apart, (a.key, b.key)
            for line in a.lines:
                assert text_width(line, a.size, a.bold) <= a.w, (a.key, line)


def test_layout_puts_each_role_on_its_side(model):
    from gtcode.report.diagram.draw import layout_model

    graph = build_graph(model.store)
    layout = layout_model(graph)
    at = {d["name"]: layout.boxes[k] for k, d in graph.nodes(data=True)}
    core = at[CORE]
    assert at[FEAR].cx < core.x and at[SOCIAL].cx < core.x                  # barriers left
    assert at[ACCEPTED].cx > core.x + core.w                                # facilitators right
    assert at[TRUST].cy > core.y + core.h                                   # conditions above
    assert at[CONFIDENCE].cy < core.y                                       # consequences below
    def distance(box):
        return ((box.cx - core.cx) ** 2 + (box.cy - core.cy) ** 2) ** 0.5

    # the direct barrier gets the place nearest the core (on a tie, the upper one)
    assert (round(distance(at[FEAR]), 6), -at[FEAR].cy) < (round(distance(at[SOCIAL]), 6), -at[SOCIAL].cy)


def test_fit_wraps_then_shrinks_then_cuts():
    lines, size = fit("Feeling judged as a parent by the professionals", 1.0, 0.5, 9, 4.5)
    assert len(lines) > 1 and all(text_width(line, size) <= 1.0 for line in lines)
    lines, size = fit("word " * 200, 1.0, 0.2, 9, 4.5)
    assert size == 4.5 and lines[-1].endswith("…")
    lines, _ = fit("母親の自信母親の自信母親の自信", 0.5, 1.0, 9, 4.5)     # CJK breaks between characters
    assert len(lines) > 1


def test_graphviz_missing_is_a_clean_error(model, tmp_path, monkeypatch):
    monkeypatch.setattr(shutil, "which", lambda name, *a, **k: None)
    with pytest.raises(GraphvizNotFound) as err:
        export_model(model, tmp_path / "model.svg", engine="graphviz")
    assert isinstance(err.value, InputError)
    assert "apt-get install graphviz" in str(err.value) and "brew install graphviz" in str(err.value)
    assert "matplotlib" in str(err.value)
    assert not (tmp_path / "model.svg").exists()
    assert export_model(model, tmp_path / "model.dot").is_file()            # DOT itself needs no Graphviz


@pytest.mark.skipif(not shutil.which("dot"), reason="Graphviz is not installed")
def test_graphviz_engine_draws_the_pinned_layout(model, tmp_path):
    path = export_model(model, tmp_path / "gv.svg", engine="graphviz")
    text = svg_text(path)
    assert "Engagement with VIG" in text and "Stigma" in text
    assert export_model(model, tmp_path / "gv.png", engine="graphviz").read_bytes()[:4] == b"\x89PNG"


@pytest.mark.parametrize("name, fmt", [("model.xlsx", None), ("model", None), ("model.svg", "bmp")])
def test_unsupported_format_lists_the_formats(model, tmp_path, name, fmt):
    with pytest.raises(UnsupportedFormat) as err:
        export_model(model, tmp_path / name, fmt)
    assert isinstance(err.value, InputError)
    for known in ("svg", "png", "pdf", "dot", "mermaid", "graphml", "gexf", "tikz", "json"):
        assert known in str(err.value)


def test_bad_engine_is_an_input_error(model, tmp_path):
    with pytest.raises(InputError, match="engine"):
        export_model(model, tmp_path / "m.svg", engine="tikz")


# --- size ---------------------------------------------------------------------------------------------------
def big_model(project, categories=60, codes=500):
    """60 categories around a core, 500 codes under them, relations of every kind."""
    kinds = ["hinders", "facilitates", "is-condition-for", "is-context-for", "is-strategy-for", "is-consequence-of",
             "causes", "is-associated-with"]
    with project.transaction() as txn:
        db = txn.conn
        cat_ids = []
        for i in range(categories):
            cat_ids.append(db.execute(
                "INSERT INTO codes (uuid, name, created_at, created_by, kind, core) VALUES (?, ?, ?, ?, 'category', ?)",
                (uid(1000 + i), f"Category {i:02d} with a fairly long descriptive name", now(), txn.coder_id,
                 int(i == 0))).lastrowid)
        for j in range(codes):
            db.execute("INSERT INTO codes (uuid, parent_id, name, created_at, created_by) VALUES (?, ?, ?, ?, ?)",
                       (uid(5000 + j), cat_ids[1 + j % (categories - 1)], f"Code {j:03d} in vivo words", now(),
                        txn.coder_id))
        for i in range(1, categories):
            db.execute("INSERT INTO relations (uuid, source_id, type, target_id, created_at, created_by)"
                       " VALUES (?, ?, ?, ?, ?, ?)",
                       (uid(9000 + i), cat_ids[i], kinds[i % len(kinds)], cat_ids[0 if i < 40 else i - 20], now(),
                        txn.coder_id))


def test_a_large_model_exports_in_every_format(project, tmp_path):
    """A model of 60 categories and 500 codes is drawn whole in every format (how fast: benchmarks/model.py)."""
    big_model(project)
    for name, options in (("big.svg", {}), ("big-codes.svg", {"include_codes": True}),
                          ("big-codes.png", {"include_codes": True}), ("big-codes.pdf", {"include_codes": True}),
                          ("big-codes.dot", {"include_codes": True}), ("big-codes.json", {"include_codes": True})):
        export_model(project, tmp_path / name, **options)
        assert (tmp_path / name).stat().st_size > 0, name
    dot = (tmp_path / "big-codes.dot").read_text(encoding="utf-8")
    assert "Category 59 with a fairly long descriptive name" in dot and "Code 499 in vivo words" in dot


def test_side_captions_sit_where_no_line_runs(model):
    from gtcode.report.diagram import route
    from gtcode.report.diagram.layout import layout_model, report_page

    for page, options in ((None, {}), (None, {"include_codes": True}), (report_page(247, 124), {})):
        graph = build_graph(model.store, **options)
        layout = layout_model(graph, page=page) if page else layout_model(graph)
        paths = route.relation_paths(graph, layout)
        assert len(layout.labels) == len(layout.regions) and paths
        for caption, x, top in layout.labels:
            rect = route.caption_rect(caption, x, top, route.caption_size(layout))
            assert not any(route.crosses(p, rect) for p in paths), (caption, options)
            region = next(r for c, r in layout.regions if c == caption)
            assert region[0] <= rect[0] and rect[0] + rect[2] <= region[0] + region[2] + 0.01   # on its own side

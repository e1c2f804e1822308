"""Text formats of the model: JSON, Mermaid, DOT (layout pinned), TikZ, GraphML and GEXF."""

from __future__ import annotations

import json
import re
import unicodedata

from gtcode.model import evidence_phrase
from gtcode.report.diagram.graph import CONTAINS, ROLES, relation_edges
from gtcode.report.diagram.layout import (CAPTIONS, EDGE, FILL, LEGEND_H, MARGIN, PAD, PAGE_H, PAGE_W, Layout,
                                         counts_line, legend_entries, line_width, relation_styles, unit_codes)
from gtcode.report.diagram.route import curve
from gtcode.report.diagram.text import LINE


# --- writers -------------------------------------------------------------------------------------------
def json_text(graph) -> str:
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


def mermaid_text(graph) -> str:
    """A Mermaid flowchart: one subgraph per side of the model; codes (if any) in a box with their category,
    so containment costs no edges (Mermaid refuses more than 500 by default)."""
    nodes = graph.nodes
    ident = {k: f"c{d['id']}" for k, d in nodes(data=True)}
    units = unit_codes(graph)
    title = graph.graph.get("title") or f"{graph.graph['name']}: theory model"
    lines = ["---", "title: " + json.dumps(title, ensure_ascii=False), "---",
             "%% gtcode theory model: barriers → core ← facilitators; line style shows the relation type",
             "flowchart LR"]

    def node(key: str, indent: str) -> None:
        d = nodes[key]
        if d["kind"] == "category":
            text = _mm_text(d["name"]) + "<br/><small>" + _mm_text(counts_line(d)) + "</small>"
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
            label = _mm_text(f"{d['label']} ({evidence_phrase(d['passages'], d['memos'])})")
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


def dot_text(graph, layout: Layout) -> str:
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


class _Tex:
    """LaTeX-escaped text that remembers the non-ASCII characters it has seen (the preamble declares those
    pdflatex cannot typeset)."""

    def __init__(self):
        self.used: set[str] = set()

    def __call__(self, text: str) -> str:
        self.used.update(ch for ch in text if ord(ch) > 0x7E)
        return latex_escape(text)


_CM = 2.54   # TikZ works in cm, the layout in inches


def _pt(x: float, y: float) -> str:
    return f"({x * _CM:.3f},{y * _CM:.3f})"


def _font(size: float) -> str:
    return f"\\fontsize{{{size:g}}}{{{size * LINE:.1f}}}\\selectfont"


def _tikz_styles(styles: dict, type_style: dict[str, str], tex: _Tex) -> list[str]:
    """Colour and line style per relation type, and colours per role, as LaTeX definitions."""
    out = []
    for t, s in sorted(styles.items()):
        dash = ("dash pattern=" + " ".join(f"{'on' if i % 2 == 0 else 'off'} {x:g}pt" for i, x in enumerate(s.dash))
                if s.dash else "solid")
        tip = "Stealth" if s.head == "filled" else "Straight Barb"
        out.append(f"\\definecolor{{{type_style[t]}c}}{{HTML}}{{{s.color[1:].upper()}}}")
        out.append(f"\\tikzset{{{type_style[t]}/.style={{-{{{tip}[length=4pt]}}, draw={type_style[t]}c, "
                   f"{dash}}}}}  % {tex(t)}")
    for role in ROLES:
        out.append(f"\\definecolor{{gtc{role}}}{{HTML}}{{{EDGE[role][1:].upper()}}}"
                   f"\\definecolor{{gtc{role}fill}}{{HTML}}{{{FILL[role][1:].upper()}}}")
    return out


def _tikz_page(layout: Layout, tex: _Tex) -> list[str]:
    """The picture's frame: its bounding box, the title and subtitle, the shaded sides with their captions."""
    body = ["\\begin{tikzpicture}[x=1cm, y=1cm, every node/.style={font=\\sffamily}]"]
    inset = 0.2   # the picture is a little smaller than the page, so it never spills onto a second one
    body.append(f"    \\useasboundingbox {_pt(inset, inset)} rectangle {_pt(PAGE_W - inset, PAGE_H - inset)};")
    for text, size, y, bold in ((layout.title, layout.title_size, 0, "\\bfseries"),
                                (layout.subtitle, layout.subtitle_size, 0.28, "")):
        body.append(f"    \\node[anchor=north, font=\\sffamily{bold}{_font(size)}] at "
                    f"{_pt(PAGE_W / 2, PAGE_H - MARGIN - y)} {{{tex(text)}}};")
    for _, (x, y, w, h) in layout.regions:
        body.append(f"    \\fill[black!4, rounded corners=3pt] {_pt(x, y)} rectangle {_pt(x + w, y + h)};")
    for caption, x, top in layout.labels:   # where no line runs, as in the picture
        body.append(f"    \\node[anchor=north west, font=\\sffamily\\itshape\\fontsize{{7}}{{8}}\\selectfont, "
                    f"text=black!60, inner sep=0pt] at {_pt(x, top)} {{{tex(caption)}}};")
    return body


def _tikz_boxes(graph, layout: Layout, ident: dict[str, str], tex: _Tex) -> list[str]:
    """A node per box (categories, listed codes, '+ n more'), then the brackets joining listed codes."""
    nodes = graph.nodes
    body = [f"    \\draw[gtc{c.role}, fill=white, line width=0.4pt, rounded corners=2pt] {_pt(c.x, c.y)} rectangle "
            f"{_pt(c.x + c.w, c.y + c.h)};" for c in layout.units.values()]   # cards: a box and its listed codes
    for key in sorted(layout.boxes, key=lambda k: (nodes[k]["path"].casefold() if k in nodes else "\uffff" + k)):
        b = layout.boxes[key]
        if b.kind == "more":
            body.append(f"    \\node[font=\\sffamily\\itshape{_font(b.size)}, anchor=west] at {_pt(b.x, b.cy)} "
                        f"{{{tex(b.lines[0])}}};")
            continue
        text = "\\\\".join(tex(line) for line in b.lines)
        if b.extra:
            text += f"\\\\[1pt]{{\\fontsize{{{b.size * 0.8:.1f}}}{{{b.size * 0.9:.1f}}}\\selectfont {tex(b.extra)}}}"
        if b.kind == "category":
            look = f"draw=gtc{b.role}, fill=gtc{b.role}fill, rounded corners=2pt" + (", line width=1.6pt" if b.bold
                                                                                       else "")
        else:
            look = "draw=black!40, fill=white, line width=0.3pt"
        font = ("\\bfseries" if b.bold else "") + _font(b.size)
        body.append(f"    \\node[{look}, minimum width={b.w * _CM:.3f}cm, minimum height={b.h * _CM:.3f}cm, "
                    f"text width={(b.w - 2 * PAD) * _CM:.3f}cm, align=center, inner sep=0pt, font=\\sffamily{font}] "
                    f"({ident[key]}) at {_pt(b.cx, b.cy)} {{{text}}};")
    for spine in layout.spines:
        (sx, sy), rest = spine[0], spine[1:]
        body.append(f"    \\draw[black!35, line width=0.4pt] {_pt(sx, sy)} -- {_pt(sx, rest[-1][1])};")
        for x, y in rest:
            body.append(f"    \\draw[black!35, line width=0.4pt] {_pt(sx, y)} -- {_pt(x, y)};")
    return body


def _tikz_relations(graph, layout: Layout, type_style: dict[str, str], tex: _Tex) -> list[str]:
    """A line per drawn relation, bent as in the picture ('contains' lines thin and grey)."""
    path = {k: d["path"].casefold() for k, d in graph.nodes(data=True)}
    body = []
    for u, v, k, d in sorted(graph.edges(keys=True, data=True), key=lambda e: (path[e[0]], e[3]["type"], path[e[1]])):
        if (u, v, k) not in layout.bends:
            continue
        # The picture's own line, border to border (`route.curve`): a quadratic as a cubic Bézier.
        pieces = curve(layout, (u, v, k))
        how = _pt(*pieces[0][0]) + "".join(
            f" .. controls {_pt(x0 + 2 / 3 * (x1 - x0), y0 + 2 / 3 * (y1 - y0))} and "
            f"{_pt(x2 + 2 / 3 * (x1 - x2), y2 + 2 / 3 * (y1 - y2))} .. {_pt(x2, y2)}"
            for (x0, y0), (x1, y1), (x2, y2) in pieces)
        if d["type"] == CONTAINS:
            body.append(f"    \\draw[black!40, line width=0.6pt] {how};  % contains")
            continue
        body.append(f"    \\draw[{type_style[d['type']]}, line width={line_width(d['evidence']):g}pt] "
                    f"{how};  % {tex(d['type'])}, evidence {d['evidence']}")
    return body


def _tikz_legend(graph, type_style: dict[str, str], tex: _Tex) -> list[str]:
    """The relation types drawn, five to a row, and the note under them."""
    body = []
    entries = legend_entries(graph)
    if entries:
        per_row = min(len(entries), 5)
        col_w = (PAGE_W - 2 * MARGIN) / per_row
        for i, (t, text, _) in enumerate(entries):
            x = MARGIN + (i % per_row) * col_w + 0.1
            y = MARGIN + LEGEND_H - 0.18 - (i // per_row) * 0.2
            body.append(f"    \\draw[{type_style[t]}, line width=1pt] {_pt(x, y)} -- {_pt(x + 0.45, y)};")
            body.append(f"    \\node[anchor=west, font=\\sffamily\\fontsize{{7}}{{8}}\\selectfont] at "
                        f"{_pt(x + 0.5, y)} {{{tex(text)}}};")
    body.append(f"    \\node[anchor=south, font=\\sffamily\\fontsize{{6.5}}{{8}}\\selectfont, text=black!70] at "
                f"{_pt(PAGE_W / 2, MARGIN - 0.1)} {{{tex(legend_note(graph))}}};")
    return body


def _tikz_preamble(graph, tex: _Tex, styles_tex: list[str]) -> list[str]:
    """The document around the picture; characters pdflatex cannot typeset show their code point."""
    def silent(ch: str) -> bool:
        return unicodedata.category(ch) in ("Mn", "Cf") or 0xFE00 <= ord(ch) <= 0xFE0F

    missing = sorted(ch for ch in tex.used if ord(ch) not in _LATEX_OK)
    declare = [f"  \\DeclareUnicodeCharacter{{{ord(ch):04X}}}{{\\gtcodeglyph{{{ord(ch):04X}}}}}" for ch in missing
               if not silent(ch)]
    declare += [f"  \\DeclareUnicodeCharacter{{{ord(ch):04X}}}{{}}" for ch in missing if silent(ch)]
    return [
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


def tikz_text(graph, layout: Layout) -> str:
    """A LaTeX document holding the model as a TikZ picture, boxes where the layout put them."""
    styles = relation_styles(graph)
    tex = _Tex()
    type_style = {t: f"gtcrel{i}" for i, t in enumerate(sorted(styles))}
    ident = {k: f"c{d['id']}" for k, d in graph.nodes(data=True)}
    styles_tex = _tikz_styles(styles, type_style, tex)
    body = [*_tikz_page(layout, tex), *_tikz_boxes(graph, layout, ident, tex),
            *_tikz_relations(graph, layout, type_style, tex), *_tikz_legend(graph, type_style, tex),
            "\\end{tikzpicture}%"]
    return "\n".join(_tikz_preamble(graph, tex, styles_tex) + body + ["\\end{document}"]) + "\n"


NOTE = ("Boxes: categories with confirmed codings · cases; bold border: the core category, its counts rolled up "
        "from the categories it integrates. Line width grows with evidence (passages + memos).")


def legend_note(graph) -> str:
    """The line under the legend saying how to read the boxes and lines."""
    extra = " Listed in a category's box, or joined to it by a thin grey line: what it contains; (n): codings." \
        if graph.graph.get("include_codes") else ""
    return NOTE + extra


def networkx_text(graph, fmt: str) -> str:
    import networkx as nx

    if fmt == "graphml":
        return "\n".join(nx.generate_graphml(graph, prettyprint=True)) + "\n"
    text = "\n".join(nx.generate_gexf(graph, prettyprint=True)) + "\n"
    return re.sub(r'\s+lastmodifieddate="[^"]*"', "", text)   # no dates: the same model gives the same file

"""The thesis report (`gtcode report`): one outline of the study, rendered as Word, Markdown or HTML.

`build_report` turns the project into a `document.Report`: a list of `Block`s (headings, paragraphs,
tables, figures, quotes); `render_docx`, `render_md` and `render_html` each render that one list, so the
three formats carry the same content by construction. Figures (the model diagram, the saturation plot) are
drawn as PNG only when a report is written:

- Word embeds them;
- Markdown links to them, written beside the report as `<name>-model.png` and `<name>-saturation.png`
  (relative links, so pandoc and editors find them);
- HTML inlines them as base64 data, so the page is one self-contained file.

`write_report` writes everything to temporary files first and renames them into place at the end, so a
failed report leaves nothing half-written behind. Counts are of confirmed codings only.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from gtcode.analysis.saturation import order_phrase, plot_saturation
from gtcode.analysis.exemplars import EXEMPLAR_RULE
from gtcode.errors import InputError, UnsupportedFormat
from gtcode.files import atomic_file, check_output
from gtcode.memos import get_memo, memo_types, memos_about
from gtcode.model import core, core_counts, evidence_phrase
from gtcode.report import render_docx, render_html, render_md
from gtcode.report import thesis_data as data
from gtcode.report.dates import when
from gtcode.report.references import readable
from gtcode.report.diagram.draw import export_model
from gtcode.report.diagram.graph import build_graph, relation_edges
from gtcode.report.diagram.layout import report_page
from gtcode.report.document import Block, Numbers, Report, heading, note, para

FORMATS = ("docx", "md", "html")
SUFFIXES = {".docx": "docx", ".md": "md", ".markdown": "md", ".html": "html", ".htm": "html"}
ROLE_TITLES = {"barrier": "Barriers", "facilitator": "Facilitators", "condition": "Conditions",
               "context": "Context", "strategy": "Strategies", "consequence": "Consequences",
               "other": "Other related categories"}
#: The codebook's columns, with weights for formats that want them (Word and HTML size them to content). The
#: counts share one narrow column that says what they are ("3 participants", "9 segments"): two columns headed
#: "Participants" and "Segments" took a fifth of a landscape page for a few digits.
CODEBOOK_HEADERS = ["Category", "Code", "Definition", "Inclusion, exclusion, example", "Used", "Exemplar"]
CODEBOOK_WIDTHS = [13, 13, 21, 20, 10, 22]
#: The model figure as printed, in mm: the width of a landscape A4 page's text, and its height less room for
#: the section's heading above and the two-line caption below, so heading, figure and caption share a page.
MODEL_FIGURE_MM = (297 - 2 * 25, 210 - 2 * 25 - 36)


def _plural(n: int, word: str, words: str | None = None) -> str:
    return f"{n} {word if n == 1 else (words or word + 's')}"


# --- sections ------------------------------------------------------------------------------------------------

def _study(project, sc, num: Numbers) -> list[Block]:
    s = data.study(project, sc)
    timed = s.timed
    length = (f"{s.mean_minutes:.0f} minutes on average (from the timestamps of {len(timed)} of "
              f"{len(s.interviews)} transcripts)" if timed else "not known (no transcript has timestamps)")
    period = (f"{s.first_coded[:10]} to {s.last_coded[:10]}" if s.first_coded else "no confirmed codings yet")
    facts = [["Interviews", len(s.interviews)], ["Participants", s.participants],
             ["Words transcribed", f"{s.words:,}"], ["Interview length", length],
             ["Coders", "; ".join(f"{name} ({_plural(n, 'coding')})" for name, n in s.coders) or "none yet"],
             ["Coding period", period], ["Codes", f"{s.codes} ({s.codes_used} used)"],
             ["Categories", s.categories], ["Confirmed codings", s.confirmed],
             ["Pending suggestions (left out)", s.pending], ["Memos", s.memos]]
    out = [heading(1, "Study summary"),
           para(f"The analysis covers {_plural(len(s.interviews), 'interview')} with "
                f"{_plural(s.participants, 'participant')} ({s.words:,} words). Counts in this report are of "
                "confirmed codings only"
                + (f"; {_plural(s.pending, 'autocoded suggestion')} still waiting for review "
                   f"{'is' if s.pending == 1 else 'are'} left out." if s.pending else ".")),
           num.table("Study in numbers", ["", "Value"], facts, [1, 2])]
    if s.attributes:
        rows = [[name, value, n] for name, values in s.attributes.items() for value, n in values.items()]
        out.append(num.table("Participants by case attribute", ["Attribute", "Value", "Participants"], rows,
                             [2, 3, 1]))
    out.append(num.table("Interviews", ["Document", "Participant", "Format", "Words", "Minutes"],
                         [[f"{i.label} {i.name}", i.participant, i.format, f"{i.words:,}", data.minutes(i.seconds)]
                          for i in s.interviews], [3, 2, 1, 1, 1]))
    return out


def _codebook(project, sc, num: Numbers, grounding, code: str | None = None) -> list[Block]:
    rows = data.codebook(project, sc, grounding)
    if code is not None:    # one code's subtree
        top = project.codes.get(code).path.casefold()
        rows = [r for r in rows if r.path.casefold() == top or r.path.casefold().startswith(top + "/")]
    out = [Block("layout", "landscape"), heading(1, "Codebook")]
    if not rows:
        return out + [note("No codes yet."), Block("layout", "portrait")]
    out.append(para("Each code with its definition, criteria and the researcher's example, the participants and "
                    "segments coded with it (its sub-codes included), and an exemplar quote credited to the "
                    f"participant's pseudonym and the segment address. {EXEMPLAR_RULE}"))
    table = [[r.category.rpartition("/")[2] or "—", r.code, r.definition, r.criteria,
              f"{_plural(r.participants, 'participant')}\n{_plural(r.segments, 'segment')}",
              f"“{r.exemplar.text}” ({r.exemplar.credit})" if r.exemplar else "—"] for r in rows]
    out.append(num.table("Codebook", CODEBOOK_HEADERS, table, CODEBOOK_WIDTHS))
    return out + [Block("layout", "portrait")]


def codebook_outline(project, where=None, title: str | None = None, code: str | None = None) -> Report:
    """The codebook table alone (or one code's subtree), as a thesis appendix (`codebook export --format docx`)."""
    sc = data.scope(project, where)
    if not any(not c.is_category for c in project.codes.list()):
        raise InputError("no codes to export: add some with 'gtcode codes add' or 'gtcode codebook import'")
    blocks = _codebook(project, sc, Numbers(), data.Grounding(project, sc), code)
    return Report(title or f"Codebook: {project.name}", sc.note, blocks)


def _categories(project, sc, num: Numbers, grounding) -> list[Block]:
    cats = data.categories(project, sc, grounding)
    out = [heading(1, "Categories")]
    if not cats:
        return out + [note("No categories yet (gtcode category new NAME).")]
    for c in cats:
        out.append(heading(2, c.path + (" (core category)" if c.core else "")))
        if c.definition:
            out.append(para(c.definition))
        out.append(para(("Codes: ", True), ", ".join(c.codes) or "none"))
        out.append(para(("Grounding: ", True), f"{_plural(c.segments, 'segment')} from "
                        f"{_plural(c.participants, 'participant')}"
                        + (", rolled up from the categories it integrates." if c.core else ".")))
        if not c.properties:
            out.append(note("No properties or dimensions recorded yet."))
            continue
        rows = [[p.name, p.dimension, p.description,
                 "; ".join(f"{e.value}: {e.participant}, {e.address}" for e in p.placements) or "—"]
                for p in c.properties]
        out.append(num.table(f"Properties and dimensions of {c.name}",
                             ["Property", "Dimension", "Description", "Passages placed"], rows, [2, 3, 3, 4]))
    return out


def _relation_text(graph, u: str, v: str, d: dict) -> str:
    n = graph.nodes
    evidence = evidence_phrase(d["passages"], d["memos"], d["participants"])
    return f"{n[u]['name']} —{d['label']}→ {n[v]['name']} ({evidence})"


def _model(project, sc, num: Numbers, figures: dict, tree) -> list[Block]:
    if not any(c.is_category for c in tree):     # the graph's nodes are the categories: no need to build it
        return [heading(1, "Explanatory model"),
                note("No categories yet, so no model to draw (gtcode category new NAME).")]
    graph = build_graph(project.store, where=sc.where, name=project.name)
    figures["model"] = {"kind": "model", "where": sc.where, "size_mm": MODEL_FIGURE_MM}
    centre = core(project.store)
    out = [Block("layout", "landscape"), heading(1, "Explanatory model"),
           num.figure("model", "The explanatory model: the core category in the centre, barriers on the left, "
                                "facilitators on the right, conditions and context above, consequences below. Line "
                                "style shows the relation type; line weight its evidence."),
           Block("layout", "portrait"), heading(2, "The model in words")]
    if centre is None:
        return out + [note("No core category yet: mark one with 'gtcode core CATEGORY'.")]
    node = next(d for _, d in graph.nodes(data=True) if d["core"])
    rolled = core_counts(project.store, centre, sc.clause, sc.params)
    edges = relation_edges(graph)
    related = sum(1 for u, v, _ in edges if node["uuid"] in (u, v))
    out.append(para(("Core category: ", True), " ".join(filter(None, [
        f"{centre.path}.", centre.description,
        f"It is grounded in {_plural(rolled['codings'], 'coding')} from "
        f"{_plural(rolled['participants'], 'participant')} across the "
        f"{_plural(rolled['categories'], 'category', 'categories')} it integrates."
        if rolled["codings"] else "", f"It has {_plural(related, 'relation')} to other categories, below."]))))
    for role, title in ROLE_TITLES.items():
        members = sorted((k for k, d in graph.nodes(data=True) if d["role"] == role and d["kind"] == "category"),
                         key=lambda k: (graph.nodes[k]["rank"], graph.nodes[k]["path"].casefold()))
        items = ["; ".join(_relation_text(graph, u, v, d) for u, v, d in edges if k in (u, v)) for k in members]
        if any(items):     # a category with no relation at all is in the Categories section, not in the model
            out += [heading(3, title), Block("bullets", items=[i for i in items if i])]
    for m in memos_about(project.store, centre.uuid):
        if m.type == "storyline":    # a title that says it is the storyline is not told so twice
            out.append(heading(3, m.title if "storyline" in m.title.casefold() else f"Storyline: {m.title}"))
            out.append(Block("memo", readable(project.store, m.body)))
    return out


def _saturation(project, sc, num: Numbers, figures: dict) -> list[Block]:
    result = project.analysis.saturation(where=sc.where)
    out = [heading(1, "Saturation")]
    if not result.rows:
        return out + [note("No transcript has a confirmed coding yet: nothing to plot.")]
    figures["saturation"] = {"kind": "saturation", "where": sc.where, "result": result}   # plotted as computed
    out += [num.figure("saturation", f"New codes per transcript ({order_phrase(result)}) and the cumulative "
                                     "number of codes; the last transcripts of the rule are shaded."),
            para(result.verdict), para(("Rule: ", True), result.rule + ".")]
    out.append(num.table("New codes per transcript", ["#", "Transcript", "Participant", "Codes", "New", "Cumulative"],
                         [[r.position, f"{r.label} {r.document}", data.participant(r.case, r.document), r.codes,
                           r.new, r.cumulative] for r in result.rows], [1, 3, 2, 1, 1, 1]))
    return out


def _memos(project) -> list[Block]:
    out = [heading(1, "Appendix A: Memos")]
    memos = [get_memo(project.store, m.id) for m in project.memos.list()]
    if not memos:
        return out + [note("No memos yet.")]
    out.append(para("Memos by type, oldest first within each type, as last edited; times are UTC. Memos cover the "
                    "whole project, whatever the report's filter."))
    order = [t["name"] for t in memo_types(project.store)]
    for kind in sorted({m.type for m in memos}, key=lambda t: (order.index(t) if t in order else len(order), t)):
        out.append(heading(2, f"{kind.capitalize()} memos"))
        for m in sorted((m for m in memos if m.type == kind), key=lambda m: (m.created_at, m.id)):
            out.append(heading(3, f"#{m.id} {m.title}"))
            edited = (f"; version {m.version}, last edited by {m.updated_by} {when(m.updated_at)}"
                      if m.version > 1 else "")
            out.append(note(f"{m.author}, {when(m.created_at)}{edited}; {m.review}."))
            out.append(Block("memo", readable(project.store, m.body)))
            for c in m.comments:
                out.append(Block("quote", c.body, source=f"{c.author}, {when(c.at)}, on version {c.version}"))
    return out


def _audit(project, num: Numbers) -> list[Block]:
    a = data.audit_summary(project)
    out = [heading(1, "Appendix B: Audit summary"),
           para(f"gtcode records every change, who made it and when, in an append-only log: {a['events']} events "
                f"from {a['commands']} commands, {when(a['first'])} to {when(a['last'])}. "
                f"{a['memos_signed_off']} of {_plural(a['memos'], 'memo')} signed off by a reviewer in "
                "their current version. The full trail: gtcode log, gtcode audit --all.")]
    out.append(num.table("Activity over the whole project", ["Activity", "Count"],
                         [[k, v] for k, v in a["summary"].items()], [3, 1]))
    out.append(num.table("Who did what", ["Person", "Commands", "Events", "First", "Last"],
                         [[p["coder"], p["commands"], p["events"], when(p["first"]), when(p["last"])]
                          for p in a["people"]], [3, 1, 1, 2, 2]))
    return out


def build_report(project, *, title: str | None = None, where=None) -> Report:
    """The report's outline: study summary, codebook, categories, model, saturation, memos, audit summary."""
    sc = data.scope(project, where)
    num = Numbers()
    figures: dict[str, dict] = {}
    grounding = data.Grounding(project, sc)
    blocks = [*_study(project, sc, num), *_codebook(project, sc, num, grounding),
              *_categories(project, sc, num, grounding), *_model(project, sc, num, figures, grounding.tree),
              *_saturation(project, sc, num, figures), *_memos(project), *_audit(project, num)]
    subtitle = "Grounded theory analysis report, prepared with gtcode." + (f" {sc.note}" if sc.note else "")
    return Report(title or project.name, subtitle, blocks, figures)


# --- writing -------------------------------------------------------------------------------------------------

def resolve_format(path: Path, fmt: str | None) -> str:
    if fmt:
        key = {"markdown": "md", "htm": "html", "word": "docx"}.get(fmt.lower().lstrip("."), fmt.lower().lstrip("."))
        if key not in FORMATS:
            raise UnsupportedFormat(f"report format {fmt!r}: choose docx, md or html")
        return key
    if path.suffix.lower() not in SUFFIXES:
        raise UnsupportedFormat(f"{path.name}: suffix {path.suffix or '(none)'!r} does not say the format; "
                                "use .docx, .md or .html, or --format")
    return SUFFIXES[path.suffix.lower()]


def draw_figures(project, report: Report, folder: Path) -> dict[str, Path]:
    """The report's figures as PNG files in `folder`: name → path."""
    out = {}
    for name, spec in report.figures.items():
        target = folder / f"{name}.png"
        if spec["kind"] == "model":
            export_model(project, target, "png", where=spec["where"], page=report_page(*spec["size_mm"]))
        else:
            result = spec.get("result") or project.analysis.saturation(where=spec["where"])
            plot_saturation(result, target)
        out[name] = target
    return out


def figure_file(path: Path, name: str) -> str:
    """Where Markdown's figure `name` goes beside the report: report.md → report-model.png."""
    return f"{path.stem}-{name}.png"


def write_report(project, path, fmt: str | None = None, *, title: str | None = None, where=None) -> list[Path]:
    """Write the report (docx, md or html; from `fmt` or the suffix). Returns the files written, report first.

    All or nothing: files are drawn in a temporary folder and moved into place only when every one is ready.
    """
    path = check_output(path)
    fmt = resolve_format(path, fmt)
    report = build_report(project, title=title, where=where)
    with tempfile.TemporaryDirectory(prefix="gtcode-report-") as tmp:
        images = draw_figures(project, report, Path(tmp))
        extra = {path.parent / figure_file(path, n): p for n, p in images.items()} if fmt == "md" else {}
        with atomic_file(path) as temp:
            if fmt == "docx":
                render_docx.write_docx(report, temp, images, project.coder)
            elif fmt == "md":
                temp.write_text(render_md.to_markdown(report, {n: figure_file(path, n) for n in images}),
                                encoding="utf-8", newline="\n")
            else:
                temp.write_text(render_html.to_html(report, images), encoding="utf-8", newline="\n")
            for target, source in extra.items():   # the figures first: the report is the last file to land
                with atomic_file(target) as t:
                    t.write_bytes(source.read_bytes())
    return [path, *extra]

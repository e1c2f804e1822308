"""Renderers more than one command uses: the import report (import, demo), the REFI-QDA loss report (import,
codebook import, export qdpx), search hits (search, code --search) and the explanatory model (model show, demo).
A command's own renderers live beside it."""

from __future__ import annotations

from pathlib import Path

from gtcode.cli._app import settings
from gtcode.cli.output import err, out_console, print_json, table


def render_import_report(report, failures_only: bool = False) -> None:
    """Failures always (one line each); notes, skips and the summary unless quiet."""
    for o in report.failed:
        err(f"Error: {o.message}", style="red")
    if failures_only:
        return
    for note in report.notes:
        err(f"Note: {note}", style="yellow")
    for o in report.outcomes:
        if o.status == "skipped":
            err(f"Skipped: {o.message}")
    parts = [f"{report.count('imported')} imported"]
    if report.count("replaced"):
        parts.append(f"{report.count('replaced')} replaced")
    parts += [f"{report.count('skipped')} skipped", f"{report.count('failed')} failed"]
    words = sum(o.words for o in report.outcomes if o.status in ("imported", "replaced"))
    segs = sum(o.segments for o in report.outcomes if o.status in ("imported", "replaced"))
    err(f"Import: {', '.join(parts)} ({words:,} words, {segs:,} segments).")



def render_loss_report(report, json_out: bool = False) -> None:
    """What happened, on stderr (or the whole report as JSON on stdout): counts, skipped items, losses."""
    if json_out:
        print_json(report.to_dict())
        return
    verb = "Exported" if report.direction == "export" else "Would import" if report.dry_run else "Imported"
    where = Path(report.source).name
    who = f" (from {report.origin})" if report.direction == "import" and report.origin else ""
    err(f"{verb} {where}{who}: {report.summary}.")
    if report.dry_run:
        err("Dry run: nothing was changed.")
    if report.warnings and not settings().quiet:
        err(f"Skipped ({len(report.warnings)}):", style="yellow")
        for w in report.warnings:
            err(f"  - {w}", style="yellow")
    if report.losses:
        head = "Not in the file (REFI-QDA cannot carry it):" if report.direction == "export" else \
            "In the file but not imported (gtcode cannot hold it):"
        err(head, style="yellow")
        for loss in report.losses:
            err(f"  - {loss}", style="yellow")

def _highlighted(text: str, start: int, spans):
    from rich.text import Text

    t = Text(text)
    for a, b in spans:
        t.stylize("bold reverse", a - start, b - start)
    return t


def render_hits(hits, total: int) -> None:
    if not hits:
        err("No matches.")
        return
    t = table(("Address", {"no_wrap": True}), ("Case", {"no_wrap": True}),
              ("Speaker", {"no_wrap": True, "max_width": 16}), ("Segment", {"ratio": 1}), show_lines=False)
    for h in hits:
        t.add_row(h.address, h.case or "-", h.speaker or "-", _highlighted(h.text, h.start, h.spans))
    out_console().print(t)
    err(f"{total} match{'es' if total != 1 else ''}" + (f", showing the best {len(hits)}" if total > len(hits) else ""))


def render_model(view: dict) -> None:
    from rich.text import Text
    from rich.tree import Tree

    def label(item, style=""):
        t = Text(item["path"].split("/")[-1], style=style or "bold")
        t.append(f"  {item['segments']} passages · {item['participants']} participants", style="dim")
        if item["split"]:
            t.append("  (" + ", ".join(f"{v} {n['segments']}/{n['participants']}" for v, n in
                                       item["split"].items()) + ")", style="dim")
        return t

    core = view["core"]
    root = Tree(label(core, "bold reverse"))
    for s in core.get("storylines", []):
        root.add(Text(f"storyline memo #{s['id']} {s['title']} ({s['review']})", style="italic"))
    titles = {"barrier": "Barriers (hinder)", "facilitator": "Facilitators", "condition": "Conditions",
              "context": "Context", "intervening": "Intervening conditions", "strategy": "Strategies",
              "consequence": "Consequences", "related": "Other relations"}
    for role, items in view["roles"].items():
        if not items:
            continue
        branch = root.add(Text(titles[role], style="bold red" if role == "barrier" else
                               "bold green" if role == "facilitator" else "bold"))
        for item in items:
            node = branch.add(label(item))
            rel = item["relation"]
            node.add(Text(f"{rel['type']}: {rel['passages']} passage(s), {rel['participants']} participant(s), "
                          f"{rel['memos']} memo(s)", style="dim"))
            for code in item["codes"]:
                node.add(Text(code.split("/")[-1], style="dim"))
    out_console().print(root)

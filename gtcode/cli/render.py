"""Renderers more than one command uses: the import report (import, demo), the REFI-QDA loss report (import,
codebook import, export qdpx), search hits (search, code --search) and the explanatory model (model show, demo).
A command's own renderers live beside it."""

from __future__ import annotations

from pathlib import Path

from gtcode.cli._app import one_line, settings
from gtcode.cli.output import err, fmt_time, out_console, plural, print_json, print_table, table


def render_import_report(report, failures_only: bool = False) -> None:
    """Failures always (one line each); notes, skips and the summary unless quiet."""
    for o in report.failed:
        err(f"Error: {one_line(o.message)}", style="red")
    if failures_only:
        return
    for note in report.notes:
        err(f"Note: {note}", style="yellow")
    for o in report.outcomes:
        if o.status == "skipped":
            err(f"Skipped: {o.message}")
    done = [o for o in report.outcomes if o.status in ("imported", "replaced")]
    if done:
        t = table("File", "Document", "Layout", ("Turns", {"justify": "right"}), ("Segments", {"justify": "right"}),
                  show_lines=False)
        for o in done:
            t.add_row(Path(o.source).name, f"D{o.document_id} {o.document}", o.layout or "-", str(o.turns),
                      str(o.segments))
        print_table(t)
    parts = [f"{report.count('imported')} imported"]
    if report.count("replaced"):
        parts.append(f"{report.count('replaced')} replaced")
    parts += [f"{report.count('skipped')} skipped", f"{report.count('failed')} failed"]
    words = sum(o.words for o in report.outcomes if o.status in ("imported", "replaced"))
    segs = sum(o.segments for o in report.outcomes if o.status in ("imported", "replaced"))
    err(f"Import: {', '.join(parts)} ({words:,} words, {segs:,} segments).")



def render_preview(previews) -> None:
    """`import --preview`: a block per file on stdout; failures as one line each on stderr."""
    console = out_console()
    for p in previews:
        if not p.ok:
            err(f"Error: {one_line(p.message)}", style="red")
            continue
        times = f" · {fmt_time(p.first_time)}–{fmt_time(p.last_time)}" if p.first_time is not None else ""
        console.print(f"[bold]{Path(p.source).name}[/bold] → {p.document!r} · {p.layout} · {p.turns} turns, "
                      f"{p.words:,} words{times}", highlight=False)
        who = "; ".join(f"{s['speaker'] or '(unlabelled)'} ({s['turns']}"
                        + (f", {s['role']})" if s["role"] != "participant" else ")") for s in p.speakers)
        console.print(f"  Speakers: {who or 'none'}", highlight=False, markup=False)
        if p.interviewer:
            console.print(f"  Interviewer: {', '.join(p.interviewer)}", highlight=False, markup=False)
        elif p.interviewer_guess:
            console.print(f"  Interviewer: none marked; {p.interviewer_guess!r} asks the questions: import with "
                          f"--interviewer {p.interviewer_guess!r}", highlight=False, markup=False)
        else:
            console.print("  Interviewer: none marked", highlight=False)
        if p.front:
            shown = "; ".join(line[:60] for line in p.front[:4]) + ("; …" if len(p.front) > 4 else "")
            console.print(f"  Front matter ({len(p.front)} lines): {shown}", highlight=False, markup=False)
        if p.quoted:
            shown = "; ".join(f"{q['speaker'] + ': ' if q['speaker'] else ''}{q['text'][:50]}" for q in p.quoted[:3])
            console.print(f"  Quoted ({len(p.quoted)} turn{'s' if len(p.quoted) != 1 else ''}): {shown}",
                          highlight=False, markup=False)
    err("Preview: nothing was imported.")


def render_loss_report(report, json_out: bool = False) -> None:
    """What happened, on stderr (or the whole report as JSON on stdout): counts, the position units, then what was
    skipped, what was taken but changed (or worth checking), and what could not travel, each under its own heading."""
    if json_out:
        print_json(report.to_dict())
        return
    verb = "Exported" if report.direction == "export" else "Would import" if report.dry_run else "Imported"
    where = Path(report.source).name
    who = f" (from {report.origin})" if report.direction == "import" and report.origin else ""
    err(f"{verb} {where}{who}: {report.summary}.")
    if report.positions:
        err(f"Positions {'written' if report.direction == 'export' else 'read'} as {report.positions}.")
    if report.dry_run:
        err("Dry run: nothing was changed.")
    not_in = "Not in the file (REFI-QDA cannot carry it)" if report.direction == "export" else \
        "In the file but not imported (gtcode cannot hold it)"
    sections = [(f"Skipped, not imported ({len(report.warnings)})", report.warnings, settings().quiet),
                (f"{'Exported' if report.direction == 'export' else 'Imported'}, with a note "
                 f"({len(report.notes)})", report.notes, False),
                (f"{not_in} ({len(report.losses)})", report.losses, False)]
    for head, items, hidden in sections:
        if items and not hidden:
            err(f"{head}:", style="yellow")
            for item in items:
                err(f"  - {item}", style="yellow")


def _highlighted(text: str, start: int, spans):
    from rich.text import Text

    t = Text(text)
    for a, b in spans:
        t.stylize("bold reverse", a - start, b - start)
    return t


def render_hits(hits, total: int, shown: str = "the best") -> None:
    """Search hits with their addresses, and how many there are in all (`shown`: which ones these are)."""
    if not hits:
        err("No matches.")
        return
    t = table(("Address", {"no_wrap": True}), ("Case", {"no_wrap": True}),
              ("Speaker", {"no_wrap": True, "max_width": 16}), ("Segment", {"ratio": 1}), show_lines=False)
    for h in hits:
        t.add_row(h.address, h.case or "-", h.speaker or "-", _highlighted(h.text, h.start, h.spans))
    out_console().print(t)
    err(plural(total, "match", "matches") + (f", showing {shown} {len(hits)}" if total > len(hits) else ""))


def render_model(view: dict) -> None:
    from rich.text import Text
    from rich.tree import Tree

    from gtcode.model import evidence_phrase

    def label(item, style=""):
        t = Text(item["path"].split("/")[-1], style=style or "bold")
        t.append(f"  {item['segments']} codings · {item['participants']} participants", style="dim")
        if item["split"]:
            t.append("  (" + ", ".join(f"{v} {n['segments']}/{n['participants']}" for v, n in
                                       item["split"].items()) + ")", style="dim")
        return t

    core = view["core"]
    head = label(core, "bold reverse")
    if core.get("integrates"):
        head.append(f"  rolled up from the {core['integrates']} categor{'y' if core['integrates'] == 1 else 'ies'} "
                    f"it integrates; coded directly {core['direct']}", style="dim italic")
    root = Tree(head)
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
            node.add(Text(f"{rel['type']}: {evidence_phrase(rel['passages'], rel['memos'], rel['participants'])}",
                          style="dim"))
            for code in item["codes"]:
                node.add(Text(code.split("/")[-1], style="dim"))
    if view.get("elsewhere"):
        branch = root.add(Text("Relations between other categories", style="bold"))
        for r in view["elsewhere"]:
            branch.add(Text(f"{r['source'].split('/')[-1]} —{r['type']}→ {r['target'].split('/')[-1]}: "
                            f"{evidence_phrase(r['passages'], r['memos'], r['participants'])}"))
    out_console().print(root)

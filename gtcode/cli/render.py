"""Rendering library results for people (Rich tables on stdout, notes on stderr)."""

from __future__ import annotations

from gtcode.cli._app import err, fmt_time, out_console


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


def render_documents(docs) -> None:
    from rich.table import Table

    table = Table(title=None, show_edge=False, pad_edge=False)
    for col, kw in (("ID", {"justify": "right"}), ("Document", {}), ("Case", {}), ("Format", {}),
                    ("Words", {"justify": "right"}), ("Turns", {"justify": "right"}),
                    ("Segments", {"justify": "right"}), ("Imported", {})):
        table.add_column(col, **kw)
    for d in docs:
        table.add_row(d.label, d.name, d.case or "-", d.format, f"{d.words:,}", str(d.turns), str(d.segments),
                      d.imported_at[:10])
    out_console().print(table)


def render_stats(stats: dict) -> None:
    from rich.table import Table

    table = Table(show_header=False, show_edge=False, box=None, pad_edge=False)
    table.add_column(style="bold")
    table.add_column()
    table.add_row("Project", f"{stats['project']} ({stats['path']})")
    table.add_row("Documents", f"{stats['documents']} ({', '.join(f'{n} {k}' for k, n in sorted(stats['formats'].items()))})"
                  if stats["formats"] else "0")
    table.add_row("Cases", f"{stats['cases']}" + (f" ({stats['unlinked_documents']} document(s) not linked to a case)"
                                                   if stats["unlinked_documents"] else ""))
    for attr, values in stats["cases_by_attribute"].items():
        table.add_row(f"  by {attr}", ", ".join(f"{v}: {n}" for v, n in values.items()))
    table.add_row("Words", f"{stats['words']:,}")
    table.add_row("Turns", ", ".join(f"{n:,} {k}" for k, n in sorted(stats["turns"].items())) or "0")
    table.add_row("Segments", ", ".join(f"{n:,} {k}" for k, n in sorted(stats["segments"].items())) or "0")
    if stats["mean_minutes"] is not None:
        table.add_row("Timed interviews", f"{stats['timed_documents']}, mean {stats['mean_minutes']} min")
    table.add_row("Coders", ", ".join(stats["coders"]))
    table.add_row("Events", str(stats["events"]))
    out_console().print(table)


def _highlighted(text: str, start: int, spans):
    from rich.text import Text

    t = Text(text)
    for a, b in spans:
        t.stylize("bold reverse", a - start, b - start)
    return t


def render_hits(hits, total: int) -> None:
    from rich.table import Table

    if not hits:
        err("No matches.")
        return
    table = Table(show_edge=False, pad_edge=False, show_lines=False)
    table.add_column("Address", no_wrap=True)
    table.add_column("Case", no_wrap=True)
    table.add_column("Speaker", no_wrap=True, max_width=16)
    table.add_column("Segment", ratio=1)
    for h in hits:
        table.add_row(h.address, h.case or "-", h.speaker or "-", _highlighted(h.text, h.start, h.spans))
    out_console().print(table)
    err(f"{total} match{'es' if total != 1 else ''}" + (f", showing the best {len(hits)}" if total > len(hits) else ""))


def render_segments(doc, segments, plain: bool) -> None:
    if plain:
        import sys
        for s in segments:
            sys.stdout.write(f"{s.address}\t{s.speaker or ''}\t{fmt_time(s.time_start)}\t{s.text}\n")
        return
    from rich.table import Table
    from rich.text import Text

    console = out_console()
    console.print(Text(f"D{doc.id} {doc.name}" + (f" · case {doc.case}" if doc.case else "") +
                       f" · {doc.words:,} words · {doc.segments} segments", style="bold"))
    table = Table(show_header=False, show_edge=False, box=None, pad_edge=False)
    table.add_column(justify="right", style="dim", no_wrap=True)
    table.add_column(no_wrap=True, max_width=18)
    table.add_column(style="dim", no_wrap=True)
    table.add_column(ratio=1)
    last_turn = last_time = None
    for s in segments:
        new_turn = s.turn != last_turn
        last_turn = s.turn
        who = Text(s.speaker or "", style="cyan" if s.is_interviewer else "bold") if new_turn else Text("")
        time = fmt_time(s.time_start) if s.time_start != last_time else ""
        last_time = s.time_start if s.time_start is not None else last_time
        table.add_row(str(s.ordinal), who, time, Text(s.text, style="dim" if s.is_interviewer else ""))
    console.print(table)


def render_code_tree(rows) -> None:
    """The code tree as a Rich tree, with codings · documents · cases after each code."""
    from rich.text import Text
    from rich.tree import Tree

    root = Tree(Text("Codes", style="bold"), guide_style="dim")
    nodes = {}
    for c, n in rows:
        label = Text(c.name, style=f"bold {c.color}" if c.color else "bold")
        if c.invivo:
            label.append(" “in vivo”", style="italic dim")
        label.append(f"  {n['codings']} · {n['documents']} docs · {n['cases']} cases", style="dim")
        nodes[c.id] = (nodes[c.parent_id] if c.parent_id else root).add(label)
    out_console().print(root)


def render_code(data: dict) -> None:
    from rich.text import Text

    console = out_console()
    console.print(Text(data["path"] + ("  (in vivo)" if data["invivo"] else ""), style="bold"))
    for key, label in (("description", "Definition"), ("include", "Include"), ("exclude", "Exclude"),
                       ("example", "Example")):
        if data[key]:
            console.print(Text(f"{label}: ", style="bold").append(data[key], style=""))
    console.print(f"{data['codings']} coding(s) in {data['documents']} document(s), {data['cases']} case(s)")
    for attr, values in data["by_attribute"].items():
        console.print(f"  by {attr}: " + ", ".join(f"{v} {n['cases']} case(s)/{n['passages']} passage(s)"
                                                   for v, n in sorted(values.items())))
    for p in data["exemplars"]:
        console.print(Text(f"“{p['text']}”", style="italic"))
        console.print(Text(f"    — {p['case'] or p['document']}, {p['address']}", style="dim"))
    if data.get("memos"):
        console.print(Text("Memos", style="bold"))
        for m in data["memos"]:
            console.print(f"  #{m['id']} {m['title']} ({m['type']}, v{m['version']}, {m['review']})")


def render_memo(m) -> None:
    from rich.markdown import Markdown
    from rich.panel import Panel
    from rich.text import Text

    console = out_console()
    head = Text(f"#{m.id} {m.title}", style="bold")
    head.append(f"\n{m.type} memo · version {m.version} · by {m.author} {m.created_at[:10]}", style="dim")
    if m.updated_by != m.author or m.version > 1:
        head.append(f" · last edited by {m.updated_by} {m.updated_at[:10]}", style="dim")
    head.append(f" · {m.review}", style="green" if m.review == "signed off" else "yellow")
    console.print(head)
    console.print(Panel(Markdown(m.body), border_style="dim"))
    if m.links:
        console.print(Text("Links", style="bold"))
        for link in m.links:
            line = Text(f"  {link.type}: {link.label}" + (" (in the text)" if link.source == "reference" else ""))
            console.print(line)
            if link.type == "segment" and link.text:
                console.print(Text(f"      “{link.text}”", style="italic"))
            elif link.type == "memo" and link.text:
                console.print(Text(f"      {link.text}", style="dim"))
    if m.comments:
        console.print(Text("Comments", style="bold"))
        depth = {}
        for c in m.comments:
            depth[c.id] = depth.get(c.parent_id, -1) + 1 if c.parent_id else 0
            pad = "  " * (depth[c.id] + 1)
            console.print(Text(f"{pad}{c.author} on v{c.version}, {c.at[:16].replace('T', ' ')} [{c.id}]", style="dim"))
            console.print(Text(f"{pad}{c.body}"))
    for s in m.signoffs:
        console.print(Text(f"Signed off v{s.version} by {s.author} {s.at[:10]}" + (f": {s.note}" if s.note else ""),
                           style="green"))


def render_paradigm(view: dict) -> None:
    """Strauss & Corbin's paradigm: conditions → phenomenon (in its context) → strategies → consequences."""
    from rich.panel import Panel
    from rich.table import Table

    def box(title, items):
        return Panel("\n".join(items) or "—", title=title, border_style="dim")

    grid = Table.grid(expand=True, padding=(0, 1))
    for _ in range(3):
        grid.add_column(ratio=1)
    grid.add_row(box("Causal conditions", view["condition"]), box("Context", view["context"]),
                 box("Intervening conditions", view["intervening"]))
    grid.add_row("", Panel(view["phenomenon"], title="Phenomenon", border_style="bold"), "")
    grid.add_row(box("Strategies", view["strategy"]), "", box("Consequences", view["consequence"]))
    out_console().print(grid)


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


def render_suggestions(suggestions) -> None:
    from rich.table import Table

    if not suggestions:
        err("No suggestions: code more passages, or group codes into categories first.")
        return
    table = Table(show_edge=False, pad_edge=False)
    for col in ("A", "B", "Together", "Jaccard", "Try"):
        table.add_column(col)
    for s in suggestions:
        table.add_row(s["a"], s["b"], str(s["both"]), f"{s['jaccard']:.2f}", s["command"])
    out_console().print(table)
    err("Suggestions only: nothing was related. Read the passages (gtcode compare A B) before relating.")

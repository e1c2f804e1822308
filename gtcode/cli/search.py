"""Looking at the data: `gtcode search` (ranked, highlighted hits with addresses) and `gtcode stats`."""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from gtcode.cli._app import App, open_project
from gtcode.cli.options import Json, Where
from gtcode.cli.output import out_console, plural, print_json, show, table
from gtcode.cli.render import render_hits

PANEL = "Look at the data"


def register(app: App) -> None:
    app.command(rich_help_panel=PANEL)(search)
    app.command(rich_help_panel=PANEL)(stats)


def search(
    query: Annotated[str, typer.Argument(help='Words (all must occur), "a phrase", OR, NOT, prefix*.')],
    where: Where = None,
    speaker: Annotated[Optional[str], typer.Option(help="participant, interviewer, or a speaker label.")] = None,
    exact: Annotated[bool, typer.Option("--exact", help="Only the words as typed (case aside), not other "
                                        "words with the same stem.")] = False,
    limit: Annotated[int, typer.Option(help="Show at most this many hits (0: all).")] = 50,
    json_out: Json = False,
) -> None:
    """Search segments (ranked, highlighted) and get their D3:17 addresses.

    A word also finds the words with the same stem (film: films, filmed, filming); --exact finds only the
    word as typed.

    Example: gtcode search '"social worker" OR evidence' --where role=mother --speaker participant
    """
    with open_project() as project:
        hits, total = project.analysis.search(query, where=where, speaker=speaker, limit=limit or None,
                                              exact=exact)
    if json_out:
        print_json({"query": query, "total": total, "hits": [h.to_dict() for h in hits]})
    else:
        render_hits(hits, total)


def stats(json_out: Json = False) -> None:
    """What the project holds: documents, cases by attribute, words, turns, segments, codes, codings, memos.

    Example: gtcode stats --json
    """
    with open_project() as project:
        data = project.stats()
    show(data, json_out, _render_stats)


def _render_stats(stats: dict) -> None:
    t = table(("", {"style": "bold"}), "", show_header=False, box=None)
    formats = ", ".join(f"{n} {k}" for k, n in sorted(stats["formats"].items()))
    t.add_row("Project", f"{stats['project']} ({stats['path']})")
    t.add_row("Documents", f"{stats['documents']} ({formats})" if stats["formats"] else "0")
    t.add_row("Cases", f"{stats['cases']}" + (f" ({plural(stats['unlinked_documents'], 'document')} not linked "
                                               "to a case)" if stats["unlinked_documents"] else ""))
    for attr, values in stats["cases_by_attribute"].items():
        t.add_row(f"  by {attr}", ", ".join(f"{v}: {n}" for v, n in values.items()))
    t.add_row("Words", f"{stats['words']:,}")
    t.add_row("Turns", ", ".join(f"{n:,} {k}" for k, n in sorted(stats["turns"].items())) or "0")
    t.add_row("Segments", ", ".join(f"{n:,} {k}" for k, n in sorted(stats["segments"].items())) or "0")
    if stats["mean_minutes"] is not None:
        t.add_row("Timed interviews", f"{stats['timed_documents']}, mean {stats['mean_minutes']} min")
    t.add_row("Codes", f"{stats['codes']:,}")
    t.add_row("Categories", f"{stats['categories']:,}")
    t.add_row("Codings", f"{stats['codings']:,}" + (f" (and {stats['pending_codings']:,} pending review)"
                                                   if stats["pending_codings"] else ""))
    t.add_row("Memos", f"{stats['memos']:,}")
    t.add_row("Coders", ", ".join(stats["coders"]))
    t.add_row("Events", str(stats["events"]))
    out_console().print(t)

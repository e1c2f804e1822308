"""Documents: `gtcode import` (transcripts, and REFI-QDA projects through gtcode.exchange) and `gtcode docs`."""

from __future__ import annotations

import sys
from typing import Annotated, Optional

import typer

from gtcode.cli._app import App, open_project, settings
from gtcode.cli.options import Json, Where
from gtcode.cli.output import err, fmt_time, out_console, print_json, progress, table
from gtcode.cli.render import render_import_report, render_loss_report

docs_app = App(help="Documents: list them, read them segment by segment, rename or delete them.")


def register(app: App) -> None:
    app.command("import", rich_help_panel="Import")(import_)
    app.add_typer(docs_app, name="docs", rich_help_panel="Look at the data")


def import_(
    paths: Annotated[list[str], typer.Argument(help="Files, folders or globs: .txt .md .docx .vtt .srt .csv")],
    case: Annotated[Optional[str], typer.Option(help="Link every imported document to this case.")] = None,
    interviewer: Annotated[Optional[str], typer.Option(
        help="Speaker labels that are the interviewer, comma-separated "
             "(default: Interviewer,Int,I,Q,IV,Researcher,Moderator,Facilitator).")] = None,
    speaker_pattern: Annotated[Optional[str], typer.Option(
        help="Regex matched at the start of a line; group 'speaker' (or group 1) names the speaker.")] = None,
    replace: Annotated[bool, typer.Option("--replace", help="Re-import a changed transcript of the same name.")] = False,
    force: Annotated[bool, typer.Option("--force", help="With --replace: drop codings that would be orphaned.")] = False,
    text_column: Annotated[Optional[str], typer.Option(help="CSV: the column holding the text.")] = None,
    id_column: Annotated[Optional[str], typer.Option(help="CSV: the column holding the case id.")] = None,
    nlp: Annotated[Optional[str], typer.Option(help="An installed spaCy model for sentences (default: blank English).")] = None,
    pseudonymise: Annotated[Optional[str], typer.Option(
        metavar="KEY.csv", help="A key (real,pseudonym) kept outside the project: names become pseudonyms, and "
        "e-mails, phone numbers, postcodes, NHS numbers and dates of birth become tags, before anything is "
        "stored.")] = None,
    positions: Annotated[Optional[str], typer.Option(help="REFI-QDA files: how positions are counted: codepoint, "
                                                     "utf16 (NVivo) or codepoint-lf (ATLAS.ti); default: "
                                                     "guessed from the tool that wrote the file.")] = None,
    json_out: Json = False,
) -> None:
    """Import transcripts: speaker turns, sentence segments, times; bad files are reported and skipped.

    REFI-QDA projects (.qdpx, .qde) from NVivo, ATLAS.ti, MAXQDA or QualCoder bring their codebook, texts,
    codings, memos, cases and relations, with a list of what gtcode could not take.

    Example: gtcode import transcripts/ --interviewer "Interviewer,Hannah Reid"
    """
    from gtcode.exchange.dispatch import import_files

    quiet = settings().quiet
    with open_project() as project, progress("Importing", project.docs.count_files(paths), quiet=quiet) as bar:
        outcome = import_files(project, paths, case=case, interviewer=interviewer, speaker_pattern=speaker_pattern,
                               replace=replace, force=force, text_column=text_column, id_column=id_column,
                               nlp=nlp, pseudonymise=pseudonymise, positions=positions,
                               progress=bar.advance if bar else None)
    for report in outcome.exchange:
        render_loss_report(report, json_out)
    report = outcome.transcripts
    if report is None:
        return
    if json_out:
        print_json(report.to_dict())
    render_import_report(report, failures_only=quiet or json_out)
    if report.failed:
        raise typer.Exit(1)


@docs_app.command("list")
def docs_list(where: Where = None, json_out: Json = False) -> None:
    """List documents: name, case, words, turns, segments, when imported.

    Example: gtcode docs list --where role=mother
    """
    with open_project() as project:
        docs = project.docs.list(where)
    if json_out:
        print_json([d.to_dict() for d in docs])
    elif docs:
        _render_documents(docs)
    else:
        err("No documents yet: import some with 'gtcode import PATH…'.")


def _render_documents(docs) -> None:
    right = {"justify": "right"}
    t = table(("ID", right), "Document", "Case", "Format", ("Words", right), ("Turns", right), ("Segments", right),
              "Imported", title=None)
    for d in docs:
        t.add_row(d.label, d.name, d.case or "-", d.format, f"{d.words:,}", str(d.turns), str(d.segments),
                  d.imported_at[:10])
    out_console().print(t)


@docs_app.command("show")
def docs_show(
    document: Annotated[str, typer.Argument(help="D3, 3 or the document's name.")],
    segments: Annotated[Optional[str], typer.Option(help="Only these segments, e.g. 10-40.")] = None,
    plain: Annotated[bool, typer.Option("--plain", help="Tab-separated lines, no wrapping: for piping.")] = False,
    json_out: Json = False,
) -> None:
    """Read a document as numbered segments with speakers and times.

    Example: gtcode docs show P01 --segments 10-40
    """
    from gtcode.address import parse_ranges

    with open_project() as project:
        doc = project.docs.get(document)
        nums = parse_ranges(segments, what="--segments") if segments else None
        segs = project.docs.segments(doc.id, min(nums) if nums else None, max(nums) if nums else None)
    if json_out:
        print_json({"document": doc.to_dict(), "segments": [s.to_dict() for s in segs]})
    elif plain:
        for s in segs:
            sys.stdout.write(f"{s.address}\t{s.speaker or ''}\t{fmt_time(s.time_start)}\t{s.text}\n")
    else:
        _render_segments(doc, segs)


@docs_app.command("rename")
def docs_rename(
    document: Annotated[str, typer.Argument(help="D3, 3 or the document's name.")],
    new_name: Annotated[str, typer.Argument(help="Its new name (no other document may have it).")],
) -> None:
    """Rename a document; codings, memos and its case stay with it (undo renames it back).

    Example: gtcode docs rename D3 P03_followup
    """
    with open_project() as project:
        done = project.docs.rename(document, new_name)
    err(f"Renamed {done.label} {done.before!r} to {done.after!r}" if done.changed
        else f"{done.label} is already named {done.after!r}")


@docs_app.command("delete")
def docs_delete(
    document: Annotated[str, typer.Argument(help="D3, 3 or the document's name.")],
    force: Annotated[bool, typer.Option("--force", help="Also delete the codings, memo links, relation evidence "
                                        "and property placements anchored to it.")] = False,
    purge: Annotated[bool, typer.Option("--purge", help="Keep no copy of the text, not even for undo (a "
                                        "participant withdrew); cannot be undone.")] = False,
) -> None:
    """Delete a document; refuses, listing them, while anything is anchored to it unless --force (undo restores
    it all, so its text stays in the project's undo history, unless --purge).

    Example: gtcode docs delete D3 --force
    """
    with open_project() as project:
        done = project.docs.delete(document, force, purge)
    items = sum(done.dropped.values())
    err(f"{'Purged' if purge else 'Deleted'} {done.label} {done.name!r}"
        + (f" with {items} anchored item(s)" if items else "")
        + ("; no copy of its text is kept" if purge else "; 'gtcode undo' restores it"))


def _render_segments(doc, segments) -> None:
    from rich.text import Text

    console = out_console()
    console.print(Text(f"D{doc.id} {doc.name}" + (f" · case {doc.case}" if doc.case else "") +
                       f" · {doc.words:,} words · {doc.segments} segments", style="bold"))
    t = table(("", {"justify": "right", "style": "dim", "no_wrap": True}), ("", {"no_wrap": True, "max_width": 18}),
              ("", {"style": "dim", "no_wrap": True}), ("", {"ratio": 1}), show_header=False, box=None)
    last_turn = last_time = None
    for s in segments:
        new_turn = s.turn != last_turn
        last_turn = s.turn
        who = Text(s.speaker or "", style="cyan" if s.is_interviewer else "bold") if new_turn else Text("")
        time = fmt_time(s.time_start) if s.time_start != last_time else ""
        last_time = s.time_start if s.time_start is not None else last_time
        t.add_row(str(s.ordinal), who, time, Text(s.text, style="dim" if s.is_interviewer else ""))
    console.print(t)

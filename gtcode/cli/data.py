"""Import and look at the data: import, docs, search, stats."""

from __future__ import annotations

import sys
from typing import Annotated, Optional

import typer

from gtcode.cli._app import App, err, open_project, print_json, state
from gtcode.cli.render import render_documents, render_hits, render_import_report, render_segments, render_stats

docs_app = App(help="Documents: list them, read them segment by segment.")
WHERE_HELP = "Filter by case attribute: role=mother, site!=Trust B, role=mother,practitioner (repeatable)."


def register(app: App) -> None:
    app.command("import", rich_help_panel="Import")(import_)
    app.add_typer(docs_app, name="docs", rich_help_panel="Look at the data")
    app.command(rich_help_panel="Look at the data")(search)
    app.command(rich_help_panel="Look at the data")(stats)


def _progress(total: int):
    """A Rich progress bar on stderr, or None when quiet or not a terminal."""
    if state.quiet or total < 2 or not sys.stderr.isatty():
        return None, None
    from rich.console import Console
    from rich.progress import Progress

    bar = Progress(console=Console(stderr=True), transient=True)
    task = bar.add_task("Importing", total=total)
    return bar, lambda n, label: bar.update(task, advance=n, description=f"Importing {label[:30]}")


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
    json_out: Annotated[bool, typer.Option("--json", help="Print the outcome per file as JSON.")] = False,
) -> None:
    """Import transcripts: speaker turns, sentence segments, times; bad files are reported and skipped.

    REFI-QDA projects (.qdpx, .qde) from NVivo, ATLAS.ti, MAXQDA or QualCoder bring their codebook, texts,
    codings, memos, cases and relations, with a list of what gtcode could not take.

    Example: gtcode import transcripts/ --interviewer "Interviewer,Hannah Reid"
    """
    from gtcode.cli.exchange import is_exchange_file, render_loss_report

    exchange_files = [p for p in paths if is_exchange_file(p)]
    paths = [p for p in paths if not is_exchange_file(p)]
    if exchange_files and pseudonymise:
        from gtcode.errors import InputError
        raise InputError(f"{exchange_files[0]}: --pseudonymise applies to transcripts; import the REFI-QDA file, "
                         "then run 'gtcode redact apply KEY.csv'")
    with open_project() as project:
        for f in exchange_files:
            who = tuple(x.strip() for x in interviewer.split(",") if x.strip()) if interviewer else None
            report = project.import_exchange(f, interviewer=who, positions=positions, nlp=nlp)
            render_loss_report(report, json_out)
        if not paths:
            return
        bar, callback = _progress(project.docs.count_files(paths))
        if bar:
            bar.start()
        try:
            report = project.docs.import_paths(paths, case=case, interviewer=interviewer, speaker_pattern=speaker_pattern,
                                          replace=replace, force=force, text_column=text_column,
                                          id_column=id_column, nlp=nlp, pseudonymise=pseudonymise,
                                          progress=callback)
        finally:
            if bar:
                bar.stop()
    if json_out:
        print_json(report.to_dict())
    render_import_report(report, failures_only=state.quiet or json_out)
    if report.failed:
        raise typer.Exit(1)


@docs_app.command("list")
def docs_list(
    where: Annotated[Optional[list[str]], typer.Option(help=WHERE_HELP)] = None,
    json_out: Annotated[bool, typer.Option("--json", help="As JSON.")] = False,
) -> None:
    """List documents: name, case, words, turns, segments, when imported.

    Example: gtcode docs list --where role=mother
    """
    with open_project() as project:
        docs = project.docs.list(where)
    if json_out:
        print_json([d.to_dict() for d in docs])
    elif docs:
        render_documents(docs)
    else:
        err("No documents yet: import some with 'gtcode import PATH…'.")


@docs_app.command("show")
def docs_show(
    document: Annotated[str, typer.Argument(help="D3, 3 or the document's name.")],
    segments: Annotated[Optional[str], typer.Option(help="Only these segments, e.g. 10-40.")] = None,
    plain: Annotated[bool, typer.Option("--plain", help="Tab-separated lines, no wrapping: for piping.")] = False,
    json_out: Annotated[bool, typer.Option("--json", help="As JSON.")] = False,
) -> None:
    """Read a document as numbered segments with speakers and times.

    Example: gtcode docs show P01 --segments 10-40
    """
    from gtcode.address import parse_ranges

    with open_project() as project:
        doc = project.docs.get(document)
        first = last = None
        if segments:
            nums = parse_ranges(segments, what="--segments")
            first, last = min(nums), max(nums)
        segs = project.docs.segments(doc.id, first, last)
    if json_out:
        print_json({"document": doc.to_dict(), "segments": [s.to_dict() for s in segs]})
    else:
        render_segments(doc, segs, plain)


def search(
    query: Annotated[str, typer.Argument(help='Words (all must occur), "a phrase", OR, NOT, prefix*.')],
    where: Annotated[Optional[list[str]], typer.Option(help=WHERE_HELP)] = None,
    speaker: Annotated[Optional[str], typer.Option(help="participant, interviewer, or a speaker label.")] = None,
    limit: Annotated[int, typer.Option(help="Show at most this many hits (0: all).")] = 50,
    json_out: Annotated[bool, typer.Option("--json", help="As JSON.")] = False,
) -> None:
    """Search segments (ranked, highlighted) and get their D3:17 addresses.

    Example: gtcode search '"social worker" OR evidence' --where role=mother --speaker participant
    """
    with open_project() as project:
        hits, total = project.analysis.search(query, where=where, speaker=speaker, limit=limit or None)
    if json_out:
        print_json({"query": query, "total": total, "hits": [h.to_dict() for h in hits]})
    else:
        render_hits(hits, total)


def stats(json_out: Annotated[bool, typer.Option("--json", help="As JSON.")] = False) -> None:
    """What the project holds: documents, cases by attribute, words, turns, segments, coders.

    Example: gtcode stats --json
    """
    with open_project() as project:
        data = project.stats()
    if json_out:
        print_json(data)
    else:
        render_stats(data)

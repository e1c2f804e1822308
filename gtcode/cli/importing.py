"""`gtcode import`: transcripts, and REFI-QDA projects through gtcode.exchange."""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from gtcode.cli._app import App, open_project, settings
from gtcode.cli.options import Json
from gtcode.cli.output import print_json, progress
from gtcode.cli.render import render_import_report, render_loss_report, render_preview


def register(app: App) -> None:
    app.command("import", rich_help_panel="Import")(import_)


def import_(
    paths: Annotated[list[str], typer.Argument(
        help="Files, folders or globs: transcripts (.txt .md .docx .odt .rtf .pdf .html .vtt .srt .tsv .json .cha "
             ".eaf), .csv answers, or .qdpx/.qde projects.")],
    case: Annotated[Optional[str], typer.Option(help="Link every imported document to this case.")] = None,
    interviewer: Annotated[Optional[str], typer.Option(
        help="Speaker labels that are the interviewer, comma-separated "
             "(default: Interviewer,Int,I,Q,IV,Researcher,Moderator,Facilitator).")] = None,
    speaker_pattern: Annotated[Optional[str], typer.Option(
        help="Regex matched at the start of a line; group 'speaker' (or group 1) names the speaker.")] = None,
    replace: Annotated[bool, typer.Option(
        "--replace", help="Re-import a changed transcript of the same name.")] = False,
    force: Annotated[bool, typer.Option(
        "--force", help="With --replace: drop codings that would be orphaned.")] = False,
    text_column: Annotated[Optional[str], typer.Option(help="CSV: the column holding the text.")] = None,
    id_column: Annotated[Optional[str], typer.Option(help="CSV: the column holding the case id.")] = None,
    nlp: Annotated[Optional[str], typer.Option(
        help="An installed spaCy model for sentences (default: blank English).")] = None,
    pseudonymise: Annotated[Optional[str], typer.Option(
        metavar="KEY.csv", help="A key (real,pseudonym) kept outside the project: names become pseudonyms, and "
        "e-mails, phone numbers, postcodes, NHS numbers and dates of birth become tags, before anything is "
        "stored.")] = None,
    positions: Annotated[Optional[str], typer.Option(help="REFI-QDA files: how positions are counted: codepoint, "
                                                     "utf16 (NVivo) or codepoint-lf (ATLAS.ti); default: "
                                                     "guessed from the tool that wrote the file.")] = None,
    layout: Annotated[Optional[str], typer.Option(
        help="Read text transcripts in this producer layout instead of detecting it: zoom, otter, rev, meet, "
             "whisperx, german or labelled.")] = None,
    name: Annotated[Optional[str], typer.Option(help="The document's name (one file only; default: the file's "
                                                "name without its extension).")] = None,
    preview: Annotated[bool, typer.Option("--preview", help="Show how each file would be read (layout, speakers, "
                                          "interviewer, times, front matter, quotes) and write nothing.")] = False,
    json_out: Json = False,
) -> None:
    """Import transcripts: speaker turns, sentence segments, times; bad files are reported and skipped.

    REFI-QDA projects (.qdpx, .qde) from NVivo, ATLAS.ti, MAXQDA or QualCoder bring their codebook, texts,
    codings, memos, cases and relations, with a list of what gtcode could not take.

    Example: gtcode import transcripts/ --interviewer "Interviewer,Hannah Reid"
    Example: gtcode import --preview zoom_P12.txt
    """
    from gtcode.exchange.dispatch import import_files

    if preview:
        _preview(paths, json_out, case=case, interviewer=interviewer, speaker_pattern=speaker_pattern,
                 text_column=text_column, id_column=id_column, pseudonymise=pseudonymise, layout=layout, name=name)
        return

    quiet = settings().quiet
    with open_project() as project, progress("Importing", project.docs.count_files(paths), quiet=quiet) as bar:
        outcome = import_files(project, paths, case=case, interviewer=interviewer, speaker_pattern=speaker_pattern,
                               replace=replace, force=force, text_column=text_column, id_column=id_column,
                               nlp=nlp, pseudonymise=pseudonymise, positions=positions, layout=layout,
                               name=name, progress=bar.advance if bar else None)
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


def _preview(paths: list[str], json_out: bool, **options) -> None:
    """Read the files, show how, write nothing (no project is opened)."""
    from gtcode.ingest.importer import ImportSettings
    from gtcode.ingest.preview import preview_files

    previews = preview_files(paths, ImportSettings.from_options(**options))
    if json_out:
        print_json([p.to_dict() for p in previews])
    else:
        render_preview(previews)
    if any(not p.ok for p in previews):
        raise typer.Exit(1)

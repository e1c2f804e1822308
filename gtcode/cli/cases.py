"""Cases and their attributes."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from gtcode.errors import InputError
from gtcode.cli._app import App, open_project
from gtcode.cli.options import Json
from gtcode.cli.output import err, print_json, print_table, table
from gtcode.text import plural

cases_app = App(help="Cases (participants) and their attributes: role, site, age band…; rename or delete them.")


def register(app: App) -> None:
    app.add_typer(cases_app, name="cases", rich_help_panel="Import")


@cases_app.command("import")
def cases_import(
    path: Annotated[Path, typer.Argument(help="CSV with an id column and attribute columns.")],
    id_column: Annotated[Optional[str], typer.Option(
        help="The column of case ids (default: participant/id/case…).")] = None,
) -> None:
    """Import cases and attributes from a CSV; documents whose file name names a case are linked.

    Example: gtcode cases import transcripts/participants.csv
    """
    with open_project() as project:
        result = project.cases.import_file(path, id_column)
    err(f"{plural(result['cases'], 'case')} from column {result['id_column']!r}: {result['created']} new, "
        f"{result['updated']} updated; {plural(len(result['linked']), 'document')} linked.")


@cases_app.command("set")
def cases_set(
    case: Annotated[str, typer.Argument(help="Case id, e.g. P01 (created if new).")],
    values: Annotated[Optional[list[str]], typer.Argument(
        help='ATTRIBUTE=VALUE pairs; ATTRIBUTE= removes one.')] = None,
) -> None:
    """Set attributes of a case (created if new); ATTRIBUTE= removes one.

    Example: gtcode cases set P01 role=mother site="Trust A"
    """
    attrs = {}
    for item in values or []:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise InputError(f"{item!r}: expected ATTRIBUTE=VALUE, e.g. role=mother")
        attrs[key.strip()] = value
    with open_project() as project:
        changes = project.cases.set(case, attrs)
    err(f"Case {case}: " + (", ".join(f"{k}={v['after'] or '(removed)'}" for k, v in changes.items()) or "no change"))


@cases_app.command("link")
def cases_link(
    document: Annotated[str, typer.Argument(help="D3, 3 or the document's name.")],
    case: Annotated[Optional[str], typer.Argument(help="The case (created if new); leave out to unlink.")] = None,
) -> None:
    """Link a document to a case, or unlink it.

    Example: gtcode cases link D3 P03
    """
    with open_project() as project:
        project.docs.link(document, case)
    err(f"{document} → {case or '(no case)'}")


@cases_app.command("rename")
def cases_rename(
    case: Annotated[str, typer.Argument(help="The case, e.g. P01.")],
    new_name: Annotated[str, typer.Argument(help="Its new name (not another case's: cases are not merged).")],
) -> None:
    """Rename a case; its documents and attributes stay with it (undo renames it back).

    Example: gtcode cases rename P1 P01
    """
    with open_project() as project:
        done = project.cases.rename(case, new_name)
    err(f"Renamed case {done.before} to {done.after}" if done.changed else f"Case {done.after}: no change")


@cases_app.command("delete")
def cases_delete(
    case: Annotated[str, typer.Argument(help="The case, e.g. P01.")],
    force: Annotated[bool, typer.Option("--force", help="Unlink its documents (they stay) and delete it.")] = False,
) -> None:
    """Delete a case and its attributes; refuses, listing them, while documents are linked to it unless --force
    (undo restores it and the links).

    Example: gtcode cases delete P99 --force
    """
    with open_project() as project:
        done = project.cases.delete(case, force)
    err(f"Deleted case {done.case}" + (f", unlinking {', '.join(done.unlinked)}" if done.unlinked else "")
        + "; 'gtcode undo' restores it")


@cases_app.command("list")
def cases_list(json_out: Json = False) -> None:
    """List cases with their attributes and documents.

    Example: gtcode cases list --json
    """
    with open_project() as project:
        cases = project.cases.list()
    if json_out:
        print_json([c.to_dict() for c in cases])
        return
    if not cases:
        err("No cases yet: 'gtcode cases import participants.csv' or 'gtcode cases set P01 role=mother'.")
        return
    # Attributes as one wrapped column: a study may have a dozen, and terminals are 80 wide.
    t = table(("Case", {"no_wrap": True}), ("Documents", {"no_wrap": True}), ("Attributes", {"ratio": 1}))
    for c in cases:
        t.add_row(c.name, ", ".join(c.documents) or "-", "; ".join(f"{k}={v}" for k, v in c.attributes.items()))
    print_table(t)

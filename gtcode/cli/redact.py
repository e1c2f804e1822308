"""Confidentiality: check what names and identifiers are stored, and pseudonymise them."""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from gtcode.cli._app import App, open_project
from gtcode.cli.options import Json
from gtcode.cli.output import err, out_console, print_json, table
from gtcode.errors import InputError
from gtcode.text import plural

redact_app = App(help="Confidentiality: find names and identifiers in the project, and pseudonymise them.")

KEY_HELP = ("CSV key file kept outside the project: a header row such as 'real,pseudonym', then one name per row; "
            "'#' lines are comments.")
NO_DETECTORS_HELP = ("Only the key's names: no e-mail, phone, postcode, NHS number or date-of-birth detectors.")


def register(app: App) -> None:
    app.add_typer(redact_app, name="redact", rich_help_panel="Import")


def _check_key(key: Optional[str], no_detectors: bool) -> None:
    """Something to look for, and a key that reads, before the project is opened."""
    from gtcode.redact import Pseudonymiser

    if key is None and no_detectors:
        raise InputError("nothing to look for: give --key KEY.csv, or leave the detectors on")
    Pseudonymiser.from_key(key, detectors=not no_detectors)


@redact_app.command("check")
def redact_check(
    key: Annotated[Optional[str], typer.Option("--key", help=KEY_HELP)] = None,
    no_detectors: Annotated[bool, typer.Option("--no-detectors", help=NO_DETECTORS_HELP)] = False,
    json_out: Json = False,
) -> None:
    """List names from the key, e-mails, phone numbers, postcodes, NHS numbers and dates of birth still stored.

    Looks in documents (by segment), document names, memos, comments, codes, cases and the audit log.

    Exits 1 if anything is found and 0 if the project is clean, so scripts can use it as a gate.

    Example: gtcode redact check --key ../private/key.csv
    """
    _check_key(key, no_detectors)
    with open_project() as project:
        hits = project.redact.check(key, detectors=not no_detectors)
    if json_out:
        print_json({"found": len(hits), "hits": [h.to_dict() for h in hits]})
    elif hits:
        from rich.text import Text

        t = table("Where", "Kind", "Found", "Context")
        for h in hits:
            t.add_row(Text(h.place), Text(h.kind), Text(h.text), Text(h.context))
        out_console().print(t)
    if not hits:
        err("Nothing found: no names from the key" + ("" if no_detectors else " and no identifiers the detectors know")
            + ".")
        return
    from collections import Counter

    kinds = Counter(h.kind for h in hits)
    logged = sum(1 for h in hits if not h.fixable)
    err(f"Found {len(hits)}: " + ", ".join(f"{k} {n}" for k, n in sorted(kinds.items()))
        + (f"; {logged} in the audit log, which is append-only and cannot be changed" if logged else "")
        + (". 'gtcode redact apply KEY.csv' replaces the rest." if len(hits) > logged else "."))
    raise typer.Exit(1)


@redact_app.command("apply")
def redact_apply(
    key: Annotated[str, typer.Argument(help=KEY_HELP)],
    no_detectors: Annotated[bool, typer.Option("--no-detectors", help=NO_DETECTORS_HELP)] = False,
    json_out: Json = False,
) -> None:
    """Pseudonymise documents already in the project; every coding stays on the same words.

    Also replaces in memos (every version), comments, codes, cases and relation notes, in one transaction.

    It cannot be undone: the real text is kept nowhere. The key file is read, never stored.

    Check first with 'gtcode redact check --key KEY.csv'.

    Example: gtcode redact apply ../private/key.csv
    """
    _check_key(key, no_detectors)
    with open_project() as project:
        report = project.redact.apply(key, detectors=not no_detectors)
    if json_out:
        print_json(report.to_dict())
    if not report.documents and not report.other:
        err("Nothing to replace: the project holds none of the key's names or the detectors' identifiers.")
    else:
        kinds = ", ".join(f"{k} {n}" for k, n in sorted(report.replacements.items()))
        err(f"Pseudonymised {plural(report.documents, 'document')}" + (f" ({kinds})" if kinds else "")
            + f"; {plural(report.passages_moved, 'coding')} and other passages moved to stay on the same words.")
        if report.other:
            err("Also replaced in: " + ", ".join(f"{t.replace('_', ' ')} {n}" for t, n in sorted(report.other.items()))
                + ".")
    if not report.compacted:
        err("Warning: could not compact the project file (is another gtcode using it?); old pages may still hold "
            "the replaced text. Run this command again when the project is free.", style="yellow")
    if report.audit_events:
        err(f"Warning: {plural(len(report.audit_events), 'audit-log event')} still "
            f"{'holds' if len(report.audit_events) == 1 else 'hold'} names or identifiers "
            "(the log is append-only); 'gtcode redact check' lists them. Pseudonymise at import "
            "(gtcode import --pseudonymise KEY.csv) to keep them out.", style="yellow")

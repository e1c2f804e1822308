"""Team work: inter-coder agreement, the disagreements behind it, and settling them."""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from gtcode.cli._app import App, default_command, open_project
from gtcode.cli.options import Json, Where, split_commas
from gtcode.cli.output import err, out_console, print_json, table
from gtcode.text import plural

PANEL = "Team and exchange"


agreement_app = App(cls=default_command("show"), no_args_is_help=False,
                    help="Inter-coder agreement: percent agreement, Cohen's kappa, Krippendorff's alpha; "
                         "disagreements side by side; settle them.\n\n"
                         "Example: gtcode agreement --coders ana,ben  ·  "
                         "gtcode agreement --disagreements 'Being filmed'"
                         "  ·  gtcode agreement settle D3:17 'Being filmed' --keep")


def register(app: App) -> None:
    app.add_typer(agreement_app, name="agreement", rich_help_panel=PANEL)


CodersOpt = Annotated[Optional[list[str]], typer.Option(
    "--coders", help="Coders to compare, comma-separated or repeated (default: everyone with confirmed codings).")]
UnitOpt = Annotated[str, typer.Option("--unit", help="What is compared: segment, turn or document.")]


def _fmt(x: float | None, pct: bool = False) -> str:
    if x is None:
        return "n/a"
    return f"{x:.1%}" if pct else f"{x:.3f}"


@agreement_app.command("show")
def agreement_show(
    coders: CodersOpt = None,
    codes: Annotated[Optional[list[str]], typer.Option(
        "--codes", help="Only these codes, comma-separated or repeated (default: every code the coders used).")] = None,
    unit: UnitOpt = "segment",
    where: Where = None,
    disagreements: Annotated[Optional[str], typer.Option(
        "--disagreements", metavar="CODE", help="List the units where coders differ on CODE, side by side.")] = None,
    pending: Annotated[Optional[list[str]], typer.Option(
        "--pending", metavar="CODER", help="Count this coder's pending codings too, e.g. gtcode-suggest: how well "
        "the suggestions agree with you, before anyone reviews them.")] = None,
    json_out: Json = False,
) -> None:
    """Agreement per code and overall. A coder's units in documents they coded nothing in count as missing.

    Only confirmed codings count (review autocoded suggestions first), unless --pending names a coder.

    Example: gtcode agreement --coders "Hannah Reid,gtcode-suggest" --pending gtcode-suggest
    """
    with open_project() as project:
        if disagreements:
            names, items = project.team.disagreements(disagreements, coders=split_commas(coders), unit=unit,
                                                      where=where)
            code = project.codes.get(disagreements).path
        else:
            report = project.team.agreement(coders=split_commas(coders), codes=split_commas(codes), unit=unit,
                                            where=where, pending_of=split_commas(pending))
    if disagreements:
        _render_disagreements(code, names, items, unit, json_out)
        return
    if json_out:
        print_json(report.to_dict())
        return
    _render_report(report)


def _render_report(report) -> None:
    console = out_console()
    seen = ", ".join(f"{c} {n}" for c, n in report.documents_by_coder.items())
    console.print(f"Unit: {report.unit} · coders: {', '.join(report.coders)} · "
                  f"{plural(report.documents, 'document')} coded by two or more coders "
                  f"({report.units:,} {report.unit}s) · "
                  f"documents coded: {seen}")
    if not report.codes:
        err("No codes to compare: the coders made no confirmed codings in shared documents.")
        return
    right = {"justify": "right"}
    figures = ("Units", "Agree", "Kappa" if len(report.coders) == 2 else None, "Alpha")
    t = table("Code", *((c, right) for c in report.coders), *((col, right) for col in figures if col))

    def row(name, f, style=None):
        cells = [name, *(str(f.coded_by[c]) for c in report.coders), f"{f.units:,}", _fmt(f.percent, True)]
        if len(report.coders) == 2:
            cells.append(_fmt(f.kappa))
        cells.append(_fmt(f.alpha))
        t.add_row(*cells, style=style)

    for ca in report.codes:
        row(ca.code, ca.figures)
    if report.overall:
        t.add_section()
        row("All codes (pooled)", report.overall, style="bold")
    console.print(t)
    err(f"Coder columns: {report.unit}s each coder marked with the code. Units: {report.unit}s coded by two or more "
        "coders. Alpha: Krippendorff's (nominal)"
        + (", kappa: Cohen's" if len(report.coders) == 2 else "") + "; n/a where undefined (no variation).")


def _render_disagreements(code: str, coders: list[str], items, unit: str, json_out: bool) -> None:
    if json_out:
        print_json({"code": code, "unit": unit, "coders": coders, "disagreements": [d.to_dict() for d in items]})
        return
    if not items:
        err(f"No disagreements on {code!r}: every {unit} coded by two or more coders agrees.")
        return
    from rich.text import Text

    t = table(("Unit", {"style": "cyan", "no_wrap": True}), ("Text", {"ratio": 3}),
              *((c, {"ratio": 1}) for c in coders), show_lines=True)
    for d in items:
        cells = []
        for c in coders:
            v = d.values[c]
            if v is None:
                cells.append(Text("— not coded", style="dim"))
            elif v:
                partial = [f"“{w}”" for w in d.words[c] if w != d.text]  # only part of the unit was coded
                cells.append(Text("✓ " + " … ".join(partial) if partial else "✓", style="green"))
            else:
                cells.append(Text("·", style="dim"))
        label = d.address + (f"\n{d.speaker}" if d.speaker else "")
        t.add_row(label, d.text, *cells)
    out_console().print(t)
    err(f"{plural(len(items), unit)} where coders differ on {code!r}. Settle each: "
        f"gtcode agreement settle ADDRESS {code!r} --keep|--drop")


@agreement_app.command("settle")
def agreement_settle(
    address: Annotated[str, typer.Argument(help="The unit: a segment D3:17, or a range D3:17-21.")],
    code: Annotated[str, typer.Argument(help="The code in dispute.")],
    keep: Annotated[bool, typer.Option("--keep", help="The code applies: add it for every coder who coded "
                                       "the document.")] = False,
    drop: Annotated[bool, typer.Option("--drop", help="The code does not apply: take it off for every coder.")] = False,
    coders: CodersOpt = None,
) -> None:
    """Record the team's decision on a disputed unit, as a coding change in the audit log (undo reverses it)."""
    if keep == drop:
        err("Error: say --keep or --drop (one of them).", style="red")
        raise typer.Exit(2)
    with open_project() as project:
        result = project.team.settle(address, code, keep=keep, coders=split_commas(coders))
    changed = ", ".join(f"{k} ({v})" for k, v in result["changed"].items()) or "no coder's set needed a change"
    err(f"Settled {result['address']} {result['code']!r}: {result['decision']}; changed: {changed}.")

"""Options several commands share, declared once with one help text: use them as parameter types.

    def retrieve(code: str, where: Where = None, json_out: Json = False) -> None: ...
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from gtcode.errors import InputError

Json = Annotated[bool, typer.Option("--json", help="As JSON (data only, on stdout).")]
Csv = Annotated[bool, typer.Option("--csv", help="As CSV (data only): to stdout, or to -o FILE.")]
Where = Annotated[Optional[list[str]], typer.Option(
    help="Only documents whose case matches: role=mother, site!=Trust B, role=mother,practitioner (repeatable).")]
By = Annotated[Optional[str], typer.Option("--by", help="Only this person's work (the global --coder says who "
                                                       "you are).")]
#: The old name of --by, hidden: `gtcode audit --coder NAME` still filters, with a note to use --by.
OldCoder = Annotated[Optional[str], typer.Option("--coder", hidden=True)]
Output = Annotated[Optional[Path], typer.Option(
    "--output", "-o", help="Write to this file (default: stdout; docx needs a file).")]
DataOutput = Annotated[Optional[Path], typer.Option(
    "--output", "-o", help="Write the CSV or JSON to this file (.csv or .json says which).")]
DryRun = Annotated[bool, typer.Option("--dry-run", help="Show what would change; change nothing.")]
Pending = Annotated[bool, typer.Option("--pending", help="Include autocoded codings not yet reviewed.")]
CodeFilter = Annotated[Optional[str], typer.Option(help="Only this code and its children.")]


def output_file(help: str):
    """`-o/--output FILE` for commands that always write a file, with what the file is in `help`."""
    return typer.Option("--output", "-o", help=help)


def check_output_path(output: Path, example: str | None = None) -> None:
    """-o FILE must name a file in a folder that exists: checked before any work is done."""
    if output.is_dir():
        raise InputError(f"-o {output}: is a folder; name a file" + (f", e.g. {output / example}" if example else ""))
    if not output.parent.is_dir():
        raise InputError(f"-o {output}: folder {output.parent} does not exist")


def by_name(by: str | None, old: str | None, command: str) -> str | None:
    """--by, or the deprecated --coder filter with a note saying so."""
    if old is not None:
        from gtcode.cli.output import err

        err(f"Note: `gtcode {command} --coder NAME` is now `--by NAME` (the global --coder says who you are).",
            style="yellow")
    return by if by is not None else old


def split_commas(values: list[str] | str | None) -> list[str] | None:
    """`--coders ana,ben --coders cy` → ['ana', 'ben', 'cy']; nothing given → None."""
    if not values:
        return None
    items = [values] if isinstance(values, str) else values
    return [v.strip() for item in items for v in item.split(",") if v.strip()]

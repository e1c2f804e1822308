"""REFI-QDA exchange: projects (.qdpx) and codebooks (.qdc) to and from other QDA tools.

    from gtcode.exchange import export_qdpx, import_exchange_file
    report = export_qdpx(project, "study.qdpx")      # what could not travel is in report.losses
    report = import_exchange_file(project, "from-nvivo.qdpx", dry_run=True)

Each function takes a `Project` first; heavy modules (lxml, spaCy) load only when called.
"""

from __future__ import annotations

import os
from pathlib import Path

from gtcode.exchange.common import ExchangeReport

#: File suffixes this package imports.
SUFFIXES = (".qdpx", ".qde", ".qdc")

__all__ = ["ExchangeReport", "SUFFIXES", "export_qdpx", "import_qdpx", "export_qdc", "import_qdc",
           "import_exchange_file", "validate"]


def export_qdpx(project, path: str | os.PathLike, schema: str | os.PathLike | None = None) -> ExchangeReport:
    """Write the whole project as a .qdpx; the report lists what REFI-QDA could not carry.
    With `schema` (an XSD path) nothing is written unless project.qde validates against it."""
    from gtcode.exchange.qdpx_export import export_qdpx as run
    return run(project, path, schema)


def import_qdpx(project, path: str | os.PathLike, *, dry_run: bool = False, positions: str | None = None,
                interviewer=None, nlp: str | None = None) -> ExchangeReport:
    """Import a .qdpx (or bare .qde) in one transaction. `positions`: codepoint, utf16 or codepoint-lf
    overrides the units guessed from the producing tool."""
    from gtcode.exchange.qdpx_import import import_qdpx as run
    return run(project, path, dry_run=dry_run, positions=positions, interviewer=interviewer, nlp=nlp)


def export_qdc(project, code: str | None = None) -> bytes:
    """The codebook (or one code's subtree) as REFI-QDA codebook XML."""
    from gtcode.exchange.qdc import export_qdc as run
    return run(project, code)


def import_qdc(project, path: str | os.PathLike, dry_run: bool = False) -> ExchangeReport:
    """Add or update codes from a .qdc codebook; never deletes."""
    from gtcode.exchange.qdc import import_qdc as run
    return run(project, path, dry_run)


def import_exchange_file(project, path: str | os.PathLike, dry_run: bool = False, **options) -> ExchangeReport:
    """Import a .qdpx, .qde or .qdc by its suffix (what `gtcode import` and `codebook import` call)."""
    suffix = Path(path).suffix.lower()
    if suffix == ".qdc":
        return import_qdc(project, path, dry_run)
    return import_qdpx(project, path, dry_run=dry_run, **options)


def validate(xml: bytes, schema: str | os.PathLike) -> list[str]:
    """Schema errors of a project.qde or .qdc against an XSD file (empty: valid)."""
    from lxml import etree

    from gtcode.errors import InputError

    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    try:
        xsd = etree.XMLSchema(etree.parse(str(schema), parser))
    except (OSError, etree.XMLSyntaxError, etree.XMLSchemaParseError) as exc:
        raise InputError(f"{schema}: not a readable XML Schema ({exc})") from None
    doc = etree.fromstring(xml, parser)
    if xsd.validate(doc):
        return []
    return [f"line {e.line}: {e.message}" for e in xsd.error_log]

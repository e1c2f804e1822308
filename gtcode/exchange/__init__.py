"""Exchange with other tools: REFI-QDA projects (.qdpx) and codebooks (.qdc) to and from other QDA tools, and
codings and the code × case matrix as tables for R and pandas.

    from gtcode.exchange import export_qdpx, import_exchange_file
    report = export_qdpx(project, "study.qdpx", target="nvivo")   # positions as NVivo counts them;
                                                                  # what could not travel is in report.losses
    report = import_exchange_file(project, "from-nvivo.qdpx", dry_run=True)

Each entry point takes a `Project` first; heavy libraries (lxml, spaCy) load only when called.
"""

from __future__ import annotations

import os
from pathlib import Path

from gtcode.exchange.common import ExchangeReport, validate
from gtcode.exchange.qdc import export_qdc, import_qdc
from gtcode.exchange.qdpx_export import export_qdpx
from gtcode.exchange.qdpx_import import import_qdpx
from gtcode.exchange.tabular import code_case_matrix, coding_rows, export_codings, export_matrix

#: File suffixes this package imports.
SUFFIXES = (".qdpx", ".qde", ".qdc")

__all__ = ["ExchangeReport", "SUFFIXES", "export_qdpx", "import_qdpx", "export_qdc", "import_qdc",
           "import_exchange_file", "validate", "coding_rows", "export_codings", "code_case_matrix", "export_matrix"]


def import_exchange_file(project, path: str | os.PathLike, dry_run: bool = False, **options) -> ExchangeReport:
    """Import a .qdpx, .qde or .qdc by its suffix (what `gtcode import` and `codebook import` call)."""
    if Path(path).suffix.lower() == ".qdc":
        return import_qdc(project, path, dry_run)
    return import_qdpx(project, path, dry_run=dry_run, **options)

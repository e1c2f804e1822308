"""Codebooks: the code tree as a plain-text YAML file a team can keep in git.

    codes:
      - name: Practical barriers
        description: Tiredness, energy, travel, time.
        patterns: ["energy", "out of bed"]
        codes:                      # children, optional
          - name: Exhaustion

Import adds codes or updates the fields the file gives, matched by path; it
never deletes. A malformed file is refused whole, with its line number.
Export writes YAML (which re-imports to the same tree), CSV or Markdown.
"""

from gtcode.codebook.export import FORMATS, codebook_tree, export_codebook, pattern_text
from gtcode.codebook.importing import (CodebookImportReport, ImportedCode, import_codebook, import_codebook_file,
                                       plan_import)
from gtcode.codebook.read import CODE_FIELDS, TEXT_FIELDS, Codebook, Entry, parse_codebook, read_codebook

__all__ = ["CODE_FIELDS", "FORMATS", "TEXT_FIELDS", "Codebook", "CodebookImportReport", "Entry", "ImportedCode",
           "codebook_tree", "export_codebook", "import_codebook", "import_codebook_file", "parse_codebook",
           "pattern_text", "plan_import", "read_codebook"]

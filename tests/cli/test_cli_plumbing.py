"""The CLI's shared plumbing: settings per command line, shared options, output helpers, the format registry."""

from __future__ import annotations

import json

import pytest

from gtcode.address import is_address, split_addresses
from gtcode.cli._app import Settings, settings
from gtcode.cli.options import split_commas
from gtcode.cli.output import plural, where_phrase
from gtcode.errors import InputError

from tests.conftest import invoke

INTERVIEW = "Interviewer: How did the filming go?\n\nP01: I was nervous at first. Then I saw her smile at me.\n"


def test_global_options_last_one_command_line(tmp_path):
    # --coder on one invocation must not carry over to the next (no global state between runs).
    invoke(None, "init", "study")
    (tmp_path / "P01.txt").write_text(INTERVIEW, encoding="utf-8")
    invoke("study", "--coder", "Ana", "import", "P01.txt")
    invoke("study", "codes", "add", "Nervous")
    from gtcode import Project

    with Project.open(tmp_path / "study") as p:
        events = p.history.events()
    assert events[0]["command"] == "gtcode --project study codes add Nervous"
    assert events[0]["coder"] != "Ana"
    assert settings() == Settings()   # outside a command: the defaults


def test_every_json_option_prints_data_only(tmp_path):
    invoke(None, "init", "study")
    (tmp_path / "P01.txt").write_text(INTERVIEW, encoding="utf-8")
    invoke("study", "import", "P01.txt")
    for args in (["docs", "list"], ["stats"], ["codes", "list"], ["memo", "list"], ["cases", "list"]):
        result = invoke("study", *args, "--json")
        json.loads(result.stdout)


def test_codebook_export_formats_and_aliases(tmp_path):
    invoke(None, "init", "study")
    invoke("study", "codes", "add", "Barriers")
    invoke("study", "codes", "add", "Barriers/Fear of judgement")
    yml = invoke("study", "codebook", "export", "-f", "YML").stdout
    assert "Fear of judgement" in yml and yml == invoke("study", "codebook", "export").stdout
    assert invoke("study", "codebook", "export", "-f", "markdown").stdout.startswith("#")
    qdc = invoke("study", "codebook", "export", "-f", "qdc", "-o", "book.qdc", ok=False)
    assert qdc.exit_code == 0 and (tmp_path / "book.qdc").read_bytes().startswith(b"<?xml")
    bad = invoke("study", "codebook", "export", "-f", "pdf", ok=False)
    assert bad.exit_code == 1 and "expected one of yaml, csv, md (or qdc, docx)" in bad.stderr
    docx = invoke("study", "codebook", "export", "-f", "docx", ok=False)
    assert docx.exit_code == 1 and "name it with -o codebook.docx" in docx.stderr


def test_codebook_format_registry():
    from gtcode.exchange.dispatch import CODEBOOK_FORMATS, codebook_format

    assert codebook_format(".YAML").name == "yaml" and codebook_format("yml") is CODEBOOK_FORMATS["yaml"]
    with pytest.raises(InputError):
        codebook_format("docx")   # a Word file needs -o


def test_addresses_and_comma_lists():
    assert is_address("D3:17") and is_address("P01: 4, 9-12") and not is_address("Fear of judgement")
    assert not is_address(":17") and not is_address("Barriers: fear")
    assert split_addresses("D3:17,D5:4-6") == ["D3:17", "D5:4-6"]
    assert split_addresses("D3:4,9,D5:1") == ["D3:4,9", "D5:1"]
    assert split_commas(["ana,ben", " cy "]) == ["ana", "ben", "cy"] and split_commas(None) is None


def test_output_words():
    assert plural(1, "code") == "1 code" and plural(1204, "code") == "1,204 codes"
    assert plural(2, "category", "categories") == "2 categories"
    assert where_phrase(["role=mother", "site=A"]) == " where role=mother and site=A" and where_phrase(None) == ""

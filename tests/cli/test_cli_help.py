"""Help that reads like git's or uv's: no Python types or braces, flags without a value, docstrings re-flowed."""

from __future__ import annotations

import typer.main

from gtcode.cli import app
from tests.conftest import invoke


def _command_paths() -> list[list[str]]:
    """Every command and subcommand, as the words that name it."""
    root = typer.main.get_command(app)
    ctx = root.make_context("gtcode", ["--help"], resilient_parsing=True)
    paths = []

    def walk(group, prefix):
        for name in group.list_commands(ctx):
            cmd = group.get_command(ctx, name)
            paths.append([*prefix, name])
            if hasattr(cmd, "list_commands"):
                walk(cmd, [*prefix, name])

    walk(root, [])
    return paths


def test_no_help_shows_python_types_braces_or_a_value_for_a_flag():
    paths = _command_paths()
    assert len(paths) > 60
    for words in [[], *paths]:
        text = invoke(None, *words, "--help").output
        for bad in ("<bool>", "<str>", "<int>", "<list[", "<Path>", "{"):
            assert bad not in text, f"gtcode {' '.join(words)} --help shows {bad!r}:\n{text}"


def test_arguments_are_named_and_paragraphs_flow():
    text = invoke(None, "import", "--help").output
    assert "Usage: gtcode import [OPTIONS] PATHS..." in text
    lines = [line.strip(" │") for line in text.splitlines()]
    assert not any(line.endswith("texts,") for line in lines)        # the docstring's hard break is gone
    assert "│ --replace  " in text and "--replace                <" not in text


def test_reflow_keeps_examples_and_lists_on_their_own_lines():
    from gtcode.cli._app import reflow

    text = "One sentence\nwrapped by hand.\n\nExample: gtcode a\nExample: gtcode b\n\n- one\n- two"
    assert reflow(text) == "One sentence wrapped by hand.\n\nExample: gtcode a\nExample: gtcode b\n\n- one\n- two"


def test_a_reader_that_goes_away_stops_gtcode_quietly(tmp_path):
    """`gtcode config list | head -1`: no 'unexpected BrokenPipeError', no traceback."""
    import subprocess
    import sys

    proc = subprocess.Popen([sys.executable, "-c", "from gtcode.cli import main; main()", "config", "list"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    proc.stdout.close()                       # the reader is gone before gtcode writes a line
    stderr = proc.stderr.read().decode()
    proc.wait(timeout=60)
    assert "unexpected" not in stderr and "Traceback" not in stderr and "BrokenPipe" not in stderr, stderr
    assert proc.returncode in (0, 141)


def test_the_command_list_shows_each_summary_as_one_flowing_paragraph():
    text = invoke(None, "--help").output
    lines = [line.strip(" │") for line in text.splitlines()]
    assert not any(line.endswith(("memos, comments,", "a merge, a redaction,")) for line in lines), text

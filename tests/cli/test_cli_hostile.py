"""The hostile-input suite: every crafted input runs as a real `gtcode` process, and must end with its documented
exit code, one `Error:` line naming the file, no traceback, nothing "unexpected", the project byte-unchanged and a
peak memory (RSS, measured from outside the process) under 500 MB.

The slowest cases (gigabyte bombs, a 10 MB line, a 100 MB CSV cell) are marked `slow`; `make test` runs them.
"""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import invoke
from tests.hostile import (GIB_OF_SPACES, LAUGHS, XXE, copy_project, damage, docx_bomb, odt_bomb, qdc, qde,
                           truncate, write_zip, yaml_alias_bomb, yaml_deep_codes, yaml_deep_lists)

MAX_RSS_MB = 500
REPO = Path(__file__).resolve().parent.parent.parent

# Runs gtcode as a child and reports its peak RSS: RUSAGE_CHILDREN of this small wrapper is that one child's.
# An address-space limit well above the cap keeps a regression from taking the machine down.
_MEASURE = """
import json, resource, subprocess, sys, time
def limit():
    resource.setrlimit(resource.RLIMIT_AS, (6 * 1024 ** 3, 6 * 1024 ** 3))
t = time.monotonic()
done = subprocess.run(sys.argv[1:], capture_output=True, preexec_fn=limit)
print(json.dumps({"rc": done.returncode, "out": done.stdout.decode("utf-8", "replace"),
                  "err": done.stderr.decode("utf-8", "replace"), "seconds": round(time.monotonic() - t, 2),
                  "rss_mb": round(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024)}))
"""


def run_measured(cwd: Path, *args) -> dict:
    done = subprocess.run([sys.executable, "-c", _MEASURE, sys.executable, "-m", "gtcode", *map(str, args)],
                          capture_output=True, cwd=cwd, env=os.environ | {"COLUMNS": "120", "NO_COLOR": "1"},
                          check=True)
    result = json.loads(done.stdout)
    print(f"gtcode {' '.join(map(str, args))[:80]}: exit {result['rc']}, {result['rss_mb']} MB, {result['seconds']} s")
    return result


def state(db: Path) -> tuple[bytes, int]:
    wal = db.with_name(db.name + "-wal")
    return db.read_bytes(), wal.stat().st_size if wal.exists() else 0


def assert_refused(result: dict, code: int, names: str) -> None:
    """The documented exit code, one Error line naming the file, no traceback, nothing unexpected, under the cap."""
    errors = [line for line in result["err"].splitlines() if line.startswith("Error:")]
    assert result["rc"] == code, result["err"]
    assert len(errors) == 1 and names in errors[0], result["err"]
    assert "Traceback" not in result["err"] + result["out"] and "unexpected" not in result["err"]
    assert result["rss_mb"] < MAX_RSS_MB, f"peak RSS {result['rss_mb']} MB"


# --- crafted files, each refused with nothing changed ----------------------------------------------------------------

def _qdpx_bomb(tmp):
    return write_zip(tmp / "bomb.qdpx", {"project.qde": GIB_OF_SPACES})


CASES = {
    "qdpx zip bomb (1 GiB)": (_qdpx_bomb, ["import"], "bomb.qdpx"),
    "qdpx XXE": (lambda t: write_zip(t / "xxe.qdpx", {"project.qde": qde(XXE)}), ["import"], "xxe.qdpx"),
    "qdpx billion laughs": (lambda t: write_zip(t / "lol.qdpx", {"project.qde": qde(LAUGHS, "<Description>&l9;"
                                                                                      "</Description>")}),
                            ["import"], "lol.qdpx"),
    "qdc XXE": (lambda t: _write(t / "xxe.qdc", qdc(XXE, "&xxe;")), ["codebook", "import"], "xxe.qdc"),
    "qdc billion laughs": (lambda t: _write(t / "lol.qdc", qdc(LAUGHS, "&l9;")), ["codebook", "import"], "lol.qdc"),
    "YAML alias bomb": (lambda t: _write(t / "alias.yml", yaml_alias_bomb()), ["codebook", "import"], "alias.yml"),
    "YAML 10,000-deep lists": (lambda t: _write(t / "deep.yml", yaml_deep_lists()), ["codebook", "import"],
                               "deep.yml"),
    "YAML 10,000-deep codes": (lambda t: _write(t / "codes.yml", yaml_deep_codes()), ["codebook", "import"],
                               "codes.yml"),
}


def _write(path: Path, data) -> Path:
    (path.write_bytes if isinstance(data, bytes) else path.write_text)(data)
    return path


@pytest.mark.parametrize("case", list(CASES))
def test_crafted_file_is_refused_in_bounded_memory(case, proj, tmp_path):
    build, command, name = CASES[case]
    path = build(tmp_path)
    before = state(proj)
    result = run_measured(tmp_path, "-p", proj, *command, path)
    assert_refused(result, 1, name)
    assert state(proj) == before


@pytest.mark.slow
@pytest.mark.parametrize("kind, build", [("docx", docx_bomb), ("odt", odt_bomb)])
def test_word_and_opendocument_zip_bombs_are_refused(kind, build, proj, tmp_path):
    path = build(tmp_path / f"bomb.{kind}")
    before = state(proj)
    result = run_measured(tmp_path, "-p", proj, "import", path)
    assert_refused(result, 1, f"bomb.{kind}")
    assert "Import: 0 imported" in result["err"]
    assert state(proj) == before


@pytest.mark.slow
def test_a_100_mb_csv_cell_is_refused_in_bounded_memory(proj, tmp_path):
    cell = tmp_path / "participants.csv"
    with cell.open("w") as fh:
        fh.write("id,role\nP01,")
        for _ in range(100):
            fh.write("x" * 1_000_000)
        fh.write("\n")
    before = state(proj)
    result = run_measured(tmp_path, "-p", proj, "cases", "import", cell)
    assert_refused(result, 1, "participants.csv")
    assert state(proj) == before


@pytest.mark.slow
def test_a_10_mb_line_imports_and_the_rest_of_the_batch_lands(proj, tmp_path):
    long = tmp_path / "monologue.txt"
    long.write_text(" ".join(f"word{i % 1000}" for i in range(1_250_000)) + "\n")    # ~10 MB, no punctuation
    (tmp_path / "short.txt").write_text("Interviewer: How was it?\nP09: Fine. (laughter) Really fine.\n")
    (tmp_path / "empty.txt").write_text("")
    result = run_measured(tmp_path, "-p", proj, "import", long, tmp_path / "short.txt", tmp_path / "empty.txt")
    assert result["rc"] == 1 and "2 imported" in result["err"] and "1 failed" in result["err"], result["err"]
    assert "unexpected" not in result["err"] and result["rss_mb"] < MAX_RSS_MB
    from gtcode import Project

    with Project.open(proj) as p:
        docs = {d.name: d for d in p.docs.list()}
        assert docs["monologue"].segments >= 90 and docs["short"].segments >= 2


def test_a_name_with_a_newline_stays_on_one_line(proj, tmp_path):
    odd = tmp_path / "bad\nname.txt"
    odd.write_text("")
    result = run_measured(tmp_path, "-p", proj, "import", odd)
    assert_refused(result, 1, "bad\\nname.txt")


# --- damaged project files -------------------------------------------------------------------------------------------

@pytest.mark.parametrize("command", [["code", "D1:1", "Anything"], ["memo", "new", "--title", "x", "--body", "y"]])
def test_a_write_to_a_damaged_project_is_refused(command, proj, tmp_path):
    damage(proj)
    before = state(proj)
    result = run_measured(tmp_path, "-p", proj, *command)
    assert_refused(result, 2, "gtcode.db is damaged")
    assert "restore from a backup; `gtcode doctor` explains" in result["err"]
    assert state(proj) == before


@pytest.mark.parametrize("command", [["stats"], ["search", "film"], ["docs", "list"]])
def test_a_truncated_project_names_the_file_and_the_remedy(command, proj, tmp_path):
    truncate(proj)
    before = state(proj)
    result = run_measured(tmp_path, "-p", proj, *command)
    assert_refused(result, 2, "gtcode.db is damaged")
    assert state(proj) == before


def test_merging_a_damaged_copy_is_refused(pristine, proj, tmp_path):
    theirs = damage(copy_project(pristine, tmp_path / "theirs"))
    before = state(proj)
    result = run_measured(tmp_path, "-p", proj, "merge", theirs)
    assert_refused(result, 2, "theirs/gtcode.db is damaged")
    assert state(proj) == before


# --- special output paths (in process: nothing to measure) ----------------------------------------------------------

@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="no /dev/full on this system")
def test_a_full_device_is_a_one_line_disk_full_error(proj):
    res = invoke(proj, "export", "codings", "-o", "/dev/full", "--format", "csv", ok=False)
    assert res.exit_code == 1 and res.stderr.count("\n") == 1
    assert res.stderr.startswith("Error: /dev/full: cannot write (disk full)")
    assert stat.S_ISCHR(os.stat("/dev/full").st_mode)


def test_devices_are_written_into_never_replaced(proj):
    invoke(proj, "report", "-o", "/dev/null", "--format", "html")
    invoke(proj, "export", "codings", "-o", "/dev/null", "--format", "csv")
    invoke(proj, "export", "qdpx", "/dev/null")
    invoke(proj, "model", "export", "-o", "/dev/null", "--format", "svg")
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)


def test_dash_writes_the_file_to_stdout(proj):
    res = invoke(proj, "export", "codings", "-o", "-", "--format", "csv")
    assert res.stdout.startswith("id,uuid,document,") and "Wrote" not in res.stdout, res.stdout[:200]


@pytest.mark.parametrize("command", [["model", "export", "-o", "out.svg"], ["export", "codings", "-o", "out.csv"],
                                     ["report", "-o", "out.md"], ["codebook", "export", "-o", "out.yml"],
                                     ["saturation", "-o", "out.png"]])
def test_an_existing_folder_as_output_is_one_line(command, proj, tmp_path):
    folder = tmp_path / command[-1]
    folder.mkdir()
    res = invoke(proj, *command[:-1], folder, ok=False)
    assert res.exit_code == 1 and res.stderr.count("\n") == 1 and "is a folder" in res.stderr, res.stderr
    assert "unexpected" not in res.stderr and folder.is_dir()


def test_too_deep_to_follow_is_one_line_never_unexpected(proj, tmp_path):
    """A .qdc nested 240 deep passes the XML parser's own limit (256); whatever then recurses too deep says so."""
    depth = 240
    (tmp_path / "deep.qdc").write_text(
        '<?xml version="1.0"?><CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes>'
        + "".join(f'<Code guid="aaaaaaaa-0000-0000-0000-{i:012d}" name="c{i}" isCodable="true">' for i in range(depth))
        + "</Code>" * depth + "</Codes></CodeBook>")
    invoke(proj, "codebook", "import", tmp_path / "deep.qdc", ok=False)
    for command in (["codebook", "export"], ["codes", "tree"]):
        res = invoke(proj, *command, ok=False)
        assert "unexpected" not in res.stderr and "Traceback" not in res.output
        assert res.exit_code == 0 or (res.exit_code == 1 and res.stderr.count("\n") == 1), res.stderr

"""`gtcode import` with producer layouts: the layout each file was read in, --layout, --preview (writes
nothing), --name, distinct names for files sharing a stem, the clash message, and quoted or front matter
kept out of a participant's words."""

from __future__ import annotations

import json

from tests.conftest import invoke

OTTER = ("Hannah Reid  0:03\nShall we start? How did you hear about VIG?\n\n"
         "Priya Shah  0:21\nThe health visitor mentioned it.\n\n"
         "Hannah Reid  0:40\nWhat made you unsure?\n\n"
         "Priya Shah  0:52\nThe filming, mostly.\n\nTranscribed by https://otter.ai\n")
QUOTED = ("MEL: What did the others say?\n\nANNA: One of them put it well:\n\n> JACKIE: I can fork the toaster.\n>\n"
          "That stuck.\n\nMEL: Thanks.\n\nANNA: No worries.\n")


def test_import_says_which_layout_each_file_is_in(project, tmp_path):
    (tmp_path / "P12.txt").write_text(OTTER, encoding="utf-8")
    result = invoke(project, "import", tmp_path / "P12.txt", "--json")
    [file] = json.loads(result.stdout)["files"]
    assert file["layout"] == "Otter.ai text" and file["status"] == "imported"
    (tmp_path / "P13.txt").write_text(OTTER.replace("mostly", "above all"), encoding="utf-8")
    table = invoke(project, "import", tmp_path / "P13.txt", "--name", "P13 Priya", "--layout", "otter")
    assert "Otter.ai text" in table.stdout and "D2 P13 Priya" in table.stdout


def test_preview_shows_the_reading_and_writes_nothing(project, tmp_path):
    (tmp_path / "P12.txt").write_text(OTTER, encoding="utf-8")
    project.close()
    before = project.path.read_bytes()
    result = invoke(project, "import", "--preview", tmp_path / "P12.txt")
    out = result.stdout
    assert "Otter.ai text" in out and "Hannah Reid (2)" in out and "Priya Shah (2)" in out
    assert "'Hannah Reid' asks the questions" in out and "--interviewer 'Hannah Reid'" in out
    assert "00:00:03–00:00:52" in out and "Front matter (1 lines): Transcribed by https://otter.ai" in out
    [data] = json.loads(invoke(project, "import", "--preview", tmp_path / "P12.txt", "--json",
                               "--interviewer", "Hannah Reid").stdout)
    assert data["interviewer"] == ["Hannah Reid"] and data["speakers"][1] == {
        "speaker": "Priya Shah", "role": "participant", "turns": 2}
    assert project.path.read_bytes() == before


def test_unknown_layout_is_a_clear_error(project, tmp_path):
    (tmp_path / "P12.txt").write_text(OTTER, encoding="utf-8")
    result = invoke(project, "import", tmp_path / "P12.txt", "--layout", "teamz", ok=False)
    assert result.exit_code != 0
    assert "unknown layout" in result.stderr and "otter (Otter.ai text)" in result.stderr
    assert "Traceback" not in result.output


def test_name_is_for_one_file_and_shared_stems_get_distinct_names(project, tmp_path):
    (tmp_path / "example.txt").write_text(OTTER, encoding="utf-8")
    (tmp_path / "example.md").write_text(QUOTED, encoding="utf-8")
    bad = invoke(project, "import", tmp_path / "example.txt", tmp_path / "example.md", "--name", "X", ok=False)
    assert bad.exit_code != 0 and "--name 'X' names one document" in bad.stderr
    result = invoke(project, "import", tmp_path / "example.txt", tmp_path / "example.md")
    assert "share a name" in result.stderr and "'example (txt)'" in result.stderr
    assert sorted(d.name for d in project.docs.list()) == ["example (md)", "example (txt)"]


def test_a_clash_with_another_file_never_suggests_replace(project, tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "P12.txt").write_text(OTTER, encoding="utf-8")
    (tmp_path / "P12.md").write_text(QUOTED, encoding="utf-8")
    invoke(project, "import", tmp_path / "a" / "P12.txt")
    result = invoke(project, "import", tmp_path / "P12.md", ok=False)
    assert result.exit_code == 1
    [error] = [line for line in result.stderr.splitlines() if line.startswith("Error")]
    assert "different file (P12.txt)" in error and "--name NAME" in error and "--replace" not in error
    changed = OTTER.replace("mostly", "above all")
    (tmp_path / "a" / "P12.txt").write_text(changed, encoding="utf-8")     # the same file, changed: --replace
    again = invoke(project, "import", tmp_path / "a" / "P12.txt", ok=False)
    assert "use --replace to re-import it" in again.stderr
    invoke(project, "import", tmp_path / "a" / "P12.txt", "--replace")


def test_quoted_and_front_matter_are_not_a_participants_words(project, tmp_path):
    (tmp_path / "P20.md").write_text(QUOTED, encoding="utf-8")
    invoke(project, "import", tmp_path / "P20.md", "--interviewer", "MEL")
    hits = invoke(project, "search", "toaster", "--speaker", "participant")
    assert "No matches" in hits.stderr
    assert "toaster" in invoke(project, "search", "toaster").stdout       # the quote is kept, just not ANNA's
    assert "No matches" in invoke(project, "search", "transcribed", "--speaker", "participant").stderr

"""The samples gtcode ships: a starter codebook found by name, and a demo that refuses to build half a project."""

from __future__ import annotations

import json

from tests.conftest import invoke


def test_a_bundled_codebook_is_found_by_name(tmp_path):
    invoke(None, "init", "study")
    result = invoke(tmp_path / "study", "codebook", "import", "vig-engagement", "--json")
    assert "52 added" in result.output
    tree = json.loads(invoke(tmp_path / "study", "codes", "tree", "--json").stdout)
    assert any(node["name"] == "Barriers to engagement" for node in tree)


def test_an_unknown_codebook_name_lists_the_bundled_ones(tmp_path):
    invoke(None, "init", "study")
    result = invoke(tmp_path / "study", "codebook", "import", "vig", ok=False)
    assert result.exit_code == 1
    assert "vig: no such codebook file, and no bundled codebook of that name (bundled: vig-engagement)" in result.output


def test_demo_from_a_folder_missing_its_inputs_names_them_and_builds_nothing(tmp_path):
    (tmp_path / "samples").mkdir()
    (tmp_path / "samples" / "P01.txt").write_text("Interviewer: Hello?\n\nP01: Hi.\n", encoding="utf-8")
    result = invoke(None, "demo", tmp_path / "d", "--from", tmp_path / "samples", ok=False)
    assert result.exit_code == 1
    assert "the demo cannot be built: missing" in result.output and "participants.csv" in result.output
    assert not (tmp_path / "d" / "gtcode.db").exists()

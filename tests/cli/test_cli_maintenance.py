"""`gtcode doctor` and `gtcode backup`: the project file's health, checked and copied from the command line."""

from __future__ import annotations

import json

from tests.conftest import invoke
from tests.hostile import damage, truncate


def test_doctor_on_a_healthy_project(proj):
    res = invoke(proj, "doctor")
    assert "no damage found" in res.stdout and "2 documents" in res.stdout
    data = json.loads(invoke(proj, "doctor", "--json").stdout)
    assert data["ok"] is True and data["problems"] == [] and data["gtcode"] is True


def test_doctor_explains_damage_and_salvages(proj, tmp_path):
    damage(proj)
    before = proj.read_bytes()
    res = invoke(proj, "doctor", "--salvage", tmp_path / "rescued.db", ok=False)
    assert res.exit_code == 1 and "damaged. SQLite reports:" in res.stdout and "restore the latest backup" in res.stdout
    assert "Wrote what could be read to" in res.stderr and "method:" in res.stderr
    assert proj.read_bytes() == before
    assert json.loads(invoke(tmp_path / "rescued.db", "doctor", "--json").stdout)["ok"] is True
    invoke(tmp_path / "rescued.db", "stats")


def test_doctor_works_on_a_project_too_damaged_to_open(proj):
    truncate(proj)
    res = invoke(proj, "doctor", "--json", ok=False)
    assert res.exit_code == 1 and json.loads(res.stdout)["problems"]


def test_doctor_on_a_file_that_is_not_a_database(tmp_path):
    (tmp_path / "notes.db").write_text("plain text")
    res = invoke(tmp_path / "notes.db", "doctor", ok=False)
    assert res.exit_code == 1 and "not an SQLite database" in res.stdout


def test_backup_default_name_beside_the_project_and_a_folder(proj, tmp_path):
    res = invoke(proj, "backup")
    copies = sorted(proj.parent.glob("gtcode-backup-*.db"))
    assert len(copies) == 1 and f"Backed up the project to {copies[0]}" in res.stderr
    assert "no damage found" in invoke(copies[0], "doctor").stdout
    (tmp_path / "safe").mkdir()
    invoke(proj, "backup", tmp_path / "safe")
    assert len(list((tmp_path / "safe").glob("gtcode-backup-*.db"))) == 1


def test_backup_refuses_to_overwrite_and_names_a_missing_folder(proj, tmp_path):
    invoke(proj, "backup", tmp_path / "copy.db")
    res = invoke(proj, "backup", tmp_path / "copy.db", ok=False)
    assert res.exit_code == 1 and res.stderr.startswith("Error: ") and "already exists" in res.stderr
    res = invoke(proj, "backup", tmp_path / "nowhere" / "copy.db", ok=False)
    assert res.exit_code == 1 and "does not exist" in res.stderr


def test_backup_of_a_damaged_project_is_refused(proj, tmp_path):
    damage(proj)
    res = invoke(proj, "backup", tmp_path / "copy.db", ok=False)
    assert res.exit_code == 2 and "is damaged" in res.stderr and not (tmp_path / "copy.db").exists()


def test_limits_are_settings(tmp_path):
    invoke(None, "config", "set", "max_part_mb", "128")
    assert invoke(None, "config", "get", "max_part_mb").stdout.strip() == "128"
    res = invoke(None, "config", "set", "max_part_mb", "lots", ok=False)
    assert res.exit_code == 2 and "whole number" in res.stderr

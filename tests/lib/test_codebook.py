"""Codebooks: YAML in (add or update, never delete, refused whole when malformed), YAML/CSV/Markdown out
(the commands: tests/cli/test_cli_codebook.py)."""

from __future__ import annotations

import csv
import io

import pytest

from gtcode import Project
from gtcode.codebook import export_codebook, import_codebook_file, parse_codebook, read_codebook
from gtcode.errors import BadCodebook

from tests.conftest import REPO

VIG = REPO / "codebooks" / "vig-engagement.yml"


def load(project, path, dry_run=False):
    """Import a codebook file in one transaction (rolled back in a dry run), as `gtcode codebook import` does."""
    with project.transaction(dry_run=dry_run) as txn:
        return import_codebook_file(project.store, txn, path)

SMALLEST = """\
codes:
  - name: Practical barriers
    description: Tiredness, energy, travel, time.
    patterns: ["energy", "out of bed"]
    codes:            # children, optional
      - name: Exhaustion
"""

NESTED = """\
codes:
  - name: Barriers
    colour: "#8B1A1A"
    codes:
      - name: Being filmed
        description: Discomfort at being recorded.
        codes:
          - name: Self-consciousness
            description: Feeling watched while the camera runs.
            include: Stiffness, performing.
            exclude: Fear of what professionals conclude (use Feeling judged).
            example: I didn't know what to do with my hands.
            color: "#e6550d"
            patterns:
              - camera
              - being filmed
              - [{LEMMA: feel}, {LOWER: awkward}]
  - name: Facilitators
    codes:
      - Home visits
      - name: Kept the film
        invivo: true
"""


def write(tmp_path, text: str, name: str = "book.yml"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def tree(project: Project) -> list[tuple]:
    """Every code with every field a codebook carries."""
    return [(c.path, c.description, c.include, c.exclude, c.example, c.color, c.invivo, c.patterns)
            for c in project.codes.list()]


def test_smallest_codebook_is_accepted_as_is(project, tmp_path):
    report = load(project, write(tmp_path, SMALLEST))
    assert [i.path for i in report.added] == ["Practical barriers", "Practical barriers/Exhaustion"]
    top = project.codes.get("Practical barriers")
    assert top.description == "Tiredness, energy, travel, time."
    assert top.patterns == ["energy", "out of bed"]
    assert project.codes.get("Practical barriers/Exhaustion").parent_id == top.id


def test_nested_codes_keep_every_field(project, tmp_path):
    load(project, write(tmp_path, NESTED))
    assert [c.path for c in project.codes.list()] == [
        "Barriers", "Barriers/Being filmed", "Barriers/Being filmed/Self-consciousness",
        "Facilitators", "Facilitators/Home visits", "Facilitators/Kept the film"]
    leaf = project.codes.get("Barriers/Being filmed/Self-consciousness")
    assert (leaf.include, leaf.exclude, leaf.example, leaf.color) == (
        "Stiffness, performing.", "Fear of what professionals conclude (use Feeling judged).",
        "I didn't know what to do with my hands.", "#e6550d")
    assert leaf.patterns == ["camera", "being filmed", [{"LEMMA": "feel"}, {"LOWER": "awkward"}]]
    assert project.codes.get("Barriers").color == "#8b1a1a"          # British 'colour' works; stored lower-case
    assert project.codes.get("Kept the film").invivo is True


def test_shipped_codebook_imports_cleanly(project):
    report = load(project, VIG)
    codes = project.codes.list()
    assert len(codes) == len(report.added) == 52
    assert [c.path for c in codes if c.parent_id is None] == [
        "Barriers to engagement", "Context", "Facilitators of engagement"]
    with_patterns = [c for c in codes if c.patterns]
    assert len(with_patterns) == 38 and all(c.description for c in with_patterns)
    assert not report.notes


def test_yaml_export_reimports_to_the_same_tree(project, tmp_path):
    load(project, VIG)
    load(project, write(tmp_path, NESTED))
    exported = write(tmp_path, export_codebook(project.store, "yaml"), "exported.yml")
    with Project.init(tmp_path / "other", coder="someone") as other:
        report = load(other, exported)
        assert tree(other) == tree(project)
        assert len(report.added) == 52 + 6
    again = load(project, exported)           # and into the project it came from: nothing to do
    assert (len(again.added), len(again.updated), len(again.unchanged)) == (0, 0, 58)


def test_yaml_export_of_one_code_names_its_ancestors_only(project, tmp_path):
    load(project, write(tmp_path, NESTED))
    text = export_codebook(project.store, "yaml", code="Being filmed")
    book = parse_codebook(text, "x.yml")
    assert [e.path for e in book.entries()] == ["Barriers", "Barriers/Being filmed",
                                                "Barriers/Being filmed/Self-consciousness"]
    assert book.entries()[0].fields == {}                     # re-import leaves the ancestor's fields alone
    assert book.entries()[1].fields == {"description": "Discomfort at being recorded."}


def test_csv_and_markdown_exports_carry_paths_and_definitions(project, tmp_path):
    load(project, write(tmp_path, NESTED))
    rows = list(csv.DictReader(io.StringIO(export_codebook(project.store, "csv"))))
    leaf = next(r for r in rows if r["name"] == "Self-consciousness")
    assert leaf["path"] == "Barriers/Being filmed/Self-consciousness" and leaf["level"] == "3"
    assert leaf["description"] == "Feeling watched while the camera runs."
    assert leaf["exclude"].startswith("Fear of what professionals")
    assert leaf["patterns"] == 'camera; being filmed; [{"LEMMA": "feel"}, {"LOWER": "awkward"}]'
    md = export_codebook(project.store, "md", title="VIG study")
    assert md.startswith("# Codebook: VIG study\n")
    assert "#### Self-consciousness" in md and "Path: `Barriers/Being filmed/Self-consciousness`" in md
    assert "Feeling watched while the camera runs." in md
    assert "- **Include:** Stiffness, performing." in md
    assert "- **Example:** “I didn't know what to do with my hands.”" in md
    assert "## Facilitators" in md and "### Kept the film (in vivo)" in md


def test_reimport_updates_changed_fields_and_never_deletes(project, tmp_path):
    load(project, write(tmp_path, NESTED))
    project.codes.add("My own code")
    changed = """\
codes:
  - name: Barriers
    codes:
      - name: being filmed
        description: Discomfort at being recorded or watched back.
        patterns: [camera]
      - name: Travel
"""
    report = load(project, write(tmp_path, changed))
    assert [i.path for i in report.added] == ["Barriers/Travel"]
    assert {i.path: sorted(i.changes) for i in report.updated} == {
        "Barriers/being filmed": ["description", "name", "patterns"]}
    assert report.updated[0].changes["description"] == {
        "before": "Discomfort at being recorded.", "after": "Discomfort at being recorded or watched back."}
    assert [i.path for i in report.unchanged] == ["Barriers"]
    assert project.codes.get("Barriers").color == "#8b1a1a"        # a field the file leaves out is kept
    paths = [c.path for c in project.codes.list()]
    assert "My own code" in paths and "Facilitators/Kept the film" in paths   # nothing deleted
    assert "Barriers/being filmed/Self-consciousness" in paths
    events = [e["summary"] for e in project.history.events(limit=3)]
    assert "imported codebook book.yml: 1 added, 1 updated, 1 unchanged" in events
    assert any(s.startswith("updated code 'Barriers/being filmed' from codebook book.yml") for s in events)


def test_dry_run_import_reports_but_changes_nothing(project, tmp_path):
    events = len(project.history.events())
    report = load(project, write(tmp_path, SMALLEST), dry_run=True)
    assert report.dry_run and len(report.added) == 2
    assert project.codes.list() == [] and len(project.history.events()) == events


MALFORMED = [
    ("codes:\n  - name: A\n  - description: no name here\n", 3, "a code without a name"),
    ("codes: Practical barriers\n", 1, "'codes' must be a list"),
    ("codes:\n  - name: A\n    descripton: typo\n", 3, "unknown field 'descripton' (did you mean 'description'"),
    ("codes:\n  - name: A\n    color: \"red\"\n", 3, "bad colour 'red'"),
    ("codes:\n  - name: A\n    color: #ff0000\n", 3, "in YAML '#' starts a comment"),
    ("codes:\n  - name: A\n    codes:\n      - name: B\n      - name: b\n", 5,
     "two codes named 'b' under 'A' (the first on line 4)"),
    ("codes:\n  - name: Fear/anxiety\n", 2, "'/' separates levels"),
    ("codes:\n  - name: A\n    description: [unclosed\n  - name: B\n", 4, "not valid YAML"),
    ("codes:\n  - name: A\n    patterns: [[{LEMA: cancel}]]\n", 3, "unknown token attribute 'LEMA'"),
    ("codes:\n  - name: A\n    name: B\n", 3, "'name' is given twice (the first on line 2)"),
    ("code:\n  - name: A\n", 1, "unknown top-level field 'code' (did you mean 'codes'?)"),
    ("codes:\n  - name: no\n", 2, "expected text, got yes/no"),
]


@pytest.mark.parametrize("text,line,reason", MALFORMED)
def test_malformed_codebook_is_one_error_with_file_line_and_reason(project, tmp_path, text, line, reason):
    path = write(tmp_path, text)
    with pytest.raises(BadCodebook) as info:
        load(project, path)
    assert str(info.value).startswith(f"{path}, line {line}: "), str(info.value)
    assert reason in str(info.value)
    assert project.codes.list() == []                              # not even the valid codes before the bad one


def test_missing_or_empty_codebook_file(tmp_path):
    with pytest.raises(BadCodebook, match="no such codebook file"):
        read_codebook(tmp_path / "nope.yml")
    with pytest.raises(BadCodebook, match="empty codebook"):
        read_codebook(write(tmp_path, "# only a comment\n"))


def test_undo_reverses_a_codebook_import(project, tmp_path):
    load(project, write(tmp_path, SMALLEST))
    project.history.undo()
    assert project.codes.list() == []
    load(project, write(tmp_path, SMALLEST))
    load(project, write(tmp_path, SMALLEST.replace("Tiredness, energy", "Sleep, energy")))
    assert project.codes.get("Practical barriers").description == "Sleep, energy, travel, time."
    project.history.undo()                                            # the update only
    assert project.codes.get("Practical barriers").description == "Tiredness, energy, travel, time."
    assert len(project.codes.list()) == 2

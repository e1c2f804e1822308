"""Axial and selective coding through the library: categories, properties, relations, paradigm, core, model show
and check (the commands: tests/cli/test_cli_model.py)."""

from __future__ import annotations

import pytest

from gtcode.errors import BadRelation, InputError, UnknownCategory, UnknownRelationType

from tests.conftest import table_rows

P01 = ("Interviewer: How was the filming?\n\n"
       "P01: I thought they were collecting evidence. The practitioner was lovely though. I kept going.\n")
P02 = ("Interviewer: And for you?\n\n"
       "P02: I was scared of social services. Jo never judged me. The visits at home helped.\n")


@pytest.fixture
def study(project, tmp_path):
    """Two interviews, P01 (mother) and P02 (practitioner), coded with three codes; no categories yet."""
    for name, text in (("P01.txt", P01), ("P02.txt", P02)):
        (tmp_path / name).write_text(text, encoding="utf-8")
    project.docs.import_paths([tmp_path / "P01.txt", tmp_path / "P02.txt"])
    project.cases.set("P01", {"role": "mother"})
    project.cases.set("P02", {"role": "practitioner"})
    project.codes.add("Feeling judged")
    project.codes.add("Warm practitioner")
    project.codes.add("Home visits")
    project.coding.apply(["D1:2", "D2:2"], "Feeling judged")
    project.coding.apply(["D1:3", "D2:3"], "Warm practitioner")
    project.coding.apply("D2:4", "Home visits")
    return project


def model_rows(project):
    """Every row of the tables the model commands write, to check a command changed nothing."""
    return table_rows(project, ("codes", "relations", "relation_evidence", "category_properties", "property_evidence"))


def build_model(study):
    """Three categories, two relations with evidence, and the core category."""
    study.model.new_category("Engagement with VIG")
    study.model.new_category("Fear of surveillance")
    study.model.new_category("Trust in the practitioner")
    study.model.add_to_category("Fear of surveillance", ["Feeling judged"])
    study.model.add_to_category("Trust in the practitioner", ["Warm practitioner"])
    study.model.relate("Fear of surveillance", "hinders", "Engagement with VIG", evidence=["D1:2", "D2:2"])
    study.model.relate("Trust in the practitioner", "facilitates", "Engagement with VIG", evidence="D1:3")
    study.model.set_core("Engagement with VIG")


def test_categories_live_in_the_code_tree(study):
    build_model(study)
    paths = [c.path for c in study.codes.list()]
    assert "Fear of surveillance/Feeling judged" in paths
    assert [c.path for c in study.model.categories()] == ["Engagement with VIG", "Fear of surveillance",
                                                    "Trust in the practitioner"]
    promoted = study.model.new_category("Home visits")   # an existing code becomes a category, codings kept
    assert promoted.is_category and len(study.coding.passages("Home visits")) == 1
    with pytest.raises(InputError, match="already a category"):
        study.model.new_category("Home visits")
    with pytest.raises(UnknownCategory, match="is a code, not a category"):
        study.model.add_to_category("Feeling judged", ["Home visits"])


def test_properties_and_dimensions(study):
    build_model(study)
    study.model.add_property("Fear of surveillance", "intensity", "mild..overwhelming")
    assert study.model.place("Fear of surveillance", "intensity", ["D1:2=overwhelming", "D2:2=mild"]) == 2
    [prop] = study.model.properties("Fear of surveillance")
    assert (prop.low, prop.high) == ("mild", "overwhelming")
    assert [(p["address"], p["value"]) for p in prop.placements] == [("D1:2", "overwhelming"), ("D2:2", "mild")]
    with pytest.raises(InputError, match="LOW..HIGH"):
        study.model.add_property("Fear of surveillance", "duration", "short-long")
    with pytest.raises(InputError, match="no property 'intensty'.*did you mean 'intensity'"):
        study.model.place("Fear of surveillance", "intensty", ["D1:2=high"])


def test_relations_grounding_types_and_bad_input(study):
    build_model(study)
    rels = {(r.source, r.type, r.target): r for r in study.model.relations()}
    fear = rels[("Fear of surveillance", "hinders", "Engagement with VIG")]
    assert (fear.passages, fear.participants, fear.polarity) == (2, 2, "-")
    assert [r.type for r in study.model.relations(type="facilitates")] == ["facilitates"]
    before = model_rows(study)
    with pytest.raises(UnknownRelationType, match="did you mean 'hinders'"):
        study.model.relate("Fear of surveillance", "hindrs", "Engagement with VIG")
    with pytest.raises(InputError, match="no segment 9"):
        study.model.relate("Fear of surveillance", "causes", "Engagement with VIG", evidence=["D1:9"])
    with pytest.raises(BadRelation, match="itself"):
        study.model.relate("Fear of surveillance", "causes", "Fear of surveillance")
    study.model.relate("Feeling judged", "is-part-of", "Fear of surveillance")
    with pytest.raises(BadRelation, match="cycle"):
        study.model.relate("Fear of surveillance", "is-part-of", "Feeling judged")
    study.history.undo()
    assert model_rows(study) == before
    study.model.add_relation_type("protects-from", "protects from", "+")
    study.model.relate("Trust in the practitioner", "protects-from", "Fear of surveillance")
    assert study.model.relations(type="protects-from")[0].polarity == "+"


def test_paradigm_core_and_model_show(study):
    build_model(study)
    study.model.new_category("Visits at home")
    study.model.add_to_category("Visits at home", ["Home visits"])
    view = study.model.paradigm("Engagement with VIG", strategy=["Visits at home"])
    assert view["strategy"] == ["Visits at home"] and view["condition"] == []
    model = study.model.show(by="role")
    assert model["core"]["path"] == "Engagement with VIG"
    [barrier] = model["roles"]["barrier"]
    assert barrier["path"] == "Fear of surveillance" and barrier["codes"] == ["Fear of surveillance/Feeling judged"]
    assert barrier["split"] == {"mother": {"segments": 1, "participants": 1},
                                "practitioner": {"segments": 1, "participants": 1}}
    assert [f["path"] for f in model["roles"]["facilitator"]] == ["Trust in the practitioner"]
    assert [s["path"] for s in model["roles"]["strategy"]] == ["Visits at home"]
    with pytest.raises(UnknownCategory):
        study.model.set_core("Feeling judged")


def test_model_check_reports_what_is_not_grounded(study):
    kinds = {p.kind for p in study.model.check()}
    assert {"code in no category", "no core category"} <= kinds
    build_model(study)
    problems = study.model.check(min_evidence=2)
    text = {(p.kind, p.item) for p in problems}
    assert ("thin relation", "Trust in the practitioner facilitates Engagement with VIG") in text
    assert ("code in no category", "Home visits") in text
    assert ("no properties", "Fear of surveillance") in text
    assert not any(p.kind == "ungrounded relation" for p in problems)
    study.model.new_category("Island")
    assert ("not reached from the core", "Island") in {(p.kind, p.item) for p in study.model.check()}

"""The sample data and `gtcode demo`: the main job on the bundled transcripts."""

from __future__ import annotations

import csv
import json

import pytest

from gtcode.errors import ProjectExists
from gtcode.demo import build_demo
from gtcode.team.merge import merge_project

from tests.conftest import TRANSCRIPTS, invoke


def test_sample_transcripts_are_the_study_we_describe():
    rows = list(csv.DictReader((TRANSCRIPTS / "participants.csv").open(encoding="utf-8")))
    assert [r["role"] for r in rows].count("mother") == 5
    assert [r["role"] for r in rows].count("practitioner") == 3
    assert {r["site"] for r in rows} == {"Trust A", "Trust B"}
    files = sorted(p for p in TRANSCRIPTS.iterdir() if p.suffix in (".docx", ".txt", ".vtt"))
    assert {p.suffix for p in files} == {".docx", ".txt", ".vtt"}
    assert len(files) == 8


def test_demo_builds_a_project_from_every_transcript(demo_build, demo_copy):
    result, p = demo_build, demo_copy
    docs = p.docs.list()
    assert result.report.count("imported") == 8 and result.report.count("failed") == 0
    assert all(d.case is not None for d in docs)          # every interview belongs to a participant
    assert all(d.words >= 1500 for d in docs)            # substantial interviews
    from pathlib import Path

    from gtcode.ingest.textfile import decode
    for d in docs:  # each says it is fictional (a VTT says so in a NOTE block, not in the speech)
        text = decode(Path(d.source_path).read_bytes(), Path(d.source_path))[0] if d.format == "vtt" \
            else p.docs.text(d.id)
        assert "FICTIONAL" in text.upper(), d.name
    stats = p.stats()
    assert stats["cases_by_attribute"]["role"] == {"mother": 5, "practitioner": 3}
    assert stats["turns"]["interviewer"] > 100 and stats["turns"]["participant"] > 100
    assert result.hits and all(h.case in {"P01", "P02", "P03", "P04", "P05"} for h in result.hits)


def test_demo_twice_gives_the_same_project(demo_copy, tmp_path):
    def content(p):
        out = [(d.name, d.case, d.words, d.turns, d.segments) for d in p.docs.list()]
        out += [(s.address, s.speaker, s.text) for d in p.docs.list() for s in p.docs.segments(d.id)]
        out.append(json.dumps({k: v for k, v in p.stats().items() if k not in ("path", "events")}, sort_keys=True))
        out += [(q.code, q.address, q.status) for q in p.coding.passages()]
        return out

    again = build_demo(tmp_path / "again").project
    try:
        assert content(again) == content(demo_copy)
    finally:
        again.close()


def test_demo_never_replaces_a_real_project(tmp_path):
    from gtcode import Project

    Project.init(tmp_path / "mine").close()
    with pytest.raises(ProjectExists, match="not the demo"):
        build_demo(tmp_path / "mine")


def test_demo_command_runs_the_study_end_to_end_and_lists_every_file(tmp_path):
    result = invoke(None, "demo", str(tmp_path / "d"), ok=False)
    assert result.exit_code == 0, result.output
    assert "mother: 5" in result.stdout and "practitioner: 3" in result.stdout
    assert "8 imported, 0 skipped, 0 failed" in result.stderr
    assert "pseudonymised" in result.stdout and "kappa 0." in result.stdout
    assert "model check: no problems" in result.stdout
    # The model tree: the core, then barriers and facilitators with their categories.
    out = result.stdout
    assert out.index("Engagement with VIG") < out.index("Barriers") < out.index("Fear of judgement and surveillance")
    assert "Facilitators" in out and "Consequences" in out
    names = ["gtcode.db", "report.docx", "model.svg", "model.png", "model.mmd", "saturation.png", "codings.csv",
             "demo.qdpx"]
    for name in names:
        path = tmp_path / "d" / name
        assert str(path) in out and path.stat().st_size > 0, name
    import zipfile

    import docx
    assert "project.qde" in zipfile.ZipFile(tmp_path / "d" / "demo.qdpx").namelist()
    heads = [p.text for p in docx.Document(tmp_path / "d" / "report.docx").paragraphs if p.style.name == "Heading 1"]
    assert "Study summary" in heads
    assert (tmp_path / "d" / "codings.csv").read_text(encoding="utf-8").count("\n") > 376


def test_demo_builds_the_reference_model(demo_copy):
    p = demo_copy
    model = p.model.show()
    assert model["core"]["path"] == "Engagement with VIG"
    barriers = {b["name"] for b in model["roles"]["barrier"]}
    facilitators = {f["name"] for f in model["roles"]["facilitator"]}
    assert {"Fear of judgement and surveillance", "Being filmed"} <= barriers
    assert {"Practitioner relationship", "Seeing attunement on film"} <= facilitators
    assert all(b["relation"]["passages"] >= 1 for b in model["roles"]["barrier"])
    assert [s["title"] for s in model["core"]["storylines"]] == ["The storyline"]
    folder = p.path.parent
    assert (folder / "model.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert (folder / "saturation.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    svg = (folder / "model.svg").read_text(encoding="utf-8")
    assert "Engagement with VIG" in svg and "Fear of judgement and" in svg
    assert "Engagement with VIG" in (folder / "model.mmd").read_text(encoding="utf-8")


def test_demo_has_a_second_coder_merged_and_real_agreement(demo_build, demo_copy):
    from pathlib import Path

    from gtcode.demo import DEMO_DOUBLE_CODED, DEMO_SECOND_CODER

    info = demo_build.agreement
    assert info["codings"] > 20 and info["merged"].changed
    report = info["report"]
    assert report.coders == ["demo", DEMO_SECOND_CODER]
    assert report.documents == len(DEMO_DOUBLE_CODED)
    # Imperfect but substantial agreement, with figures from real coding, not placeholders.
    assert 0.5 < report.overall.kappa < 0.95 and 0.5 < report.overall.alpha < 0.95
    # The second coder's copy is beside the project, and merging it again changes nothing.
    copy = demo_copy.path.parent / Path(info["copy"]).name
    assert copy.exists() and not merge_project(demo_copy, copy).changed


def test_demo_is_pseudonymised_and_the_key_stays_outside(demo_build, demo_copy):
    from gtcode.samples import bundled_key
    from gtcode.redact import load_key

    assert demo_copy.redact.check(bundled_key()) == []
    assert "Dr Asha Rao" in {t["speaker"] for t in demo_copy.docs.turns("P06")}
    stored = b"".join(p.read_bytes() for p in demo_build.folder.glob("gtcode.db*"))
    reals = [entry.real for entry in load_key(bundled_key())]
    assert reals and not [r for r in reals if r.encode() in stored]

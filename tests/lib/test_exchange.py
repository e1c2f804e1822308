"""REFI-QDA exchange: export → import round trips lose nothing the format can carry, exports validate
against the official schemas, re-import never duplicates, and what cannot travel is reported (the commands:
tests/cli/test_cli_export.py)."""

from __future__ import annotations

import sqlite3
import zipfile

import pytest

from gtcode import Project
from gtcode.errors import BadExchangeFile, GtcodeError
from gtcode.exchange import export_qdc, export_qdpx, import_exchange_file, import_qdc, import_qdpx, validate

from tests.conftest import SHARED

SCHEMAS = SHARED / "refi-qda" / "schemas"
needs_schemas = pytest.mark.skipif(not (SCHEMAS / "Project-mrt2019.xsd").exists(),
                                   reason="the shared REFI-QDA kit (../shared/refi-qda) is not here")

P01 = ("Interviewer: How did the filming go?\r\n\r\n"
       "P01: I was nervous at first 😬 — the café was noisy.\r\n"
       "P01: Then I saw her smile at me, and I thought: I can do this.\r\n"
       "Interviewer: What helped?\r\n"
       "P01: The practitioner never judged me. She said “look how she watches you”.\r\n")
P02 = ("Interviewer: Tell me about the visits.\n\n"
       "P02: Honestly I was scared they were collecting evidence.\n"
       "P02: My health visitor explained it was for me, not for social services.\n")


@pytest.fixture
def awkward(tmp_path, project):
    """A small project with everything REFI-QDA can carry, and some things it cannot."""
    (tmp_path / "P01.txt").write_bytes(b"\xef\xbb\xbf" + P01.encode("utf-8"))
    (tmp_path / "P02.txt").write_text(P02, encoding="utf-8")
    p = project
    p.docs.import_paths([tmp_path / "P01.txt", tmp_path / "P02.txt"])
    p.cases.set("P01", {"role": "mother", "site": "Trust A"})
    p.cases.set("P02", {"role": "mother", "site": "Trust B"})
    p.codes.add("Barriers", color="#8B1A1A", description="What makes VIG harder.")
    p.codes.add("Barriers/Fear of judgement", description="Worry that staff judge her.\n\nOften about evidence.",
               include="Explicit worry about being assessed", exclude="Self-criticism",
               example="collecting evidence", patterns=["evidence", "judged"])
    p.codes.add("Barriers/Being filmed", color="#e6550d")
    p.codes.add("Facilitators")
    p.codes.add("Facilitators/Trust in practitioner")
    p.codes.add("Empty code ✨")
    p.coding.apply("D1:2", "Being filmed", quote="nervous at first 😬")
    p.coding.apply("D1:3", "Facilitators/Trust in practitioner")
    p.coding.apply("D2:2", "Fear of judgement", quote="collecting evidence")
    p.coding.invivo("D1:5", "never judged me", parent="Facilitators")
    p.model.new_category("Fear of judgement and surveillance")
    p.model.add_to_category("Fear of judgement and surveillance", ["Barriers/Fear of judgement"])
    p.model.new_category("Engagement with VIG")
    p.model.set_core("Engagement with VIG")
    memo, _ = p.memos.new("Surveillance", "Mothers read filming as [[code:Fear of judgement]] evidence-gathering.",
                         links=["doc:P02", "D2:2"])
    second, _ = p.memos.new("Trust", "Trust undoes the fear; see memo [[memo:1]].", type="code",
                           links=["code:Trust in practitioner"])
    p.memos.edit(memo.id, body="Mothers read filming as [[code:Fear of judgement]] evidence-gathering, at first.")
    p.model.relate("Fear of judgement and surveillance", "hinders", "Engagement with VIG", memo=second.id,
             evidence=["D2:2"])
    p.coder = "Dr Okafor"
    p.memos.comment(memo.id, "Say more about who films.")
    p.coding.apply("D2:3", "Facilitators/Trust in practitioner")
    p.coder = "tester"
    p.review.autocode(code="Fear of judgement")    # pending suggestions: not exported
    return p


def snapshot(path) -> dict:
    """Everything REFI-QDA can carry, by uuid, as sets (order-free)."""
    con = sqlite3.connect(path)

    def q(sql):
        return sorted((tuple(r) for r in con.execute(sql)), key=repr)

    out = {
        "codes": q("SELECT c.uuid, c.name, p.uuid, c.kind, c.description, c.include, c.exclude, c.example, c.color,"
                   " c.invivo, c.patterns, c.core FROM codes c LEFT JOIN codes p ON p.id = c.parent_id"),
        "codings": q("SELECT g.uuid, c.uuid, d.uuid, g.start_char, g.end_char, k.name, g.created_at FROM codings g"
                     " JOIN codes c ON c.id = g.code_id JOIN documents d ON d.id = g.document_id"
                     " JOIN coders k ON k.id = g.coder_id WHERE g.status = 'confirmed'"),
        "documents": q("SELECT d.uuid, d.name, d.text, c.name FROM documents d LEFT JOIN cases c ON c.id = d.case_id"),
        "cases": q("SELECT c.uuid, c.name, a.name, ca.value FROM cases c LEFT JOIN case_attributes ca ON"
                   " ca.case_id = c.id LEFT JOIN attributes a ON a.id = ca.attribute_id"),
        "memos": q("SELECT m.uuid, m.type, v.title, v.body, k.name, m.created_at FROM memos m JOIN memo_versions v"
                   " ON v.memo_id = m.id AND v.version = (SELECT max(version) FROM memo_versions WHERE"
                   " memo_id = m.id) JOIN coders k ON k.id = m.created_by"),
        "memo links": q("SELECT DISTINCT m.uuid, l.target_uuid, l.start_char, l.end_char FROM memo_links l"
                        " JOIN memos m ON m.id = l.memo_id"),
        "relations": q("SELECT r.uuid, s.uuid, r.type, t.uuid FROM relations r JOIN codes s ON s.id = r.source_id"
                       " JOIN codes t ON t.id = r.target_id"),
        "relation memos": q("SELECT r.uuid, m.uuid FROM relation_evidence e JOIN relations r ON r.id = e.relation_id"
                            " JOIN memos m ON m.id = e.memo_id"),
    }
    con.close()
    return out


def confirmed(project) -> int:
    return project.store.scalar("SELECT count(*) FROM codings WHERE status = 'confirmed'")


def fresh(tmp_path, name="copy", coder="importer"):
    return Project.init(tmp_path / name, coder=coder)


def test_round_trip_loses_nothing_the_format_carries(awkward, tmp_path):
    report = export_qdpx(awkward, tmp_path / "study.qdpx")
    copy = fresh(tmp_path)
    back = import_qdpx(copy, tmp_path / "study.qdpx")
    assert back.warnings == [] and back.losses == [] and back.notes == []
    assert snapshot(copy.path) == snapshot(awkward.path)
    # The coders who did the work are kept, and codings keep their author.
    assert {"tester", "Dr Okafor"} <= {r[0] for r in copy.store.all("SELECT name FROM coders")}
    # Imported documents have turns and segments like any other: addresses work.
    assert [s.text for s in copy.docs.segment("P02:2")] == ["Honestly I was scared they were collecting evidence."]
    assert report.counts["documents"] == 2 and report.counts["codings"] == confirmed(awkward) == confirmed(copy)


def test_export_lists_what_cannot_travel(awkward, tmp_path):
    report = export_qdpx(awkward, tmp_path / "study.qdpx")
    losses = "\n".join(report.losses)
    assert "pending (autocoded, unreviewed) coding" in losses
    assert "1 earlier memo version" in losses and "1 review comment" in losses
    assert "1 passage of evidence for relations" in losses
    with zipfile.ZipFile(tmp_path / "study.qdpx") as zf:
        qde = zf.read("project.qde").decode("utf-8")
    pending = awkward.store.scalar("SELECT count(*) FROM codings WHERE status = 'pending'")
    assert pending and qde.count("<Coding ") == confirmed(awkward)


@needs_schemas
def test_export_validates_against_the_official_schema(awkward, tmp_path):
    export_qdpx(awkward, tmp_path / "study.qdpx", schema=SCHEMAS / "Project-mrt2019.xsd")
    with zipfile.ZipFile(tmp_path / "study.qdpx") as zf:
        names = zf.namelist()
        assert validate(zf.read("project.qde"), SCHEMAS / "Project-mrt2019.xsd") == []
        doc = next(d for d in awkward.docs.list() if d.name == "P01")
        stored = zf.read(f"sources/{doc.uuid}.txt").decode("utf-8")
    assert "project.qde" in names and all(n == "project.qde" or n.startswith("sources/") for n in names)
    assert stored == awkward.docs.text("P01") and "\r" not in stored and not stored.startswith("\ufeff")
    assert validate(export_qdc(awkward), SCHEMAS / "Codebook.xsd") == []


def test_positions_are_code_points_of_the_stored_text(awkward, tmp_path):
    export_qdpx(awkward, tmp_path / "study.qdpx")
    from lxml import etree

    with zipfile.ZipFile(tmp_path / "study.qdpx") as zf:
        root = etree.fromstring(zf.read("project.qde"))
        texts = {n: zf.read(n).decode("utf-8") for n in zf.namelist() if n.endswith(".txt")}
    ns = {"q": "urn:QDA-XML:project:1.0"}
    quoted = set()
    for source in root.iterfind(".//q:TextSource", ns):
        text = texts[f"sources/{source.get('guid')}.txt"]
        for sel in source.iterfind("q:PlainTextSelection", ns):
            quoted.add(text[int(sel.get("startPosition")):int(sel.get("endPosition"))])
    assert "nervous at first 😬" in quoted and "collecting evidence" in quoted


def test_reimport_and_reexport_are_stable(awkward, tmp_path):
    export_qdpx(awkward, tmp_path / "a.qdpx")
    copy = fresh(tmp_path)
    import_qdpx(copy, tmp_path / "a.qdpx")
    before = snapshot(copy.path)
    again = import_qdpx(copy, tmp_path / "a.qdpx")
    assert snapshot(copy.path) == before
    assert not any(k.endswith("added") for k in again.counts), again.counts
    assert again.counts["documents already here"] == 2
    assert again.counts["codings already here"] == confirmed(awkward)
    # Into the original project too: nothing is duplicated.
    import_qdpx(awkward, tmp_path / "a.qdpx")
    assert awkward.store.scalar("SELECT count(*) FROM documents") == 2
    # Exporting the copy gives the same GUIDs as the original export.
    export_qdpx(copy, tmp_path / "b.qdpx")

    def guids(path):
        with zipfile.ZipFile(path) as zf:
            import re
            return set(re.findall(r'guid="([^"]+)"', zf.read("project.qde").decode()))

    assert guids(tmp_path / "a.qdpx") - guids(tmp_path / "b.qdpx") <= set()


def test_import_matches_existing_codes_by_path_and_updates_them(awkward, tmp_path):
    export_qdpx(awkward, tmp_path / "a.qdpx")
    other = fresh(tmp_path, "other")
    other.codes.add("Barriers")                       # same path, another uuid
    other.codes.add("Barriers/Being filmed", description="old definition")
    report = import_qdpx(other, tmp_path / "a.qdpx")
    paths = [c.path for c in other.codes.list()]
    assert paths.count("Barriers") == 1 and paths.count("Barriers/Being filmed") == 1
    assert other.codes.get("Barriers").color == "#8b1a1a"
    assert report.counts["codes updated"] == 2      # both get their colour; an empty definition changes nothing
    filmed = other.codes.get("Barriers/Being filmed")
    assert (filmed.description, filmed.color) == ("old definition", "#e6550d")


def test_dry_run_changes_nothing_but_reports_everything(awkward, tmp_path):
    export_qdpx(awkward, tmp_path / "a.qdpx")
    copy = fresh(tmp_path)
    events = copy.store.scalar("SELECT count(*) FROM events")
    report = import_exchange_file(copy, tmp_path / "a.qdpx", dry_run=True)
    assert report.dry_run and report.counts["codings added"] == confirmed(awkward)
    assert copy.store.scalar("SELECT count(*) FROM codes") == 0
    assert copy.store.scalar("SELECT count(*) FROM events") == events


def test_import_is_audited_and_undoable_for_codes(awkward, tmp_path):
    export_qdpx(awkward, tmp_path / "a.qdpx")
    copy = fresh(tmp_path)
    import_qdpx(copy, tmp_path / "a.qdpx")
    actions = {e["action"] for e in copy.history.events()}
    assert {"code.add", "coding.import", "memo.create", "relation.add", "document.import",
            "exchange.import"} <= actions
    doc = copy.docs.get("P01")
    assert any(e["entity_uuid"] == doc.uuid and e["action"] == "document.import" for e in copy.history.events())


def test_a_failure_inside_the_import_leaves_the_project_as_it_was(awkward, tmp_path, monkeypatch):
    export_qdpx(awkward, tmp_path / "a.qdpx")
    copy = fresh(tmp_path)
    copy.codes.add("Already here")
    before = snapshot(copy.path)
    events = copy.store.scalar("SELECT count(*) FROM events")
    from gtcode.exchange import qdpx_notes

    def boom(*args, **kwargs):
        raise BadExchangeFile("a.qdpx: something went wrong half way")

    monkeypatch.setattr(qdpx_notes, "read_links", boom)
    with pytest.raises(BadExchangeFile):
        import_qdpx(copy, tmp_path / "a.qdpx")
    assert snapshot(copy.path) == before
    assert copy.store.scalar("SELECT count(*) FROM events") == events


# --- QDC codebooks ---------------------------------------------------------------------------------------------

def test_qdc_round_trip_keeps_the_whole_code_tree(awkward, tmp_path):
    (tmp_path / "book.qdc").write_bytes(export_qdc(awkward))
    copy = fresh(tmp_path)
    report = import_qdc(copy, tmp_path / "book.qdc")
    assert snapshot(copy.path)["codes"] == snapshot(awkward.path)["codes"]
    assert report.counts["codes added"] == len(awkward.codes.list())
    again = import_qdc(copy, tmp_path / "book.qdc")
    assert again.counts == {"codes unchanged": len(awkward.codes.list())}


def test_qdc_import_adds_and_updates_never_deletes(project, tmp_path):
    project.codes.add("Keep me")
    project.codes.add("Shared", description="old")
    (tmp_path / "in.qdc").write_text(
        '<?xml version="1.0" encoding="utf-8"?>\n<CodeBook xmlns="urn:QDA-XML:codebook:1.0" origin="Other 1.0">'
        '<Codes><Code guid="{11111111-2222-3333-4444-555555555555}" name="Shared" isCodable="true" color="#ABC">'
        '<Description>new definition</Description>'
        '<Code guid="11111111-2222-3333-4444-666666666666" name="Child" isCodable="true"/></Code>'
        '<Code guid="11111111-2222-3333-4444-777777777777" name="Folder" isCodable="false"/></Codes>'
        '<Sets><Set guid="11111111-2222-3333-4444-888888888888" name="group">'
        '<MemberCode guid="11111111-2222-3333-4444-666666666666"/></Set></Sets></CodeBook>', encoding="utf-8")
    dry = import_qdc(project, tmp_path / "in.qdc", dry_run=True)
    assert dry.counts == {"codes updated": 1, "codes added": 2, "sets (as memos) added": 1, "memo links added": 1}
    assert len(project.codes.list()) == 2 and project.memos.list() == []
    report = import_qdc(project, tmp_path / "in.qdc")
    assert [c.path for c in project.codes.list()] == ["Folder", "Keep me", "Shared", "Shared/Child"]
    shared = project.codes.get("Shared")
    assert (shared.description, shared.color) == ("new definition", "#aabbcc")
    assert project.codes.get("Folder").is_category
    assert project.codes.get("Shared/Child").uuid == "11111111-2222-3333-4444-666666666666"
    # A code set becomes a memo linking its codes, as it does from a .qdpx; nothing is reported lost.
    assert report.losses == [] and report.counts["sets (as memos) added"] == 1
    (memo,) = project.memos.list()
    assert [link.type for link in project.memos.get(memo.id).links] == ["code"]


def test_qdc_with_a_duplicate_guid_is_refused_whole(project, tmp_path):
    (tmp_path / "dup.qdc").write_text(
        '<CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes>'
        '<Code guid="11111111-2222-3333-4444-555555555555" name="A" isCodable="true"/>'
        '<Code guid="11111111-2222-3333-4444-555555555555" name="B" isCodable="true"/></Codes></CodeBook>')
    with pytest.raises(BadExchangeFile, match="used by two codes"):
        import_qdc(project, tmp_path / "dup.qdc")
    assert project.codes.list() == []


def test_errors_are_gtcode_errors(project, tmp_path):
    (tmp_path / "notes.qdpx").write_text("not a zip")
    with pytest.raises(GtcodeError, match="not a REFI-QDA project"):
        import_exchange_file(project, tmp_path / "notes.qdpx")

"""The fast paths of `export qdpx` and `report` (issue 19) write what the slow ones wrote: the streaming XML
writer gives lxml's bytes for the same tree and refuses what lxml refuses, the selection GUIDs are uuid5, a
.qdpx streamed into its zip holds the same project.qde as one checked against a schema first, and the one-pass
exemplar choice is the first of the full ranking."""

from __future__ import annotations

import random
import uuid
import zipfile

import pytest
from lxml import etree

from gtcode.analysis import exemplars
from gtcode.exchange import export_qdpx
from gtcode.exchange.common import derived_guid
from gtcode.exchange.qdpx_export import build_qdpx
from gtcode.exchange.xmlwriter import XmlWriter

from tests.lib import test_exchange
from tests.lib.test_exchange import SCHEMAS, needs_schemas

awkward = test_exchange.awkward
NS = "urn:QDA-XML:project:1.0"
#: What researchers' names, definitions and memos hold that XML must escape or keep as it is.
PIECES = ["a", "b c", "<", ">", "&", '"', "'", "\n", "\r", "\r\n", "\t", "é", "😬", "\u2028", "\x85", "“q”", ""]


def _text(rng: random.Random) -> str:
    return "".join(rng.choice(PIECES) for _ in range(rng.randint(0, 8)))


def _grow(rng: random.Random, writer: XmlWriter, parent, depth: int) -> None:
    """Children of `parent` (an lxml element), written to `writer` as they are added to the tree."""
    for _ in range(rng.randint(0, 3 if depth < 4 else 0)):
        tag = rng.choice(["Code", "Case", "Description", "NoteRef"])
        attrs = {k: rng.choice([_text(rng), None, rng.randint(0, 10_000)])
                 for k in rng.sample(["guid", "name", "startPosition", "color"], rng.randint(0, 3))}
        el = etree.SubElement(parent, f"{{{NS}}}{tag}", {k: str(v) for k, v in attrs.items() if v is not None})
        if rng.random() < 0.4:
            el.text = _text(rng)
            writer.leaf(tag, attrs, el.text)
        else:
            writer.start(tag, attrs)
            _grow(rng, writer, el, depth + 1)
            writer.end()


def test_streamed_xml_is_byte_for_byte_what_lxml_pretty_prints():
    rng = random.Random(19)
    for _ in range(400):
        attrs = {"name": _text(rng), "origin": "gtcode"}
        root = etree.Element(f"{{{NS}}}Project", nsmap={None: NS})
        for k, v in attrs.items():
            root.set(k, v)
        chunks: list[bytes] = []
        writer = XmlWriter(chunks.append, "Project", NS, attrs)
        _grow(rng, writer, root, 0)
        writer.close()
        assert b"".join(chunks) == etree.tostring(root, xml_declaration=True, encoding="utf-8", pretty_print=True)


@pytest.mark.parametrize("bad", ["\x00", "\x01", "\x0b", "\x1f", "\ufffe"])
def test_streamed_xml_refuses_what_lxml_refuses(bad):
    with pytest.raises(ValueError, match="XML compatible"):
        etree.Element("x").text = f"a{bad}b"
    writer = XmlWriter(lambda _: None, "Project", NS, {})
    with pytest.raises(ValueError, match="XML compatible"):
        writer.leaf("Description", text=f"a{bad}b")
    with pytest.raises(ValueError, match="XML compatible"):
        writer.leaf("Code", {"name": f"a{bad}b"})


def test_selection_guids_are_the_uuid5_they_always_were():
    for parts in [("selection", "3f2c0b1e-9d7a-4c2b-8e1f-0a1b2c3d4e5f"), ("selection", "ABC", "0", "17"),
                  ("project-description", "study.qdpx", "VIG 😬")]:
        assert derived_guid(*parts) == str(uuid.uuid5(uuid.NAMESPACE_URL, "gtcode:" + ":".join(parts)))


def test_project_qde_written_to_a_sink_is_lxml_s_canonical_form(awkward):
    chunks: list[bytes] = []
    files, report = build_qdpx(awkward, chunks.append)
    qde = b"".join(chunks)
    whole = etree.fromstring(qde, etree.XMLParser(remove_blank_text=True))
    assert etree.tostring(whole, xml_declaration=True, encoding="utf-8", pretty_print=True) == qde
    assert len(list(files)) == 2 and report.counts["documents"] == 2


@needs_schemas
def test_streamed_export_holds_the_same_files_as_one_checked_against_the_schema_first(awkward, tmp_path):
    export_qdpx(awkward, tmp_path / "streamed.qdpx")
    export_qdpx(awkward, tmp_path / "checked.qdpx", schema=SCHEMAS / "Project-mrt2019.xsd")
    with zipfile.ZipFile(tmp_path / "streamed.qdpx") as a, zipfile.ZipFile(tmp_path / "checked.qdpx") as b:
        assert a.namelist() == b.namelist() and a.namelist()[0] == "project.qde"
        assert all(a.read(n) == b.read(n) for n in a.namelist())
        assert [i.external_attr for i in a.infolist()] == [i.external_attr for i in b.infolist()]


def test_a_code_name_xml_cannot_hold_leaves_no_file_behind(awkward, tmp_path):
    target = tmp_path / "out.qdpx"
    target.write_bytes(b"the old export")
    awkward.store.conn.execute("UPDATE codes SET name = 'bad\x01name' WHERE name = 'Barriers'")
    with pytest.raises(ValueError):
        export_qdpx(awkward, target)
    assert target.read_bytes() == b"the old export"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".out.qdpx")] == []


def test_each_code_s_exemplar_is_the_first_of_its_full_ranking(awkward):
    store = awkward.store
    chosen = exemplars.exemplar_per_code(store)
    assert chosen       # the fixture has participants' passages
    for code in awkward.codes.list():
        ranked = exemplars.exemplars(store, [code.id], n=1)
        assert chosen.get(code.id) == (ranked[0] if ranked else None)


def test_guids_made_a_document_at_a_time_are_the_ones_made_one_by_one():
    from gtcode.exchange.common import as_guid, as_guids, derived_guids

    made = [str(uuid.uuid4()) for _ in range(50)]
    odd = ["not-a-guid", "{" + made[0] + "}", made[1].upper(), f" {made[2]}", made[3] + "\n", "é😬" * 18, ""]
    for names in (made, made + odd[:1], odd, made[:3] + [made[4] + "\n" + made[5]], []):
        assert as_guids(names) == [as_guid(n) for n in names]
        assert derived_guids("selection", names) == [derived_guid("selection", n) for n in names]


def test_a_coding_without_a_stored_time_keeps_its_place_among_the_selections(awkward):
    store = awkward.store
    ids = [r[0] for r in store.all("SELECT id FROM codings WHERE status = 'confirmed' ORDER BY document_id, "
                                   "start_char, id")]
    store.conn.execute("UPDATE codings SET created_at = '' WHERE id = ?", (ids[1],))
    chunks: list[bytes] = []
    build_qdpx(awkward, chunks.append)
    qde = b"".join(chunks)
    root = etree.fromstring(qde)
    selections = root.findall(f".//{{{NS}}}PlainTextSelection")
    coded = [s for s in selections if s.find(f"{{{NS}}}Coding") is not None]
    uuids = [r[0] for r in store.all("SELECT uuid FROM codings WHERE status = 'confirmed' ORDER BY document_id, "
                                     "start_char, id")]
    assert [s.find(f"{{{NS}}}Coding").get("guid") for s in coded] == uuids
    assert [s.get("creationDateTime") is None for s in coded] == [i == 1 for i in range(len(coded))]
    whole = etree.fromstring(qde, etree.XMLParser(remove_blank_text=True))
    assert etree.tostring(whole, xml_declaration=True, encoding="utf-8", pretty_print=True) == qde

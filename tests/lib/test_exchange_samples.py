"""Conformance with files real tools wrote (../shared/refi-qda/samples): each imports, and each coding lands
on the same words the producing tool marked. Skipped when the shared kit is not there."""

from __future__ import annotations

import zipfile

import pytest

from gtcode.exchange import import_exchange_file
from gtcode.text import normalise

from tests.conftest import SHARED

SAMPLES = SHARED / "refi-qda" / "samples"
pytestmark = pytest.mark.skipif(not SAMPLES.is_dir(), reason="the shared REFI-QDA kit (../shared) is not here")
NS = {"q": "urn:QDA-XML:project:1.0"}


def tool_marked(path, units: str) -> dict[str, str]:
    """Coding GUID → the words the tool marked, sliced from the stored .txt independently of gtcode."""
    from lxml import etree

    out = {}
    with zipfile.ZipFile(path) as zf:
        root = etree.fromstring(zf.read("project.qde"))
        for source in root.iterfind(".//q:TextSource", NS):
            entry = source.get("plainTextPath").split("://")[-1]
            name = next(n for n in zf.namelist() if n.lower().endswith("/" + entry.lower()))
            raw = zf.read(name).decode("utf-8-sig")
            for sel in source.iterfind("q:PlainTextSelection", NS):
                s, e = int(sel.get("startPosition")), int(sel.get("endPosition"))
                if units == "utf16":
                    data = raw.encode("utf-16-le")
                    words = data[2 * s:2 * e].decode("utf-16-le", errors="replace")
                else:
                    words = raw[s:e]
                for coding in sel.iterfind("q:Coding", NS):
                    out[coding.get("guid").lower()] = " ".join(normalise(words).split())
    return out


@pytest.mark.parametrize("sample, units", [
    ("nvivo-win-12.6/oltas0517.qdpx", "utf16"),        # CRLF, BOM, emoji: UTF-16 units over the stored file
    ("nvivo-mac-12.7/OltasSzkepticizmus_17June.qdpx", "utf16"),
    ("qc-1.3.2/demo.qdpx", "codepoint"),               # no internal:// scheme, several codings per selection
])
def test_codings_land_on_the_words_the_tool_marked(project, sample, units):
    path = SAMPLES / sample
    if not path.exists():
        pytest.skip(f"{sample} is not in the kit")
    report = import_exchange_file(project, path)
    marked = tool_marked(path, units)
    rows = project.store.all("SELECT g.uuid, substr(d.text, g.start_char + 1, g.end_char - g.start_char) AS words"
                             " FROM codings g JOIN documents d ON d.id = g.document_id")
    got = {r["uuid"]: " ".join(r["words"].split()) for r in rows}
    assert report.counts["codings added"] == len(rows) > 0
    landed = [g for g in got if got[g] == marked.get(g)]
    # Every coding kept its GUID and its words; only overlapping repeats of one code merge into one coding.
    assert len(landed) == len(got)
    assert len(set(marked) - set(got)) == report.counts.get("codings merged with overlapping ones", 0)


def test_nvivo_guids_folders_and_users_are_kept(project):
    path = SAMPLES / "nvivo-mac-12.7" / "OltasSzkepticizmus_17June.qdpx"
    if not path.exists():
        pytest.skip("sample not in the kit")
    import_exchange_file(project, path)
    code = project.codes.get("1. Oltás típusa/COVID")
    assert code.uuid == "2b5e8f6b-d3a0-412e-9ca8-418531b012f7"
    assert {"floriansipos", "Gergo"} <= {r[0] for r in project.store.all("SELECT name FROM coders")}


@pytest.mark.parametrize("sample", ["atlasti-win-23.2/blank-atlas-project.qdpx",
                                    "nvivo-mac-15.0/nvivo_project.qdpx",
                                    "spec-example-atlasti-8.4/TestProject.qdpx",
                                    "spec-example-atlasti-8.4/Project.qde"])
def test_other_samples_import_and_say_what_they_could_not_take(project, sample):
    path = SAMPLES / sample
    if not path.exists():
        pytest.skip(f"{sample} is not in the kit")
    report = import_exchange_file(project, path)
    assert report.counts.get("coders added", 0) >= 1
    if "spec-example" in sample:
        losses = "\n".join(report.losses)
        for kind in ("pdf", "picture", "audio", "video", "graph"):
            assert kind in losses
        assert report.counts["codes added"] == 14 and report.counts["sets (as memos) added"] == 16
        assert any("is missing from the file" in w for w in report.warnings)
    if "nvivo-mac-15" in sample:           # the sample's texts are a single newline: nothing to code
        assert sum("empty file" in w for w in report.warnings) == 2


def test_real_codebooks_import(project):
    atlas = SAMPLES / "extracted-from-tests" / "atlasti-win-23.4.0_from-requal-test.qdc"
    taguette = SAMPLES / "extracted-from-tests" / "taguette-1.5.2_expected-output.qdc"
    if not (atlas.exists() and taguette.exists()):
        pytest.skip("codebook samples not in the kit")
    report = import_exchange_file(project, atlas)
    assert project.codes.get("code1").description == "description"
    assert report.counts["sets (as memos) added"] == 1 and report.losses == []     # as from a .qdpx
    assert any(m.title == "Set: code group 1" for m in project.memos.list())
    report = import_exchange_file(project, taguette)         # invalid (empty <Sets/>): noted, imported
    assert any("empty <Sets/>" in n for n in report.notes)
    assert {"interesting", "people", "interesting\\places"} <= {c.name for c in project.codes.list()}

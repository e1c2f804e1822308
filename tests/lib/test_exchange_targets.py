"""Exports other readers place correctly (`--for nvivo|atlasti|maxqda|qualcoder|spec`), checked by slicing the
exported text in each target's units with a slicer written apart from the exporter; the demo project exported,
validated and imported back without loss."""

from __future__ import annotations

import zipfile

import pytest

from gtcode import Project
from gtcode.exchange import export_qdpx, import_qdpx, validate
from gtcode.exchange.positions import TARGETS

from tests.conftest import SHARED, copy_demo
from tests.lib import test_exchange
from tests.lib.test_exchange import snapshot

awkward = test_exchange.awkward
SCHEMAS = SHARED / "refi-qda" / "schemas"
NS = {"q": "urn:QDA-XML:project:1.0"}
#: How each target's reader counts (the slicer's own table, not the exporter's).
READ_AS = {"spec": "codepoint", "qualcoder": "codepoint", "nvivo": "utf16", "atlasti": "crlf-as-one",
           "maxqda": "crlf-as-one"}


def sliced(path, how: str) -> tuple[dict[str, str], list]:
    """(coding GUID → the words its selection covers, selection elements), sliced from the stored .txt files."""
    from lxml import etree

    words, selections = {}, []
    with zipfile.ZipFile(path) as zf:
        root = etree.fromstring(zf.read("project.qde"))
        for source in root.iterfind(".//q:TextSource", NS):
            data = zf.read("sources/" + source.get("plainTextPath").split("://", 1)[1])
            raw = data.decode("utf-8")
            raw = raw[1:] if raw.startswith("\ufeff") else raw
            for sel in source.iterfind("q:PlainTextSelection", NS):
                selections.append(sel)
                s, e = int(sel.get("startPosition")), int(sel.get("endPosition"))
                if how == "utf16":      # strict: a position inside a surrogate pair fails to decode
                    piece = raw.encode("utf-16-le")[2 * s:2 * e].decode("utf-16-le")
                elif how == "crlf-as-one":
                    piece = raw.replace("\r\n", "\n")[s:e]
                else:
                    piece = raw[s:e]
                for coding in sel.iterfind("q:Coding", NS):
                    words[coding.get("guid")] = piece.replace("\r\n", "\n")
    return words, selections


def coded_words(project) -> dict[str, str]:
    rows = project.store.all("SELECT g.uuid, substr(d.text, g.start_char + 1, g.end_char - g.start_char) AS words"
                             " FROM codings g JOIN documents d ON d.id = g.document_id WHERE g.status = 'confirmed'")
    return {r["uuid"]: r["words"] for r in rows}


def check_export(project, path, target: str) -> dict:
    """Every coding's selection, sliced the target's way, is exactly gtcode's text; one coding per selection,
    each with its creator and time. Returns the selections' words."""
    words, selections = sliced(path, READ_AS[target])
    expected = coded_words(project)
    assert words == expected
    assert all(len(s.findall("q:Coding", NS)) <= 1 for s in selections)
    assert all(s.get("creatingUser") and s.get("creationDateTime") for s in selections)
    return words


@pytest.mark.parametrize("target", sorted(TARGETS))
def test_every_target_places_every_coding_on_its_words(awkward, tmp_path, target):
    path = tmp_path / f"{target}.qdpx"
    report = export_qdpx(awkward, path, target=target)
    check_export(awkward, path, target)
    with zipfile.ZipFile(path) as zf:
        texts = [zf.read(n) for n in zf.namelist() if n.endswith(".txt")]
    crlf = TARGETS[target].newline == "\r\n"
    assert all((b"\r\n" in t) == crlf for t in texts)
    assert all(t.startswith(b"\xef\xbb\xbf") == (target in ("nvivo", "maxqda")) for t in texts)
    assert report.positions and ("UTF-16" in report.positions) == (target == "nvivo")


def test_nvivo_units_differ_from_code_points_where_it_matters(awkward, tmp_path):
    """The emoji and CRLF of P01 shift NVivo's positions: reading them as code points would misplace codings."""
    export_qdpx(awkward, tmp_path / "n.qdpx", target="nvivo")
    as_nvivo, _ = sliced(tmp_path / "n.qdpx", "utf16")
    as_spec, _ = sliced(tmp_path / "n.qdpx", "codepoint")
    moved = [g for g in as_nvivo if as_spec[g] != as_nvivo[g]]
    assert moved and all(as_nvivo[g] == coded_words(awkward)[g] for g in moved)


def test_each_target_round_trips(awkward, tmp_path):
    for target in TARGETS:
        export_qdpx(awkward, tmp_path / f"{target}.qdpx", target=target)
        copy = Project.init(tmp_path / f"copy-{target}", coder="importer")
        back = import_qdpx(copy, tmp_path / f"{target}.qdpx")     # the origin names the units
        assert back.warnings == [] and back.losses == [] and back.notes == [], target
        assert snapshot(copy.path) == snapshot(awkward.path), target
        copy.close()


def test_unknown_target_is_a_clear_error(awkward, tmp_path):
    from gtcode.errors import InputError

    with pytest.raises(InputError, match="--for 'word'"):
        export_qdpx(awkward, tmp_path / "x.qdpx", target="word")
    assert not (tmp_path / "x.qdpx").exists()


# --- the demo project ------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def demo(demo_build, tmp_path_factory):
    from gtcode import Project

    with Project.open(copy_demo(demo_build, tmp_path_factory.mktemp("demo") / "demo"), coder="demo") as project:
        yield project


@pytest.mark.parametrize("target", ["nvivo", "spec"])
def test_demo_exports_place_validate_and_round_trip(demo, tmp_path, target):
    path = tmp_path / f"demo-{target}.qdpx"
    report = export_qdpx(demo, path, target=target)
    words = check_export(demo, path, target)
    confirmed = demo.store.scalar("SELECT count(*) FROM codings WHERE status = 'confirmed'")
    assert len(words) == report.counts["codings"] == confirmed > 400
    # Categories that hold codings are written codable, and the summary says so.
    held = demo.store.scalar("SELECT count(DISTINCT g.code_id) FROM codings g JOIN codes c ON c.id = g.code_id"
                             " WHERE c.kind = 'category'")
    assert held == 0 or any("exported as codable codes" in n for n in report.notes)
    from lxml import etree

    with zipfile.ZipFile(path) as zf:
        qde = zf.read("project.qde")
    root = etree.fromstring(qde)
    codable = {c.get("guid"): c.get("isCodable") for c in root.iter("{urn:QDA-XML:project:1.0}Code")}
    assert all(codable[r.get("targetGUID")] == "true" for r in root.iter("{urn:QDA-XML:project:1.0}CodeRef"))
    if (SCHEMAS / "Project-mrt2019.xsd").exists():
        assert validate(qde, SCHEMAS / "Project-mrt2019.xsd") == []
    copy = Project.init(tmp_path / "copy", coder="importer")
    back = import_qdpx(copy, path)
    assert back.warnings == [] and back.losses == [] and back.notes == []
    assert snapshot(copy.path) == snapshot(demo.path)
    assert [c.path for c in copy.codes.list()] == [c.path for c in demo.codes.list()]
    copy.close()


@pytest.mark.skipif(not (SCHEMAS / "Codebook.xsd").exists(), reason="the shared REFI-QDA kit is not here")
def test_demo_codebook_validates(demo):
    from gtcode.exchange import export_qdc

    assert validate(export_qdc(demo), SCHEMAS / "Codebook.xsd") == []

"""A .qdpx is an untrusted zip of XML: crafted files are refused with one clear error and nothing imported;
bad items inside a good file are skipped and reported; positions land on the words the tool marked."""

from __future__ import annotations

import io
import zipfile

import pytest

from gtcode.errors import InputError, UnsafeExchangeFile
from gtcode.exchange import import_qdc, import_qdpx
from gtcode.exchange.positions import PositionMap

NS = "urn:QDA-XML:project:1.0"
CODE = "aaaaaaaa-0000-0000-0000-000000000001"
SRC = "bbbbbbbb-0000-0000-0000-000000000001"
USER = "cccccccc-0000-0000-0000-000000000001"


def qde(body: str = "", origin: str = "Tester 1.0", ns: str = NS, head: str = "") -> bytes:
    return (f'<?xml version="1.0" encoding="utf-8"?>\n{head}<Project xmlns="{ns}" name="crafted" origin="{origin}">'
            f'<Users><User guid="{USER}" name="Alex"/></Users>'
            f'<CodeBook><Codes><Code guid="{CODE}" name="Film" isCodable="true"/></Codes></CodeBook>'
            f'{body}</Project>').encode("utf-8")


def qdpx(path, entries: dict[str, bytes]):
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in entries.items():
            zf.writestr(name, data)
    return path


def source(selections: str, guid: str = SRC, name: str = "interview") -> str:
    return (f'<Sources><TextSource guid="{guid}" name="{name}" plainTextPath="internal://{guid}.txt">'
            f'{selections}</TextSource></Sources>')


def selection(start: int, end: int, code: str = CODE, guid: str = "dddddddd-0000-0000-0000-000000000001",
              coding: str = "eeeeeeee-0000-0000-0000-000000000001") -> str:
    return (f'<PlainTextSelection guid="{guid}" startPosition="{start}" endPosition="{end}">'
            f'<Coding guid="{coding}" creatingUser="{USER}" creationDateTime="2024-03-01T10:00:00Z">'
            f'<CodeRef targetGUID="{code}"/></Coding></PlainTextSelection>')


def unchanged(project) -> bool:
    s = project.store
    return (s.scalar("SELECT count(*) FROM codes") == 0 and s.scalar("SELECT count(*) FROM documents") == 0
            and s.scalar("SELECT count(*) FROM events WHERE action != 'project.init'") == 0)


# --- refused whole ----------------------------------------------------------------------------------------------

@pytest.mark.parametrize("entry", ["../evil.txt", "/etc/evil.txt", "sources/../../evil.txt", "C:/evil.txt",
                                   "sources\\..\\evil.txt"])
def test_path_traversal_in_an_entry_name_is_refused(project, tmp_path, entry):
    path = qdpx(tmp_path / "evil.qdpx", {"project.qde": qde(), entry: b"gotcha"})
    with pytest.raises(UnsafeExchangeFile, match="refused"):
        import_qdpx(project, path)
    assert unchanged(project)


def test_zip_bomb_is_refused(project, tmp_path, monkeypatch):
    from gtcode import safezip

    monkeypatch.setattr(safezip, "MAX_TOTAL_BYTES", 1_000_000)
    path = qdpx(tmp_path / "bomb.qdpx", {"project.qde": qde(), "sources/zeros.txt": b"\0" * 5_000_000})
    assert path.stat().st_size < 100_000
    with pytest.raises(UnsafeExchangeFile, match="zip bomb"):
        import_qdpx(project, path)
    assert unchanged(project)


def test_too_many_entries_are_refused(project, tmp_path, monkeypatch):
    from gtcode import safezip

    monkeypatch.setattr(safezip, "MAX_ENTRIES", 10)
    path = qdpx(tmp_path / "many.qdpx", {"project.qde": qde(), **{f"sources/{i}.txt": b"x" for i in range(20)}})
    with pytest.raises(UnsafeExchangeFile, match="entries"):
        import_qdpx(project, path)


def test_external_entities_are_never_resolved(project, tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP SECRET")
    head = f'<!DOCTYPE Project [<!ENTITY xxe SYSTEM "file://{secret}">]>\n'
    body = f'<Notes><Note guid="{SRC}" name="leak"><PlainTextContent>&xxe;</PlainTextContent></Note></Notes>'
    path = qdpx(tmp_path / "xxe.qdpx", {"project.qde": qde(body, head=head)})
    with pytest.raises(UnsafeExchangeFile, match="DOCTYPE"):
        import_qdpx(project, path)
    assert unchanged(project)


def test_billion_laughs_is_refused(project, tmp_path):
    lol = "".join(f'<!ENTITY l{i} "{("&l" + str(i - 1) + ";") * 10}">' for i in range(1, 10))
    head = f'<!DOCTYPE Project [<!ENTITY l0 "lol">{lol}]>\n'
    path = qdpx(tmp_path / "lol.qdpx", {"project.qde": qde('<Description>&l9;</Description>', head=head)})
    with pytest.raises(UnsafeExchangeFile, match="DOCTYPE"):
        import_qdpx(project, path)


def test_a_doctype_in_a_qdc_is_refused(project, tmp_path):
    (tmp_path / "x.qdc").write_text('<?xml version="1.0"?><!DOCTYPE CodeBook SYSTEM "http://example.org/x.dtd">'
                                    '<CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes/></CodeBook>')
    with pytest.raises(UnsafeExchangeFile, match="DOCTYPE"):
        import_qdc(project, tmp_path / "x.qdc")


@pytest.mark.parametrize("make, message", [
    (lambda p: p.write_text("plain text, not a zip"), "must be a zip archive"),
    (lambda p: p.write_bytes(_zip_bytes({"project.qde": qde()})[:60]), "must be a zip archive"),
    (lambda p: qdpx(p, {"sources/a.txt": b"hello"}), "no project.qde"),
    (lambda p: qdpx(p, {"project.qde": b"<Project><unclosed></Project>"}), "not well-formed XML"),
    (lambda p: qdpx(p, {"project.qde": qde(ns="urn:QDA-XML:project:2.0")}), "version '2.0' is unknown"),
    (lambda p: qdpx(p, {"project.qde": qde(ns="urn:example:other")}), "is not REFI-QDA"),
    (lambda p: qdpx(p, {"project.qde": qde(f'<Notes><Note guid="{CODE}" name="n"/></Notes>')}), "used twice"),
    (lambda p: qdpx(p, {"project.qde": qde('<Notes><Note guid="not-a-guid" name="n"/></Notes>')}), "no valid guid"),
])
def test_bad_files_get_one_clear_error_and_change_nothing(project, tmp_path, make, message):
    path = tmp_path / "bad.qdpx"
    make(path)
    with pytest.raises(InputError, match=message) as info:
        import_qdpx(project, path)
    assert "bad.qdpx" in str(info.value) and "\n" not in str(info.value)
    assert unchanged(project)


def _zip_bytes(entries) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in entries.items():
            zf.writestr(name, data)
    return buf.getvalue()


def test_corrupt_entry_is_an_error(project, tmp_path):
    data = bytearray(_zip_bytes({"project.qde": qde() * 50}))
    data[60:90] = b"\xff" * 30                       # damage the compressed bytes of the first entry
    (tmp_path / "corrupt.qdpx").write_bytes(bytes(data))
    with pytest.raises(InputError):
        import_qdpx(project, tmp_path / "corrupt.qdpx")
    assert unchanged(project)


# --- skipped and reported --------------------------------------------------------------------------------------

TEXT = "Interviewer: How was it?\nP01: The film helped me see her.\n"


def test_dangling_references_are_skipped_and_reported(project, tmp_path):
    start = TEXT.index("The film")
    body = source(selection(start, start + 8) + selection(0, 5, code="ffffffff-0000-0000-0000-000000000009",
                                                          guid="dddddddd-0000-0000-0000-000000000002",
                                                          coding="eeeeeeee-0000-0000-0000-000000000002")
                  + selection(900, 950, guid="dddddddd-0000-0000-0000-000000000003",
                              coding="eeeeeeee-0000-0000-0000-000000000003"))
    body += (f'<Links><Link guid="99999999-0000-0000-0000-000000000001" name="causes" originGUID="{CODE}" '
             f'targetGUID="99999999-0000-0000-0000-0000000000aa"/></Links>')
    path = qdpx(tmp_path / "x.qdpx", {"project.qde": qde(body), f"sources/{SRC}.txt": TEXT.encode()})
    report = import_qdpx(project, path)
    assert report.counts["codings added"] == 1
    text = "\n".join(report.warnings)
    assert "unknown code ffffffff-0000-0000-0000-000000000009; skipped" in text
    assert "[900, 950) is empty, only whitespace or outside the text" in text
    assert "99999999-0000-0000-0000-0000000000aa was not imported" in text
    (passage,) = project.coding.passages("Film")
    assert passage.text == "The film" and passage.coder == "Alex"


def test_media_and_graphs_are_listed_as_losses(project, tmp_path):
    body = ('<Sources><PDFSource guid="11111111-0000-0000-0000-000000000001" name="report.pdf" '
            'path="internal://x.pdf"/><AudioSource guid="11111111-0000-0000-0000-000000000002" name="talk.m4a"/>'
            '</Sources><Graphs><Graph guid="11111111-0000-0000-0000-000000000003" name="Network"/></Graphs>')
    report = import_qdpx(project, qdpx(tmp_path / "m.qdpx", {"project.qde": qde(body)}))
    losses = "\n".join(report.losses)
    assert "1 pdf source ('report.pdf')" in losses and "1 audio source ('talk.m4a')" in losses
    assert "1 graph (network views: 'Network')" in losses
    assert [c.path for c in project.codes.list()] == ["Film"]


def test_sets_become_memos_linking_their_members(project, tmp_path):
    body = source("") + (f'<Sets><Set guid="12121212-0000-0000-0000-000000000001" name="Mothers">'
                         f'<Description>Interviews with mothers</Description>'
                         f'<MemberSource targetGUID="{SRC.upper()}"/><MemberCode targetGUID="{CODE}"/></Set></Sets>')
    report = import_qdpx(project, qdpx(tmp_path / "s.qdpx", {"project.qde": qde(body),
                                                              f"sources/{SRC}.txt": TEXT.encode()}))
    assert report.counts["sets (as memos) added"] == 1
    (memo,) = project.memos.list()
    memo = project.memos.get(memo.id)
    assert memo.title == "Set: Mothers" and "Interviews with mothers" in memo.body
    assert sorted(link.type for link in memo.links) == ["code", "document"]


def test_guid_case_and_braces_do_not_matter(project, tmp_path):
    start = TEXT.index("film")
    body = source(selection(start, start + 4, code="{" + CODE.upper() + "}"), guid=SRC.upper())
    path = qdpx(tmp_path / "x.qdpx", {"project.qde": qde(body), f"Sources/{SRC.upper()}.txt": TEXT.encode()})
    report = import_qdpx(project, path)
    assert report.counts["codings added"] == 1 and not report.warnings
    # Matched without regard to case, stored as the file wrote them (and written back so).
    assert project.docs.get("interview").uuid == SRC.upper()
    assert project.codes.get("Film").uuid == CODE


# --- positions ---------------------------------------------------------------------------------------------------

NVIVO_TEXT = "Interviewer: Hi 👋 there.\r\nP01: I loved the café 😊 and the film.\r\n"


def utf16_span(text: str, words: str) -> tuple[int, int]:
    at = text.index(words)
    return len(text[:at].encode("utf-16-le")) // 2, len(text[:at + len(words)].encode("utf-16-le")) // 2


def test_nvivo_positions_count_utf16_units_over_crlf_text(project, tmp_path):
    start, end = utf16_span(NVIVO_TEXT, "the film")
    path = qdpx(tmp_path / "nv.qdpx", {"project.qde": qde(source(selection(start, end)), origin="NVivo 14"),
                                       f"Sources/{SRC}.txt": b"\xef\xbb\xbf" + NVIVO_TEXT.encode("utf-8")})
    import_qdpx(project, path)
    assert [p.text for p in project.coding.passages("Film")] == ["the film"]


def test_the_same_file_counted_in_code_points_lands_elsewhere(project, tmp_path):
    """The units matter: without NVivo's origin the same numbers are code points (the spec)."""
    start, end = utf16_span(NVIVO_TEXT, "the film")
    path = qdpx(tmp_path / "x.qdpx", {"project.qde": qde(source(selection(start, end)), origin="Other"),
                                      f"sources/{SRC}.txt": NVIVO_TEXT.encode("utf-8")})
    import_qdpx(project, path)
    assert [p.text for p in project.coding.passages("Film")] != ["the film"]
    project2_path = tmp_path / "again"
    from gtcode import Project
    with Project.init(project2_path, coder="t") as again:
        import_qdpx(again, path, positions="utf16")
        assert [p.text for p in again.coding.passages("Film")] == ["the film"]


def test_position_map_handles_crlf_bom_emoji_and_decomposed_accents():
    raw = "\ufeffA\r\ncafe\u0301 😊 ok\r\n"     # BOM, CRLF, e + combining acute, an emoji
    cp = PositionMap(raw, "codepoint")
    assert cp.text == "A\ncafé 😊 ok\n"
    a = raw.index("cafe") - 1                     # positions do not count the BOM
    assert cp.text[slice(*cp.span(a, a + 5))] == "café"
    u16 = PositionMap(raw, "utf16")
    s = len(raw[1:raw.index("ok")].encode("utf-16-le")) // 2
    assert u16.text[slice(*u16.span(s, s + 2))] == "ok"
    lf = PositionMap(raw, "codepoint-lf")         # CRLF counted once (ATLAS.ti)
    s = raw[1:].replace("\r\n", "\n").index("ok")
    assert lf.text[slice(*lf.span(s, s + 2))] == "ok"
    assert cp.span(0, 10_000) is None and cp.span(5, 5) is None

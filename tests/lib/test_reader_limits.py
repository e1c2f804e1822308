"""Readers are bounded: bombs, XXE, huge cells and page counts are refused with one typed line naming the file,
before any library parses them, and the rest of a batch still lands.

Bombs are built lazily (streamed into the zip) and limits lowered where that keeps a test fast.
"""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest

from gtcode.errors import FileTooLarge, GtcodeError, InputError, UnsafeFile
from gtcode.ingest import ReadOptions, limits, read_path

from tests.lib.test_readers import EAF, write_odt, write_pdf


def refused(path: Path, error, reason: str) -> str:
    with pytest.raises(error) as info:
        read_path(path, ReadOptions())
    message = str(info.value)
    assert isinstance(info.value, GtcodeError) and str(path) in message and reason in message
    assert "\n" not in message
    return message


def zip_with(path: Path, name: str, chunk: bytes, times: int, head: bytes = b"") -> Path:
    """A zip whose entry `name` is `head` then `chunk` × `times`, written by streaming (never whole in memory)."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        with z.open(name, "w") as fh:
            fh.write(head)
            for _ in range(times):
                fh.write(chunk)
    return path


def test_docx_whose_document_xml_inflates_past_the_xml_limit_is_refused_before_python_docx(tmp_path, monkeypatch):
    import docx

    monkeypatch.setattr(docx, "Document", lambda *a, **k: pytest.fail("python-docx was handed the bomb"))
    head = b'<?xml version="1.0"?><w:document xmlns:w="x"><w:body><w:p><w:r><w:t>'
    path = zip_with(tmp_path / "bomb.docx", "word/document.xml", b" " * (1 << 20), 30, head)   # 30 MiB of XML
    assert path.stat().st_size < 200_000
    refused(path, FileTooLarge, "of XML once unpacked")


def test_docx_past_the_unpacked_limit_is_a_zip_bomb(tmp_path, monkeypatch):
    monkeypatch.setattr(limits, "MAX_UNPACKED_BYTES", 1 << 20)
    path = zip_with(tmp_path / "bomb.docx", "word/media/image1.png", b"\0" * (1 << 20), 3)
    refused(path, UnsafeFile, "zip bomb")


def test_odt_bomb_and_odt_with_a_doctype_are_refused(tmp_path, monkeypatch):
    xxe = '<!DOCTYPE office:document-content [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n'
    refused(write_odt(tmp_path / "xxe.odt", "<text:p>Interviewer: &x;</text:p>", head=xxe), UnsafeFile, "DOCTYPE")
    monkeypatch.setattr(limits, "MAX_XML_BYTES", 1 << 20)
    refused(zip_with(tmp_path / "big.odt", "content.xml", b" " * (1 << 20), 2), FileTooLarge, "of XML")


@pytest.mark.parametrize("doctype", [
    '<!DOCTYPE ANNOTATION_DOCUMENT [<!ENTITY x SYSTEM "file:///etc/passwd">]>',
    '<!DOCTYPE lolz [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
    '<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>',
], ids=["xxe", "billion-laughs"])
def test_eaf_with_entities_is_refused(tmp_path, doctype):
    path = tmp_path / "evil.eaf"
    path.write_text(EAF.replace("<ANNOTATION_DOCUMENT", doctype + "\n<ANNOTATION_DOCUMENT", 1), encoding="utf-8")
    refused(path, UnsafeFile, "DOCTYPE")


def test_html_with_entities_in_its_doctype_is_refused(tmp_path):
    path = tmp_path / "evil.html"
    path.write_text('<!DOCTYPE html [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n'
                    "<html><body><p>Interviewer: &x;</p><p>P01: hi.</p></body></html>", encoding="utf-8")
    refused(path, UnsafeFile, "XXE")


def test_csv_cell_past_the_field_limit_names_the_line(tmp_path, monkeypatch):
    import csv

    monkeypatch.setattr(limits, "MAX_CSV_FIELD", 1000)
    before = csv.field_size_limit()
    path = tmp_path / "answers.csv"
    path.write_text("id,response\nR1,short\nR2,\"" + "long " * 400 + "\"\n", encoding="utf-8")
    message = refused(path, FileTooLarge, "longer than 1,000 characters")
    assert "line 3" in message
    assert csv.field_size_limit() == before           # the process-wide limit is put back


def test_csv_and_participants_table_past_the_file_limit(tmp_path, monkeypatch, project):
    from gtcode.ingest.case_table import read_case_table

    monkeypatch.setattr(limits, "MAX_TABLE_BYTES", 100)
    path = tmp_path / "people.csv"
    path.write_text("id,age\n" + "".join(f"P{i},3{i % 10}\n" for i in range(40)), encoding="utf-8")
    refused(path, FileTooLarge, "more than the 100 bytes a CSV file may have")
    with pytest.raises(FileTooLarge, match="people.csv"):
        read_case_table(path)


def test_pdf_page_and_byte_caps(tmp_path, monkeypatch):
    path = write_pdf(tmp_path / "long.pdf", [["I: Page one."], ["P1: Page two."], ["I: Page three."]])
    monkeypatch.setattr(limits, "MAX_PDF_PAGES", 2)
    refused(path, FileTooLarge, "more than 2 pages")
    monkeypatch.setattr(limits, "MAX_PDF_PAGES", 10)
    monkeypatch.setattr(limits, "MAX_FILE_BYTES", 500)
    refused(path, FileTooLarge, "a PDF may have")


def test_a_limit_is_raised_or_lowered_in_the_config_file(tmp_path):
    from gtcode.config import set_config

    path = write_pdf(tmp_path / "two.pdf", [["I: Page one."], ["P1: Page two."]])
    set_config("max_pdf_pages", "1")
    refused(path, FileTooLarge, "more than 1 pages, the most a PDF may have; refused (config max_pdf_pages")
    set_config("max_pdf_pages", "5")
    assert read_path(path, ReadOptions())[0].text == "I: Page one.\nP1: Page two."


@pytest.mark.parametrize("name, content, reason", [
    ("deep.json", "[" * 100_000 + "]" * 100_000, "not valid JSON"),
    ("package.json", json.dumps({"name": "x", "version": "1"}), "'segments' list"),
    ("notes.tsv", "a\tb\n1\t2\n", "not a Whisper TSV"),
    ("broken.eaf", "<ANNOTATION_DOCUMENT><TIER>", "not a valid ELAN file"),
    ("other.eaf", "<root/>", "not an ELAN file"),
    ("plain.cha", "@Begin\nno tiers here\n@End\n", "no main tier"),
    ("fake.rtf", "just text", "not an RTF file"),
    ("fake.odt", "just text", "not a valid .odt"),
    ("fake.pdf", "just text", "not a PDF"),
], ids=lambda v: v if isinstance(v, str) and len(v) < 20 else None)
def test_bad_files_fail_alone_with_one_line(tmp_path, project, name, content, reason):
    bad = tmp_path / name
    bad.write_text(content, encoding="utf-8")
    refused(bad, InputError, reason)
    good = tmp_path / "good.txt"
    good.write_text("Interviewer: Hello.\nP01: Hi there.\n", encoding="utf-8")
    report = project.docs.import_paths([bad, good])
    status = {Path(o.source).name: o for o in report.outcomes}
    assert status["good.txt"].status == "imported"
    assert status[name].status == "failed" and reason in status[name].message
    assert "unexpected" not in status[name].message

"""Data exports for R and pandas: every coding as a CSV or JSON Lines row (pending ones marked), and the
code × case 0/1 matrix. Files are read back as a researcher's script would read them (the commands:
tests/cli/test_cli_export.py)."""

from __future__ import annotations

import csv
import json

import pytest

from gtcode.errors import InputError
from gtcode.exchange.tabular import code_case_matrix, export_codings, export_matrix

P01 = "Interviewer: How was it?\r\n\r\nP01: I felt judged, “watched” | filmed 😊.\r\nIt got better, honestly.\r\n"
P02 = "Interviewer: And for you?\n\nP02: The bus was hard. The café helped.\n"
P10 = "Interviewer: Anything else?\n\nP10: No, that's all.\n"


@pytest.fixture
def coded(project, tmp_path):
    """Three interviews (CRLF, emoji; an attribute named like a column), codes nested under a category, an unused
    code, and a pending coding on D3:2."""
    p = project
    for name, text in (("P01.txt", P01), ("P02.txt", P02), ("P10.txt", P10)):
        (tmp_path / name).write_bytes(text.encode("utf-8"))
    p.cases.set("P01", {"role": "mother", "site": "Trust A"})
    p.cases.set("P02", {"role": "practitioner", "speaker": "clash"})   # an attribute named like a column
    p.cases.set("P10", {"role": "mother"})
    p.docs.import_paths([tmp_path / n for n in ("P01.txt", "P02.txt", "P10.txt")], interviewer="Interviewer")
    p.model.new_category("Barriers")
    p.codes.add("Barriers/Judgement")
    p.codes.add("Barriers/Judgement/Being filmed")
    p.codes.add("Practical")
    p.codes.add("Unused")
    p.coding.apply("D1:2", "Barriers/Judgement")
    p.coding.apply("D1:3", "Barriers/Judgement/Being filmed")
    p.coding.apply("D2:2", "Practical")
    from gtcode.coding import code_spans
    from gtcode.spans import spans_for_addresses
    with p.transaction() as txn:
        code_spans(p.store, txn, ["Practical"], spans_for_addresses(p.store, ["D3:2"]), status="pending")
    return p


def test_csv_has_one_row_per_coding_with_attributes_and_exact_text(coded, tmp_path):
    done = export_codings(coded, tmp_path / "codings.csv")
    assert done == {"path": str(tmp_path / "codings.csv"), "format": "csv", "rows": 4, "pending": 1}
    with (tmp_path / "codings.csv").open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert list(rows[0])[:9] == ["id", "uuid", "document", "document_id", "case", "role", "site", "attr_speaker",
                                 "speaker"]
    assert list(rows[0])[-10:] == ["speaker", "address", "start", "end", "text", "code", "category", "coder", "time",
                                   "pending"]
    first = rows[0]
    assert (first["case"], first["role"], first["site"], first["speaker"]) == ("P01", "mother", "Trust A", "P01")
    assert first["code"] == "Barriers/Judgement" and first["category"] == "Barriers" and first["coder"] == "tester"
    text = coded.docs.text("D1")
    for row in rows:                                        # offsets are into the canonical text, exactly
        doc = coded.docs.get(row["document_id"])
        assert coded.docs.text(doc.id)[int(row["start"]):int(row["end"])] == row["text"]
    assert "“watched” | filmed 😊." in text and rows[0]["text"] == "I felt judged, “watched” | filmed 😊."
    assert [r["pending"] for r in rows] == ["false", "false", "false", "true"]
    assert rows[3]["code"] == "Practical" and rows[3]["category"] == "" and rows[2]["attr_speaker"] == "clash"


def test_jsonl_rows_match_csv_with_real_booleans_and_numbers(coded, tmp_path):
    export_codings(coded, tmp_path / "c.csv")
    export_codings(coded, tmp_path / "c.data", "jsonl")
    lines = (tmp_path / "c.data").read_text(encoding="utf-8").splitlines()
    records = [json.loads(line) for line in lines]
    with (tmp_path / "c.csv").open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert [r["id"] for r in records] == [int(r["id"]) for r in rows]
    assert [r["pending"] for r in records] == [False, False, False, True]
    assert isinstance(records[0]["start"], int) and list(records[0]) == list(rows[0])


def test_where_limits_the_export(coded, tmp_path):
    done = export_codings(coded, tmp_path / "m.csv", where=["role=mother"])
    assert done["rows"] == 3
    with (tmp_path / "m.csv").open(encoding="utf-8", newline="") as fh:
        assert {r["case"] for r in csv.DictReader(fh)} == {"P01", "P10"}


def test_matrix_is_zero_one_by_case_counting_sub_codes_but_not_pending(coded, tmp_path):
    header, rows = code_case_matrix(coded)
    assert header == ["code", "category", "P01", "P02", "P10"]        # P2 before P10
    by_code = {r[0]: r[1:] for r in rows}
    assert by_code["Barriers/Judgement"] == ["Barriers", 1, 0, 0]
    assert by_code["Barriers/Judgement/Being filmed"] == ["Barriers", 1, 0, 0]
    assert by_code["Practical"] == ["", 0, 1, 0]                     # P10's suggestion is pending
    assert by_code["Unused"] == ["", 0, 0, 0]
    assert "Barriers" not in by_code                                  # categories are not rows
    export_matrix(coded, tmp_path / "matrix.csv")
    with (tmp_path / "matrix.csv").open(encoding="utf-8", newline="") as fh:
        assert list(csv.reader(fh))[1] == ["Barriers/Judgement", "Barriers", "1", "0", "0"]


def test_no_codings_bad_format_and_bad_path_write_nothing(coded, tmp_path):
    with pytest.raises(InputError, match="no attribute"):
        export_codings(coded, tmp_path / "x.csv", where=["nobody=1"])
    with pytest.raises(InputError, match="format 'xlsx'"):
        export_codings(coded, tmp_path / "x.xlsx")
    with pytest.raises(InputError, match="does not exist"):
        export_matrix(coded, tmp_path / "missing" / "m.csv")
    assert not list(tmp_path.glob("x.*")) and not list(tmp_path.glob(".x.*"))
    # No codings in scope: the header alone, so a script reading the file still runs.
    done = export_codings(coded, tmp_path / "none.csv", where=["role=practitioner", "site=Trust A"])
    assert done["rows"] == 0 and (tmp_path / "none.csv").read_text(encoding="utf-8").startswith("id,uuid,document,")
    assert len((tmp_path / "none.csv").read_text(encoding="utf-8").splitlines()) == 1


def test_exported_files_are_ordinary_files_not_private_temporaries(coded, tmp_path):
    import os
    import stat

    old = os.umask(0o022)
    try:
        export_matrix(coded, tmp_path / "m.csv")
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "m.csv").stat().st_mode) == 0o644


def test_empty_project_exports_header_only_codings_and_refuses_a_matrix(tmp_path):
    from gtcode import Project

    with Project.init(tmp_path / "empty", coder="t") as p:
        assert export_codings(p, tmp_path / "c.csv")["rows"] == 0
        with pytest.raises(InputError, match="import transcripts first"):
            export_matrix(p, tmp_path / "m.csv")
    assert (tmp_path / "c.csv").read_text(encoding="utf-8").splitlines() == [
        "id,uuid,document,document_id,case,speaker,address,start,end,text,code,category,coder,time,pending"]
    assert not (tmp_path / "m.csv").exists()

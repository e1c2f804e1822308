"""`gtcode cooccur` and `matrix`: the table, pairs, CSV and JSON, clean errors, a fast start."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys

import pytest

from tests.conftest import invoke
from tests.lib import test_cooccurrence as lib

study, wider = lib.study, lib.wider  # the library tests' fixtures, shared rather than copied


def test_cli_cooccur_matrix_for_few_codes_pairs_for_many(study):
    out = invoke(study, "cooccur", "--by", "turn").stdout
    lines = {line.split("│")[0].strip(): [c.strip() for c in line.split("│")[1:]] for line in out.splitlines()
             if "│" in line}
    assert lines["1 Camera"] == ["2", "2 1", "1 .50", "1 .33"]              # diagonal: turns with the code
    assert lines["3 Kind"] == ["1 .50", "1 .50", "1", "·"]
    listed = invoke(study, "cooccur", "--by", "turn", "--pairs", "--top", "2")
    assert [line.split()[:3] for line in listed.stdout.splitlines()[2:]] == [["1", "│", "Camera"],
                                                                           ["2", "│", "Camera"]]
    assert "5 pairs of 4 codes share a turn; the top 2 shown" in listed.stderr
    assert "Units: 6 turns." in listed.stderr


def test_cli_cooccur_csv_and_json(study, tmp_path):
    out = invoke(study, "cooccur", "--by", "turn", "--csv", "--sort", "both").stdout
    rows = list(csv.reader(io.StringIO(out)))
    assert rows[0] == ["a", "b", "both", "a_units", "b_units", "jaccard", "by"]
    assert rows[1] == ["Camera", "Fear", "2", "2", "2", "1.0000", "turn"]
    assert len(rows) == 6
    data = json.loads(invoke(study, "cooccur", "--json", "--where", "role=mother").stdout)
    assert data["by"] == "segment" and data["units"] == 7 and data["where"] == ["role=mother"]
    assert data["codes"][1] == {"code": "Fear", "kind": "code", "codes": ["Fear"], "units": 2}
    assert data["pairs"] == [{"a": "Camera", "b": "Fear", "both": 1, "a_units": 1, "b_units": 2, "jaccard": 0.5}]
    ranked = json.loads(invoke(study, "cooccur", "--by", "turn", "--json").stdout)["pairs"]
    assert [(p["a"], p["b"], p["jaccard"]) for p in ranked][:3] == [("Camera", "Fear", 1.0), ("Camera", "Kind", 0.5),
                                                                     ("Fear", "Kind", 0.5)]      # best first
    everything = json.loads(invoke(study, "cooccur", "--json", "--min", "0").stdout)
    assert len(everything["pairs"]) == 6
    invoke(study, "cooccur", "-o", str(tmp_path / "pairs.csv"))                 # the suffix says CSV
    assert (tmp_path / "pairs.csv").read_text(encoding="utf-8").startswith("a,b,both,a_units,b_units,jaccard,by\n"
                                                                           "Camera,Fear,2,2,4,0.5000,segment\n")


@pytest.mark.parametrize("args, message", [
    (["cooccur", "--codes", "Fearr"], "no code 'Fearr' (did you mean 'Fear'?)"),
    (["cooccur", "--by", "sentence"], "--by 'sentence': expected segment, turn, document"),
    (["cooccur", "--where", "rol=mother"], "no attribute 'rol' (did you mean 'role'?)"),
    (["cooccur", "-o", "pairs.txt"], "writes .csv or .json"),
    (["cooccur", "--json", "--csv"], "choose one"),
    (["cooccur", "--min", "-1"], "--min: expected 0 or more"),
    (["matrix", "--cols", "rol"], "--cols 'rol': not an attribute of the cases (did you mean 'role'?)"),
    (["matrix", "--cols", "role", "--count", "words"], "--count 'words': expected segments, cases, codings"),
    (["matrix", "--cols", "role", "--rows", "themes"], "--rows 'themes': expected codes, categories"),
])
def test_cli_bad_input_is_one_line_exit_1(study, args, message):
    result = invoke(study, *args, ok=False)
    assert result.exit_code == 1
    assert result.stderr.strip().startswith("Error: ") and message in result.stderr
    assert result.stderr.strip().count("\n") == 0 and result.stdout == ""


def test_cli_matrix_table_csv_and_json(wider):
    out = invoke(wider, "matrix", "--cols", "role", "--count", "cases").stdout
    assert "2 cases" in out and "1 case" in out and "(none)" in out
    pride = next(line for line in out.splitlines() if line.startswith("Pride"))
    assert [c.strip() for c in pride.split("│")[1:]] == ["2/2", "1/1", "1/1", "4/4"]
    rows = list(csv.reader(io.StringIO(invoke(wider, "matrix", "--cols", "role", "--csv").stdout)))
    assert rows[0] == ["code", "mother", "practitioner", "(none)", "total"]
    assert ["Fear", "3", "2", "0", "5"] in rows
    data = json.loads(invoke(wider, "matrix", "--cols", "role", "--json", "--count", "codings").stdout)
    assert data["count"] == "codings" and data["cases"] == 4
    assert data["columns"][2] == {"value": None, "cases": 1, "documents": 1, "label": "(none)"}
    fear = next(r for r in data["rows"] if r["code"] == "Fear")
    assert fear["counts"] == {"mother": 3, "practitioner": 1, "(none)": 0} and fear["total"] == 4


def test_axial_commands_do_not_load_heavy_libraries(study):
    """cooccur and matrix start fast: no spaCy, matplotlib, networkx…"""
    code = ("import sys\nfrom gtcode.cli import app\n"
            "for argv in (['cooccur'], ['matrix', '--cols', 'role'], ['saturation']):\n"
            f"    try:\n        app(['-p', {str(study.path)!r}, *argv], standalone_mode=False)\n"
            "    except SystemExit:\n        pass\n"
            "print(sorted({m.split('.')[0] for m in sys.modules} & {'spacy', 'matplotlib', 'networkx', 'numpy',"
            " 'docx', 'yaml'}))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines()[-1] == "[]"

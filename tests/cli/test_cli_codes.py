"""`gtcode codes merge/split/describe/delete` on the library tests' coded interview."""

from __future__ import annotations

from tests.conftest import invoke
from tests.lib import test_coding as lib

coded = lib.coded  # the library tests' fixture, shared rather than copied


def test_cli_merge_split_describe_delete(coded):
    invoke(coded, "code", "D1:2", "Fear of judgement")
    invoke(coded, "codes", "add", "Barriers/Camera shy")
    invoke(coded, "code", "D1:3", "Camera shy")
    res = invoke(coded, "codes", "merge", "Camera shy", "INTO", "Fear of judgement")
    assert "1 coding moved, 0 duplicates collapsed" in res.stderr
    ids = [p.id for p in coded.coding.passages("Fear of judgement")]
    invoke(coded, "codes", "split", "Fear of judgement", "--into", "Camera", "--codings", str(ids[-1]))
    invoke(coded, "codes", "describe", "Camera", "--include", "the camera itself", "--color", "#112233")
    assert coded.codes.get("Barriers/Camera").include == "the camera itself"
    res = invoke(coded, "codes", "delete", "Barriers", ok=False)
    assert res.exit_code == 1 and "--force" in res.stderr and "Traceback" not in res.output

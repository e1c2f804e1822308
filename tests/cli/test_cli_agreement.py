"""`gtcode agreement`: figures per code and pooled, disagreements, settling, clean errors, and the README's
blind double-coding workflow end to end."""

from __future__ import annotations

import json

import pytest

from gtcode import Project
from gtcode.errors import InputError

from tests.conftest import invoke
from tests.lib import test_agreement as lib
from tests.lib.test_agreement import TEXT

team = lib.team  # the library tests' fixture, shared rather than copied


def test_agreement_cli_says_unit_and_counts(team):
    res = invoke(team, "agreement", ok=False)
    assert res.exit_code == 0, res.output
    assert "Unit: segment" in res.stdout and "coders: ana, ben" in res.stdout
    assert "1 document coded by two or more coders" in res.stdout
    assert "Being filmed" in res.stdout and "All codes (pooled)" in res.stdout
    data = json.loads(invoke(team, "agreement", "--json", "--unit", "turn", ok=False).stdout)
    assert data["unit"] == "turn" and data["coders"] == ["ana", "ben"]
    assert {c["code"] for c in data["codes"]} == {"Being filmed", "Growing confidence"}
    assert all(set(c) >= {"percent", "kappa", "alpha", "units"} for c in data["codes"])


def test_disagreements_side_by_side_then_settle(team):
    coders, items = team.team.disagreements("Being filmed")
    assert coders == ["ana", "ben"]
    assert [d.address for d in items] == ["D1:3"]
    assert items[0].values == {"ana": 1, "ben": 0} and "watched" in items[0].text
    res = invoke(team, "agreement", "--disagreements", "Being filmed", ok=False)
    assert res.exit_code == 0 and "D1:3" in res.stdout and "watched" in res.stdout

    res = invoke(team, "agreement", "settle", "D1:3", "Being filmed", "--keep", coder="sup", ok=False)
    assert res.exit_code == 0, res.output
    assert "ben (1)" in res.stderr
    assert team.team.disagreements("Being filmed")[1] == []
    # The coding is in ben's set; the audit log says the supervisor settled it.
    row = team.store.one("SELECT k.name FROM codings c JOIN coders k ON k.id = c.coder_id JOIN segments s "
                         "ON s.document_id = c.document_id AND s.ordinal = 3 AND c.start_char < s.end_char AND "
                         "c.end_char > s.start_char WHERE c.document_id = 1 AND k.name = 'ben'")
    assert row is not None
    ev = team.history.events(limit=1)[0]
    assert ev["action"] == "agreement.settle" and ev["coder"] == "sup" and "kept" in ev["summary"]

    # Drop takes the code off for both coders; undo puts it back.
    _, growing = team.team.disagreements("Growing confidence")
    assert [d.address for d in growing] == ["D1:7"]
    team.coder = "sup"
    team.team.settle("D1:7", "Growing confidence", keep=False)
    assert team.team.disagreements("Growing confidence")[1] == []
    team.history.undo(1)
    assert [d.address for d in team.team.disagreements("Growing confidence")[1]] == ["D1:7"]


def test_settle_needs_keep_or_drop(team):
    res = invoke(team, "agreement", "settle", "D1:3", "Being filmed", ok=False)
    assert res.exit_code == 2 and "--keep or --drop" in res.stderr


@pytest.mark.parametrize("args, message", [
    (["--coders", "ana,zed"], "no coder 'zed'"),
    (["--unit", "paragraph"], "--unit 'paragraph'"),
    (["--coders", "ana"], "at least two coders"),
    (["--codes", "Nope"], "Nope"),
    (["--where", "role=mother"], "no attribute 'role'"),
])
def test_agreement_bad_input_is_one_line(team, args, message):
    res = invoke(team, "agreement", *args, ok=False)
    assert res.exit_code != 0
    assert message in res.stderr and res.stderr.count("\n") == 1 and "Traceback" not in res.output


def test_two_coders_blind_copy_merge_agreement_settle(tmp_path):
    """The README's workflow end to end: copy, code blind, merge, agreement, settle."""
    import shutil

    (tmp_path / "P01.txt").write_text(TEXT, encoding="utf-8")
    main = tmp_path / "main"

    invoke(None, "init", main, ok=False)
    invoke(main, "import", str(tmp_path / "P01.txt"), coder="ana")
    invoke(main, "codes", "add", "Being filmed", coder="ana")
    copy = tmp_path / "second.db"
    shutil.copy(main / "gtcode.db", copy)
    invoke(main, "code", "D1:2", "D1:3", "Being filmed", coder="ana")   # ana, in the main project
    invoke(copy, "code", "D1:2", "Being filmed", coder="ben")           # ben, blind, in his copy
    invoke(copy, "code", "D1:6", "Feeling confident", "--create", coder="ben")

    assert "would" in invoke(main, "merge", str(copy), "--dry-run", coder="ana").output.lower()
    with pytest.raises(InputError, match="at least two coders"):
        with Project.open(main) as p:
            p.team.agreement()
    invoke(main, "merge", str(copy), coder="ana")
    assert "nothing to merge" in invoke(main, "merge", str(copy), coder="ana").output.lower()

    data = json.loads(invoke(main, "agreement", "--json", "--codes", "Being filmed", coder="ana").stdout)
    filmed = data["codes"][0]
    assert data["coders"] == ["ana", "ben"] and filmed["coded_by"] == {"ana": 2, "ben": 1}
    assert filmed["agreed"] == filmed["units"] - 1
    assert "D1:3" in invoke(main, "agreement", "--disagreements", "Being filmed", coder="ana").stdout
    invoke(main, "agreement", "settle", "D1:3", "Being filmed", "--drop", coder="ana")
    data = json.loads(invoke(main, "agreement", "--json", "--codes", "Being filmed", coder="ana").stdout)
    assert data["codes"][0]["percent"] == 1.0 and data["codes"][0]["coded_by"] == {"ana": 1, "ben": 1}
    log = invoke(main, "log", coder="ana").stdout
    assert "settled D1:3" in log and "merge" in log.lower()

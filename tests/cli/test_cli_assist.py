"""`gtcode similar`, `suggest`, `explore`, `summarise` and `ai …` as a researcher types them."""

from __future__ import annotations

import json

import pytest

from tests.conftest import invoke, table_rows
from tests.contracts.test_import_hygiene import modules_loaded
from tests.lib.llm_stub import stub_model  # noqa: F401 (a fixture)

TABLES = ("codings", "codes", "memos", "events", "coders")


@pytest.fixture
def coded(project, tmp_path):
    """Three short interviews, two of them coded by hand, one not yet."""
    talks = {
        "P01": ["The bus to the clinic takes an hour and I missed two sessions.",
                "I was scared they would judge me as a mother on the film.",
                "The bus was late again so I phoned to cancel the session."],
        "P02": ["Getting there on two buses with the pram was the hardest part.",
                "I worried the health visitor would judge how I held him on camera.",
                "Childcare for my older one meant I had to cancel sessions."],
        "P03": ["The buses never came on time so I nearly gave up going.",
                "I felt they would judge me as a mum watching the camera.",
                "We talked about the weather for a while."],
    }
    for name, lines in talks.items():
        body = "".join(f"Interviewer: How was it?\n{name}: {line}\n" for line in lines)
        (tmp_path / f"{name}.txt").write_text(body)
        project.docs.import_paths([tmp_path / f"{name}.txt"], interviewer=["Interviewer"])
    project.codes.add("Travel", description="Getting to sessions: buses, distance, transport")
    project.codes.add("Judgement", description="Feeling judged as a mother")
    for doc in ("D1", "D2"):
        project.coding.apply(f"{doc}:2", "Travel")
        project.coding.apply(f"{doc}:4", "Judgement")
    return project


def test_suggest_json_has_the_documented_shape_and_offsets(coded):
    result = invoke(coded, "suggest", "P03", "--json")
    items = json.loads(result.stdout)
    assert [i["address"] for i in items] == ["D3:2", "D3:4", "D3:6"]
    text = coded.docs.text("D3")
    for item in items:
        assert set(item) == {"address", "start", "end", "text", "method", "suggestions"}
        assert text[item["start"]:item["end"]] == item["text"]
        for s in item["suggestions"]:
            assert set(s) == {"code", "score", "evidence"} and isinstance(s["evidence"], list)
    first = {i["address"]: i["suggestions"][0]["code"] for i in items if i["suggestions"]}
    assert first["D3:2"] == "Travel" and first["D3:4"] == "Judgement"
    assert "Interviewer" not in " ".join(i["text"] for i in items)


def test_apply_then_review_then_accept(coded):
    result = invoke(coded, "suggest", "P03", "--top", "1", "--apply")
    assert "by gtcode-suggest; review them" in result.stderr and "(s)" not in result.stderr
    listing = invoke(coded, "review", "--json")
    pending = json.loads(listing.stdout)["pending"]
    assert {p["coder"] for p in pending} == {"gtcode-suggest"}
    assert {(p["address"], p["code"]) for p in pending} >= {("D3:2", "Travel"), ("D3:4", "Judgement")}
    invoke(coded, "review", "accept", "--all")
    confirmed = coded.store.scalar("SELECT count(*) FROM codings WHERE status = 'confirmed' AND document_id = 3")
    assert confirmed == len(pending)


def test_similar_and_contrast_read_well(coded):
    out = invoke(coded, "similar", "D3:2", "--top", "2").stdout
    assert out.splitlines()[0].startswith("D3:2") and "D2:2" in out and "[Travel]" in out
    data = json.loads(invoke(coded, "similar", "D3:2", "--json").stdout)
    assert data["query"]["address"] == "D3:2" and all(not r["address"].startswith("D3:") for r in data["results"])
    coded.coding.apply("D3:2", "Travel")
    contrast = json.loads(invoke(coded, "similar", "--contrast", "Travel", "--json").stdout)
    assert contrast["passages"] == 3 and len(contrast["results"]) == 3


def test_explore_saves_a_memo(coded, tmp_path):
    for n in range(4, 8):
        lines = [f"We had {w} and talked about the {w} for a long time that week." for w in
                 ("money worries", "the garden", "money worries", "the garden", "grandparents visiting", "sleep")]
        (tmp_path / f"P0{n}.txt").write_text("".join(f"P0{n}: {line}\n" for line in lines))
        coded.docs.import_paths([tmp_path / f"P0{n}.txt"])
    result = invoke(coded, "explore", "--k", "3", "--memo", "First look at the uncoded")
    assert "Group 1" in result.stdout and "Saved as memo" in result.stderr
    assert coded.memos.list()[-1].title == "First look at the uncoded"


def test_ai_lock_stops_the_commands_and_leaves_the_project_unchanged(coded):
    invoke(coded, "ai", "lock", "--reason", "REC condition 4")
    before = table_rows(coded, TABLES)
    for argv in (["similar", "D3:2"], ["suggest", "--apply"], ["explore"], ["similar", "--contrast", "Travel"]):
        result = invoke(coded, *argv, ok=False)
        assert result.exit_code != 0
        assert result.stderr.strip().startswith("Error: AI assistance is locked") and "REC condition 4" in result.stderr
        assert len(result.stderr.strip().splitlines()) == 1
    assert table_rows(coded, TABLES) == before
    status = json.loads(invoke(coded, "ai", "status", "--json").stdout)
    assert status["lock"]["reason"] == "REC condition 4"
    invoke(coded, "ai", "unlock")
    invoke(coded, "similar", "D3:2")
    invoke(coded, "ai", "off")
    assert "switched off" in invoke(coded, "suggest", ok=False).stderr
    invoke(coded, "ai", "on")
    invoke(coded, "suggest")


@pytest.mark.parametrize("url", ["http://192.168.0.10:11434", "http://example.org/v1"])
def test_ai_llm_refuses_an_address_off_this_machine(project, url):
    result = invoke(project, "ai", "llm", url, "--model", "x", ok=False)
    assert result.exit_code != 0 and result.stderr.startswith("Error: ")
    assert "only run on this machine" in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert "llm" not in json.loads(invoke(project, "config", "list", "--json").stdout)["settings"]


def test_bad_input_is_one_clear_line(coded):
    for argv, words in ((["similar"], "give a passage address"), (["similar", "D9:1"], "D9"),
                        (["suggest", "--unit", "page"], "--unit 'page'"), (["explore", "--k", "40"], "too few")):
        result = invoke(coded, *argv, ok=False)
        assert result.exit_code != 0 and words in result.stderr, result.stderr
        assert "Traceback" not in result.output


def test_other_commands_never_load_the_learning_library(coded):
    code = (f"from gtcode.cli import app\n"
            f"try:\n    app({['-p', str(coded.path), 'review']!r}, standalone_mode=False)\n"
            f"except SystemExit:\n    pass")
    assert not modules_loaded(code) & {"sklearn", "wordllama"}
    assert not modules_loaded("import gtcode.assist.suggest, gtcode.assist.explore, gtcode.cli.assist") & {
        "sklearn", "wordllama"}


def test_explain_shows_one_reason_under_the_top_suggestion(coded, stub_model, tmp_path):
    key = tmp_path / "key.csv"
    key.write_text("real,pseudonym\nNobody Here,Person A\n", encoding="utf-8")
    invoke(coded, "redact", "apply", str(key))                  # every document read against a key
    stub_model.reply = "It is about the buses that make getting to sessions hard."
    result = invoke(coded, "suggest", "P03", "--explain", "--top", "2")
    lines = result.stdout.splitlines()
    at = lines.index(next(x for x in lines if x.strip().startswith("why:")))
    assert "Travel" in lines[at - 1] and "buses that make getting to sessions hard" in lines[at]
    assert "stub-model" in result.stderr
    items = json.loads(invoke(coded, "suggest", "P03", "--explain", "--json").stdout)
    top = {i["address"]: i["suggestions"][0] for i in items if i["suggestions"]}
    assert top["D3:2"]["code"] == "Travel" and top["D3:2"]["rationale"].startswith("It is about the buses")
    sent = next(b["prompt"] for _, b in stub_model.seen if "buses never came" in b["prompt"].split("Passage:")[-1])
    assert "Code: Travel" in sent and "Getting to sessions: buses, distance, transport" in sent
    assert "Getting there on two buses with the pram" in sent          # the evidence, D2:2


def test_explain_without_a_model_or_on_raw_transcripts_is_one_clear_line(coded, stub_model):
    from gtcode.config import set_config

    result = invoke(coded, "suggest", "P03", "--explain", ok=False)     # imported without a key
    assert result.exit_code != 0 and "only sent pseudonymised text" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 and stub_model.seen == []
    set_config("llm", None)
    result = invoke(coded, "suggest", "P03", "--explain", ok=False)
    assert result.stderr.startswith("Error: no local language model is set") and "gtcode ai llm" in result.stderr


def test_ai_index_builds_reports_and_drops_the_stored_index(coded):
    assert "Stored index: none" in invoke(coded, "ai", "status").stdout
    built = json.loads(invoke(coded, "ai", "index", "--json").stdout)
    assert built["segments"] == built["counted"] == 9 and built["documents"] == 3
    assert "9 participant segments in 3 documents" in invoke(coded, "ai", "status").stdout
    locked = invoke(coded, "ai", "lock", "--reason", "REC condition 4")
    assert "keeps a stored index" in locked.stderr and "gtcode ai index --drop" in locked.stderr
    assert invoke(coded, "ai", "index", ok=False).stderr.startswith("Error: AI assistance is locked")
    dropped = invoke(coded, "ai", "index", "--drop")
    assert "Deleted the stored index" in dropped.stderr
    assert coded.store.scalar("SELECT count(*) FROM passage_vectors") == 0
    assert "No index was stored" in invoke(coded, "ai", "index", "--drop").stderr
    assert "ai.index.drop" in [r["action"] for r in json.loads(invoke(coded, "ai", "status", "--json").stdout)["runs"]]


def test_ai_off_says_whether_an_index_is_stored(coded):
    assert "stored index" not in invoke(coded, "ai", "off").stderr
    invoke(coded, "ai", "on")
    invoke(coded, "similar", "D3:2")
    off = invoke(coded, "ai", "off")
    assert "keeps a stored index: word counts of 9 participant segments" in off.stderr


def test_similar_on_an_up_to_date_index_loads_neither_scikit_learn_nor_scipy(coded):
    """Counting words needs scikit-learn and scipy (a second or more to import); comparing stored counts needs
    numpy alone. After an edit the changed sentence is counted, and then they load."""
    def similar_loads() -> set[str]:
        code = (f"from gtcode.cli import app\n"
                f"try:\n    app({['-p', str(coded.path), 'similar', 'D3:2']!r}, standalone_mode=False)\n"
                f"except SystemExit:\n    pass\n")
        return modules_loaded(code)

    coded.assist.index()
    loaded = similar_loads()
    assert "numpy" in loaded and not loaded & {"sklearn", "scipy", "wordllama"}   # the embedding is suggest's
    event = coded.history.log(limit=1)[0]
    assert event["action"] == "ai.similar" and "indexed" not in event["data"]["counts"]
    coded.docs.edit("D2", coded.docs.text("D2").replace("the pram", "the heavy pram"), force=True)
    assert {"sklearn", "scipy"} <= similar_loads()
    event = coded.history.log(limit=1)[0]
    assert event["action"] == "ai.similar" and event["data"]["counts"]["indexed"] == 1

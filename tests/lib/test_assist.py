"""Local assistance on the demo: suggestions that continue the researcher's coding, similar passages, contrast
cases and groupings; pending review, the switch and the lock, the audit record; a loopback-only local model."""

from __future__ import annotations

import socket

import pytest

from gtcode import Project
from gtcode.assist import SUGGEST_CODER
from gtcode.errors import AssistDisabled, InputError, LLMRefused
from tests.conftest import copy_demo
from tests.lib.llm_stub import stub_model  # noqa: F401 (a fixture)


@pytest.fixture
def demo(demo_build, tmp_path):
    """A copy of the demo study (built once per test process), opened as the researcher."""
    p = Project.open(copy_demo(demo_build, tmp_path / "demo"), coder="researcher")
    yield p
    p.close()


@pytest.fixture
def no_network(monkeypatch):
    """Any attempt to open a connection fails the test: assistance must never reach the network."""
    def refuse(self, address, *args):
        raise AssertionError(f"a socket tried to connect to {address}")
    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)


def _gold_and_uncode(p: Project, doc_ids: list[int]) -> dict[tuple[int, int], set[str]]:
    """The codes on each participant segment of these documents, then take every coding off them."""
    from gtcode.assist.passages import load_passages

    gold = {(x.document_id, x.start): set(x.codes) for x in load_passages(p.store, "segment", doc_ids=doc_ids)
            if x.codes}
    with p.store.conn:
        p.store.conn.execute(f"DELETE FROM codings WHERE document_id IN ({','.join(map(str, doc_ids))})")
    return gold


def test_suggestions_for_the_uncoded_half_put_a_used_code_in_the_top_three(demo, no_network):
    half = [d.id for d in demo.docs.list()][4:]
    gold = _gold_and_uncode(demo, half)
    run = demo.assist.suggest([f"D{i}" for i in half], top=3)
    ranked = {(p.document_id, p.start): [s.code for s in sugs] for p, sugs in run.items}
    scored = [bool(set(ranked.get(key, [])) & codes) for key, codes in gold.items()]
    assert len(scored) >= 50
    assert sum(scored) / len(scored) >= 0.6, f"{sum(scored)} of {len(scored)}"
    assert run.trained_on > 100 and all(p.document_id in half for p, _ in run.items)
    for p, sugs in run.items:
        assert demo.docs.text(p.document_id)[p.start:p.end] == p.text
        assert [s.score for s in sugs] == sorted((s.score for s in sugs), reverse=True)
        assert all(0 < s.score <= 1 and s.evidence for s in sugs)


def test_suggest_reads_only_participants_words(demo):
    run = demo.assist.suggest(["P05"])
    roles = {r[0] for r in demo.store.all("SELECT t.role FROM segments s JOIN turns t ON t.id = s.turn_id "
                                          "WHERE s.document_id = 5 AND t.role != 'participant'")}
    assert roles, "the demo interview has interviewer turns"
    interviewer = {(r[0], r[1]) for r in demo.store.all(
        "SELECT s.document_id, s.start_char FROM segments s JOIN turns t ON t.id = s.turn_id "
        "WHERE t.role != 'participant' OR t.kind != 'speech'")}
    assert not {(p.document_id, p.start) for p, _ in run.items} & interviewer


def test_apply_leaves_pending_codings_that_a_person_accepts_or_rejects(demo):
    half = [d.id for d in demo.docs.list()][6:]
    _gold_and_uncode(demo, half)
    before = len(demo.review.pending())
    run = demo.assist.suggest([f"D{half[0]}"], top=1, apply=True)
    made = sum(run.applied.values())
    assert made > 0
    pending = demo.review.pending()
    assert len(pending) == before + made
    assert sum(p.coder == SUGGEST_CODER for p in pending) == made
    # nothing is confirmed without a person: analyses do not see them yet
    confirmed = demo.store.scalar("SELECT count(*) FROM codings g JOIN coders k ON k.id = g.coder_id "
                                  "WHERE k.name = ? AND g.status = 'confirmed'", (SUGGEST_CODER,))
    assert confirmed == 0
    ours = [p for p in pending if p.coder == SUGGEST_CODER]
    demo.review.accept([ours[0].id])
    demo.review.reject([p.id for p in ours[1:]])
    assert demo.store.scalar("SELECT count(*) FROM codings g JOIN coders k ON k.id = g.coder_id "
                             "WHERE k.name = ? AND g.status = 'confirmed'", (SUGGEST_CODER,)) == 1
    # a rejected suggestion is not made again
    again = demo.assist.suggest([f"D{half[0]}"], top=1, apply=True)
    rejected = {(p.document_id, p.start, p.end, p.code) for p in ours[1:]}
    assert not {(p.document_id, p.start, p.end, s.code) for p, sugs in again.items for s in sugs} & rejected


def test_each_run_is_recorded_like_a_second_coder(demo):
    demo.assist.similar("D2:31", top=3)
    demo.assist.suggest(["D3:40"], top=2)
    events = demo.history.log(limit=5)
    kinds = [e["action"] for e in events]
    assert kinds[:2] == ["ai.suggest", "ai.similar"]
    data = events[0]["data"]
    from gtcode.assist import embedding

    method = "tfidf+wordllama-knn" if embedding.available() else "tfidf-1-2gram"
    assert data["method"] == method and data["library"].startswith("scikit-learn ")
    assert data["params"]["top"] == 2 and data["counts"]["passages"] == 1
    assert events[0]["coder"] == "researcher"


def test_lock_and_switch_stop_every_ai_command(demo, monkeypatch):
    demo.assist.lock("ethics condition 4")
    calls = [lambda: demo.assist.similar("D2:31"), lambda: demo.assist.contrast("Feeling judged as a parent"),
             lambda: demo.assist.suggest(), lambda: demo.assist.explore(), lambda: demo.assist.summarise("Film")]
    events = demo.store.scalar("SELECT count(*) FROM events")
    for call in calls:
        with pytest.raises(AssistDisabled, match="locked for this project by researcher.*ethics condition 4"):
            call()
    assert demo.store.scalar("SELECT count(*) FROM events") == events
    lock = demo.history.log(limit=1)[0]
    assert lock["action"] == "ai.lock" and lock["data"]["reason"] == "ethics condition 4"
    demo.assist.unlock("amendment approved")
    assert demo.assist.similar("D2:31", top=1)["results"]
    from gtcode.config import set_config

    set_config("ai", "off")
    with pytest.raises(AssistDisabled, match="switched off"):
        demo.assist.suggest()


def test_similar_looks_across_other_documents_and_shows_codes(demo):
    data = demo.assist.similar("D2:31", top=8)
    assert data["query"]["text"] == "I thought they were collecting evidence."
    assert data["results"] and all(not r["address"].startswith("D2:") for r in data["results"])
    scores = [r["score"] for r in data["results"]]
    assert scores == sorted(scores, reverse=True) and scores[0] > 0
    assert any("evidence" in r["text"].lower() for r in data["results"])
    coded = demo.assist.similar("D2:64", top=10)
    assert any(r["codes"] for r in coded["results"])


def test_contrast_puts_the_least_typical_passages_of_a_code_first(demo):
    data = demo.assist.contrast("Home-based sessions", top=50)
    assert data["passages"] >= 3 and len(data["results"]) == data["passages"]
    scores = [r["score"] for r in data["results"]]
    assert scores == sorted(scores)
    with pytest.raises(InputError, match="contrast needs at least 3"):
        demo.assist.contrast(demo.codes.add("Never used").path)


def test_explore_groups_uncoded_passages_the_same_way_each_time(demo):
    first = demo.assist.explore(k=4)
    again = demo.assist.explore(k=4, memo="Uncoded passages, first look")
    assert [g["words"] for g in first["groups"]] == [g["words"] for g in again["groups"]]
    assert sum(g["size"] for g in first["groups"]) == first["passages"]
    assert all(len(g["passages"]) == 3 and g["words"] for g in first["groups"])
    assert all(not p["codes"] for g in first["groups"] for p in g["passages"])
    memo = demo.memos.get(again["memo"])
    assert "Prompts to read, not codes" in memo.body and f"[[{first['groups'][0]['passages'][0]['address']}]]" \
        in memo.body


@pytest.mark.parametrize("url", ["http://10.0.0.5:11434", "http://192.168.1.20:11434", "https://example.org/v1",
                                 "http://8.8.8.8", "ftp://127.0.0.1", "http://[2001:db8::1]:8080"])
def test_a_local_model_must_be_on_this_machine(url):
    from gtcode.assist.llm import check_loopback

    with pytest.raises(LLMRefused, match="refused|expected an address"):
        check_loopback(url)


@pytest.mark.parametrize("url", ["http://127.0.0.1:11434", "http://127.8.0.2/v1", "http://[::1]:8080/v1",
                                 "http://localhost:11434"])
def test_loopback_addresses_are_accepted(url):
    from gtcode.assist.llm import check_loopback

    assert check_loopback(url) == url


def test_summary_memo_verifies_every_quotation(demo, stub_model):
    real = demo.coding.passages(["Home-based sessions"])[0]
    words = " ".join(real.text.split()[:6])
    stub_model.reply = (f'Mothers valued being at home: "{words}" [{real.address}]. One said "the nurse '
                        'brought cake every single week" [D9:1].')
    data = demo.assist.summarise("Home-based sessions", memo=True)
    assert data["verified"] == [words]
    assert data["unverified"] == ["the nurse brought cake every single week"]
    assert "every single week [UNVERIFIED" in data["draft"]
    path, sent = stub_model.seen[0]
    assert path == "/api/generate" and sent["model"] == "stub-model" and real.address in sent["prompt"]
    memo = demo.memos.get(data["memo"])
    assert "UNVERIFIED" in memo.body
    event = demo.history.log(limit=1)[0]
    assert event["action"] == "ai.summary" and event["data"]["llm_model"] == "stub-model"


def test_explore_can_ask_the_local_model_to_name_groups(demo, stub_model):
    stub_model.reply = "Getting to sessions\nextra line"
    data = demo.assist.explore(k=3, name=True)
    assert [g["name"] for g in data["groups"]] == ["Getting to sessions"] * 3
    assert len(stub_model.seen) == 3


def test_nothing_is_sent_without_a_model_set(demo):
    with pytest.raises(InputError, match="no local language model is set"):
        demo.assist.explore(k=3, name=True)


def test_the_local_model_is_sent_only_pseudonymised_text(demo, stub_model, tmp_path):
    from gtcode.errors import AssistDisabled

    (tmp_path / "P09.txt").write_text("Interviewer: How were the home visits?\n\nP09: The home visits helped "
                                      "me a lot, Jane Realname came every week.\n", encoding="utf-8")
    demo.docs.import_paths([tmp_path / "P09.txt"])                    # imported without a key
    demo.coding.apply("D9:2", "Home-based sessions")
    with pytest.raises(AssistDisabled, match=r"only sent pseudonymised text.*D9 'P09'"):
        demo.assist.summarise("Home-based sessions", limit=100)
    assert stub_model.seen == []                                      # nothing left the process
    key = tmp_path / "key.csv"
    key.write_text("real,pseudonym\nJane Realname,Nurse A\n", encoding="utf-8")
    demo.redact.apply(key)
    stub_model.reply = "A draft."
    demo.assist.summarise("Home-based sessions", limit=100)
    assert "Jane Realname" not in stub_model.seen[0][1]["prompt"]


def test_explain_asks_the_local_model_why_each_top_suggestion_fits(demo, stub_model):
    half = [d.id for d in demo.docs.list()][6:]
    _gold_and_uncode(demo, half)
    stub_model.reply = "The passage speaks of being filmed at home.\nA second line the model added."
    run = demo.assist.suggest([f"D{half[0]}"], top=2, explain=True)
    with_any = [(p, sugs) for p, sugs in run.items if sugs]
    assert with_any and len(stub_model.seen) == len(with_any)
    for p, sugs in with_any:
        assert sugs[0].rationale == "The passage speaks of being filmed at home."
        assert all(s.rationale is None for s in sugs[1:])
    p, sugs = with_any[0]
    prompt = stub_model.seen[0][1]["prompt"]
    code = demo.codes.get(sugs[0].code)
    assert " ".join(p.text.split()) in prompt and code.name in prompt and code.description in prompt
    evidence = [e for e in sugs[0].evidence if e != "codebook"]
    assert evidence and " ".join(run.evidence[evidence[0]].split()) in prompt
    item = run.to_list()[[x for x, _ in run.items].index(p)]
    assert item["suggestions"][0]["rationale"] == sugs[0].rationale and "rationale" not in item["suggestions"][1]
    event = demo.history.log(limit=1)[0]
    assert event["action"] == "ai.suggest" and event["data"]["llm_model"] == "stub-model"
    assert event["data"]["llm"].startswith("http://127.0.0.1:") and event["data"]["params"]["explain"] is True
    assert event["data"]["counts"]["explained"] == len(with_any)


def test_explain_without_a_model_is_one_clear_error(demo):
    with pytest.raises(InputError, match="no local language model is set.*gtcode ai llm"):
        demo.assist.suggest(["D3:40"], explain=True)


def test_explain_refuses_documents_not_pseudonymised_and_sends_nothing(demo, stub_model, tmp_path):
    (tmp_path / "P09.txt").write_text("Interviewer: How were the home visits?\n\nP09: The home visits helped "
                                      "me a lot, Jane Realname came every week.\n", encoding="utf-8")
    demo.docs.import_paths([tmp_path / "P09.txt"])                    # imported without a key
    events = demo.store.scalar("SELECT count(*) FROM events")
    with pytest.raises(AssistDisabled, match=r"only sent pseudonymised text.*D9 'P09'"):
        demo.assist.suggest(["P09"], explain=True)
    assert stub_model.seen == [] and demo.store.scalar("SELECT count(*) FROM events") == events
    demo.assist.lock("no AI")
    with pytest.raises(AssistDisabled, match="locked"):
        demo.assist.suggest(["D2:31"], explain=True)
    assert stub_model.seen == []

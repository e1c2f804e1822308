"""wordllama's bundled embedding (the `ai` extra): loaded from its wheel's own files with every socket refused,
the logging its import changes put back, and `suggest` saying which method ranked, with the extra and without."""

from __future__ import annotations

import hashlib
import json
import socket
import subprocess
import sys
from importlib.util import find_spec

import pytest

from gtcode.assist import embedding
from tests.cli.test_cli_assist import coded  # noqa: F401 (a fixture)
from tests.conftest import invoke

installed = pytest.mark.skipif(find_spec("wordllama") is None, reason="wordllama (the ai extra) is not installed")
FALLBACK = "ranked by word overlap (TF-IDF); install gtcode[ai] for the bundled embedding"


@pytest.fixture
def no_network(monkeypatch):
    """Any connection or host lookup fails the test (and is listed, in case the library swallows the error)."""
    attempts = []

    def refuse(name):
        def refused(*args, **kwargs):
            attempts.append(name)
            raise AssertionError(f"{name} was called: the embedding must never reach the network")
        return refused
    for owner, name in ((socket.socket, "connect"), (socket.socket, "connect_ex"), (socket, "create_connection"),
                        (socket, "getaddrinfo")):
        monkeypatch.setattr(owner, name, refuse(name))
    yield attempts
    assert not attempts, attempts


@pytest.fixture
def fresh(monkeypatch):
    """The embedding loaded anew in this test, not taken from an earlier test's cache."""
    monkeypatch.setattr(embedding, "_LOADED", {})


@installed
def test_loads_from_the_wheel_and_embeds_with_the_network_blocked(no_network, fresh):
    assert embedding.available() and embedding.reason() is None
    model = embedding.load()
    rows = model.embed(["The bus to the clinic was late again.", "Public transport there is slow and rare.",
                        "I felt judged as a mother on camera.", ""])
    assert rows.shape == (4, 256)
    assert abs(float(rows[0] @ rows[0]) - 1) < 1e-5 and not rows[3].any()   # unit rows; no words, no vector
    assert rows[0] @ rows[1] > rows[0] @ rows[2]     # transport is nearer transport than judgement
    weights = embedding._package_folder() / embedding.WEIGHTS
    assert model.info["weights_sha256"] == hashlib.sha256(weights.read_bytes()).hexdigest()[:12]
    assert model.info["embedding"].startswith("wordllama 0.4")


SCRIPT = """
import json, logging, socket
attempts = []
def refuse(name):
    def refused(*args, **kwargs):
        attempts.append(name)
        raise OSError("blocked")
    return refused
socket.socket.connect = refuse("connect"); socket.socket.connect_ex = refuse("connect_ex")
socket.create_connection = refuse("create_connection"); socket.getaddrinfo = refuse("getaddrinfo")
logging.getLogger().setLevel(logging.WARNING)
from gtcode.assist import embedding
ok = embedding.available()
rows = embedding.load().embed(["a sentence about buses"]) if ok else None
root = logging.getLogger()
print(json.dumps({"ok": ok, "reason": embedding.reason(), "attempts": attempts, "level": root.level,
                  "handlers": len(root.handlers), "shape": list(rows.shape) if ok else None}))
"""


@installed
def test_a_fresh_process_imports_and_loads_it_offline_and_keeps_its_logging():
    done = subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout.strip().splitlines()[-1])
    assert out["ok"], out["reason"]
    assert out["attempts"] == [] and out["shape"] == [1, 256]
    assert out["level"] == 30 and out["handlers"] == 0   # wordllama's basicConfig(INFO) undone
    assert done.stderr == ""


def test_missing_files_make_it_unavailable_with_the_reason(monkeypatch, fresh, tmp_path):
    monkeypatch.setattr(embedding, "_package_folder", lambda: tmp_path)
    assert not embedding.available()
    assert "l2_supercat_256.safetensors" in embedding.reason() and "missing" in embedding.reason()
    with pytest.raises(ImportError, match="cannot be loaded"):
        embedding.load()


def test_suggest_without_the_extra_ranks_by_tfidf_and_says_so(coded, monkeypatch):  # noqa: F811
    monkeypatch.setattr(embedding, "available", lambda: False)
    result = invoke(coded, "suggest", "P03", "--json")
    assert FALLBACK in result.stderr
    items = json.loads(result.stdout)
    assert items and {i["method"] for i in items} == {"tfidf-1-2gram"}
    assert {i["address"]: i["suggestions"][0]["code"] for i in items if i["suggestions"]}["D3:2"] == "Travel"
    data = coded.history.log(limit=1)[0]["data"]
    assert data["method"] == "tfidf-1-2gram" and data["embedding"] is None and data["embedding_missing"]


@installed
def test_suggest_with_the_extra_ranks_with_the_embedding_and_records_it(coded, no_network):  # noqa: F811
    result = invoke(coded, "suggest", "P03", "--json")
    assert "and wordllama's bundled embedding" in result.stderr and "install gtcode[ai]" not in result.stderr
    items = json.loads(result.stdout)
    assert {i["method"] for i in items} == {"tfidf+wordllama-knn"}
    top = {i["address"]: i["suggestions"][0]["code"] for i in items if i["suggestions"]}
    assert top["D3:2"] == "Travel" and top["D3:4"] == "Judgement"
    data = coded.history.log(limit=1)[0]["data"]
    assert data["method"] == "tfidf+wordllama-knn" and data["embedding"].startswith("wordllama ")
    assert len(data["weights_sha256"]) == 12 and data["library"].startswith("scikit-learn ")


@installed
def test_the_embedding_suggests_for_words_no_coded_passage_uses(no_network):
    """TF-IDF has nothing to go on when a passage shares no word with the coded ones; the embedding does."""
    from gtcode.assist.passages import Passage
    from gtcode.assist.suggest import Suggester

    coded_lines = [("The bus was late again and I missed the session.", "Travel"),
                   ("Two buses with the pram took over an hour.", "Travel"),
                   ("My mum looked after the baby so I could go.", "Childcare"),
                   ("I felt judged as a mother on the video.", "Judgement")]
    training = [Passage(1, "P01", f"D1:{i}", 0, len(t), t, "P01", [c]) for i, (t, c) in enumerate(coded_lines)]
    asked = ["Getting a taxi across town cost a fortune."]
    assert Suggester(training, []).rank(asked) == [[]]
    ranked = Suggester(training, [], embedding=embedding.load()).rank(asked)
    assert ranked[0] and ranked[0][0].code == "Travel"

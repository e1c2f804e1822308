"""Transcripts are confidential health-research data: gtcode never opens a network connection.

Every way out of the process is blocked (connect, DNS lookup, UDP send) and the whole research
workflow runs through the CLI: import, autocode, code, memos, model, figures, agreement, the
exports and the report, a REFI-QDA round trip and redaction. Any attempt fails the test with the call that tried.
"""

from __future__ import annotations

import socket

import pytest

from tests.conftest import TRANSCRIPTS, invoke

ROOT = TRANSCRIPTS.parent


class NetworkAttempt(AssertionError):
    pass


@pytest.fixture
def no_network(monkeypatch):
    attempts: list[str] = []

    def refuse(name):
        def blocked(*args, **kwargs):
            attempts.append(f"{name}{args[1:2]}")
            raise NetworkAttempt(f"gtcode tried to use the network: {name}{args[1:2]}")
        return blocked

    for name in ("connect", "connect_ex", "sendto", "sendmsg"):
        monkeypatch.setattr(socket.socket, name, refuse(f"socket.{name}"))
    monkeypatch.setattr(socket, "create_connection", refuse("socket.create_connection"))
    monkeypatch.setattr(socket, "getaddrinfo", refuse("socket.getaddrinfo"))
    monkeypatch.setattr(socket, "gethostbyname", refuse("socket.gethostbyname"))
    yield attempts
    assert attempts == [], attempts


def _ok(*args):
    """A command that must succeed without so much as trying the network."""
    res = invoke(None, *args)
    assert not isinstance(res.exception, NetworkAttempt)
    return res


def test_the_blocker_itself_catches_a_connection(no_network):
    with pytest.raises(NetworkAttempt):
        socket.create_connection(("example.org", 80))
    no_network.clear()


def test_whole_workflow_runs_with_the_network_blocked(no_network, tmp_path):
    proj = tmp_path / "study"
    _ok("init", str(proj))
    p = ["-p", str(proj), "--coder", "ana"]
    _ok(*p, "cases", "import", str(TRANSCRIPTS / "participants.csv"))
    _ok(*p, "import", str(TRANSCRIPTS))
    _ok(*p, "codebook", "import", str(ROOT / "codebooks" / "vig-engagement.yml"))
    _ok(*p, "autocode")
    _ok(*p, "review", "accept", "--all")
    _ok(*p, "code", "D1:3", "Being watched", "--create")
    _ok(*p, "search", "film")
    _ok(*p, "memo", "new", "--title", "Watching", "--body", "Being watched [[D1:3]]")
    _ok(*p, "category", "new", "Being filmed")
    _ok(*p, "model", "export", "-o", str(tmp_path / "model.svg"))
    _ok(*p, "saturation")
    _ok(*["-p", str(proj), "--coder", "ben"], "code", "D1:3", "Being watched")
    _ok(*p, "agreement")
    _ok(*p, "codebook", "export", "--format", "csv")
    _ok(*p, "report", "-o", str(tmp_path / "report.docx"))
    _ok(*p, "report", "-o", str(tmp_path / "report.html"))
    _ok(*p, "export", "codings", "-o", str(tmp_path / "codings.csv"))
    _ok(*p, "export", "matrix", "-o", str(tmp_path / "matrix.csv"))
    _ok(*p, "export", "qdpx", str(tmp_path / "study.qdpx"))
    _ok("init", str(tmp_path / "other"))
    _ok("-p", str(tmp_path / "other"), "import", str(tmp_path / "study.qdpx"))
    (tmp_path / "key.csv").write_text("real,pseudonym\nFreddie,Alfie\n", encoding="utf-8")
    _ok(*p, "redact", "apply", str(tmp_path / "key.csv"))
    _ok(*p, "log")

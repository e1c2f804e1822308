"""A local language model for tests: an Ollama-style server on 127.0.0.1 in the test process, never the network."""

from __future__ import annotations

import http.server
import json
import threading

import pytest


class _Stub(http.server.BaseHTTPRequestHandler):
    """An Ollama-style server on 127.0.0.1 answering with a canned reply; it records what it was sent."""
    reply = ""
    seen: list = []

    def do_POST(self):  # noqa: N802 (http.server's name)
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        type(self).seen.append((self.path, body))
        out = json.dumps({"response": type(self).reply}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(out)))
        self.end_headers()
        self.wfile.write(out)

    def log_message(self, *args):
        pass


@pytest.fixture
def stub_model():
    from gtcode.config import set_config

    server = http.server.HTTPServer(("127.0.0.1", 0), _Stub)
    # serve_forever checks for shutdown every poll_interval: 0.5 s by default, which each test's teardown waited out
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.01}, daemon=True)
    thread.start()
    _Stub.seen = []
    set_config("llm", f"http://127.0.0.1:{server.server_port}")
    set_config("llm_model", "stub-model")
    yield _Stub
    server.shutdown()
    server.server_close()

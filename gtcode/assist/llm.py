"""An optional local language model, off by default, reached only on this machine (loopback).

The user runs the server (Ollama, or anything OpenAI-compatible) and names it with `gtcode ai llm URL --model
NAME`; an address outside 127.0.0.0/8 or ::1 is refused, and proxies are never used, so project text cannot
leave the machine. Uses: naming an exploration grouping, a one-sentence rationale for a suggested code, and
drafting a summary memo of a code's passages in which every quoted passage is checked word for word against the
transcripts (unverifiable ones are flagged).
"""

from __future__ import annotations

import ipaddress
import json
import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from gtcode.errors import InputError, LLMRefused

TIMEOUT = 120


def check_loopback(url: str) -> str:
    """`url` if it names a server on this machine (127.0.0.0/8, ::1, localhost); else `LLMRefused`."""
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise LLMRefused(f"{url!r}: expected an address such as http://127.0.0.1:11434")
    host = parts.hostname
    if host != "localhost":
        try:
            loopback = ipaddress.ip_address(host).is_loopback
        except ValueError:
            loopback = False
        if not loopback:
            raise LLMRefused(f"{url!r}: refused, a language model may only run on this machine "
                             "(127.0.0.0/8 or ::1), so that no transcript text leaves it")
    return url.strip().rstrip("/")


@dataclass
class LocalModel:
    """A chat with a local server: OpenAI-compatible when the address ends in /v1, else Ollama's API."""

    url: str
    model: str

    @classmethod
    def from_config(cls) -> "LocalModel":
        from gtcode.config import load_config

        config = load_config()
        if not config.get("llm") or not config.get("llm_model"):
            raise InputError("no local language model is set; run one on this machine and name it with "
                             "'gtcode ai llm http://127.0.0.1:11434 --model NAME'")
        return cls(check_loopback(config["llm"]), config["llm_model"])

    @property
    def info(self) -> dict:
        return {"llm": self.url, "llm_model": self.model}

    def ask(self, prompt: str) -> str:
        import urllib.error
        import urllib.request

        url = check_loopback(self.url)
        if url.endswith("/v1"):
            endpoint, body = url + "/chat/completions", {"model": self.model, "temperature": 0,
                                                         "messages": [{"role": "user", "content": prompt}]}
        else:
            endpoint, body = url + "/api/generate", {"model": self.model, "prompt": prompt, "stream": False,
                                                     "options": {"temperature": 0}}
        request = urllib.request.Request(endpoint, json.dumps(body).encode(), {"Content-Type": "application/json"})
        opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))   # never through a proxy
        try:
            with opener.open(request, timeout=TIMEOUT) as response:
                data = json.loads(response.read().decode("utf-8"))
        except (urllib.error.URLError, OSError, ValueError) as exc:
            raise LLMRefused(f"the local model at {url} did not answer ({exc}); is the server running?") from None
        try:
            text = data["choices"][0]["message"]["content"] if "choices" in data else data["response"]
        except (KeyError, IndexError, TypeError):
            raise LLMRefused(f"the local model at {url} gave an answer gtcode cannot read") from None
        return str(text).strip()


def name_group(model: LocalModel, words: list[str], texts: list[str]) -> str:
    """A short descriptive name (a prompt to read, not a code) for a grouping."""
    prompt = ("These interview passages were grouped together by word similarity. Give a short descriptive name "
              "(at most six words) for what they have in common. Answer with the name only.\n\n"
              f"Distinctive words: {', '.join(words)}\n\n" + "\n".join(f"- {t}" for t in texts))
    return model.ask(prompt).splitlines()[0].strip(" \"'*#")[:80] if texts else ""


def rationale(model: LocalModel, passage: str, code: str, definition: str, evidence: list[str]) -> str:
    """One sentence saying why `code` fits `passage`, given the code's definition and the passages coded with it
    that drove the suggestion: a reason to weigh, not a decision."""
    prompt = ("A qualitative researcher is deciding whether to apply a code to an interview passage. In one "
              "sentence, say why the code fits the passage (or that it fits poorly), referring to the passage's "
              "words. Answer with the sentence only.\n\n"
              f"Code: {code}\nDefinition: {definition or '(none)'}\n\n"
              "Passages already coded with it:\n" + "".join(f"- {' '.join(t.split())}\n" for t in evidence)
              + f"\nPassage: {' '.join(passage.split())}")
    lines = [line.strip() for line in model.ask(prompt).splitlines() if line.strip()]
    return lines[0].strip(" \"'*#")[:300] if lines else ""


_QUOTED = re.compile(r"[\"“]([^\"“”]{8,}?)[\"”]")


def _norm(text: str) -> str:
    return " ".join(text.replace("’", "'").split())


def verify_quotes(draft: str, sources: list[str]) -> tuple[str, list[str], list[str]]:
    """Check every quoted passage in `draft` word for word against `sources`; flag the unverifiable ones."""
    corpus = [_norm(s) for s in sources]
    verified, flagged = [], []
    for quote in dict.fromkeys(m.group(1) for m in _QUOTED.finditer(draft)):
        (verified if any(_norm(quote) in s for s in corpus) else flagged).append(quote)
    for quote in flagged:
        draft = draft.replace(quote, f"{quote} [UNVERIFIED: not found in the transcripts]")
    return draft, verified, flagged


def summarise(model: LocalModel, code: str, passages: list[dict]) -> dict:
    """A draft memo summarising a code's passages; every quotation verified against the passages."""
    prompt = (f"Summarise what these interview passages coded '{code}' have in common and how they differ, in "
              "one or two short paragraphs for a qualitative researcher's memo. Quote participants only with "
              "their exact words in double quotes, followed by the passage address in brackets.\n\n"
              + "\n".join(f"[{p['address']}] {' '.join(p['text'].split())}" for p in passages))
    draft, verified, flagged = verify_quotes(model.ask(prompt), [p["text"] for p in passages])
    return {"code": code, "draft": draft, "verified": verified, "unverified": flagged, "passages": len(passages)}

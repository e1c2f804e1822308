"""wordllama's static embedding (the `ai` extra), loaded from the files its wheel ships: nothing is downloaded.

wordllama ships a 256-dimension static embedding (token vectors derived from Llama 2's, averaged over a text)
and its tokenizer inside its package. Its own `WordLlama.load()` is not used: it looks for the tokenizer in a
folder the wheel lacks, then in a cache, then fetches it from a model hub. Here both files are opened by explicit
path, the root logger its import configures is put back, and the loaded model is kept for the process.

Where wordllama is missing (not installed, no wheel for this platform, files gone), `available()` says False and
`reason()` why; `suggest` then ranks by TF-IDF alone and says so.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

#: the files wordllama's wheel ships, read by explicit path inside its installed package
WEIGHTS = "weights/l2_supercat_256.safetensors"
TOKENIZER = "tokenizers/l2_supercat_tokenizer_config.json"
#: what `suggest` tells a user without the extra
INSTALL_HINT = "install gtcode[ai] for the bundled embedding"

#: the process's one loaded model, or why it cannot be loaded (filled by the first `load`)
_LOADED: dict = {}


@dataclass
class Embedding:
    """A text → unit-length 256-dimension vector function, and what the audit log records about it."""

    model: object       # wordllama.WordLlamaInference
    info: dict

    def embed(self, texts: list[str]):
        """One unit-length row (numpy float32) per text; a text with no known token gives a row of zeros."""
        import numpy

        rows = self.model.embed(list(texts)) if texts else numpy.zeros((0, self.info["dims"]), numpy.float32)
        norms = numpy.linalg.norm(rows, axis=1, keepdims=True)
        return numpy.divide(rows, norms, out=numpy.zeros_like(rows), where=norms > 0)


def _package_folder() -> Path:
    """wordllama's installed folder, found without importing it."""
    from importlib.util import find_spec

    spec = find_spec("wordllama")
    if spec is None or not spec.origin:
        raise ImportError("wordllama is not installed")
    return Path(spec.origin).parent


def _import_quietly():
    """Import wordllama and what it reads its files with, leaving the root logger as it was (its import calls
    `logging.basicConfig(level=INFO)`, which would turn on every library's INFO messages)."""
    import logging

    root = logging.getLogger()
    level, handlers = root.level, list(root.handlers)
    try:
        import wordllama
        from safetensors import safe_open
        from tokenizers import Tokenizer
        from wordllama.inference import WordLlamaInference
    finally:
        root.setLevel(level)
        for added in [h for h in root.handlers if h not in handlers]:
            root.removeHandler(added)
    return wordllama, safe_open, Tokenizer, WordLlamaInference


def _short_hash(path: Path) -> str:
    import hashlib

    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()[:12]


def _load() -> Embedding:
    folder = _package_folder()
    weights, tokenizer = folder / WEIGHTS, folder / TOKENIZER
    for needed in (weights, tokenizer):
        if not needed.is_file():
            raise FileNotFoundError(f"wordllama's bundled file {needed.relative_to(folder)} is missing")
    wordllama, safe_open, Tokenizer, WordLlamaInference = _import_quietly()
    with safe_open(str(weights), framework="np", device="cpu") as f:
        table = f.get_tensor("embedding.weight")
    model = WordLlamaInference(table, Tokenizer.from_file(str(tokenizer)))
    return Embedding(model, {"embedding": f"wordllama {wordllama.__version__}", "weights": weights.stem,
                             "weights_sha256": _short_hash(weights), "dims": int(table.shape[1])})


def load() -> Embedding:
    """The bundled embedding, loaded once per process; raises ImportError or OSError when it cannot be."""
    if "model" not in _LOADED and "reason" not in _LOADED:
        try:
            _LOADED["model"] = _load()
        except (ImportError, OSError, ValueError, RuntimeError) as e:   # missing, damaged, or no wheel here
            _LOADED["reason"] = f"{type(e).__name__}: {e}"
    if "reason" in _LOADED:
        raise ImportError(f"the bundled embedding cannot be loaded ({_LOADED['reason']})")
    return _LOADED["model"]


def available() -> bool:
    """Whether the bundled embedding can be used here (it is loaded to find out, once per process)."""
    try:
        load()
    except ImportError:
        return False
    return True


def reason() -> str | None:
    """Why the embedding cannot be used (None when it can, or before `available` was asked)."""
    return _LOADED.get("reason")

"""User settings and who is coding.

The user config is a small TOML file outside any project (so a project copied
to a second coder does not carry the first coder's name):
`$GTCODE_CONFIG`, else `$XDG_CONFIG_HOME/gtcode/config.toml`, else
`~/.config/gtcode/config.toml`.
"""

from __future__ import annotations

import os
from pathlib import Path

from gtcode.errors import ConfigError

#: Settings a user may keep, with what they mean (shown by `gtcode config list`).
KNOWN_KEYS = {
    "user": "your name as recorded on everything you create (coder identity)",
    "nlp": "an installed spaCy model to use instead of the blank English pipeline",
    "interviewer": "comma-separated speaker labels that mark interviewer turns",
    "ai": "'off' disables every AI-assistance command (similar, suggest, explore); see 'gtcode ai'",
    "llm": "address of a local language-model server (loopback only), e.g. http://127.0.0.1:11434",
    "llm_model": "the model name to ask the local language-model server for",
    "max_unpacked_mb": "largest total size, in MB once unpacked, of a .docx/.odt/.qdpx archive (default 2048)",
    "max_part_mb": "largest single part of such an archive read into memory, in MB (default 64)",
    "max_zip_entries": "most entries a .docx/.odt/.qdpx archive may hold (default 20000)",
    "max_nesting": "deepest nesting a YAML codebook may use (default 100)",
    "max_file_mb": "largest transcript file read, in MB (default 200; CSV/TSV tables 100)",
    "max_pdf_pages": "most pages a PDF transcript may have (default 3000)",
    "max_cell_mb": "largest single CSV cell, in MB (default 4)",
    "player": "the program 'gtcode play' starts, {file} and {start} (seconds) filled in, e.g. 'mpv --start={start} "
              "{file}' (default: mpv, ffplay or vlc, whichever is installed)",
}

#: The defaults of the numeric limits above, for input gtcode refuses rather than letting it exhaust memory.
LIMIT_DEFAULTS = {"max_unpacked_mb": 2048, "max_part_mb": 64, "max_zip_entries": 20_000, "max_nesting": 100,
                  "max_file_mb": 200, "max_pdf_pages": 3000, "max_cell_mb": 4}


def config_path() -> Path:
    if env := os.environ.get("GTCODE_CONFIG"):
        return Path(env)
    base = os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config"
    return Path(base) / "gtcode" / "config.toml"


def load_config() -> dict[str, str]:
    path = config_path()
    if not path.exists():
        return {}
    import tomllib

    try:
        with path.open("rb") as fh:
            data = tomllib.load(fh)
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read the config file ({exc})") from exc
    return {k: str(v) for k, v in data.items() if not isinstance(v, dict)}


def limit(key: str, default: int | None = None) -> int:
    """A numeric limit: the config file's value if set, else `default`, else the built-in default."""
    raw = load_config().get(key)
    if raw is None:
        return LIMIT_DEFAULTS[key] if default is None else default
    try:
        value = int(raw)
    except ValueError:
        value = 0
    if value <= 0:
        raise ConfigError(f"{config_path()}: {key} = {raw!r} must be a whole number above 0")
    return value


def set_config(key: str, value: str | None) -> Path:
    """Set (or with `value=None`, remove) one key, keeping the others."""
    if key not in KNOWN_KEYS:
        raise ConfigError(f"unknown setting {key!r}; known: {', '.join(KNOWN_KEYS)}")
    if value is not None and key in LIMIT_DEFAULTS and not (value.isdigit() and int(value) > 0):
        raise ConfigError(f"{key}: expected a whole number above 0, not {value!r}")
    data = load_config()
    if value is None:
        data.pop(key, None)
    else:
        data[key] = value
    path = config_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    import json

    # Every value is a string; a JSON string literal is a valid TOML basic string.
    lines = [f"{k} = {json.dumps(v, ensure_ascii=False)}" for k, v in sorted(data.items())]
    tmp = path.with_suffix(".tmp")
    tmp.write_text("\n".join(lines) + ("\n" if lines else ""), encoding="utf-8")
    tmp.replace(path)
    return path


def resolve_coder(explicit: str | None = None) -> str:
    """`--coder`, else `GTCODE_USER`, else the config file's `user`, else the OS login."""
    for candidate in (explicit, os.environ.get("GTCODE_USER"), load_config().get("user")):
        if candidate and candidate.strip():
            return candidate.strip()
    import getpass

    try:
        return getpass.getuser()
    except Exception:  # no login name (some containers): still record something honest
        return "unknown"

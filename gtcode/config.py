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
}


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


def set_config(key: str, value: str | None) -> Path:
    """Set (or with `value=None`, remove) one key, keeping the others."""
    if key not in KNOWN_KEYS:
        raise ConfigError(f"unknown setting {key!r}; known: {', '.join(KNOWN_KEYS)}")
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

"""Playing the recording behind a passage: which player to start, and how to tell it where to begin.

gtcode never copies or decodes audio; it starts the user's own player (a config `player` template, else mpv,
ffplay or vlc, whichever is installed) at the segment's time.
"""

from __future__ import annotations

import shlex
import shutil

from gtcode.config import load_config
from gtcode.errors import InputError

#: player → how to start it at `start` seconds
_KNOWN = {
    "mpv": "mpv --start={start} {file}",
    "ffplay": "ffplay -autoexit -ss {start} {file}",
    "vlc": "vlc --start-time={start} {file}",
    "cvlc": "cvlc --play-and-exit --start-time={start} {file}",
}


def player_command(file: str, start: float) -> list[str]:
    """The argv that plays `file` from `start` seconds."""
    template = load_config().get("player")
    if not template:
        name = next((n for n in _KNOWN if shutil.which(n)), None)
        if name is None:
            raise InputError("no media player found: install mpv, ffplay (ffmpeg) or vlc, or name yours with "
                             "gtcode config set player 'PROGRAM --start={start} {file}'")
        template = _KNOWN[name]
    try:
        parts = shlex.split(template)
    except ValueError as exc:
        raise InputError(f"config player {template!r}: {exc}") from None
    seconds = f"{max(start, 0.0):.2f}".rstrip("0").rstrip(".")
    argv = [p.replace("{start}", seconds).replace("{file}", file) for p in parts]
    if not any("{file}" in p for p in parts):
        argv.append(file)
    return argv

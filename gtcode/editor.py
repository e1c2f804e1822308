"""Writing longer text in the user's own editor ($VISUAL, $EDITOR, or a sensible fallback)."""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import tempfile
from pathlib import Path

from gtcode.errors import EditorFailed

FALLBACKS = ("sensible-editor", "editor", "nano", "vim", "vi")
_COMMENT = re.compile(r"<!--.*?-->\n?", re.DOTALL)


def find_editor() -> list[str]:
    for var in ("VISUAL", "EDITOR"):
        value = os.environ.get(var, "").strip()
        if value:
            return shlex.split(value)
    for name in FALLBACKS:
        path = shutil.which(name)
        if path:
            return [path]
    raise EditorFailed("no editor found: set $EDITOR (e.g. export EDITOR=nano), or pass the text with --body "
                       "TEXT or --body - (standard input)")


def edit(initial: str, suffix: str = ".md", *, name: str = "memo", comments: bool = True) -> str:
    """Open the editor on `initial` (a temporary file `name``suffix`); returns the saved text, without
    <!-- comments --> when `comments` (the guidance gtcode put there)."""
    command = find_editor()
    with tempfile.TemporaryDirectory(prefix="gtcode-") as tmp:
        path = Path(tmp) / f"{name}{suffix}"
        path.write_text(initial, encoding="utf-8")
        try:
            done = subprocess.run([*command, str(path)])
        except OSError as exc:
            raise EditorFailed(f"could not start the editor {command[0]!r} ({exc.strerror}); nothing was saved; "
                               "set $EDITOR or pass --body") from None
        if done.returncode != 0:
            raise EditorFailed(f"the editor {command[0]!r} exited with status {done.returncode}; nothing was saved")
        saved = path.read_text(encoding="utf-8")
        return _COMMENT.sub("", saved) if comments else saved


def split_title(text: str, default_title: str | None) -> tuple[str | None, str]:
    """'# Title' on the first line sets the title; the rest is the body."""
    lines = text.strip("\n").split("\n")
    if lines and lines[0].startswith("# "):
        return lines[0][2:].strip(), "\n".join(lines[1:]).strip("\n")
    return default_title, text.strip("\n")

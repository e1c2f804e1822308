"""House style: source lines fit a side-by-side diff (120 characters)."""

from __future__ import annotations

from pathlib import Path

import gtcode

LIMIT = 120


def test_no_library_line_is_longer_than_the_limit():
    root = Path(gtcode.__file__).resolve().parent
    long = [f"{path.relative_to(root.parent)}:{n}: {len(line)} characters"
            for path in sorted(root.rglob("*.py"))
            for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if len(line) > LIMIT]
    assert not long, "\n".join(long)

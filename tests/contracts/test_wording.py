"""Messages read right for one and for many: a count is never followed by a noun written "item(s)"
(`gtcode.text.plural` gives "1 anchored item", "2 anchored items")."""

from __future__ import annotations

import re
from pathlib import Path

from gtcode.text import plural

ROOT = Path(__file__).parents[2] / "gtcode"

#: a placeholder ({n}, {len(items)}…), maybe some words, then a word ending in "(s)"
COUNTED = re.compile(r"\{[^{}\n]*\}(?:[ \w<>/.,-]*?\w)?\(s\)")


def test_no_message_puts_a_count_before_a_noun_in_s():
    found = [f"{path.relative_to(ROOT.parent)}:{text[:m.start()].count(chr(10)) + 1}: {m.group(0)}"
             for path in sorted(ROOT.rglob("*.py")) for text in [path.read_text(encoding="utf-8")]
             for m in COUNTED.finditer(text)]
    assert not found, "use gtcode.text.plural:\n" + "\n".join(found)


def test_the_pattern_catches_what_it_is_for():
    assert COUNTED.search('f"{len(items)} anchored item(s) ({listed})"')
    assert COUNTED.search('f"{n} {unit}(s) where coders differ"')
    assert not COUNTED.search('"name the code(s) to apply to the search hits"')
    assert plural(1, "anchored item") == "1 anchored item" and plural(2, "anchored item") == "2 anchored items"

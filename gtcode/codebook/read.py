"""Reading a codebook file: YAML checked whole, every problem reported with its line number.

Untrusted YAML is bounded: aliases are refused and nesting is capped, so a 2 KB file cannot expand to
gigabytes or exhaust the stack.

The fields a code may have are listed here (`CODE_FIELDS`); export writes them in the same order.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from gtcode.errors import BadCodebook, did_you_mean
from gtcode.files import read_utf8

#: Fields of a code in a codebook file, in the order export writes them.
CODE_FIELDS = ("name", "description", "include", "exclude", "example", "color", "invivo", "patterns", "codes")
TEXT_FIELDS = ("description", "include", "exclude", "example")
ALIASES = {"colour": "color"}
TOP_FIELDS = ("codes", "name", "description")

#: Token attributes spaCy's Matcher understands (keys of one token in a token pattern).
TOKEN_ATTRS = frozenset((
    "ORTH", "TEXT", "NORM", "LOWER", "LEMMA", "POS", "TAG", "MORPH", "DEP", "ENT_TYPE", "ENT_IOB", "ENT_ID",
    "ENT_KB_ID", "SHAPE", "PREFIX", "SUFFIX", "LENGTH", "IS_ALPHA", "IS_ASCII", "IS_DIGIT", "IS_LOWER", "IS_UPPER",
    "IS_TITLE", "IS_PUNCT", "IS_SPACE", "IS_STOP", "IS_SENT_START", "SENT_START", "LIKE_NUM", "LIKE_URL",
    "LIKE_EMAIL", "SPACY", "OP", "_", "IS_BRACKET", "IS_QUOTE", "IS_LEFT_PUNCT", "IS_RIGHT_PUNCT", "IS_CURRENCY",
))
_OP = re.compile(r"^(!|\?|\+|\*|\{\d+\}|\{\d*,\d*\})$")
_COLOR = re.compile(r"^#[0-9A-Fa-f]{6}$")


# --- reading ---------------------------------------------------------------------------------------------------

@dataclass
class Entry:
    """One code as a codebook file gives it: only the fields the file sets are in `fields`."""

    name: str
    path: str
    line: int
    fields: dict = field(default_factory=dict)
    children: list["Entry"] = field(default_factory=list)

    def walk(self):
        yield self
        for child in self.children:
            yield from child.walk()


@dataclass
class Codebook:
    source: str
    codes: list[Entry]
    name: str = ""
    description: str = ""

    def entries(self) -> list[Entry]:
        """Every code, parents before children."""
        return [e for top in self.codes for e in top.walk()]


class _Map(dict):
    """A YAML mapping that remembers where it and each key/value start (1-based lines)."""

    line = 0
    key_lines: dict
    value_lines: dict


class _Seq(list):
    line = 0
    item_lines: list


def _loader():
    import yaml
    from yaml.constructor import ConstructorError

    from yaml.composer import ComposerError
    from yaml.events import AliasEvent

    from gtcode.config import limit

    deepest = limit("max_nesting")

    class Loader(yaml.SafeLoader):
        """Refuses aliases (`*name`: nested ones expand exponentially, a "billion laughs") and nesting deeper than
        the `max_nesting` limit (which would exhaust Python's stack)."""

        depth = 0

        def compose_node(self, parent, index):
            if self.check_event(AliasEvent):
                raise ComposerError(None, None, "YAML aliases (*name) are not allowed in a codebook; write the "
                                    "value out in full", self.peek_event().start_mark)
            self.depth += 1
            try:
                if self.depth > deepest:
                    raise ComposerError(None, None, f"nested more than {deepest} levels deep (config max_nesting "
                                        "raises the limit)", self.peek_event().start_mark)
                return super().compose_node(parent, index)
            finally:
                self.depth -= 1

    def construct_map(loader, node):
        data = _Map()
        data.line, data.key_lines, data.value_lines = node.start_mark.line + 1, {}, {}
        yield data
        loader.flatten_mapping(node)
        for key_node, value_node in node.value:
            key = loader.construct_object(key_node, deep=True)
            try:
                hash(key)
            except TypeError:
                raise ConstructorError(None, None, "a key must be a plain word", key_node.start_mark) from None
            if key in data:
                raise ConstructorError(None, None, f"{key!r} is given twice (the first on line "
                                                   f"{data.key_lines[key]})", key_node.start_mark)
            data[key] = loader.construct_object(value_node, deep=True)
            data.key_lines[key] = key_node.start_mark.line + 1
            data.value_lines[key] = value_node.start_mark.line + 1

    def construct_seq(loader, node):
        data = _Seq()
        data.line = node.start_mark.line + 1
        data.item_lines = [n.start_mark.line + 1 for n in node.value]
        yield data
        data.extend(loader.construct_object(n, deep=True) for n in node.value)

    Loader.add_constructor("tag:yaml.org,2002:map", construct_map)
    Loader.add_constructor("tag:yaml.org,2002:seq", construct_seq)
    return Loader


class _Reader:
    def __init__(self, source: str):
        self.source = source

    def fail(self, line: int | None, reason: str):
        where = f"{self.source}, line {line}" if line else self.source
        return BadCodebook(f"{where}: {reason}")

    def text(self, value, key: str, line: int) -> str:
        if isinstance(value, str):
            return value.strip()
        kind = {bool: "yes/no", int: "a number", float: "a number"}.get(type(value), type(value).__name__)
        raise self.fail(line, f"{key}: expected text, got {kind} ({value!r}); put it in quotes")

    def codes(self, items, line: int, parent: str | None) -> list[Entry]:
        if not isinstance(items, list):
            raise self.fail(line, "'codes' must be a list of codes, each starting with '- name: …'"
                            + (" (it is empty)" if items is None else ""))
        out: list[Entry] = []
        seen: dict[str, int] = {}
        for i, item in enumerate(items):
            item_line = items.item_lines[i] if isinstance(items, _Seq) else line
            entry = self.code(item, item_line, parent)
            key = entry.name.casefold()
            if key in seen:
                where = f"under {parent!r}" if parent else "at the top level"
                raise self.fail(entry.line, f"two codes named {entry.name!r} {where} (the first on line {seen[key]}); "
                                "names must differ among siblings")
            seen[key] = entry.line
            out.append(entry)
        return out

    def code(self, item, line: int, parent: str | None) -> Entry:
        if isinstance(item, str):  # shorthand: a bare name
            item = _Map(name=item)
            item.line, item.key_lines, item.value_lines = line, {"name": line}, {"name": line}
        if not isinstance(item, dict):
            raise self.fail(line, f"each code must be a mapping starting with 'name:', not {item!r}")
        line = getattr(item, "line", line)
        key_lines = getattr(item, "key_lines", {})
        value_lines = getattr(item, "value_lines", {})
        raw: dict = {}
        for key, value in item.items():
            canon = ALIASES.get(key, key) if isinstance(key, str) else key
            if canon not in CODE_FIELDS:
                hint = did_you_mean(str(key), list(CODE_FIELDS) + list(ALIASES))
                raise self.fail(key_lines.get(key, line), f"unknown field {key!r}{hint}; a code may have "
                                + ", ".join(CODE_FIELDS))
            if canon in raw:
                raise self.fail(key_lines.get(key, line), "both 'color' and 'colour' given for one code")
            raw[canon] = (value, key_lines.get(key, line), value_lines.get(key, line))
        if "name" not in raw or raw["name"][0] is None:
            raise self.fail(line, "a code without a name: every code needs 'name: …'")
        name = " ".join(self.text(raw["name"][0], "name", raw["name"][1]).split())
        if not name:
            raise self.fail(raw["name"][1], "a code without a name: 'name' is empty")
        if "/" in name:
            raise self.fail(raw["name"][1], f"code name {name!r}: '/' separates levels of a path; it cannot be "
                            "part of a name (nest the code under 'codes:' instead)")
        if len(name) > 200:
            raise self.fail(raw["name"][1], f"code name {name[:40]!r}…: longer than 200 characters")
        path = f"{parent}/{name}" if parent else name
        entry = Entry(name, path, line)
        for key in TEXT_FIELDS:
            if key in raw and raw[key][0] is not None:
                entry.fields[key] = self.text(raw[key][0], key, raw[key][2])
        if "color" in raw:
            value, key_line, value_line = raw["color"]
            if value is None:
                raise self.fail(key_line, "colour is empty; in YAML '#' starts a comment, so quote it: "
                                'color: "#1f77b4"')
            if not isinstance(value, str) or not _COLOR.match(value.strip()):
                raise self.fail(value_line, f"bad colour {value!r}: expected \"#RRGGBB\", e.g. \"#1f77b4\"")
            entry.fields["color"] = value.strip().lower()
        if "invivo" in raw and raw["invivo"][0] is not None:
            value, _, value_line = raw["invivo"]
            if not isinstance(value, bool):
                raise self.fail(value_line, f"invivo: expected true or false, not {value!r}")
            entry.fields["invivo"] = value
        if "patterns" in raw and raw["patterns"][0] is not None:
            entry.fields["patterns"] = self.patterns(raw["patterns"][0], raw["patterns"][2], name)
        if "codes" in raw:
            value, _, value_line = raw["codes"]
            if value is not None:  # 'codes:' with nothing under it: no children
                entry.children = self.codes(value, value_line, path)
        return entry

    def patterns(self, value, line: int, code: str) -> list:
        if isinstance(value, (str, dict)):
            value = [value]
        if not isinstance(value, list):
            raise self.fail(line, f"patterns of {code!r}: expected a list of words or phrases, e.g. "
                            '["energy", "out of bed"]')
        out: list = []
        for i, p in enumerate(value):
            p_line = value.item_lines[i] if isinstance(value, _Seq) else line
            if isinstance(p, str):
                phrase = " ".join(p.split())
                if not phrase:
                    raise self.fail(p_line, f"patterns of {code!r}: an empty pattern")
                pattern = phrase
            elif isinstance(p, (list, dict)):
                pattern = self.token_pattern(p, p_line, code)
            else:
                raise self.fail(p_line, f"patterns of {code!r}: {p!r} is not a word or phrase (put it in quotes) "
                                "nor a token pattern like [{LEMMA: cancel}, {LOWER: appointment}]")
            if pattern not in out:
                out.append(pattern)
        return out

    def token_pattern(self, tokens, line: int, code: str) -> list[dict]:
        tokens = [tokens] if isinstance(tokens, dict) else tokens
        if not tokens:
            raise self.fail(line, f"patterns of {code!r}: an empty token pattern")
        out = []
        for tok in tokens:
            tok_line = getattr(tok, "line", line)
            if not isinstance(tok, dict) or not tok:
                raise self.fail(tok_line, f"patterns of {code!r}: each token of a token pattern is a mapping "
                                f"such as {{LEMMA: cancel}}, not {tok!r}")
            clean = {}
            for key, value in tok.items():
                attr = key if key == "_" else str(key).upper()
                if attr not in TOKEN_ATTRS:
                    hint = did_you_mean(str(key).upper(), sorted(TOKEN_ATTRS))
                    raise self.fail(tok_line, f"patterns of {code!r}: unknown token attribute {key!r}{hint}")
                if attr == "OP" and not (isinstance(value, str) and _OP.match(value)):
                    raise self.fail(tok_line, f"patterns of {code!r}: OP {value!r} must be one of ! ? + * {{n}} "
                                    "{n,m}")
                if value is None:
                    raise self.fail(tok_line, f"patterns of {code!r}: {key} has no value")
                clean[attr] = _plain(value)
            out.append(clean)
        return out


def _plain(value):
    """YAML containers as plain dicts/lists (for JSON and comparison)."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def parse_codebook(text: str, source: str = "codebook") -> Codebook:
    """A codebook from YAML text; any problem is one BadCodebook naming `source`, the line and the reason."""
    import yaml

    reader = _Reader(source)
    try:
        data = yaml.load(text, Loader=_loader())  # noqa: S506 - a SafeLoader subclass that records line numbers
    except yaml.MarkedYAMLError as exc:
        from yaml.constructor import ConstructorError

        mark = exc.problem_mark or exc.context_mark
        reason = exc.problem or exc.context or "not valid YAML"
        if not isinstance(exc, ConstructorError):
            reason = f"not valid YAML: {reason}"
            if exc.context and exc.context_mark and mark and exc.context_mark.line != mark.line:
                reason += f" ({exc.context} on line {exc.context_mark.line + 1})"
        raise reader.fail(mark.line + 1 if mark else None, reason) from None
    except yaml.YAMLError as exc:
        raise reader.fail(None, f"not valid YAML: {exc}") from None
    if data is None:
        raise reader.fail(None, "empty codebook; expected 'codes:' followed by a list of codes")
    if isinstance(data, list):
        raise reader.fail(getattr(data, "line", 1), "a codebook starts with 'codes:' (a mapping), not a list")
    if not isinstance(data, dict):
        raise reader.fail(1, "a codebook starts with 'codes:' followed by a list of codes")
    for key in data:
        if key not in TOP_FIELDS:
            hint = did_you_mean(str(key), TOP_FIELDS)
            raise reader.fail(data.key_lines.get(key), f"unknown top-level field {key!r}{hint}; a codebook has "
                              "'codes' (and optionally 'name', 'description')")
    if "codes" not in data:
        raise reader.fail(data.line, "no 'codes:' list; a codebook starts with 'codes:' followed by a list of codes")
    codes = reader.codes(data["codes"], data.value_lines["codes"], None)
    title = reader.text(data["name"], "name", data.key_lines["name"]) if data.get("name") is not None else ""
    about = reader.text(data["description"], "description", data.key_lines["description"]) \
        if data.get("description") is not None else ""
    return Codebook(source, codes, title, about)


def read_codebook(path: str | Path) -> Codebook:
    """Read and check a codebook file (UTF-8, with or without BOM)."""
    path = Path(path)
    text = read_utf8(path, BadCodebook, "codebook file")
    return parse_codebook(text, str(path))

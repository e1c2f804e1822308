"""A streaming XML writer for the .qdpx export: elements written as they come, never held as a tree.

A large project's project.qde has hundreds of thousands of selections; building them as lxml elements cost
more than everything else in the export together, and held the whole file in memory. `XmlWriter` writes
the bytes lxml's `tostring(root, xml_declaration=True, encoding="utf-8", pretty_print=True)` would write for
the same tree (two-space indents, `<X/>` when empty, the same escapes), so the file is unchanged; it refuses
the characters lxml refuses, with lxml's message.
"""

from __future__ import annotations

import re
from typing import Callable

_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_TEXT_SPECIAL = re.compile("[&<>\r\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_ATTR_SPECIAL = re.compile("[&<>\"\n\r\t\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
#: Buffered pieces are encoded and handed to the sink once there are this many, or once `markup` has added
#: this many characters (it is given a whole document's selections at a time).
_PIECES = 8192
_HELD = 1 << 20


def _check(value: str) -> None:
    if _INVALID.search(value):
        raise ValueError("All strings must be XML compatible: Unicode or ASCII, no NULL bytes or control characters")


def escape_text(value: str) -> str:
    """Element text as libxml2 escapes it (one regex search when there is nothing to escape)."""
    if not _TEXT_SPECIAL.search(value):
        return value
    _check(value)
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\r", "&#13;")


def escape_attr(value: str) -> str:
    """An attribute value as libxml2 escapes it (inside double quotes)."""
    if not _ATTR_SPECIAL.search(value):
        return value
    _check(value)
    return (value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
            .replace("\n", "&#10;").replace("\r", "&#13;").replace("\t", "&#9;"))


class XmlWriter:
    """Pretty-printed XML in one default namespace, written to `sink` (a callable taking bytes) in chunks.

    `start` opens an element that may get children, `leaf` writes one that will not (with optional text),
    `end` closes the innermost open element; `close` ends them all and flushes. Attributes whose value is
    None are left out, as the export has always done.
    """

    def __init__(self, sink: Callable[[bytes], object], root: str, namespace: str, attrs: dict):
        self._sink = sink
        self._parts: list[str] = ["<?xml version='1.0' encoding='utf-8'?>\n"]
        self._stack: list[list] = []          # [tag, has children] of each open element
        self._held = 0                        # characters `markup` added since the last flush
        self.start(root, {"xmlns": namespace, **attrs})

    def _open_tag(self, tag: str, attrs: dict | None) -> None:
        if self._stack:
            parent = self._stack[-1]
            if not parent[1]:
                parent[1] = True
                self._parts.append(">\n")
        parts = self._parts
        parts.append(f"{'  ' * len(self._stack)}<{tag}")
        if attrs:
            for k, v in attrs.items():
                if v is not None:
                    parts.append(f' {k}="{v}"' if type(v) is int else f' {k}="{escape_attr(str(v))}"')

    def start(self, tag: str, attrs: dict | None = None) -> None:
        self._open_tag(tag, attrs)
        self._stack.append([tag, False])

    def leaf(self, tag: str, attrs: dict | None = None, text: str | None = None) -> None:
        self._open_tag(tag, attrs)
        self._parts.append("/>\n" if text is None else f">{escape_text(text)}</{tag}>\n")
        if len(self._parts) > _PIECES:
            self.flush()

    @property
    def indent(self) -> str:
        """The indentation of a child of the innermost open element."""
        return "  " * len(self._stack)

    def markup(self, text: str) -> None:
        """Children of the innermost open element, already written out: each line indented from `indent`,
        every value escaped (`escape_attr`). For the export's hot loop, where `start` and `leaf` would cost
        more than the rest of the export."""
        parent = self._stack[-1]
        if not parent[1]:
            parent[1] = True
            self._parts.append(">\n")
        self._parts.append(text)
        self._held += len(text)
        if len(self._parts) > _PIECES or self._held > _HELD:
            self.flush()

    def end(self) -> None:
        tag, has_children = self._stack.pop()
        self._parts.append("  " * len(self._stack) + f"</{tag}>\n" if has_children else "/>\n")

    def flush(self) -> None:
        if self._parts:
            self._sink("".join(self._parts).encode("utf-8"))
            self._parts, self._held = [], 0

    def close(self) -> None:
        while self._stack:
            self.end()
        self.flush()

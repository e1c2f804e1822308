"""Measuring, wrapping and fitting text for the model's boxes, in DejaVu Sans metrics (matplotlib's own
font, so the same on every machine). matplotlib loads only when a character is first measured."""

from __future__ import annotations

import unicodedata

LINE = 1.18                           # line height, in font sizes

_ADVANCE: dict[tuple[bool, str], float] = {}
_FONTS: dict[bool, object] = {}


def _em(ch: str, bold: bool) -> float:
    """Width of one character in ems; characters DejaVu lacks (CJK, emoji) count as a full em."""
    key = (bold, ch)
    if key not in _ADVANCE:
        from matplotlib import ft2font

        if bold not in _FONTS:
            import os

            import matplotlib

            name = "DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf"
            font = ft2font.FT2Font(os.path.join(matplotlib.get_data_path(), "fonts", "ttf", name))
            font.set_size(100, 72)
            _FONTS[bold] = font
        font = _FONTS[bold]
        cp = ord(ch)
        if unicodedata.category(ch) in ("Mn", "Me", "Cf") or 0xFE00 <= cp <= 0xFE0F:
            width = 0.0
        elif font.get_char_index(cp):
            flags = ft2font.LoadFlags.NO_HINTING if hasattr(ft2font, "LoadFlags") else 2
            width = font.load_char(cp, flags=flags).linearHoriAdvance / 65536 / 100
        else:
            width = 1.0 if unicodedata.east_asian_width(ch) in "WF" or cp >= 0x2000 else 0.62
        _ADVANCE[key] = width
    return _ADVANCE[key]


def text_width(text: str, size: float, bold: bool = False) -> float:
    """Width in inches of `text` at `size` points."""
    return sum(_em(ch, bold) for ch in text) * size / 72


def _tokens(text: str) -> list[str]:
    """Words, with each wide (CJK) character a word of its own so such names can break anywhere."""
    out: list[str] = []
    for word in text.split():
        buf = ""
        for ch in word:
            if unicodedata.east_asian_width(ch) in "WF":
                if buf:
                    out.append(buf)
                    buf = ""
                out.append(ch)
            else:
                buf += ch
        if buf:
            out.append(buf)
    return out


def wrap(text: str, width: float, size: float, bold: bool = False) -> list[str]:
    """Greedy word wrap to `width` inches; a word too long for a line is split between characters."""
    lines: list[str] = []
    line = ""
    for tok in _tokens(text):
        wide = len(tok) == 1 and unicodedata.east_asian_width(tok) in "WF"
        glue = "" if (not line or (wide and unicodedata.east_asian_width(line[-1]) in "WF")) else " "
        if text_width(line + glue + tok, size, bold) <= width:
            line += glue + tok
            continue
        if line:
            lines.append(line)
            line = ""
        while text_width(tok, size, bold) > width and len(tok) > 1:
            cut = 1
            while cut < len(tok) and text_width(tok[:cut + 1], size, bold) <= width:
                cut += 1
            lines.append(tok[:cut])
            tok = tok[cut:]
        line = tok
    if line:
        lines.append(line)
    return lines or [""]


def fit(text: str, width: float, height: float, biggest: float, smallest: float, bold: bool = False,
        extra: str = "") -> tuple[list[str], float]:
    """Lines and font size that fit `text` (and an optional smaller `extra` line) in width × height inches.

    Tries the biggest size first, shrinking by half points; at the smallest size, lines that do not
    fit are cut and the last one ends in an ellipsis.
    """
    size = biggest
    while True:
        lines = wrap(text, width, size, bold)
        needed = (len(lines) + (0.85 if extra else 0)) * size * LINE / 72
        if needed <= height or size <= smallest:
            break
        size = max(smallest, size - 0.5)
    room = max(1, int(height / (size * LINE / 72) - (0.85 if extra else 0)))
    if len(lines) > room:
        lines = lines[:room]
        last = lines[-1]
        while last and text_width(last + "…", size, bold) > width:
            last = last[:-1]
        lines[-1] = last.rstrip() + "…"
    return lines, size

"""Any report (`document.Report`) as Markdown, pandoc-friendly: pipe tables, figures linked beside the file.

Also the escaping every Markdown writer in gtcode uses (`md_inline`, `md_cell`, `md_block`, `fence`): a
participant's or researcher's text comes out as written, never as markup or raw HTML.
"""

from __future__ import annotations

import re

from gtcode.report.document import Block, Report

_MD_SPECIAL = re.compile(r"([\\`*\[\]|]|(?<!\w)_|_(?!\w))")
#: Text `md_cell` gives back as it is: words of no markup character, `_` or `<`, one space apart, on one line.
_PLAIN = re.compile(r"[^\\`*\[\]|_<\s]+(?: [^\\`*\[\]|_<\s]+)*")


def _escape(text: str) -> str:
    return _MD_SPECIAL.sub(r"\\\1", " ".join(str(text).split())).replace("<", "&lt;")


def md_inline(text: str) -> str:
    """Text as literal Markdown on one line: markup characters escaped, HTML made inert."""
    text = _escape(text)
    return "\\" + text if text.startswith(("#", ">", "-", "+")) else text


def md_cell(text: str) -> str:
    """Text for a Markdown table cell: escaped, line breaks kept as <br>."""
    if type(text) is int:        # counts need no escaping (a report's tables hold one per interview)
        return str(text)
    if type(text) is str and _PLAIN.fullmatch(text):     # most cells: nothing to escape or join
        return text
    return "<br>".join(_escape(line) for line in str(text).splitlines() if line.strip()) or " "


def md_block(text: str) -> str:
    """A researcher's own Markdown (a memo body), kept as written but with raw HTML made inert."""
    return str(text).replace("<", "&lt;")


def fence(text: str, info: str = "") -> str:
    """A fenced code block longer than any backtick run inside `text`."""
    longest = max((len(m) for m in re.findall(r"`+", text)), default=0)
    ticks = "`" * max(3, longest + 1)
    return f"{ticks}{info}\n{text.rstrip(chr(10))}\n{ticks}"


def _caption(b: Block) -> str:
    return f"**{b.label}.** {md_inline(b.caption)}"


def _table(b: Block) -> str:
    lines = [_caption(b), ""] if b.label else []
    lines += ["| " + " | ".join(md_cell(h) for h in b.headers) + " |", "|" + "|".join("---" for _ in b.headers) + "|"]
    lines += ["| " + " | ".join(md_cell(c) for c in row) + " |" for row in b.rows]
    return "\n".join(lines)


def block_markdown(b: Block, images: dict[str, str]) -> str | None:
    """One block as Markdown; None for blocks that only mean something on paper (page orientation)."""
    if b.kind == "heading":
        return f"{'#' * (b.level + 1)} {md_inline(b.text)}"
    if b.kind == "para":
        return "".join(f"**{md_inline(t.strip())}** " if bold else md_inline(t) for t, bold in b.runs)
    if b.kind == "note":
        return f"*{md_inline(b.text)}*"
    if b.kind == "bullets":
        return "\n".join(f"- {md_inline(item)}" for item in b.items)
    if b.kind == "table":
        return _table(b)
    if b.kind == "figure":
        target = images[b.name]
        target = f"<{target}>" if " " in target else target    # CommonMark: a link with spaces in brackets
        return f"![{md_inline(b.caption)}]({target})\n\n{_caption(b)}"
    if b.kind == "quote":
        lines = [f"> {md_inline(line)}" for line in b.text.splitlines() if line.strip()]
        return "\n".join(lines + ([">", f"> — {md_inline(b.source)}"] if b.source else []))
    if b.kind == "memo":
        return md_block(b.text.strip())
    if b.kind == "memo_quote":
        return "\n".join(f"> {line}".rstrip() for line in md_block(b.text).splitlines())
    if b.kind == "diff":
        return fence(b.text, "diff")
    return None


def to_markdown(report: Report, images: dict[str, str] | None = None) -> str:
    """`images` maps figure names to the (relative) file each links to."""
    parts = [f"# {md_inline(report.title)}"]
    if report.subtitle:
        parts.append(f"*{md_inline(report.subtitle)}*")
    parts += [text for text in (block_markdown(b, images or {}) for b in report.blocks) if text is not None]
    return "\n\n".join(parts) + "\n"

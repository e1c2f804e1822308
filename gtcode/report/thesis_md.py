"""The thesis report as Markdown (pandoc-friendly): pipe tables, figures linked beside the file."""

from __future__ import annotations

from gtcode.report import md_block, md_cell, md_inline
from gtcode.report.thesis import Block, Report


def _caption(b: Block) -> str:
    return f"**{b.label}.** {md_inline(b.caption)}"


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
        lines = [_caption(b), "", "| " + " | ".join(md_cell(h) for h in b.headers) + " |",
                 "|" + "|".join("---" for _ in b.headers) + "|"]
        lines += ["| " + " | ".join(md_cell(c) for c in row) + " |" for row in b.rows]
        return "\n".join(lines)
    if b.kind == "figure":
        target = images[b.name]
        target = f"<{target}>" if " " in target else target    # CommonMark: a link with spaces in brackets
        return f"![{md_inline(b.caption)}]({target})\n\n{_caption(b)}"
    if b.kind == "quote":
        lines = [f"> {md_inline(line)}" for line in b.text.splitlines() if line.strip()]
        return "\n".join(lines + ([">", f"> — {md_inline(b.source)}"] if b.source else []))
    if b.kind == "memo":
        return md_block(b.text.strip())
    return None


def to_markdown(report: Report, images: dict[str, str]) -> str:
    """`images` maps figure names to the (relative) file each links to."""
    parts = [f"# {md_inline(report.title)}"]
    if report.subtitle:
        parts.append(f"*{md_inline(report.subtitle)}*")
    parts += [text for text in (block_markdown(b, images) for b in report.blocks) if text is not None]
    return "\n\n".join(parts) + "\n"

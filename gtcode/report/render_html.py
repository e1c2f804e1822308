"""Any report (`document.Report`) as one self-contained HTML page: inline CSS, figures inlined as base64 PNG,
no scripts, every value escaped.

Two page styles: `THESIS` (a book page that may show its own images) and `AUDIT` (a screen page for a
supervision meeting, with coloured diffs and no images).
"""

from __future__ import annotations

import base64
import html
from dataclasses import dataclass
from pathlib import Path

from gtcode.report.document import Block, Report


@dataclass(frozen=True)
class Page:
    """How a page looks (its CSS) and what it may load (its Content-Security-Policy)."""

    css: str
    csp: str


THESIS = Page("""
body { font: 15px/1.55 Georgia, "Times New Roman", serif; max-width: 62rem; margin: 2rem auto; padding: 0 1rem;
       color: #1b1b1b; }
h1 { font-size: 1.8rem; } h2 { margin-top: 2.2rem; border-bottom: 1px solid #999; } h3 { margin-top: 1.6rem; }
table { border-collapse: collapse; width: 100%; margin: .3rem 0 1.2rem; font-size: .85rem; table-layout: auto; }
th, td { border: 1px solid #888; padding: .25rem .4rem; text-align: left; vertical-align: top;
         overflow-wrap: break-word; white-space: pre-line; }
th { background: #eee; overflow-wrap: normal; word-break: keep-all; hyphens: manual; }
.caption { font-size: .9rem; margin: .8rem 0 .3rem; } .caption b { font-weight: bold; }
figure { margin: 1rem 0; } figure img { max-width: 100%; height: auto; border: 1px solid #ddd; }
blockquote { border-left: 4px solid #bbb; margin: .6rem 0; padding: 0 1rem; color: #333; }
.memo { white-space: pre-wrap; } .note { color: #555; font-style: italic; } .subtitle { color: #444; }
@media print { body { max-width: none; } figure, tr { break-inside: avoid; } }
""", "default-src 'none'; style-src 'unsafe-inline'; img-src data:")

AUDIT = Page("""
body { font: 15px/1.5 system-ui, -apple-system, "Segoe UI", sans-serif; max-width: 60rem; margin: 2rem auto;
       padding: 0 1rem; color: #1b1b1b; }
h1 { font-size: 1.7rem; border-bottom: 2px solid #444; } h2 { margin-top: 2rem; border-bottom: 1px solid #bbb; }
table { border-collapse: collapse; width: 100%; margin: .5rem 0; font-size: .9rem; table-layout: auto; }
th, td { border: 1px solid #bbb; padding: .25rem .5rem; text-align: left; vertical-align: top; }
th { background: #f0f0f0; overflow-wrap: normal; word-break: keep-all; hyphens: manual; }
td { white-space: pre-line; overflow-wrap: break-word; }
pre.diff { background: #f7f7f7; padding: .5rem; overflow-x: auto; font-size: .85rem; white-space: pre-wrap; }
.add { color: #116329; background: #e6ffec; } .del { color: #82071e; background: #ffebe9; } .hunk { color: #6639ba; }
blockquote { border-left: 4px solid #ccc; margin: .5rem 0; padding: 0 1rem; color: #333; }
.note { color: #666; font-style: italic; }
@media print { body { max-width: none; } }
""", "default-src 'none'; style-src 'unsafe-inline'")


def _table(b: Block) -> str:
    """A table the browser sizes to its content (CSS `table-layout: auto`, no column widths), as the Word
    tables are: short columns stay narrow and a header word is never broken."""
    e = html.escape
    caption = f'<p class="caption"><b>{e(b.label)}.</b> {e(b.caption)}</p>\n' if b.label else ""
    head = "".join(f"<th>{e(h)}</th>" for h in b.headers)
    rows = "".join("<tr>" + "".join(f"<td>{e(c)}</td>" for c in row) + "</tr>" for row in b.rows)
    return f"{caption}<table><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>"


def _diff(text: str) -> str:
    lines = []
    for line in text.splitlines():
        cls = ("hunk" if line.startswith("@@") else "" if line.startswith(("+++", "---"))
               else "add" if line.startswith("+") else "del" if line.startswith("-") else "")
        esc = html.escape(line)
        lines.append(f'<span class="{cls}">{esc}</span>' if cls else esc)
    return '<pre class="diff">' + "\n".join(lines) + "</pre>"


def block_html(b: Block, images: dict[str, Path]) -> str | None:
    """One block as HTML; None for blocks that only mean something on paper (page orientation)."""
    e = html.escape
    if b.kind == "heading":
        return f"<h{b.level + 1}>{e(b.text)}</h{b.level + 1}>"
    if b.kind == "para":
        return "<p>" + "".join(f"<strong>{e(t)}</strong>" if bold else e(t) for t, bold in b.runs) + "</p>"
    if b.kind == "note":
        return f'<p class="note">{e(b.text)}</p>'
    if b.kind == "bullets":
        return "<ul>" + "".join(f"<li>{e(i)}</li>" for i in b.items) + "</ul>"
    if b.kind == "table":
        return _table(b)
    if b.kind == "figure":
        data = base64.b64encode(images[b.name].read_bytes()).decode("ascii")
        return (f'<figure><img src="data:image/png;base64,{data}" alt="{e(b.caption)}">'
                f'<figcaption class="caption"><b>{e(b.label)}.</b> {e(b.caption)}</figcaption></figure>')
    if b.kind == "quote":
        lines = "<br>".join(e(line) for line in b.text.splitlines() if line.strip())
        return f"<blockquote><p>{lines}</p>" + (f"<p>— {e(b.source)}</p>" if b.source else "") + "</blockquote>"
    if b.kind == "memo":
        return f'<div class="memo">{e(b.text.strip())}</div>'
    if b.kind == "memo_quote":
        paras = [p for p in b.text.split("\n\n") if p.strip()]
        return "<blockquote>" + "".join(f"<p>{e(p).replace(chr(10), '<br>')}</p>" for p in paras) + "</blockquote>"
    if b.kind == "diff":
        return _diff(b.text)
    return None


def to_html(report: Report, images: dict[str, Path] | None = None, *, page: Page = THESIS,
            title: str | None = None) -> str:
    """The whole page; `title` is the browser tab's (default: the report's). The Content-Security-Policy lets
    the page load nothing but what `page` allows."""
    body = [f"<h1>{html.escape(report.title)}</h1>"]
    if report.subtitle:
        body.append(f'<p class="subtitle">{html.escape(report.subtitle)}</p>')
    body += [text for text in (block_html(b, images or {}) for b in report.blocks) if text is not None]
    return ("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
            f"<meta http-equiv=\"Content-Security-Policy\" content=\"{page.csp}\">\n"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
            f"<meta name=\"generator\" content=\"gtcode\">\n<title>{html.escape(title or report.title)}</title>\n"
            f"<style>{page.css}</style>\n</head>\n<body>\n" + "\n".join(body) + "\n</body>\n</html>\n")

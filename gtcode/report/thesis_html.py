"""The thesis report as one self-contained HTML page: inline CSS, figures inlined as base64 PNG, no scripts."""

from __future__ import annotations

import base64
import html
from pathlib import Path

from gtcode.report.thesis import Block, Report

_CSS = """
body { font: 15px/1.55 Georgia, "Times New Roman", serif; max-width: 62rem; margin: 2rem auto; padding: 0 1rem;
       color: #1b1b1b; }
h1 { font-size: 1.8rem; } h2 { margin-top: 2.2rem; border-bottom: 1px solid #999; } h3 { margin-top: 1.6rem; }
table { border-collapse: collapse; width: 100%; margin: .3rem 0 1.2rem; font-size: .85rem; table-layout: fixed; }
th, td { border: 1px solid #888; padding: .25rem .4rem; text-align: left; vertical-align: top;
         overflow-wrap: anywhere; white-space: pre-line; }
th { background: #eee; }
.caption { font-size: .9rem; margin: .8rem 0 .3rem; } .caption b { font-weight: bold; }
figure { margin: 1rem 0; } figure img { max-width: 100%; height: auto; border: 1px solid #ddd; }
blockquote { border-left: 4px solid #bbb; margin: .6rem 0; padding: 0 1rem; color: #333; }
.memo { white-space: pre-wrap; } .note { color: #555; font-style: italic; } .subtitle { color: #444; }
@media print { body { max-width: none; } figure, table { break-inside: avoid; } }
"""


def _cell(text: str) -> str:
    return html.escape(text)


def block_html(b: Block, images: dict[str, Path]) -> str | None:
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
        total = sum(b.widths) or 1
        cols = "".join(f'<col style="width:{100 * w / total:.1f}%">' for w in b.widths)
        head = "".join(f"<th>{_cell(h)}</th>" for h in b.headers)
        rows = "".join("<tr>" + "".join(f"<td>{_cell(c)}</td>" for c in row) + "</tr>" for row in b.rows)
        return (f'<p class="caption"><b>{e(b.label)}.</b> {e(b.caption)}</p>\n'
                f"<table><colgroup>{cols}</colgroup><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>")
    if b.kind == "figure":
        data = base64.b64encode(images[b.name].read_bytes()).decode("ascii")
        return (f'<figure><img src="data:image/png;base64,{data}" alt="{e(b.caption)}">'
                f'<figcaption class="caption"><b>{e(b.label)}.</b> {e(b.caption)}</figcaption></figure>')
    if b.kind == "quote":
        lines = "<br>".join(e(line) for line in b.text.splitlines() if line.strip())
        return f"<blockquote><p>{lines}</p>" + (f"<p>— {e(b.source)}</p>" if b.source else "") + "</blockquote>"
    if b.kind == "memo":
        return f'<div class="memo">{e(b.text.strip())}</div>'
    return None


def to_html(report: Report, images: dict[str, Path]) -> str:
    """Every value escaped; the Content-Security-Policy lets the page load nothing but its own images."""
    body = [f"<h1>{html.escape(report.title)}</h1>"]
    if report.subtitle:
        body.append(f'<p class="subtitle">{html.escape(report.subtitle)}</p>')
    body += [text for text in (block_html(b, images) for b in report.blocks) if text is not None]
    return ("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
            "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; "
            "img-src data:\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
            f"<meta name=\"generator\" content=\"gtcode\">\n<title>{html.escape(report.title)}</title>\n"
            f"<style>{_CSS}</style>\n</head>\n<body>\n" + "\n".join(body) + "\n</body>\n</html>\n")

"""Formatted transcripts that are not Word: HTML, OpenDocument text (.odt) and RTF.

Containers are read with well-kept libraries (lxml for HTML and the ODT's
XML, striprtf for RTF); gtcode turns their paragraphs into lines and hands
them to `turns_from_lines`, with bold `Name:` labels as hints. HTML from
podcast hosts (the Podcasting 2.0 layout: `<cite>Name:</cite>`,
`<time>0:05</time>`, then `<p>` paragraphs) is read as timed, named cues.
"""

from __future__ import annotations

import re
from pathlib import Path

from gtcode.errors import EmptyDocument, InputError, UnsafeFile
from gtcode.text import normalise
from gtcode.ingest import limits
from gtcode.ingest.base import Cue, ParsedDocument, text_from_cues, turns_from_lines
from gtcode.ingest.containers import check_package, parse_untrusted_xml, read_entry
from gtcode.ingest.paragraphs import bold_label, join_lines
from gtcode.ingest.speakers import SpeakerRules, parse_clock

_WS = re.compile(r"\s+")
_INTERNAL_SUBSET = re.compile(rb"<!\s*doctype[^>\[]*\[", re.IGNORECASE)
_HTML_SKIP = {"script", "style", "head", "noscript", "template", "nav", "svg", "button", "form", "select"}
_HTML_BLOCK = {"p", "div", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "blockquote", "dt", "dd", "pre",
               "section", "article", "table", "ul", "ol", "header", "footer", "main", "figure", "figcaption",
               "address", "aside", "hr", "body"}
_HTML_BOLD = {"b", "strong"}


class _Lines:
    """Paragraphs being collected as (text, bold) runs, plus markers (speaker names, times) between them."""

    def __init__(self):
        self.items: list[tuple[str, object]] = []   # ('para', runs) | ('cite', name) | ('time', text)
        self.runs: list[tuple[str, bool]] = []

    def add(self, text: str | None, bold: bool, collapse: bool = True) -> None:
        if text:
            self.runs.append((_WS.sub(" ", text) if collapse else text, bold))

    def flush(self) -> None:
        runs = self.runs
        self.runs = []
        if not "".join(t for t, _ in runs).strip():
            return
        first, last = runs[0], runs[-1]
        runs[0] = (first[0].lstrip(), first[1])
        runs[-1] = (runs[-1][0].rstrip(), last[1])
        self.items.append(("para", runs))

    def paragraphs(self):
        """(text, bold-label hint) of each paragraph, for `join_lines`."""
        for kind, value in self.items:
            if kind == "para":
                yield "".join(t for t, _ in value), bold_label(value)


def _finish(path: Path, fmt: str, collected: _Lines, rules: SpeakerRules, what: str) -> list[ParsedDocument]:
    text, hints = join_lines(collected.paragraphs())
    if not text.strip():
        raise EmptyDocument(f"{path}: the {what} has no text")
    return [ParsedDocument(name=path.stem, text=text, format=fmt, turns=turns_from_lines(text, rules, hints))]


# --- HTML -------------------------------------------------------------------------------------------------------

def _html_root(path: Path):
    from lxml import etree, html

    limits.check_size(path, "HTML transcript", limits.xml_bytes(), "max_part_mb")
    data = path.read_bytes()
    if _INTERNAL_SUBSET.search(data[:1 << 16]):
        raise UnsafeFile(f"{path}: the HTML file declares entities in its DOCTYPE (XXE); refused")
    parser = html.HTMLParser(no_network=True, remove_comments=True, remove_pis=True, huge_tree=False,
                             default_doctype=False)
    try:
        root = html.document_fromstring(data, parser=parser)
    except (etree.ParserError, etree.XMLSyntaxError, ValueError) as exc:
        raise InputError(f"{path}: not a readable HTML file ({exc})") from None
    mains = root.xpath("//main|//article")
    return mains[0] if len(mains) == 1 else root


def _walk_html(root, cites: bool) -> _Lines:
    from lxml import etree

    out = _Lines()
    bold = 0
    walker = etree.iterwalk(root, events=("start", "end"))
    for event, el in walker:
        tag = el.tag.lower() if isinstance(el.tag, str) else ""
        if event == "start":
            if tag in _HTML_SKIP or not tag:
                walker.skip_subtree()
                continue
            if tag in _HTML_BLOCK or tag == "br":
                out.flush()
            if cites and tag in ("cite", "time"):
                out.flush()
                out.items.append((tag, el.text_content().strip()))
                walker.skip_subtree()
                continue
            bold += tag in _HTML_BOLD
            out.add(el.text, bold > 0, tag != "pre")
        else:
            if tag in _HTML_BOLD:
                bold -= 1
            elif tag in ("td", "th"):
                out.add("\t", False, False)
            if tag in _HTML_BLOCK:
                out.flush()
            out.add(el.tail, bold > 0)
    out.flush()
    return out


def read_html(path: Path, rules: SpeakerRules) -> list[ParsedDocument]:
    root = _html_root(path)
    cites = root.find(".//cite") is not None
    collected = _walk_html(root, cites)
    if not cites:
        return _finish(path, "html", collected, rules, "HTML page")
    cues: list[Cue] = []
    speaker, when = None, None
    for kind, value in collected.items:
        if kind == "cite":
            speaker = str(value).strip().rstrip(":").strip() or None
        elif kind == "time":
            try:
                when = parse_clock(str(value))
            except ValueError:
                when = None
        else:
            cues.append(Cue("".join(t for t, _ in value), when, None, speaker))
            when = None
    if not cues:
        raise EmptyDocument(f"{path}: the HTML page has no text")
    text, turns = text_from_cues(cues, rules)
    return [ParsedDocument(name=path.stem, text=text, format="html", turns=turns)]


# --- OpenDocument text ------------------------------------------------------------------------------------------

_ODF = {"text": "urn:oasis:names:tc:opendocument:xmlns:text:1.0",
        "office": "urn:oasis:names:tc:opendocument:xmlns:office:1.0",
        "style": "urn:oasis:names:tc:opendocument:xmlns:style:1.0",
        "fo": "urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0",
        "table": "urn:oasis:names:tc:opendocument:xmlns:table:1.0"}
_T, _TABLE = "{%s}" % _ODF["text"], "{%s}" % _ODF["table"]
_ODT_SKIP = {_T + "note", _T + "tracked-changes", _T + "sequence-decls", "{%s}annotation" % _ODF["office"],
             _T + "bookmark-ref", _T + "soft-page-break"}
_ODT_BLOCK = {_T + "p", _T + "h", _TABLE + "table-row"}


def _bold_styles(root) -> set[str]:
    """Names of the text and paragraph styles that make text bold."""
    found = root.xpath("//style:style[style:text-properties[@fo:font-weight='bold' or @fo:font-weight='700']]"
                       "/@style:name", namespaces=_ODF)
    return set(found) | {"Strong_20_Emphasis"}


def _walk_odt(body, bold_styles: set[str]) -> _Lines:
    from lxml import etree

    out = _Lines()
    style_attr = "{%s}style-name" % _ODF["text"]
    bold: list[bool] = []
    walker = etree.iterwalk(body, events=("start", "end"))
    for event, el in walker:
        tag = el.tag if isinstance(el.tag, str) else ""
        if event == "start":
            if tag in _ODT_SKIP or not tag:
                walker.skip_subtree()
                continue
            if tag in _ODT_BLOCK:
                out.flush()
            bold.append(el.get(style_attr) in bold_styles or (bool(bold) and bold[-1]))
            if tag == _T + "s":
                out.add(" " * int(el.get(_T + "c", "1") or 1), bold[-1], False)
            elif tag == _T + "tab":
                out.add("\t", bold[-1], False)
            elif tag == _T + "line-break":
                out.add("\n", bold[-1], False)
            out.add(el.text, bold[-1], False)
        else:
            if bold:
                bold.pop()
            if tag in _ODT_BLOCK:
                out.flush()
            elif tag == _TABLE + "table-cell":
                out.add("\t", False, False)
            out.add(el.tail, bool(bold) and bold[-1], False)
    out.flush()
    return out


def read_odt(path: Path, rules: SpeakerRules) -> list[ParsedDocument]:
    check_package(path, ".odt")
    root = parse_untrusted_xml(read_entry(path, "content.xml", ".odt"), path, ".odt's content.xml")
    body = root.find("{%s}body" % _ODF["office"])
    if body is None:
        raise InputError(f"{path}: not a valid .odt: content.xml has no document body")
    return _finish(path, "odt", _walk_odt(body, _bold_styles(root)), rules, "OpenDocument text")


# --- RTF --------------------------------------------------------------------------------------------------------

def read_rtf(path: Path, rules: SpeakerRules) -> list[ParsedDocument]:
    from striprtf.striprtf import rtf_to_text

    limits.check_size(path, what="RTF file")
    data = path.read_bytes()
    if not data.lstrip().startswith(b"{\\rtf"):
        raise InputError(f"{path}: not an RTF file (it does not start with '{{\\rtf')")
    try:
        text = rtf_to_text(data.decode("cp1252", errors="replace"), errors="replace")
    except Exception as exc:  # striprtf raises LookupError, ValueError… on a damaged file
        raise InputError(f"{path}: not a readable RTF file ({type(exc).__name__}: {exc})") from None
    text = normalise(text)
    if not text.strip():
        raise EmptyDocument(f"{path}: the RTF file has no text")
    return [ParsedDocument(name=path.stem, text=text, format="rtf", turns=turns_from_lines(text, rules))]

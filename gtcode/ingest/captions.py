"""Timed transcripts from Zoom, Teams and Otter: WebVTT and SubRip.

Cue times are kept: each turn and segment knows when it was said.
"""

from __future__ import annotations

import html
import io
import re
from pathlib import Path

from gtcode.errors import InputError, NoTurns
from gtcode.text import normalise
from gtcode.ingest.base import Cue, ParsedDocument, text_from_cues
from gtcode.ingest.speakers import SpeakerRules, parse_clock
from gtcode.ingest.textfile import decode

_TAG = re.compile(r"</?[^>\n]{1,80}>")


def read_vtt(path: Path, rules: SpeakerRules) -> list[ParsedDocument]:
    import webvtt
    from webvtt.errors import MalformedFileError

    text, encoding, notes = decode(path.read_bytes(), path)
    text = normalise(text)
    if not text.lstrip().startswith("WEBVTT"):
        raise InputError(f"{path}: broken WebVTT: the file does not start with 'WEBVTT'")
    try:
        captions = list(webvtt.from_buffer(io.StringIO(text)))
    except MalformedFileError as exc:
        raise InputError(f"{path}: broken WebVTT ({exc})") from None
    except Exception as exc:
        raise InputError(f"{path}: broken WebVTT ({type(exc).__name__}: {exc})") from None
    cues = []
    for c in captions:
        body = html.unescape(_TAG.sub("", c.raw_text if c.voice else c.text))
        cues.append(Cue(body, parse_clock(c.start), parse_clock(c.end), c.voice))
    return [_build(path, "vtt", cues, rules, encoding, notes)]


def read_srt(path: Path, rules: SpeakerRules) -> list[ParsedDocument]:
    import srt

    text, encoding, notes = decode(path.read_bytes(), path)
    text = normalise(text)
    try:
        subs = list(srt.parse(text, ignore_errors=False))
    except srt.SRTParseError as exc:
        raise InputError(f"{path}: broken SubRip (.srt) file ({exc})") from None
    cues = [
        Cue(html.unescape(_TAG.sub("", s.content)), s.start.total_seconds(), s.end.total_seconds())
        for s in subs
    ]
    return [_build(path, "srt", cues, rules, encoding, notes)]


def _build(path, fmt, cues, rules, encoding, notes) -> ParsedDocument:
    if not cues:
        raise NoTurns(f"{path}: no cues: nothing was said in this {fmt.upper()} file")
    text, turns = text_from_cues(cues, rules)
    if not turns:
        raise NoTurns(f"{path}: every cue is empty")
    return ParsedDocument(name=path.stem, text=text, format=fmt, turns=turns, encoding=encoding, notes=notes)

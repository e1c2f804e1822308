"""Speech-recognition output: Whisper/WhisperX `.tsv` and `.json` (and Podcasting 2.0 JSON transcripts).

Whisper's TSV has `start`, `end` (milliseconds) and `text` columns; its JSON
has `segments` with `start`/`end` (seconds) and `text`; WhisperX adds a
`speaker` (`SPEAKER_00`) to diarised segments; a Podcasting 2.0 JSON
transcript has `speaker`, `startTime`, `endTime` and `body`. A file without
speakers is one unknown speaker: names are never guessed from the words.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

from gtcode.errors import InputError
from gtcode.text import normalise
from gtcode.ingest import limits
from gtcode.ingest.base import Cue, ParsedDocument
from gtcode.ingest.speakers import SpeakerRules
from gtcode.ingest.table import bounded_fields
from gtcode.ingest.textfile import decode
from gtcode.ingest.timed import build_timed


def _number(value, path: Path, where: str) -> float | None:
    if value in (None, ""):
        return None
    try:
        return float(value)
    except (TypeError, ValueError):
        raise InputError(f"{path}: {where}: {str(value)[:40]!r} is not a time") from None


def read_whisper_tsv(path: Path, rules: SpeakerRules) -> list[ParsedDocument]:
    limits.check_size(path, "TSV file", limits.file_bytes(table=True))
    text, encoding, notes = decode(path.read_bytes(), path)
    lines = normalise(text).split("\n")
    header = [h.strip().casefold() for h in lines[0].split("\t")]
    if not {"start", "end", "text"} <= set(header):
        raise InputError(f"{path}: not a Whisper TSV: the first line must name the columns start, end and text "
                         f"(it has {', '.join(header)[:80]})")
    rows = []
    with bounded_fields(path):
        for n, row in enumerate(csv.reader(lines[1:], delimiter="\t", quoting=csv.QUOTE_NONE), start=2):
            if any(cell.strip() for cell in row):
                rows.append((n, dict(zip(header, row))))
    ms = all("." not in (r.get("start") or "") for _, r in rows)    # Whisper writes whole milliseconds
    cues = []
    for n, row in rows:
        start, end = (_number(row.get(k), path, f"line {n}") for k in ("start", "end"))
        if ms:
            start, end = (None if v is None else v / 1000 for v in (start, end))
        cues.append(Cue(row.get("text") or "", start, end, (row.get("speaker") or "").strip() or None))
    return [build_timed(path, "tsv", cues, rules, None, notes, encoding)]


def read_whisper_json(path: Path, rules: SpeakerRules) -> list[ParsedDocument]:
    limits.check_size(path, "JSON transcript", limits.xml_bytes(), "max_part_mb")
    text, encoding, notes = decode(path.read_bytes(), path)
    try:
        data = json.loads(text)
    except (ValueError, RecursionError) as exc:
        raise InputError(f"{path}: not valid JSON ({type(exc).__name__}: {str(exc)[:80]})") from None
    segments = data.get("segments") if isinstance(data, dict) else data if isinstance(data, list) else None
    if not isinstance(segments, list) or not segments or not all(isinstance(s, dict) for s in segments):
        raise InputError(f"{path}: not a transcript: JSON with a 'segments' list (Whisper, WhisperX or "
                         "Podcasting 2.0) expected")
    cues = []
    for n, seg in enumerate(segments, start=1):
        said = seg.get("text", seg.get("body"))
        if not isinstance(said, str):
            raise InputError(f"{path}: segment {n} has no 'text'")
        start = _number(seg.get("start", seg.get("startTime")), path, f"segment {n}")
        end = _number(seg.get("end", seg.get("endTime")), path, f"segment {n}")
        speaker = seg.get("speaker")
        cues.append(Cue(said, start, end, str(speaker).strip() or None if speaker is not None else None))
    return [build_timed(path, "json", cues, rules, None, notes, encoding)]

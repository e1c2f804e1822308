"""Plain text and Markdown transcripts, and byte decoding shared with CSV."""

from __future__ import annotations

from pathlib import Path

from gtcode.errors import DecodeFailed, EmptyDocument
from gtcode.text import normalise
from gtcode.ingest.base import ParsedDocument, turns_from_lines
from gtcode.ingest.speakers import SpeakerRules


def decode(data: bytes, path: Path) -> tuple[str, str, list[str]]:
    """Bytes → (text, encoding, notes). UTF-8 (± BOM), UTF-16 (Word's 'Unicode text'), else cp1252."""
    if not data.strip():
        raise EmptyDocument(f"{path}: empty file")
    if data.startswith(b"\xef\xbb\xbf"):
        return _strict(data, "utf-8-sig", path), "utf-8-sig", []
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return _strict(data, "utf-16", path), "utf-16", []
    # UTF-16 without a BOM: every other byte of ASCII text is NUL.
    sample = data[:4000]
    if len(sample) >= 4:
        even_nuls = sample[0::2].count(0) / len(sample[0::2])
        odd_nuls = sample[1::2].count(0) / len(sample[1::2])
        if odd_nuls > 0.3 and even_nuls < 0.05:
            return _strict(data, "utf-16-le", path), "utf-16-le", []
        if even_nuls > 0.3 and odd_nuls < 0.05:
            return _strict(data, "utf-16-be", path), "utf-16-be", []
    controls = sum(1 for b in sample if b < 32 and b not in (9, 10, 12, 13))
    if b"\x00" in sample or controls > len(sample) * 0.05:
        raise DecodeFailed(f"{path}: binary file, not text")
    try:
        return data.decode("utf-8"), "utf-8", []
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError as exc:
        raise DecodeFailed(
            f"{path}: cannot decode: not UTF-8, UTF-16 or Windows-1252 text "
            f"(byte 0x{data[exc.start]:02x} at {exc.start})"
        ) from None
    return text, "cp1252", [f"{path.name}: not valid UTF-8; decoded as Windows-1252 (cp1252)"]


def _strict(data: bytes, encoding: str, path: Path) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise DecodeFailed(f"{path}: invalid {encoding} text at byte {exc.start}") from None


def read_text(path: Path, rules: SpeakerRules, fmt: str = "txt") -> list[ParsedDocument]:
    text, encoding, notes = decode(path.read_bytes(), path)
    text = normalise(text)
    turns = turns_from_lines(text, rules)
    return [ParsedDocument(name=path.stem, text=text, format=fmt, turns=turns, encoding=encoding, notes=notes)]

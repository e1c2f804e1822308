"""The key and what it does to text: pseudonyms for the key's names, tags for what the detectors find.

The key (CSV: `real,pseudonym`) stays outside the project. gtcode reads it
into memory and never stores it, the real names, or hashes of them: events
record only counts. Names match whole words, ignoring case, longest first, so
"Dr Priya Shah" wins over "Priya" and "Freddie's" becomes "Alfie's".

Replacing changes lengths, so each replacement is kept as a span and an
`OffsetMap` moves turns, segments, codings and other passages onto the same
words in the new text.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from bisect import bisect_right
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from gtcode.errors import BadKey, InputError
from gtcode.files import read_utf8
from gtcode.redact.detect import DETECTORS, KINDS, TAGS, detect
from gtcode.text import plural

REAL_HEADERS = {"real", "real name", "name", "original", "identifier", "find", "from"}
PSEUDONYM_HEADERS = {"pseudonym", "replacement", "replace", "replace with", "alias", "with", "to"}


@dataclass(frozen=True)
class KeyEntry:
    real: str
    pseudonym: str
    line: int


def fold_name(name: str) -> str:
    """How two spellings of one name compare: case, spacing and apostrophe style ignored."""
    return " ".join(unicodedata.normalize("NFC", name).replace("’", "'").casefold().split())


def _name_pattern(names) -> re.Pattern | None:
    alternatives = []
    for name in sorted(set(names), key=len, reverse=True):
        words = [re.escape(w).replace("'", "['’]").replace("’", "['’]") for w in name.split()]
        alternatives.append(r"\s+".join(words))
    if not alternatives:
        return None
    return re.compile(r"(?<!\w)(?:" + "|".join(alternatives) + r")(?!\w)", re.IGNORECASE)


def load_key(path) -> list[KeyEntry]:
    """Read and check a key file; any bad row raises BadKey naming its line (first problem, and how many)."""
    path = Path(path).expanduser()
    lines, first = _key_lines(path)
    entries: list[KeyEntry] = []
    problems: list[str] = []
    columns = None
    seen: dict[str, KeyEntry] = {}
    reader = csv.reader(io.StringIO("\n".join(lines)), delimiter=max(",;\t", key=first.count))
    for row in reader:
        number = reader.line_num
        cells = [unicodedata.normalize("NFC", c).strip() for c in row]
        if not any(cells) or cells[0].startswith("#"):
            continue
        if columns is None:
            columns = _columns(path, number, cells)
            continue
        real = cells[columns[0]] if len(cells) > columns[0] else ""
        alias = cells[columns[1]] if len(cells) > columns[1] else ""
        problem = _row_problem(number, real, alias, seen)
        if problem:
            problems.append(problem)
        elif fold_name(real) not in seen:
            seen[fold_name(real)] = KeyEntry(real, alias, number)
            entries.append(seen[fold_name(real)])
    problems += _clashes(entries, seen)
    if columns is None:
        raise BadKey(f"{path}: no header row; the first row must name the columns, e.g. 'real,pseudonym'")
    if problems:
        problems.sort(key=lambda p: int(p.split()[1].rstrip(":")))
        more = f" (and {plural(len(problems) - 1, 'more problem')})" if len(problems) > 1 else ""
        raise BadKey(f"{path} {problems[0]}{more}; nothing was changed")
    return entries


def _key_lines(path: Path) -> tuple[list[str], str]:
    """The key file's lines, and its first line that is not blank or a comment (to guess the delimiter)."""
    text = read_utf8(path, BadKey, "key file")
    lines = text.splitlines()
    first = next((ln for ln in lines if ln.strip() and not ln.lstrip().startswith("#")), None)
    if first is None:
        raise BadKey(f"{path}: empty; a key needs a header row such as 'real,pseudonym' and one name per row")
    return lines, first


def _columns(path: Path, number: int, cells: list[str]) -> tuple[int, int]:
    """Which columns of the header row hold the real names and the pseudonyms."""
    heads = [" ".join(c.casefold().replace("_", " ").replace("-", " ").split()) for c in cells]
    real = next((i for i, h in enumerate(heads) if h in REAL_HEADERS), None)
    alias = next((i for i, h in enumerate(heads) if h in PSEUDONYM_HEADERS), None)
    if real is None or alias is None:
        raise BadKey(f"{path} line {number}: the first row must name the columns, e.g. 'real,pseudonym'")
    return real, alias


def _row_problem(number: int, real: str, alias: str, seen: dict[str, KeyEntry]) -> str | None:
    """What is wrong with one row of the key, if anything (a repeat with the same pseudonym is fine)."""
    if not real:
        return f"line {number}: the real name is empty"
    if not alias:
        return f"line {number}: no pseudonym for {real!r} (write one, or a tag such as [name])"
    if len(real) < 2:
        return f"line {number}: {real!r} is too short to replace safely (one character)"
    earlier = seen.get(fold_name(real))
    if earlier is not None and earlier.pseudonym != alias:
        return f"line {number}: {real!r} already has the pseudonym {earlier.pseudonym!r} (line {earlier.line})"
    return None


def _clashes(entries: list[KeyEntry], seen: dict[str, KeyEntry]) -> list[str]:
    """Pseudonyms that hold a real name of the key: replacing would bring that name back."""
    pattern = _name_pattern(e.real for e in entries)
    problems = []
    for entry in entries:
        clash = pattern.search(entry.pseudonym) if pattern else None
        if clash:
            other = seen[fold_name(clash.group())]
            problems.append(f"line {entry.line}: the pseudonym {entry.pseudonym!r} contains {clash.group()!r}, "
                            f"a real name in this key (line {other.line})")
    return problems


# --- finding and replacing ----------------------------------------------------------

@dataclass
class Finding:
    """One thing to replace: [start, end) of the original text. `text` is shown to people, never stored."""

    start: int
    end: int
    kind: str           # name | email | phone | postcode | nhs | dob
    replacement: str
    text: str


class OffsetMap:
    """Positions in the original text → positions in the replaced text.

    A start that falls inside a replaced span moves to the replacement's start,
    an end to its end: a passage that held part of a name holds the whole pseudonym.
    """

    def __init__(self, findings: list[Finding]):
        self.old_starts = [f.start for f in findings]
        self.old_ends = [f.end for f in findings]
        self.shift = [0]
        self.new_starts = []
        for f in findings:
            self.new_starts.append(f.start + self.shift[-1])
            self.shift.append(self.shift[-1] + len(f.replacement) - (f.end - f.start))
        self.new_ends = [s + len(f.replacement) for s, f in zip(self.new_starts, findings)]

    def _map(self, pos: int, ends: bool) -> int:
        k = bisect_right(self.old_ends, pos)
        if k < len(self.old_starts) and self.old_starts[k] < pos:
            return self.new_ends[k] if ends else self.new_starts[k]
        return pos + self.shift[k]

    def start(self, pos: int) -> int:
        return self._map(pos, False)

    def end(self, pos: int) -> int:
        return self._map(pos, True)


@dataclass
class Redaction:
    text: str
    findings: list[Finding]
    offsets: OffsetMap

    @property
    def changed(self) -> bool:
        return bool(self.findings)

    def counts(self) -> dict[str, int]:
        return dict(Counter(KINDS[f.kind] for f in self.findings))


class Pseudonymiser:
    """Replaces the key's names with pseudonyms and tags what the detectors find."""

    DETECTORS = DETECTORS

    def __init__(self, entries=(), detectors=DETECTORS):
        self.entries = list(entries)
        self.detectors = tuple(detectors)
        unknown = set(self.detectors) - set(self.DETECTORS)
        if unknown:
            raise InputError(f"unknown detector{'s' * (len(unknown) != 1)} {', '.join(sorted(unknown))}; "
                             f"known: {', '.join(self.DETECTORS)}")
        self._aliases = {fold_name(e.real): e.pseudonym for e in self.entries}
        self._pattern = _name_pattern(e.real for e in self.entries)

    @classmethod
    def from_key(cls, path=None, detectors: bool = True) -> "Pseudonymiser":
        """From a key file (or none: detectors only); a bad key raises before anything is touched."""
        return cls(load_key(path) if path is not None else (), cls.DETECTORS if detectors else ())

    def __repr__(self) -> str:  # never the names
        return f"Pseudonymiser({plural(len(self.entries), 'name')}, detectors={self.detectors})"

    def find(self, text: str) -> list[Finding]:
        """Everything to replace, in order, without overlaps (earliest first, then longest; names before tags)."""
        spans = []
        if self._pattern is not None:
            spans += [(m.start(), m.end(), "name") for m in self._pattern.finditer(text)]
        spans += detect(text, self.detectors)
        spans.sort(key=lambda s: (s[0], -(s[1] - s[0]), s[2] != "name"))
        out: list[Finding] = []
        for start, end, kind in spans:
            if out and start < out[-1].end:
                continue
            found = text[start:end]
            if kind == "name":
                alias = self._aliases[fold_name(found)]
                if found.isupper() and sum(c.isalpha() for c in found) > 1 and not alias.startswith("["):
                    alias = alias.upper()
            else:
                alias = TAGS[kind]
            out.append(Finding(start, end, kind, alias, found))
        return out

    def apply(self, text: str) -> Redaction:
        findings = self.find(text)
        parts, pos = [], 0
        for f in findings:
            parts += [text[pos:f.start], f.replacement]
            pos = f.end
        parts.append(text[pos:])
        return Redaction("".join(parts), findings, OffsetMap(findings))

    def replace(self, text):
        """`text` with replacements (None stays None)."""
        return text if not text else self.apply(text).text

    def apply_to_document(self, doc, path: Path | None = None) -> Path | None:
        """Pseudonymise a parsed document in place (text, turns, speakers, name, case); returns the path to record.

        Called by the importer before the document is checked or segmented, so
        the real text never reaches the store. A file or folder name holding a
        name from the key is recorded with the pseudonym instead.
        """
        red = self.apply(doc.text)
        m = red.offsets
        doc.text = red.text
        for turn in doc.turns:
            turn.start, turn.body_start, turn.end = m.start(turn.start), m.start(turn.body_start), m.end(turn.end)
            turn.speaker = self.replace(turn.speaker)
            turn.anchors = [(m.start(at), t0, t1) for at, t0, t1 in turn.anchors]
        counts = Counter(KINDS[f.kind] for f in red.findings)
        for attr in ("name", "case"):
            value = getattr(doc, attr)
            new = self.replace(value)
            if new != value:
                counts["in its name" if attr == "name" else "in its case"] += 1
                setattr(doc, attr, new)
        doc.attributes = {k: self.replace(v) for k, v in doc.attributes.items()}
        if path is not None:
            recorded = Path(self.replace(str(path)))
            if recorded != path:
                counts["in its file path"] += 1
                path = recorded
        total = sum(counts.values())
        doc.notes.append(f"{doc.name}: pseudonymised {plural(total, 'replacement')}" + (
            " (" + ", ".join(f"{kind} {n}" for kind, n in sorted(counts.items())) + ")" if total else ""))
        return path

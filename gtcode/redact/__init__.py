"""Confidentiality: pseudonyms from a key file, and tags for identifiers the detectors find.

The key (CSV: `real,pseudonym`) stays outside the project. gtcode reads it
into memory and never stores it, the real names, or hashes of them: events
record only counts. Names match whole words, ignoring case, longest first, so
"Dr Priya Shah" wins over "Priya" and "Freddie's" becomes "Alfie's".

Detectors (each match is validated before it counts):

- e-mail addresses → `[email]`
- UK phone numbers (07…, 01…, 02…, 03…, 08…, 09…; +44 or 0044, with or
  without "(0)"): 10 or 11 national digits → `[phone]`
- UK postcodes in the official format (and GIR 0AA) → `[postcode]`
- NHS numbers: 10 digits, optionally 3-3-4 with spaces or dashes, whose
  modulus-11 check digit is right → `[NHS number]`
- dates of birth: a date with a day and a month (year optional) straight after
  "born", "DOB", "date of birth", "birth date" or "birthday" → `[date of birth]`.
  Other dates and bare years ("Date of interview: 12 March 2024", "born in
  2019", "in March") are the study's context, not identifiers, and stay.

Replacing changes lengths, so each replacement is kept as a span and an
`OffsetMap` moves turns, segments, codings and other passages onto the same
words in the new text.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from collections import Counter
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path

from gtcode.errors import BadKey, InputError
from gtcode.store.db import Store

TAGS = {"email": "[email]", "phone": "[phone]", "postcode": "[postcode]", "nhs": "[NHS number]",
        "dob": "[date of birth]"}
#: What each finding is called in reports (the key's own replacements are "name").
KINDS = {"name": "name", "email": "email", "phone": "phone", "postcode": "postcode", "nhs": "NHS number",
         "dob": "date of birth"}
REAL_HEADERS = {"real", "real name", "name", "original", "identifier", "find", "from"}
PSEUDONYM_HEADERS = {"pseudonym", "replacement", "replace", "replace with", "alias", "with", "to"}
COMPACT_WAIT_S = 5.0    # how long compaction waits for other readers of the project


# --- detectors -------------------------------------------------------------------

_EMAIL = re.compile(r"(?<![\w.+%-])[A-Za-z0-9][A-Za-z0-9._%+-]*@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?"
                    r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*\.[A-Za-z]{2,}(?![\w@-])")
# Where a phone number may start; the whole number is matched and validated from there.
_PHONE_START = re.compile(r"(?<![\w+/.:,-])(?:\+|00\s?44|\(0|0)")
_PHONE = [re.compile(r"(?:(?:\+|00)\s?44[ \t]?(?:\(0\)[ \t]?)?|\(?0)\d{1,4}\)?" + rf"(?:[ \t-]?\d{{2,4}}){{{n}}}"
                     r"(?![\w/:-]|[.,]\d)") for n in (3, 2, 1)]
_POSTCODE = re.compile(r"(?<![\w-])(?:GIR ?0AA|[A-PR-UWYZ](?:\d[\dA-HJKPS-UW]?|[A-HK-Y]\d[\dABEHMNPRV-Y]?)"
                       r" ?\d[ABD-HJLNP-UW-Z]{2})(?![\w-])", re.IGNORECASE)
_NHS = re.compile(r"(?<![\w-])(\d{3})([ -]?)(\d{3})\2(\d{4})(?![\w-])")
_MONTH = (r"(?:january|february|march|april|may|june|july|august|september|october|november|december|"
          r"(?:jan|feb|mar|apr|jun|jul|aug|sept?|oct|nov|dec)(?:\.|(?![a-z])))")
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
_DATE = re.compile(
    r"(?:(?P<n1>\d{1,2})[/.-](?P<n2>\d{1,2})[/.-](?:\d{4}|\d{2})"
    r"|\d{4}-(?P<im>\d{2})-(?P<id>\d{2})"
    rf"|{_DAY}(?:\s+of)?\s+{_MONTH}(?:,?\s+\d{{4}})?"
    rf"|{_MONTH}\s+(?P<day2>[0-3]?\d)(?:st|nd|rd|th)?(?:,?\s+\d{{4}})?)(?![\w/-])", re.IGNORECASE)
_DOB_CUE = re.compile(r"(?<!\w)(?:date\s+of\s+birth|birth\s*date|d\.o\.b\.?|dob|born|birthday)(?!\w)"
                      r"(?:[\s:,(-]*(?:on|in|is|was|the|of)(?!\w))*[\s:,(-]*", re.IGNORECASE)


def _phone_ok(number: str) -> bool:
    digits = re.sub(r"\D", "", number)
    if number.lstrip("(").startswith(("+", "00")):
        rest = digits[4:] if digits.startswith("0044") else digits[2:]
        national = rest if rest.startswith("0") else "0" + rest
    else:
        national = digits
    if len(national) not in (10, 11) or national[:1] != "0" or national[1:2] not in set("1235789"):
        return False
    return len(national) == 11 or national[1] in "18"


def _nhs_ok(digits: str) -> bool:
    if len(set(digits)) == 1:
        return False
    check = 11 - sum(int(d) * w for d, w in zip(digits[:9], range(10, 1, -1))) % 11
    check = 0 if check == 11 else check
    return check != 10 and check == int(digits[9])


def _date_ok(m: re.Match) -> bool:
    if m["n1"]:
        a, b = int(m["n1"]), int(m["n2"])
        return 1 <= a <= 31 and 1 <= b <= 31 and (a <= 12 or b <= 12)
    if m["im"]:
        return 1 <= int(m["im"]) <= 12 and 1 <= int(m["id"]) <= 31
    return 1 <= int(m["day"] or m["day2"]) <= 31


def _detect(text: str, kinds) -> list[tuple[int, int, str]]:
    found: list[tuple[int, int, str]] = []
    if "email" in kinds:
        found += [(m.start(), m.end(), "email") for m in _EMAIL.finditer(text)]
    if "nhs" in kinds:
        found += [(m.start(), m.end(), "nhs") for m in _NHS.finditer(text) if _nhs_ok(m[1] + m[3] + m[4])]
    if "phone" in kinds:
        pos = 0
        for start in _PHONE_START.finditer(text):
            if start.start() < pos:
                continue
            for pattern in _PHONE:
                m = pattern.match(text, start.start())
                if m and _phone_ok(m.group()):
                    found.append((m.start(), m.end(), "phone"))
                    pos = m.end()
                    break
    if "postcode" in kinds:
        found += [(m.start(), m.end(), "postcode") for m in _POSTCODE.finditer(text)]
    if "dob" in kinds:
        for cue in _DOB_CUE.finditer(text):
            m = _DATE.match(text, cue.end())
            if m and _date_ok(m):
                found.append((m.start(), m.end(), "dob"))
    return found


# --- the key -------------------------------------------------------------------------

@dataclass(frozen=True)
class KeyEntry:
    real: str
    pseudonym: str
    line: int


def _fold(name: str) -> str:
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
    import csv
    import io

    path = Path(path).expanduser()
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise BadKey(f"{path}: no such key file") from None
    except OSError as exc:
        raise BadKey(f"{path}: cannot read the key file ({exc.strerror})") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise BadKey(f"{path}: not UTF-8 text; save the key as a UTF-8 CSV file") from None
    lines = text.splitlines()
    first = next((ln for ln in lines if ln.strip() and not ln.lstrip().startswith("#")), None)
    if first is None:
        raise BadKey(f"{path}: empty; a key needs a header row such as 'real,pseudonym' and one name per row")
    delimiter = max(",;\t", key=first.count)
    entries: list[KeyEntry] = []
    problems: list[str] = []
    columns = None
    seen: dict[str, KeyEntry] = {}
    reader = csv.reader(io.StringIO("\n".join(lines)), delimiter=delimiter)
    for row in reader:
        number = reader.line_num
        cells = [unicodedata.normalize("NFC", c).strip() for c in row]
        if not any(cells) or cells[0].startswith("#"):
            continue
        if columns is None:
            heads = [" ".join(c.casefold().replace("_", " ").replace("-", " ").split()) for c in cells]
            real = next((i for i, h in enumerate(heads) if h in REAL_HEADERS), None)
            alias = next((i for i, h in enumerate(heads) if h in PSEUDONYM_HEADERS), None)
            if real is None or alias is None:
                raise BadKey(f"{path} line {number}: the first row must name the columns, e.g. 'real,pseudonym'")
            columns = (real, alias)
            continue
        real = cells[columns[0]] if len(cells) > columns[0] else ""
        alias = cells[columns[1]] if len(cells) > columns[1] else ""
        if not real:
            problems.append(f"line {number}: the real name is empty")
        elif not alias:
            problems.append(f"line {number}: no pseudonym for {real!r} (write one, or a tag such as [name])")
        elif len(real) < 2:
            problems.append(f"line {number}: {real!r} is too short to replace safely (one character)")
        elif _fold(real) in seen and seen[_fold(real)].pseudonym != alias:
            earlier = seen[_fold(real)]
            problems.append(f"line {number}: {real!r} already has the pseudonym {earlier.pseudonym!r} "
                            f"(line {earlier.line})")
        elif _fold(real) not in seen:
            seen[_fold(real)] = KeyEntry(real, alias, number)
            entries.append(seen[_fold(real)])
    pattern = _name_pattern(e.real for e in entries)
    for entry in entries:
        clash = pattern.search(entry.pseudonym) if pattern else None
        if clash:
            other = seen[_fold(clash.group())]
            problems.append(f"line {entry.line}: the pseudonym {entry.pseudonym!r} contains {clash.group()!r}, "
                            f"a real name in this key (line {other.line})")
    if columns is None:
        raise BadKey(f"{path}: no header row; the first row must name the columns, e.g. 'real,pseudonym'")
    if problems:
        problems.sort(key=lambda p: int(p.split()[1].rstrip(":")))
        more = f" (and {len(problems) - 1} more problem(s))" if len(problems) > 1 else ""
        raise BadKey(f"{path} {problems[0]}{more}; nothing was changed")
    return entries


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

    DETECTORS = ("email", "phone", "postcode", "nhs", "dob")

    def __init__(self, entries=(), detectors=DETECTORS):
        self.entries = list(entries)
        self.detectors = tuple(detectors)
        unknown = set(self.detectors) - set(self.DETECTORS)
        if unknown:
            raise InputError(f"unknown detector(s) {', '.join(sorted(unknown))}; "
                             f"known: {', '.join(self.DETECTORS)}")
        self._aliases = {_fold(e.real): e.pseudonym for e in self.entries}
        self._pattern = _name_pattern(e.real for e in self.entries)

    @classmethod
    def from_key(cls, path=None, detectors: bool = True) -> "Pseudonymiser":
        """From a key file (or none: detectors only); a bad key raises before anything is touched."""
        return cls(load_key(path) if path is not None else (), cls.DETECTORS if detectors else ())

    def __repr__(self) -> str:  # never the names
        return f"Pseudonymiser({len(self.entries)} name(s), detectors={self.detectors})"

    def find(self, text: str) -> list[Finding]:
        """Everything to replace, in order, without overlaps (earliest first, then longest; names before tags)."""
        spans = []
        if self._pattern is not None:
            spans += [(m.start(), m.end(), "name") for m in self._pattern.finditer(text)]
        spans += _detect(text, self.detectors)
        spans.sort(key=lambda s: (s[0], -(s[1] - s[0]), s[2] != "name"))
        out: list[Finding] = []
        for start, end, kind in spans:
            if out and start < out[-1].end:
                continue
            found = text[start:end]
            if kind == "name":
                alias = self._aliases[_fold(found)]
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
        doc.notes.append(f"{doc.name}: pseudonymised {total} replacement(s)" + (
            " (" + ", ".join(f"{kind} {n}" for kind, n in sorted(counts.items())) + ")" if total else ""))
        return path


# --- what is stored: check and apply -------------------------------------------------

#: Researcher-written text that may hold names: (table, columns, how a person finds the row).
FREE_TEXT = (
    ("codes", ("name", "description", "include", "exclude", "example"), "'code ' || quote(name)"),
    ("memo_versions", ("title", "body"), "'memo #' || memo_id || ' version ' || version"),
    ("memo_comments", ("body",), "'comment #' || id || ' on memo #' || memo_id"),
    ("memo_signoffs", ("note",), "'sign-off #' || id || ' of memo #' || memo_id"),
    ("category_properties", ("name", "low", "high", "description"), "'category property ' || quote(name)"),
    ("property_evidence", ("value",), "'property evidence #' || id"),
    ("relations", ("note",), "'relation #' || id"),
    ("cases", ("name",), "'case ' || name"),
    ("case_attributes", ("value",), "'case ' || (SELECT name FROM cases WHERE id = case_id) || ' attribute ' || "
                                    "(SELECT name FROM attributes WHERE id = attribute_id)"),
)


@dataclass
class Hit:
    """Something `redact check` found: where, what kind, the words and a little context."""

    place: str
    kind: str
    text: str
    context: str = ""
    fixable: bool = True    # False: in the append-only audit log
    event: int | None = None

    def to_dict(self) -> dict:
        return asdict(self)


def _tables(store: Store) -> dict[str, set[str]]:
    names = [r[0] for r in store.all("SELECT name FROM sqlite_master WHERE type = 'table'")]
    return {t: {r[1] for r in store.all(f'PRAGMA table_info("{t}")')} for t in names}


def _free_text(store: Store):
    tables = _tables(store)
    for table, columns, label in FREE_TEXT:
        cols = [c for c in columns if c in tables.get(table, ())]
        if cols:
            yield table, cols, label


def _context(text: str, f: Finding, width: int = 30) -> str:
    """The words around a finding, on its own line, with the finding in [brackets]."""
    left = text[max(0, f.start - width):f.start].rpartition("\n")[2]
    right = text[f.end:f.end + width].partition("\n")[0]
    return " ".join(f"{left}[{text[f.start:f.end]}]{right}".split())


def _strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for v in value.values():
            yield from _strings(v)
    elif isinstance(value, list):
        for v in value:
            yield from _strings(v)


def check(project, pseudonymiser: Pseudonymiser | None = None) -> list[Hit]:
    """Everything stored that the key's names or the detectors still find: documents, memos, codes, cases, the log."""
    pz = pseudonymiser or Pseudonymiser()
    return [*_check_documents(project.store, pz), *_check_free_text(project.store, pz),
            *_check_events(project.store, pz)]


def _check_documents(store: Store, pz: Pseudonymiser) -> list[Hit]:
    hits: list[Hit] = []
    for doc in store.all("SELECT id, name, text, source_path FROM documents ORDER BY id"):
        label = f"D{doc['id']}"
        for what in ("name", "source_path"):
            for f in pz.find(doc[what] or ""):
                hits.append(Hit(f"{label} {what.replace('_', ' ')}", KINDS[f.kind], f.text, doc[what]))
        findings = pz.find(doc["text"])
        if not findings:
            continue
        segs = store.all("SELECT ordinal, start_char, end_char FROM segments WHERE document_id = ? "
                         "ORDER BY start_char", (doc["id"],))
        turns = store.all("SELECT ordinal, start_char, body_start FROM turns WHERE document_id = ? "
                          "ORDER BY start_char", (doc["id"],))
        seg_starts = [s["start_char"] for s in segs]
        turn_starts = [t["start_char"] for t in turns]
        for f in findings:
            place = label
            i = bisect_right(seg_starts, f.start) - 1
            t = bisect_right(turn_starts, f.start) - 1
            if i >= 0 and f.start < segs[i]["end_char"]:
                place = f"{label}:{segs[i]['ordinal']}"
            elif t >= 0 and f.start < turns[t]["body_start"]:
                place = f"{label} turn {turns[t]['ordinal']} speaker"
            hits.append(Hit(place, KINDS[f.kind], f.text, _context(doc["text"], f)))
    return hits


def _check_free_text(store: Store, pz: Pseudonymiser) -> list[Hit]:
    hits: list[Hit] = []
    for table, cols, label in _free_text(store):
        for row in store.all(f"SELECT {label} AS label, {', '.join(cols)} FROM {table} ORDER BY rowid"):
            for col in cols:
                value = row[col]
                for f in pz.find(value) if isinstance(value, str) else ():
                    hits.append(Hit(f"{row['label']} {col}", KINDS[f.kind], f.text, _context(value, f)))
    return hits


def _check_events(store: Store, pz: Pseudonymiser) -> list[Hit]:
    """The audit log is append-only: what is found here can only be reported."""
    import json

    hits: list[Hit] = []
    for event in store.all("SELECT id, action, command, summary, data FROM events ORDER BY id"):
        seen = set()   # the same words in the summary and the data are one finding
        for value in (event["summary"], event["command"], *_strings(json.loads(event["data"] or "{}"))):
            for f in pz.find(value or ""):
                if (f.kind, _fold(f.text)) not in seen:
                    seen.add((f.kind, _fold(f.text)))
                    hits.append(Hit(f"audit event #{event['id']} ({event['action']})", KINDS[f.kind], f.text,
                                    _context(value, f), fixable=False, event=event["id"]))
    return hits


@contextmanager
def _uncaptured(store: Store, txn):
    """Row changes made here are not logged for undo: those logs would keep the real text (see m002)."""
    store.conn.execute("UPDATE txn_state SET txn = NULL WHERE id = 1")
    try:
        yield
    finally:
        store.conn.execute("UPDATE txn_state SET txn = ? WHERE id = 1", (txn.id,))


def _offset_tables(store: Store) -> list[str]:
    """Tables holding passages of a document (document_id, start_char, end_char), besides turns and segments."""
    return sorted(t for t, cols in _tables(store).items()
                  if {"document_id", "start_char", "end_char"} <= cols and t not in ("turns", "segments"))


def _scrub_json(value, pz: Pseudonymiser):
    if isinstance(value, str):
        return pz.replace(value)
    if isinstance(value, dict):
        return {k: _scrub_json(v, pz) for k, v in value.items()}
    if isinstance(value, list):
        return [_scrub_json(v, pz) for v in value]
    return value


def _update(store: Store, sql: str, params, what: str) -> None:
    import sqlite3

    try:
        store.conn.execute(sql, params)
    except sqlite3.IntegrityError:
        raise InputError(f"{what}: its pseudonymised name is already taken; rename one of them first, "
                         "nothing was changed") from None


def _redact_document(store: Store, txn, pz: Pseudonymiser, doc, offset_tables) -> tuple[OffsetMap, dict, int] | None:
    """Replace in one document and move everything that points into its text; None if nothing changed."""
    import json

    from gtcode.text import content_hash, count_words

    red = pz.apply(doc["text"])
    name, source = pz.replace(doc["name"]), pz.replace(doc["source_path"])
    old_meta = json.loads(doc["meta"] or "{}")
    new_meta = _scrub_json(old_meta, pz)
    meta = json.dumps(new_meta, ensure_ascii=False) if new_meta != old_meta else doc["meta"]
    speakers = store.all("SELECT id, speaker FROM turns WHERE document_id = ?", (doc["id"],))
    renamed = [(pz.replace(t["speaker"]), t["id"]) for t in speakers if pz.replace(t["speaker"]) != t["speaker"]]
    if not red.changed and (name, source, meta) == (doc["name"], doc["source_path"], doc["meta"]) and not renamed:
        return None
    m, conn, doc_id = red.offsets, store.conn, doc["id"]
    for t in store.all("SELECT id, start_char, body_start, end_char FROM turns WHERE document_id = ?", (doc_id,)):
        conn.execute("UPDATE turns SET start_char = ?, body_start = ?, end_char = ? WHERE id = ?",
                     (m.start(t["start_char"]), m.start(t["body_start"]), m.end(t["end_char"]), t["id"]))
    conn.executemany("UPDATE turns SET speaker = ? WHERE id = ?", renamed)
    for s in store.all("SELECT id, start_char, end_char FROM segments WHERE document_id = ?", (doc_id,)):
        conn.execute("UPDATE segments SET start_char = ?, end_char = ? WHERE id = ?",
                     (m.start(s["start_char"]), m.end(s["end_char"]), s["id"]))
    moved = 0
    for table in offset_tables:
        for r in store.all(f"SELECT rowid AS rowid, start_char, end_char FROM {table} WHERE document_id = ? "
                           "AND start_char IS NOT NULL", (doc_id,)):
            moved += _move(conn, table, r, m)
    for r in store.all("SELECT rowid AS rowid, start_char, end_char FROM memo_links WHERE target_type = 'segment' "
                       "AND target_uuid = ? AND start_char IS NOT NULL", (doc["uuid"],)):
        moved += _move(conn, "memo_links", r, m)
    _update(store, "UPDATE documents SET name = ?, source_path = ?, meta = ?, text = ?, text_hash = ?, "
                   "word_count = ? WHERE id = ?",
            (name, source, meta, red.text, content_hash(red.text), count_words(red.text), doc_id), f"D{doc_id}")
    counts = red.counts()
    described = (f"{sum(counts.values())} replacement(s) ("
                 + ", ".join(f"{kind} {n}" for kind, n in sorted(counts.items())) + ")"
                 if counts else "its name, file path or speakers only")
    txn.record("document.redact", f"pseudonymised D{doc_id} {name!r}: {described}", doc["uuid"],
               document={"id": doc_id, "uuid": doc["uuid"], "name": name}, replacements=counts,
               renamed=name != doc["name"], speakers=len(renamed), passages_moved=moved,
               text_hash={"before": doc["text_hash"], "after": content_hash(red.text)})
    return m, counts, moved


def _move(conn, table: str, row, m: OffsetMap) -> int:
    start, end = m.start(row["start_char"]), m.end(row["end_char"])
    if (start, end) == (row["start_char"], row["end_char"]):
        return 0
    conn.execute(f"UPDATE {table} SET start_char = ?, end_char = ? WHERE rowid = ?", (start, end, row["rowid"]))
    return 1


def _scrub_changes(store: Store, pz: Pseudonymiser, maps: dict, by_uuid: dict, texts: dict[str, list[str]]) -> None:
    """Keep the undo log consistent with what is now stored, and free of the real text."""
    import json

    for r in store.all("SELECT id, tbl, old, new FROM changes"):
        rows = {}
        for side in ("old", "new"):
            row = json.loads(r[side]) if r[side] else None
            if row is not None:
                for col in texts.get(r["tbl"], ()):
                    if isinstance(row.get(col), str):
                        row[col] = pz.replace(row[col])
                doc = row.get("document_id") if "document_id" in row else by_uuid.get(row.get("target_uuid"))
                if doc in maps and row.get("start_char") is not None and row.get("end_char") is not None:
                    m = maps[doc]
                    row["start_char"], row["end_char"] = m.start(row["start_char"]), m.end(row["end_char"])
            rows[side] = json.dumps(row) if row is not None else None
        if (rows["old"], rows["new"]) != (r["old"], r["new"]):
            store.conn.execute("UPDATE changes SET old = ?, new = ? WHERE id = ?", (rows["old"], rows["new"], r["id"]))


@dataclass
class ApplyReport:
    documents: int = 0                          # documents changed
    replacements: dict[str, int] = field(default_factory=dict)   # by kind, in documents
    passages_moved: int = 0                     # codings, memo links, evidence whose offsets changed
    other: dict[str, int] = field(default_factory=dict)          # rows changed, by table (memos, codes, …)
    audit_events: list[int] = field(default_factory=list)        # events still holding findings (append-only)
    compacted: bool = False                     # old pages wiped from the file (VACUUM)

    def to_dict(self) -> dict:
        return asdict(self)


def apply(project, pseudonymiser: Pseudonymiser) -> ApplyReport:
    """Pseudonymise everything stored, in one transaction: documents (codings stay on the same words),
    speaker labels, memos (every version), comments, codes, properties, relation notes, cases.

    Not undoable: the real text is not kept anywhere, not even in the undo log.
    Afterwards the file is vacuumed so no old page still holds the real text.
    The audit log is append-only; events that still hold findings are listed.
    """
    store, pz = project.store, pseudonymiser
    report = ApplyReport()
    kinds: Counter = Counter()
    secure = store.scalar("PRAGMA secure_delete")
    with project.transaction() as txn:
        store.conn.execute("PRAGMA secure_delete = ON")   # freed space is zeroed, not left holding the old text
        with _uncaptured(store, txn):
            maps: dict[int, OffsetMap] = {}
            offset_tables = _offset_tables(store)
            by_uuid = {}
            for doc in store.all("SELECT * FROM documents ORDER BY id"):
                by_uuid[doc["uuid"]] = doc["id"]
                done = _redact_document(store, txn, pz, doc, offset_tables)
                if done is not None:
                    maps[doc["id"]], counts, moved = done
                    report.documents += 1
                    report.passages_moved += moved
                    kinds.update(counts)
            texts: dict[str, list[str]] = {}
            for table, cols, label in _free_text(store):
                texts[table] = cols
                for row in store.all(f"SELECT rowid AS rowid, {label} AS label, {', '.join(cols)} FROM {table}"):
                    new = {c: pz.replace(row[c]) if isinstance(row[c], str) else row[c] for c in cols}
                    if any(new[c] != row[c] for c in cols):
                        _update(store, f"UPDATE {table} SET {', '.join(f'{c} = ?' for c in cols)} WHERE rowid = ?",
                                (*new.values(), row["rowid"]), row["label"])
                        report.other[table] = report.other.get(table, 0) + 1
            if report.other:
                txn.record("text.redact", "pseudonymised " + ", ".join(
                    f"{t.replace('_', ' ')} {n}" for t, n in sorted(report.other.items())), None, rows=report.other)
            _scrub_changes(store, pz, maps, by_uuid, texts)
            if maps:
                store.conn.execute("INSERT INTO segment_fts(segment_fts) VALUES ('rebuild')")
    store.conn.execute(f"PRAGMA secure_delete = {int(secure)}")
    report.replacements = dict(kinds)
    report.audit_events = sorted({h.event for h in _check_events(store, pz)})
    report.compacted = _compact(store)
    return report


def _compact(store: Store) -> bool:
    """Rewrite the file and empty the write-ahead log, so no old page still holds replaced text.

    Skipped inside a caller's transaction; False if another process holds the project open
    (then running `redact apply` again, when it is free, finishes the job).
    """
    import sqlite3

    if store.conn.in_transaction:
        return False
    timeout = store.scalar("PRAGMA busy_timeout")
    store.conn.execute(f"PRAGMA busy_timeout = {int(COMPACT_WAIT_S * 1000)}")
    try:
        store.conn.execute("VACUUM")
        busy, _, _ = store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
    except sqlite3.OperationalError:
        return False
    finally:
        store.conn.execute(f"PRAGMA busy_timeout = {timeout}")
    return not busy

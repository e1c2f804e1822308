"""What QDPX and QDC share: namespaces, GUIDs, dates, code descriptions, the schema check, and the report.

gtcode keeps more about a code than REFI-QDA can (inclusion and exclusion
criteria, an example, in-vivo, autocoding patterns, the core category). On
export they follow the definition in the code's Description as labelled
paragraphs, readable in any tool; importing a file that gtcode wrote reads
them back, so a round trip keeps them.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import uuid as uuid_mod
from dataclasses import dataclass, field
from datetime import datetime, timezone

from gtcode.errors import BadExchangeFile, InputError
from gtcode.records import Record

PROJECT_NS = "urn:QDA-XML:project:1.0"
CODEBOOK_NS = "urn:QDA-XML:codebook:1.0"
#: Namespace versions seen in the wild that mean 1.0 (ATLAS.ti writes codebook:0:4).
ACCEPTED_VERSIONS = ("1.0", "0:4")

_GUID = re.compile(r"^\{?([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})\}?$")
_COLOR6 = re.compile(r"^#[0-9a-fA-F]{6}$")
_COLOR3 = re.compile(r"^#[0-9a-fA-F]{3}$")


def gtcode_origin() -> str:
    from gtcode import __version__
    return f"gtcode {__version__}"


def is_gtcode(origin: str | None) -> bool:
    return (origin or "").strip().casefold().startswith("gtcode")


def guid_key(value: str | None) -> str | None:
    """A GUID for comparing: no braces, lower case (tools differ in case). None if not a GUID."""
    m = _GUID.match((value or "").strip())
    return m.group(1).lower() if m else None


def guid_text(value: str | None) -> str | None:
    """A GUID as gtcode stores it: no braces, in the case the file wrote it (written back the same). None if not
    a GUID."""
    m = _GUID.match((value or "").strip())
    return m.group(1) if m else None


def as_guid(uuid: str) -> str:
    """A row's uuid as a GUID for the file, in its own case; anything not GUID-shaped gets a stable uuid5."""
    text = guid_text(uuid)
    if text:
        return text
    return str(uuid_mod.uuid5(uuid_mod.NAMESPACE_URL, f"gtcode:{uuid}"))


_URL_NAMESPACE = uuid_mod.NAMESPACE_URL.bytes


_HEX = "[0-9a-fA-F]"
_BARE = f"{_HEX}{{8}}-{_HEX}{{4}}-{_HEX}{{4}}-{_HEX}{{4}}-{_HEX}{{12}}"
_BARE_LINES = re.compile(f"{_BARE}(?:\n{_BARE})*")


def as_guids(uuids: list[str]) -> list[str]:
    """`as_guid` of each uuid: one regex over them all when every one is already a bare GUID (each 36 long, so
    the match cannot straddle two), as every uuid gtcode makes is; one at a time otherwise."""
    if uuids and all(len(u) == 36 for u in uuids) and _BARE_LINES.fullmatch("\n".join(uuids)):
        return list(uuids)
    return [as_guid(u) for u in uuids]


#: The hex digit of a GUID's variant nibble (RFC 4122: 10xx) for each digit the hash gave.
_VARIANT = {c: "89ab"[int(c, 16) & 3] for c in "0123456789abcdef"}


def derived_guids(kind: str, names) -> list[str]:
    """`derived_guid(kind, name)` of each name, the shared start hashed once (an export makes one a coding)."""
    start = hashlib.sha1(_URL_NAMESPACE + f"gtcode:{kind}:".encode("utf-8"))
    out = []
    for name in names:
        h = start.copy()
        h.update(name.encode("utf-8"))
        d = h.hexdigest()        # version 5 in the 13th digit, the variant in the 17th
        out.append(f"{d[:8]}-{d[8:12]}-5{d[13:16]}-{_VARIANT[d[16]]}{d[17:20]}-{d[20:32]}")
    return out


def derived_guid(*parts: str) -> str:
    """A GUID for something gtcode has no row for (a selection), stable across exports: uuid5 in the URL
    namespace of 'gtcode:' + the parts, computed without building a UUID object (an export makes one per
    coding)."""
    digest = bytearray(hashlib.sha1(_URL_NAMESPACE + ("gtcode:" + ":".join(parts)).encode("utf-8")).digest()[:16])
    digest[6] = (digest[6] & 0x0F) | 0x50          # version 5
    digest[8] = (digest[8] & 0x3F) | 0x80          # the RFC 4122 variant
    h = digest.hex()
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


def check_namespace(root, kind: str, where: str) -> str:
    """The root's namespace, if it is REFI-QDA `kind` ('project' or 'codebook') in a version we read."""
    tag = root.tag if isinstance(root.tag, str) else ""
    ns, _, local = tag[1:].partition("}") if tag.startswith("{") else ("", "", tag)
    expected_root = "Project" if kind == "project" else "CodeBook"
    if local != expected_root:
        raise BadExchangeFile(f"{where}: the root element is <{local or tag}>, not a REFI-QDA <{expected_root}>")
    prefix = f"urn:QDA-XML:{kind}:"
    if not ns.startswith(prefix):
        raise BadExchangeFile(f"{where}: namespace {ns or '(none)'!r} is not REFI-QDA's {prefix}1.0")
    if ns[len(prefix):] not in ACCEPTED_VERSIONS:
        raise BadExchangeFile(f"{where}: REFI-QDA namespace version {ns[len(prefix):]!r} is unknown "
                              f"(gtcode reads {prefix}1.0)")
    return ns


def to_xml_datetime(value: str | None) -> str | None:
    """gtcode's ISO timestamps (UTC, +00:00) as xsd:dateTime with a Z."""
    if not value:
        return None
    return value[:-6] + "Z" if value.endswith("+00:00") else value


def from_xml_datetime(value: str | None) -> str | None:
    """An xsd:dateTime as gtcode stores time: ISO 8601 in UTC with microseconds; None if unreadable."""
    if not value:
        return None
    text = value.strip()
    if text.endswith(("Z", "z")):
        text = text[:-1] + "+00:00"
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(timezone.utc).isoformat(timespec="microseconds")


def clean_color(value: str | None) -> tuple[str | None, bool]:
    """(#rrggbb or None, whether a colour was given but unreadable, e.g. rgb() or with alpha)."""
    if not value:
        return None, False
    v = value.strip()
    if _COLOR6.match(v):
        return v.lower(), False
    if _COLOR3.match(v):
        return "#" + "".join(c * 2 for c in v[1:]).lower(), False
    return None, True


# --- gtcode's extra code fields, carried in the Description -------------------------------------------------

_EXTRAS = (("include", "Include"), ("exclude", "Exclude"), ("example", "Example"), ("patterns", "Patterns"))
_FLAGS = (("invivo", "In vivo code."), ("core", "Core category."))
#: Marks a gtcode category written as a codable code because it holds codings.
CODABLE_CATEGORY = "gtcode category (exported codable: it holds codings)."


def describe(code, codable_category: bool = False) -> str:
    """A code's Description for export: its definition, then gtcode's other fields as labelled paragraphs."""
    parts = [code.description] if code.description else []
    for key, label in _EXTRAS:
        value = getattr(code, key)
        if key == "patterns":
            value = json.dumps(value, ensure_ascii=False) if value else ""
        if value:
            parts.append(f"{label}: {value}")
    parts.extend(text for key, text in _FLAGS if getattr(code, key))
    if codable_category:
        parts.append(CODABLE_CATEGORY)
    return "\n\n".join(parts)


def undescribe(text: str) -> dict:
    """The fields `describe` wrote, read back from a Description (only for files gtcode wrote)."""
    fields: dict = {"description": "", "include": "", "exclude": "", "example": "", "patterns": [],
                    "invivo": False, "core": False}
    paragraphs = (text or "").split("\n\n")
    labels = {f"{label}: ": key for key, label in _EXTRAS}
    flags = {t: key for key, t in _FLAGS} | {CODABLE_CATEGORY: "category"}
    definition: list[str] = []
    current = None
    for para in paragraphs:
        head = next((lab for lab in labels if para.startswith(lab)), None)
        if para.strip() in flags:
            fields[flags[para.strip()]] = True
            current = None
        elif head is not None:
            current = labels[head]
            fields[current] = para[len(head):]
        elif current is not None:       # a criterion that itself had paragraphs
            fields[current] += "\n\n" + para
        else:
            definition.append(para)
    fields["description"] = "\n\n".join(definition).strip()
    if fields["patterns"]:
        try:
            fields["patterns"] = json.loads(fields["patterns"])
        except ValueError:
            fields["example"] = (fields["example"] + "\n\nPatterns: " + fields["patterns"]).strip()
            fields["patterns"] = []
    return fields


# --- schemas ---------------------------------------------------------------------------------------------------

def validate(xml: bytes, schema: str | os.PathLike) -> list[str]:
    """Schema errors of a project.qde or .qdc against an XSD file (empty: valid)."""
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    try:
        xsd = etree.XMLSchema(etree.parse(str(schema), parser))
    except (OSError, etree.XMLSyntaxError, etree.XMLSchemaParseError) as exc:
        raise InputError(f"{schema}: not a readable XML Schema ({exc})") from None
    doc = etree.fromstring(xml, parser)
    if xsd.validate(doc):
        return []
    return [f"line {e.line}: {e.message}" for e in xsd.error_log]


# --- the report ----------------------------------------------------------------------------------------------

@dataclass
class ExchangeReport(Record):
    """What an import or export did, and what it could not carry (never silently dropped)."""

    source: str
    direction: str                      # import | export
    format: str                         # qdpx | qdc
    origin: str = ""
    dry_run: bool = False
    positions: str = ""                 # the position units read or written, in words
    counts: dict[str, int] = field(default_factory=dict)     # e.g. {"codes added": 3}
    warnings: list[str] = field(default_factory=list)        # bad or dangling items that were skipped
    notes: list[str] = field(default_factory=list)           # taken, but changed or worth checking
    losses: list[str] = field(default_factory=list)          # what the file or project held that could not travel

    def count(self, key: str, n: int = 1) -> None:
        self.counts[key] = self.counts.get(key, 0) + n

    def warn(self, message: str) -> None:
        """An item that was skipped."""
        self.warnings.append(message)

    def note(self, message: str) -> None:
        """An item that was taken, but changed on the way or worth checking."""
        self.notes.append(message)

    def lose(self, message: str) -> None:
        self.losses.append(message)

    @property
    def summary(self) -> str:
        shown = [f"{n} {key}" for key, n in self.counts.items() if n]
        return ", ".join(shown) or "nothing to do"


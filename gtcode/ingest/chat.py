"""Transcripts from linguistics tools: CHAT (.cha, CLAN/TalkBank) and ELAN (.eaf).

CHAT: each main tier (`*PAR:`, `*INV:` and tab-indented continuation lines)
is an utterance; dependent tiers (`%mor`, `%gra`, `%com`…) and headers are
left out; `@Participants` gives each code its role (Investigator →
interviewer); media bullets (`\\x15 1200_4350 \\x15`, milliseconds) give times.
The words are kept as transcribed, CHAT codes included.

ELAN: each top-level tier is a speaker (its PARTICIPANT attribute, else its
tier id); time slots give the times; dependent tiers (translations, glosses)
are left out. The XML is parsed with no DTD, entities or network.
"""

from __future__ import annotations

import re
from pathlib import Path

from gtcode.errors import InputError
from gtcode.text import normalise
from gtcode.ingest import limits
from gtcode.ingest.base import Cue, ParsedDocument
from gtcode.ingest.containers import parse_untrusted_xml
from gtcode.ingest.speakers import SpeakerRules
from gtcode.ingest.textfile import decode
from gtcode.ingest.timed import build_timed

_BULLET = re.compile(r"\s*\x15(\d+)_(\d+)\x15")
_MAIN = re.compile(r"^\*([A-Za-z0-9_+-]{1,12}):\s*(.*)$")
_INTERVIEWER_ROLES = {"investigator", "interviewer", "examiner", "host"}
_OTHER_ROLES = {"environment", "media", "unidentified", "uncertain", "audience", "text", "other"}


def _chat_roles(header: str) -> tuple[dict[str, str], dict[str, str]]:
    """`@Participants:` → ({code: role}, {code: name given}), e.g. 'PAR Jo_Bell Participant, INV Investigator'."""
    roles, names = {}, {}
    for part in header.split(","):
        words = part.split()
        if not words:
            continue
        code, role = words[0], words[-1].casefold()
        roles[code] = ("interviewer" if role in _INTERVIEWER_ROLES else
                       "other" if role in _OTHER_ROLES else "participant")
        if len(words) == 3:
            names[code] = words[1].replace("_", " ")
    return roles, names


def read_chat(path: Path, rules: SpeakerRules) -> list[ParsedDocument]:
    limits.check_size(path, what="CHAT file")
    text, encoding, notes = decode(path.read_bytes(), path)
    utterances: list[list] = []        # [code, text]
    roles: dict[str, str] = {}
    dropped: set[str] = set()
    current: list | None = None
    for n, line in enumerate(normalise(text).split("\n"), start=1):
        if line.startswith("@Participants:"):
            roles, _ = _chat_roles(line.split(":", 1)[1])
        if line.startswith(("\t", " ")) and current is not None:
            current[1] += " " + line.strip()                  # a continuation line
            continue
        m = _MAIN.match(line)
        if m:
            current = [m.group(1), m.group(2)]
            utterances.append(current)
        else:
            current = None
            if line.startswith("%"):
                dropped.add(line.split(":", 1)[0])
    if not utterances:
        raise InputError(f"{path}: not a CHAT transcript: no main tier lines ('*PAR:\tWhat was said .')")
    cues = []
    for code, said in utterances:
        times = [(int(a), int(b)) for a, b in _BULLET.findall(said)]
        body = _BULLET.sub("", said).strip()
        start = times[0][0] / 1000 if times else None
        end = times[-1][1] / 1000 if times else None
        cues.append(Cue(body, start, end, code))
    if dropped:
        notes.append(f"{path.name}: dependent tiers left out: {', '.join(sorted(dropped))}")
    return [build_timed(path, "cha", cues, rules, roles, notes, encoding)]


def _eaf_times(root) -> tuple[dict[str, float | None], dict[str, float]]:
    """Each time slot's time (None when unaligned) and its place in time for sorting.

    TIME_ORDER lists slots in time order, so an unaligned slot sorts with the aligned slot before it.
    """
    times, order = {}, {}
    last = 0.0
    for slot in root.iter("TIME_SLOT"):
        value = slot.get("TIME_VALUE")
        key = slot.get("TIME_SLOT_ID")
        times[key] = int(value) / 1000 if value and value.strip().isdigit() else None
        last = order[key] = times[key] if times[key] is not None else last
    return times, order


def read_eaf(path: Path, rules: SpeakerRules) -> list[ParsedDocument]:
    limits.check_size(path, "ELAN file", limits.xml_bytes(), "max_part_mb")
    root = parse_untrusted_xml(path.read_bytes(), path, "ELAN file")
    if root.tag != "ANNOTATION_DOCUMENT":
        raise InputError(f"{path}: not an ELAN file (the root element is <{root.tag}>, not <ANNOTATION_DOCUMENT>)")
    times, order = _eaf_times(root)
    found: list[tuple[float, int, Cue]] = []
    dependent = []
    for tier in root.iter("TIER"):
        if tier.get("PARENT_REF"):
            dependent.append(tier.get("TIER_ID") or "?")
            continue
        speaker = (tier.get("PARTICIPANT") or "").strip() or (tier.get("TIER_ID") or "").strip() or None
        for ann in tier.iter("ALIGNABLE_ANNOTATION"):
            ref1, ref2 = ann.get("TIME_SLOT_REF1"), ann.get("TIME_SLOT_REF2")
            said = ann.findtext("ANNOTATION_VALUE") or ""
            found.append((order.get(ref1, 0.0), len(found), Cue(said, times.get(ref1), times.get(ref2), speaker)))
    if not found:
        raise InputError(f"{path}: the ELAN file has no time-aligned annotations")
    found.sort(key=lambda item: (item[0], item[1]))
    notes = [f"{path.name}: dependent tiers left out: {', '.join(dependent)}"] if dependent else []
    return [build_timed(path, "eaf", [cue for _, _, cue in found], rules, None, notes)]

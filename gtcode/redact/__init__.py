"""Confidentiality: pseudonyms from a key file, and tags for identifiers the detectors find.

`detect` holds the detectors and their validators (read at import), `key` the key file and the
`Pseudonymiser` that applies it to text (everywhere), `apply` the check and pseudonymisation of what is
already stored (`gtcode redact`).
"""

from __future__ import annotations

from gtcode.errors import BadKey
from gtcode.redact.apply import ApplyReport, Hit, apply, check, compact
from gtcode.redact.detect import DETECTORS, KINDS, TAGS
from gtcode.redact.key import Finding, KeyEntry, OffsetMap, Pseudonymiser, Redaction, load_key

__all__ = ["ApplyReport", "BadKey", "DETECTORS", "Finding", "Hit", "KINDS", "KeyEntry", "OffsetMap", "Pseudonymiser",
           "Redaction", "TAGS", "apply", "check", "compact", "load_key"]

"""Detectors for identifiers in transcripts, each match validated before it counts.

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
"""

from __future__ import annotations

import re

#: The detectors, in the order they are offered.
DETECTORS = ("email", "phone", "postcode", "nhs", "dob")
TAGS = {"email": "[email]", "phone": "[phone]", "postcode": "[postcode]", "nhs": "[NHS number]",
        "dob": "[date of birth]"}
#: What each finding is called in reports (the key's own replacements are "name").
KINDS = {"name": "name", "email": "email", "phone": "phone", "postcode": "postcode", "nhs": "NHS number",
         "dob": "date of birth"}

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


def detect(text: str, kinds) -> list[tuple[int, int, str]]:
    """(start, end, kind) of every validated match of the detectors named in `kinds`, kind by kind."""
    found: list[tuple[int, int, str]] = []
    if "email" in kinds:
        found += [(m.start(), m.end(), "email") for m in _EMAIL.finditer(text)]
    if "nhs" in kinds:
        found += [(m.start(), m.end(), "nhs") for m in _NHS.finditer(text) if _nhs_ok(m[1] + m[3] + m[4])]
    if "phone" in kinds:
        found += _phones(text)
    if "postcode" in kinds:
        found += [(m.start(), m.end(), "postcode") for m in _POSTCODE.finditer(text)]
    if "dob" in kinds:
        for cue in _DOB_CUE.finditer(text):
            m = _DATE.match(text, cue.end())
            if m and _date_ok(m):
                found.append((m.start(), m.end(), "dob"))
    return found


def _phones(text: str) -> list[tuple[int, int, str]]:
    """Phone numbers: from each place one may start, the longest valid number; none overlap."""
    found: list[tuple[int, int, str]] = []
    pos = 0
    for start in _PHONE_START.finditer(text):
        if start.start() < pos:
            continue
        m = next((m for m in (p.match(text, start.start()) for p in _PHONE) if m and _phone_ok(m.group())), None)
        if m:
            found.append((m.start(), m.end(), "phone"))
            pos = m.end()
    return found

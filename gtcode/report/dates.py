"""Times as people type and read them: `parse_when` for --since/--until, `when` for stored UTC times.

Shared by the audit trail, the memo export and the thesis report. All times are UTC, as stored.
"""

from __future__ import annotations

import re

from gtcode.errors import InputError

_RELATIVE = re.compile(r"^(\d+)\s*([dw])$", re.IGNORECASE)


def parse_when(text: str, *, end: bool = False, option: str = "--since") -> str:
    """A date the user typed as an ISO bound comparable with stored times (UTC).

    YYYY-MM-DD, YYYY-MM-DDTHH:MM[:SS], 'today', 'yesterday', '7d', '2w'. With `end`, a bare date
    means the end of that day (the bound is exclusive).
    """
    from datetime import date, datetime, timedelta, timezone

    raw = (text or "").strip()
    today = datetime.now(timezone.utc).date()
    day = None
    if raw.casefold() in ("today", "yesterday"):
        day = today - timedelta(days=raw.casefold() == "yesterday")
    elif m := _RELATIVE.match(raw):
        day = today - timedelta(days=int(m.group(1)) * (7 if m.group(2).lower() == "w" else 1))
    else:
        try:
            day = date.fromisoformat(raw)
        except ValueError:
            try:
                moment = datetime.fromisoformat(raw.replace(" ", "T", 1))
            except ValueError:
                raise InputError(f"{option} {text!r}: not a date; use YYYY-MM-DD, YYYY-MM-DDTHH:MM (UTC), "
                                 "today, yesterday or 7d") from None
            if moment.tzinfo is None:
                moment = moment.replace(tzinfo=timezone.utc)
            return moment.astimezone(timezone.utc).isoformat(timespec="microseconds")
    if end:
        day = day + timedelta(days=1)
    return day.isoformat()


def when(iso: str | None) -> str:
    """'2026-11-23T21:28:49.123+00:00' → '2026-11-23 21:28 UTC'."""
    if not iso:
        return ""
    if len(iso) == 10:
        return iso
    return f"{iso[:10]} {iso[11:16]} UTC"


def until_label(bound: str) -> str:
    """The inclusive end people typed, from the exclusive bound we store."""
    from datetime import date, timedelta

    if len(bound) == 10:
        return f"the end of {(date.fromisoformat(bound) - timedelta(days=1)).isoformat()}"
    return when(bound)

"""`Record`: the one `to_dict` every result dataclass shares, so `--json` output is the dataclass's fields."""

from __future__ import annotations

from dataclasses import asdict


class Record:
    """Base for result dataclasses: `to_dict()` is their fields, nested dataclasses included."""

    def to_dict(self) -> dict:
        return asdict(self)  # type: ignore[call-overload]

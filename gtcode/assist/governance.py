"""Who may use AI assistance, and the record of each run.

Two switches, either of which stops every assist command before it reads a word: the user's own (`gtcode ai
off`, the config key `ai`), and a project lock that an ethics board can require (`gtcode ai lock`), kept as an
event in the project's audit log so it travels with the project and shows who locked it, when and why. Each
assist run is an event too: method, library version, parameters and counts, like a second coder's work.
"""

from __future__ import annotations

import json

from gtcode.errors import AssistDisabled, InputError
from gtcode.store.db import Store, Txn

LOCK, UNLOCK = "ai.lock", "ai.unlock"


def lock_state(store: Store) -> dict | None:
    """The project's AI lock in force (who, when, reason), or None. The latest lock/unlock event decides."""
    undone = {json.loads(r[0]).get("txn") for r in store.all("SELECT data FROM events WHERE action = 'undo'")}
    rows = store.all("SELECT e.txn, e.at, e.action, e.data, k.name AS coder FROM events e"
                     " JOIN coders k ON k.id = e.coder_id WHERE e.action IN (?, ?) ORDER BY e.at DESC, e.id DESC",
                     (LOCK, UNLOCK))
    for r in rows:
        if r["txn"] in undone:
            continue
        if r["action"] == UNLOCK:
            return None
        return {"by": r["coder"], "at": r["at"], "reason": json.loads(r["data"]).get("reason", "")}
    return None


def user_switch() -> str:
    """'on' or 'off': the user's own setting (config key `ai`)."""
    from gtcode.config import load_config

    return "off" if load_config().get("ai", "on").strip().lower() in ("off", "false", "no", "0") else "on"


def check_allowed(store: Store) -> None:
    """Raise `AssistDisabled` when the user switched AI off or the project is locked."""
    if user_switch() == "off":
        raise AssistDisabled("AI assistance is switched off in your settings; 'gtcode ai on' switches it back on")
    state = lock_state(store)
    if state:
        why = f" ({state['reason']})" if state["reason"] else ""
        raise AssistDisabled(f"AI assistance is locked for this project by {state['by']} on {state['at'][:10]}"
                             f"{why}; 'gtcode ai unlock' lifts the lock, and is recorded")


def set_lock(store: Store, txn: Txn, locked: bool, reason: str = "") -> dict:
    """Lock or unlock AI assistance for the project; the event is the lock."""
    state = lock_state(store)
    if locked and state:
        raise InputError(f"AI assistance is already locked for this project (by {state['by']})")
    if not locked and not state:
        raise InputError("AI assistance is not locked for this project")
    if locked:
        txn.record(LOCK, "locked AI assistance for this project" + (f": {reason}" if reason else ""), reason=reason)
    else:
        txn.record(UNLOCK, "unlocked AI assistance for this project" + (f": {reason}" if reason else ""),
                   reason=reason, was=state)
    return {"locked": locked, "reason": reason}


def record_run(txn: Txn, what: str, info: dict, params: dict, counts: dict) -> None:
    """One assist run in the audit log: method, library and model, parameters, counts."""
    summary = f"AI {what}: " + ", ".join(f"{v:,} {k}" if isinstance(v, int) else f"{v} {k}"
                                         for k, v in counts.items())
    txn.record(f"ai.{what}", summary, **info, params=params, counts=counts)


def runs(store: Store, limit: int = 20) -> list[dict]:
    """The latest assist runs and lock changes, newest first."""
    rows = store.all("SELECT e.at, e.action, e.summary, e.data, k.name AS coder FROM events e"
                     " JOIN coders k ON k.id = e.coder_id WHERE e.action LIKE 'ai.%' OR e.action = 'coding.suggest'"
                     " ORDER BY e.at DESC, e.id DESC LIMIT ?", (limit,))
    return [dict(r) | {"data": json.loads(r["data"])} for r in rows]

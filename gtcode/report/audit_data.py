"""The audit trail a supervisor reads before a supervision meeting (`gtcode audit`).

`collect_audit` gathers, for one period, what happened to memos (new
versions with a diff against the version before the period, comments,
sign-offs), to the codebook (with the command that did it and the memos
written about that code meanwhile), to codings (per coder per day), to
autocoding and its review, and which commands were undone. The default
period starts at the last sign-off by someone other than the current coder:
what is new since the supervisor last read the work.

All times are UTC, as stored. `gtcode.report.audit` turns the result into a document.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field

from gtcode.errors import InputError, did_you_mean
from gtcode.report.dates import parse_when, until_label, when
from gtcode.text import plural

CODE_ACTIONS = {
    "code.add": "created", "code.rename": "renamed", "code.move": "moved", "code.describe": "described",
    "code.merge": "merged", "code.split": "split", "code.delete": "deleted", "codebook.import": "codebook import"}
ACTIVITY_ACTIONS = (*CODE_ACTIONS, "coding.add", "coding.remove", "coding.autocode", "coding.accept",
                    "coding.reject", "undo", "document.import", "document.replace")   # what _activity reads
FIELD_NAMES = {"description": "definition", "include": "inclusion criteria", "exclude": "exclusion criteria",
               "example": "example", "color": "colour", "patterns": "patterns", "name": "name", "invivo": "in vivo"}


# --- the report ----------------------------------------------------------------------------------------------

@dataclass
class MemoChange:
    """A memo written or edited in the period."""

    id: int
    uuid: str
    type: str
    title: str            # as of the latest version in the period
    author: str           # who first wrote it
    created: bool         # first written in the period
    base_version: int     # the version before the period (0 when created in it)
    latest_version: int   # the latest version in the period
    versions: list[dict]  # the period's versions: version, author, at
    diff: str             # unified diff base → latest ('' for a memo created in the period)
    body: str             # the latest text in the period
    review: str           # now: unreviewed | signed off | changed since sign-off
    links: list[str] = field(default_factory=list)   # what it is about, readable

    @property
    def edited(self) -> bool:
        """Edited in the period: a version after the first was saved in it (a memo written and then revised in
        the period counts as written and as edited, so `--all` and a shorter period count the same edit)."""
        return any(v["version"] > 1 for v in self.versions)


@dataclass
class CommentEntry:
    at: str
    author: str
    memo_id: int
    memo_title: str
    comment_id: int
    reply_to: int | None
    version: int          # the memo version the comment was made on
    body: str


@dataclass
class SignoffEntry:
    at: str
    author: str
    memo_id: int
    memo_title: str
    version: int
    note: str
    current_version: int  # the memo's version now

    @property
    def changed_since(self) -> bool:
        return self.current_version > self.version


@dataclass
class AwaitingReview:
    memo_id: int
    title: str
    type: str
    version: int
    review: str           # unreviewed | changed since sign-off
    updated_by: str
    updated_at: str


@dataclass
class CodeChange:
    at: str
    coder: str
    action: str           # created | renamed | moved | described | merged | split | deleted | codebook import
    summary: str
    details: list[str]    # what changed, line by line (definitions before → after, codes added…)
    command: str          # the reason, as recorded: the command line that did it
    memos: list[dict]     # memos about the code written or edited in the period: id, title
    undone: bool = False


@dataclass
class CodingDay:
    day: str              # YYYY-MM-DD (UTC)
    coder: str
    added: int            # passages coded (new codings, or existing ones extended)
    removed: int          # codings removed or trimmed
    codes: list[str]      # code paths used, with how many passages each: 'Path (3)'
    documents: list[str]  # document names touched
    undone: int = 0       # of `added` and `removed`, how many belong to commands since undone


@dataclass
class AutocodeRun:
    at: str
    coder: str
    source: str           # the codebook file, or 'stored patterns'
    suggested: int
    by_code: dict[str, int]
    command: str
    undone: bool = False


@dataclass
class ReviewDecision:
    day: str
    coder: str
    code: str
    accepted: int
    rejected: int


@dataclass
class UndoEntry:
    at: str
    coder: str
    summary: str          # what was undone
    command: str          # the command that was undone


@dataclass
class ImportEntry:
    at: str
    coder: str
    summary: str


@dataclass
class AuditReport:
    project: str
    path: str
    generated_at: str
    generated_by: str
    since: str | None     # inclusive, ISO (None: from the start)
    until: str | None     # exclusive, ISO (None: up to now)
    basis: str            # why the period starts where it does, for people
    coder: str | None     # only this coder's work (None: everyone's)
    memos: list[MemoChange] = field(default_factory=list)
    comments: list[CommentEntry] = field(default_factory=list)
    signoffs: list[SignoffEntry] = field(default_factory=list)
    awaiting_review: list[AwaitingReview] = field(default_factory=list)
    code_changes: list[CodeChange] = field(default_factory=list)
    coding: list[CodingDay] = field(default_factory=list)
    autocode_runs: list[AutocodeRun] = field(default_factory=list)
    reviews: list[ReviewDecision] = field(default_factory=list)
    pending_now: int = 0  # autocoded codings still waiting for review
    undos: list[UndoEntry] = field(default_factory=list)
    imports: list[ImportEntry] = field(default_factory=list)

    @property
    def period(self) -> str:
        """'2026-11-02 09:00 UTC → now', for headers."""
        start = when(self.since) if self.since else "the start of the project"
        end = until_label(self.until) if self.until else f"now ({when(self.generated_at)})"
        return f"{start} → {end}"

    @property
    def summary(self) -> dict[str, int]:
        return {
            "memos written": sum(m.created for m in self.memos),
            "memos edited": sum(m.edited for m in self.memos),
            "comments": len(self.comments),
            "sign-offs": len(self.signoffs),
            "memos awaiting review": len(self.awaiting_review),
            "codebook changes": len(self.code_changes),
            "passages coded": sum(d.added for d in self.coding),
            "codings removed": sum(d.removed for d in self.coding),
            "autocoding runs": len(self.autocode_runs),
            "suggestions accepted": sum(r.accepted for r in self.reviews),
            "suggestions rejected": sum(r.rejected for r in self.reviews),
            "undos": len(self.undos),
            "documents imported": len(self.imports),
        }

    def to_dict(self) -> dict:
        out = asdict(self)
        for s, d in zip(self.signoffs, out["signoffs"]):
            d["changed_since"] = s.changed_since
        for m, d in zip(self.memos, out["memos"]):
            d["edited"] = m.edited
        return out | {"period": self.period, "summary": self.summary}


# --- collecting ----------------------------------------------------------------------------------------------

def _coder_name(store, name: str) -> str:
    names = [r[0] for r in store.all("SELECT name FROM coders ORDER BY id")]
    for n in names:
        if n.casefold() == name.strip().casefold():
            return n
    raise InputError(f"no coder {name!r} in this project" + did_you_mean(name, names)
                     + (f"; coders: {', '.join(names)}" if names else ""))


def _default_since(store, me: str, until: str | None) -> tuple[str | None, str]:
    """The last sign-off by anyone but `me` (before `until`), or the start of the project."""
    sql = ("SELECT s.created_at, k.name, s.memo_id, s.version FROM memo_signoffs s JOIN coders k ON k.id = s.created_by"
           " WHERE k.name <> ? COLLATE NOCASE")
    args: list = [me]
    if until:
        sql += " AND s.created_at < ?"
        args.append(until)
    row = store.one(sql + " ORDER BY s.created_at DESC, s.id DESC LIMIT 1", args)
    if row is None:
        return None, f"everything: no one other than {me} has signed off a memo yet"
    return row[0], (f"since the last sign-off by someone other than {me}: {row[1]} signed off memo #{row[2]} "
                    f"(version {row[3]}) on {when(row[0])}")


def _between(column: str, since: str | None, until: str | None, args: list) -> str:
    sql = ""
    if since:
        sql += f" AND {column} >= ?"
        args.append(since)
    if until:
        sql += f" AND {column} < ?"
        args.append(until)
    return sql


def _within(column: str, since: str | None, until: str | None, coder: str | None) -> tuple[str, list]:
    """' AND …' keeping `column` inside the period and, with `coder`, only their work (`k` is coders); its args."""
    args: list = []
    sql = _between(column, since, until, args)
    if coder:
        sql += " AND k.name = ?"
        args.append(coder)
    return sql, args


def _memo_text(title: str, body: str) -> str:
    return f"# {title}\n\n{body}\n"


def _memo_changes(project, since, until, coder) -> list[MemoChange]:
    import difflib

    from gtcode.memos import get_memo, memo_links

    store = project.store
    where, args = _within("v.created_at", since, until, coder)
    sql = ("SELECT v.memo_id, v.version, v.title, v.body, v.created_at, k.name FROM memo_versions v"
           " JOIN coders k ON k.id = v.created_by WHERE 1" + where)
    by_memo: dict[int, list] = {}
    for r in store.all(sql + " ORDER BY v.memo_id, v.version", args):
        by_memo.setdefault(r["memo_id"], []).append(r)
    out = []
    for memo_id, rows in by_memo.items():
        memo = get_memo(store, memo_id)
        latest = rows[-1]
        # The version just before the period's first: with `coder`, it may be someone else's in the period.
        base = store.one("SELECT version, title, body FROM memo_versions WHERE memo_id = ? AND version < ?"
                         " ORDER BY version DESC LIMIT 1", (memo_id, rows[0]["version"]))
        diff = ""
        if base is not None:
            diff = "".join(difflib.unified_diff(
                _memo_text(base["title"], base["body"]).splitlines(keepends=True),
                _memo_text(latest["title"], latest["body"]).splitlines(keepends=True),
                f"memo {memo_id} v{base['version']}", f"memo {memo_id} v{latest['version']}"))
        links = []
        for link in memo_links(store, memo_id):
            if link.type == "segment":
                links.append(f"{link.label} “{_short(link.text or '', 80)}”")
            elif link.type == "memo":
                links.append(f"memo #{link.label} “{link.text}”")
            else:
                links.append(f"{link.type}: {link.label}")
        out.append(MemoChange(
            memo_id, memo.uuid, memo.type, latest["title"], memo.author, base is None and rows[0]["version"] == 1,
            base["version"] if base is not None else 0, latest["version"],
            [{"version": r["version"], "author": r["name"], "at": r["created_at"]} for r in rows],
            diff, latest["body"], memo.review, list(dict.fromkeys(links))))
    out.sort(key=lambda m: (m.versions[0]["at"], m.id))
    return out


def _short(text: str, n: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1].rstrip() + "…"


def _titles(store) -> dict[int, str]:
    return {r[0]: r[1] for r in store.all(
        "SELECT v.memo_id, v.title FROM memo_versions v WHERE v.version = "
        "(SELECT max(version) FROM memo_versions w WHERE w.memo_id = v.memo_id)")}


def _comments(store, since, until, coder, titles) -> list[CommentEntry]:
    where, args = _within("c.created_at", since, until, coder)
    sql = "SELECT c.*, k.name FROM memo_comments c JOIN coders k ON k.id = c.created_by WHERE 1" + where
    return [CommentEntry(r["created_at"], r["name"], r["memo_id"], titles.get(r["memo_id"], ""), r["id"],
                         r["parent_id"], r["version"], r["body"]) for r in store.all(sql + " ORDER BY c.id", args)]


def _signoffs(store, since, until, coder, titles) -> list[SignoffEntry]:
    where, args = _within("s.created_at", since, until, coder)
    sql = ("SELECT s.*, k.name, (SELECT max(version) FROM memo_versions v WHERE v.memo_id = s.memo_id) AS current"
           " FROM memo_signoffs s JOIN coders k ON k.id = s.created_by WHERE 1" + where)
    return [SignoffEntry(r["created_at"], r["name"], r["memo_id"], titles.get(r["memo_id"], ""), r["version"],
                         r["note"], r["current"]) for r in store.all(sql + " ORDER BY s.id", args)]


def _events(store, since, until, coder) -> list[dict]:
    where, args = _within("e.at", since, until, coder)   # only what _activity reads: not the many case events
    sql = ("SELECT e.id, e.txn, e.at, k.name AS coder, e.command, e.action, e.entity_uuid, e.summary, e.data FROM "
           "events e JOIN coders k ON k.id = e.coder_id WHERE e.action IN (SELECT value FROM json_each(?))" + where)
    return [dict(r) | {"data": json.loads(r["data"])}
            for r in store.all(sql + " ORDER BY e.id", [json.dumps(ACTIVITY_ACTIONS), *args])]


def _code_details(event: dict) -> list[str]:
    data, action = event["data"], event["action"]
    if action == "code.describe":
        changes = data.get("changes") or {}
        if isinstance(changes, list):
            return [FIELD_NAMES.get(k, k) for k in changes]
        out = []
        for key, change in changes.items():
            before, after = (change.get("before"), change.get("after")) if isinstance(change, dict) else (None, change)
            out.append(f"{FIELD_NAMES.get(key, key)}: {_value(before)} → {_value(after)}")
        return out
    if action == "codebook.import":
        out = [f"added {a['path']}" for a in data.get("added", [])]
        out += [f"updated {u['path']} ({', '.join(FIELD_NAMES.get(f, f) for f in u.get('fields', []))})"
                for u in data.get("updated", [])]
        return out
    if action == "code.merge":
        source = data.get("source") or {}
        lost = [f"{FIELD_NAMES[k]} of the merged code: {_value(source.get(k))}" for k in ("description",)
                if source.get(k)]
        return lost
    if action == "code.split":
        source = data.get('source', {}).get('path', '?')
        return [f"{plural(len(data.get('codings', [])), 'coding')} moved from {source}"]
    if action == "code.delete":
        out = [f"with {plural(data['codings'], 'coding')}"] if data.get("codings") else []
        if data.get("descendants"):
            out.append("and child codes: " + ", ".join(data["descendants"]))
        return out
    return []


def _value(v) -> str:
    if v in (None, "", []):
        return "(empty)"
    if isinstance(v, (list, dict)):
        v = json.dumps(v, ensure_ascii=False)
    return f"“{_short(str(v), 160)}”"


def _event_uuids(event: dict) -> set[str]:
    data = event["data"]
    found = {event["entity_uuid"]} if event["entity_uuid"] else set()
    for key in ("code", "source", "target"):
        if isinstance(data.get(key), dict) and data[key].get("uuid"):
            found.add(data[key]["uuid"])
    for key in ("added", "updated"):
        for item in data.get(key) or []:
            if isinstance(item, dict) and item.get("uuid"):
                found.add(item["uuid"])
    return found


def _period(project, since, until, everything) -> tuple[str | None, str | None, str]:
    """(since, until) as stored-time bounds, and why the period is what it is."""
    if everything and since:
        raise InputError("give --since or --all, not both")
    until_b = parse_when(until, end=True, option="--until") if until else None
    since_b = parse_when(since, option="--since") if since else None
    if since_b and until_b and since_b >= until_b:
        raise InputError(f"--since {since} is not before --until {until}: the period is empty")
    if since_b:
        basis = f"from --since {since}"
    elif everything:
        basis = "everything (--all)"
    else:
        since_b, basis = _default_since(project.store, project.coder, until_b)
    return since_b, until_b, basis + (f", up to --until {until}" if until else "")


def collect_audit(project, *, since: str | None = None, until: str | None = None, coder: str | None = None,
                  everything: bool = False) -> AuditReport:
    """The audit trail for a period; dates as the user typed them (see `parse_when`).

    Without `since` (and without `everything`) the period starts at the last sign-off by someone other
    than `project.coder`; if there is none, it covers the whole project.
    """
    from gtcode.store.db import now

    store = project.store
    since_b, until_b, basis = _period(project, since, until, everything)
    coder = _coder_name(store, coder) if coder else None
    report = AuditReport(project.name, str(project.path), now(), project.coder, since_b, until_b, basis, coder)
    titles = _titles(store)
    report.memos = _memo_changes(project, since_b, until_b, coder)
    report.comments = _comments(store, since_b, until_b, coder, titles)
    report.signoffs = _signoffs(store, since_b, until_b, coder, titles)
    report.awaiting_review = [AwaitingReview(m.id, m.title, m.type, m.version, m.review, m.updated_by, m.updated_at)
                              for m in project.memos.list(unreviewed=True, author=coder)]
    _activity(report, store, _events(store, since_b, until_b, coder), titles)
    report.pending_now = store.scalar("SELECT count(*) FROM codings WHERE status = 'pending'") or 0
    return report


def _activity(report: AuditReport, store, events: list[dict], titles: dict[int, str]) -> None:
    """Code changes, coding days, autocoding, review decisions, undos and imports, from the period's events."""
    from gtcode.codes import all_codes

    # Memos written or edited in the period (by anyone), by what they link to: the "why" of a code change.
    args: list = []
    period_memos = {r[0] for r in store.all("SELECT DISTINCT memo_id FROM memo_versions WHERE 1"
                                            + _between("created_at", report.since, report.until, args), args)}
    about: dict[str, set[int]] = {}
    for r in store.all("SELECT memo_id, target_uuid FROM memo_links WHERE target_type IN ('code', 'category')"):
        if r[0] in period_memos:
            about.setdefault(r[1], set()).add(r[0])
    undone = {json.loads(r[0]).get("txn") for r in store.all("SELECT data FROM events WHERE action = 'undo'")}
    paths = {c.uuid: c.path for c in all_codes(store)}
    docs = {r[0]: r[1] for r in store.all("SELECT id, name FROM documents")}
    days: dict[tuple[str, str], dict] = {}
    runs: dict[str, AutocodeRun] = {}
    reviews: dict[tuple[str, str, str], ReviewDecision] = {}

    def code_path(data: dict) -> str:  # as it is called now, if it still exists
        code = data.get("code") or {}
        return paths.get(code.get("uuid"), code.get("path") or code.get("after") or "?")

    for e in events:
        action, data = e["action"], e["data"]
        if action in CODE_ACTIONS:
            memo_ids = sorted(set().union(*(about.get(u, set()) for u in _event_uuids(e))))
            report.code_changes.append(CodeChange(
                e["at"], e["coder"], CODE_ACTIONS[action], e["summary"], _code_details(e), e["command"],
                [{"id": i, "title": titles.get(i, "")} for i in memo_ids], e["txn"] in undone))
        elif action in ("coding.add", "coding.remove"):
            day = days.setdefault((e["at"][:10], e["coder"]),
                                  {"added": 0, "removed": 0, "undone": 0, "codes": {}, "docs": set()})
            spans = data.get("spans") or []
            if action == "coding.add":
                n = data["added"] + data.get("merged", 0) if "added" in data else len(spans)
                day["added"] += n
            else:
                n = 0
                day["removed"] += data.get("codings", len(spans))
            if e["txn"] in undone:
                day["undone"] += n or data.get("codings", len(spans))
            path = code_path(data)
            day["codes"][path] = day["codes"].get(path, 0) + n
            day["docs"].update({s[0] for s in spans})     # document ids here, named once per day below
        elif action == "coding.autocode":
            run = runs.setdefault(e["txn"], AutocodeRun(e["at"], e["coder"], data.get("source", ""), 0, {},
                                                       e["command"], e["txn"] in undone))
            run.suggested += data.get("added", 0)
            run.by_code[code_path(data)] = data.get("added", 0)
        elif action in ("coding.accept", "coding.reject"):
            key = (e["at"][:10], e["coder"], code_path(data))
            decision = reviews.setdefault(key, ReviewDecision(*key, 0, 0))
            if action == "coding.accept":
                decision.accepted += len(data.get("codings", []))
            else:
                decision.rejected += len(data.get("codings", []))
        elif action == "undo":
            report.undos.append(UndoEntry(e["at"], e["coder"], e["summary"].removeprefix("undid: "),
                                          data.get("command", "")))
        elif action in ("document.import", "document.replace"):
            report.imports.append(ImportEntry(e["at"], e["coder"], e["summary"]))

    report.coding = [CodingDay(day, who, d["added"], d["removed"],
                               [f"{p} ({n})" if n else p for p, n in sorted(d["codes"].items())],
                               sorted({docs.get(i, f"D{i}") for i in d["docs"]}), d["undone"])
                      for (day, who), d in sorted(days.items())]
    report.autocode_runs = list(runs.values())
    report.reviews = sorted(reviews.values(), key=lambda r: (r.day, r.coder, r.code))

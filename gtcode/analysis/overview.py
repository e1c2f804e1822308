"""What a project holds at a glance (`gtcode stats`): documents, cases by attribute, words, turns and segments
by who speaks, interview length, the analysis so far (codes, categories, codings, memos), coders and the size
of the log."""

from __future__ import annotations

from gtcode.store.db import Store


def _by_who(store: Store) -> tuple[dict[str, int], dict[str, int]]:
    """Turns and segments by who speaks: front matter, quoted, unattributed (speech with no label), or the
    speaker's role. Read from two indexes (turns_who, turns_unlabelled) and each turn's stored segment count,
    so not one of the project's segments is visited."""
    turns: dict[str, int] = {}
    segments: dict[str, int] = {}

    def add(who: str, n: int, segs: int) -> None:
        if n:
            turns[who] = turns.get(who, 0) + n
        if segs:
            segments[who] = segments.get(who, 0) + segs

    unlabelled = {r[0]: (r[1], r[2]) for r in store.all(
        "SELECT role, count(*), sum(segment_count) FROM turns WHERE kind = 'speech' AND speaker IS NULL "
        "GROUP BY role")}
    for kind, role, n, segs in store.all("SELECT kind, role, count(*), sum(segment_count) FROM turns "
                                         "GROUP BY kind, role"):
        if kind != "speech":
            add("front matter" if kind == "front" else kind, n, segs)
            continue
        un, un_segs = unlabelled.get(role, (0, 0))
        add("unattributed", un, un_segs)
        add(role, n - un, segs - un_segs)
    return dict(sorted(turns.items())), dict(sorted(segments.items()))   # in the order `GROUP BY who` gave


def project_stats(store: Store) -> dict:
    s = store
    turns, segments = _by_who(s)
    by_attr: dict[str, dict[str, int]] = {}
    for r in s.all("SELECT a.name, ca.value, count(DISTINCT ca.case_id) AS n FROM case_attributes ca "
                   "JOIN attributes a ON a.id = ca.attribute_id GROUP BY a.name, ca.value ORDER BY a.id, ca.value"):
        by_attr.setdefault(r["name"], {})[r["value"]] = r["n"]
    # Timed turns only (an index of them, turns_timed): a document with none has no length, as before.
    durations = [r[0] for r in s.all("SELECT max(coalesce(time_end, time_start)) FROM turns "
                                     "WHERE coalesce(time_end, time_start) IS NOT NULL GROUP BY document_id")]
    formats = {r[0]: (r[1], r[2]) for r in s.all("SELECT format, count(*), sum(word_count) FROM documents "
                                                 "GROUP BY format")}
    confirmed, pending = s.one("SELECT coalesce(sum(status = 'confirmed'), 0), coalesce(sum(status = 'pending'), 0) "
                               "FROM codings")   # one pass over the codings, not two
    return {
        "documents": s.scalar("SELECT count(*) FROM documents"),
        "cases": s.scalar("SELECT count(*) FROM cases"),
        "unlinked_documents": s.scalar("SELECT count(*) FROM documents WHERE case_id IS NULL"),
        "words": sum(w for _, w in formats.values()),
        "turns": turns,
        "segments": segments,
        "formats": {f: n for f, (n, _) in sorted(formats.items())},
        "cases_by_attribute": by_attr,
        "timed_documents": len(durations),
        "mean_minutes": round(sum(durations) / len(durations) / 60, 1) if durations else None,
        "codes": s.scalar("SELECT count(*) FROM codes WHERE kind = 'code'"),
        "categories": s.scalar("SELECT count(*) FROM codes WHERE kind = 'category'"),
        "codings": confirmed,
        "pending_codings": pending,
        "memos": s.scalar("SELECT count(*) FROM memos"),
        "coders": [r[0] for r in s.all("SELECT name FROM coders ORDER BY id")],
        "events": s.scalar("SELECT count(*) FROM events"),
    }

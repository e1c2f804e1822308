"""What a project holds at a glance (`gtcode stats`): documents, cases by attribute, words, turns and segments
by who speaks, interview length, the analysis so far (codes, categories, codings, memos), coders and the size
of the log."""

from __future__ import annotations

from gtcode.store.db import Store

_WHO = ("CASE WHEN {t}kind = 'front' THEN 'front matter' WHEN {t}kind = 'quoted' THEN 'quoted' "
        "WHEN {t}speaker IS NULL THEN 'unattributed' ELSE {t}role END AS who")


def project_stats(store: Store) -> dict:
    s = store
    speakers = s.all(f"SELECT {_WHO.format(t='')}, count(*) AS n FROM turns GROUP BY who")
    seg_by = s.all(f"SELECT {_WHO.format(t='t.')}, count(*) AS n FROM segments g JOIN turns t ON t.id = g.turn_id"
                   " GROUP BY who")
    by_attr: dict[str, dict[str, int]] = {}
    for r in s.all("SELECT a.name, ca.value, count(DISTINCT ca.case_id) AS n FROM case_attributes ca "
                   "JOIN attributes a ON a.id = ca.attribute_id GROUP BY a.name, ca.value ORDER BY a.id, ca.value"):
        by_attr.setdefault(r["name"], {})[r["value"]] = r["n"]
    durations = [r[0] for r in s.all("SELECT max(coalesce(time_end, time_start)) FROM turns "
                                     "GROUP BY document_id HAVING max(coalesce(time_end, time_start)) IS NOT NULL")]
    return {
        "documents": s.scalar("SELECT count(*) FROM documents"),
        "cases": s.scalar("SELECT count(*) FROM cases"),
        "unlinked_documents": s.scalar("SELECT count(*) FROM documents WHERE case_id IS NULL"),
        "words": s.scalar("SELECT coalesce(sum(word_count), 0) FROM documents"),
        "turns": {r["who"]: r["n"] for r in speakers},
        "segments": {r["who"]: r["n"] for r in seg_by},
        "formats": {r[0]: r[1] for r in s.all("SELECT format, count(*) FROM documents GROUP BY format")},
        "cases_by_attribute": by_attr,
        "timed_documents": len(durations),
        "mean_minutes": round(sum(durations) / len(durations) / 60, 1) if durations else None,
        "codes": s.scalar("SELECT count(*) FROM codes WHERE kind = 'code'"),
        "categories": s.scalar("SELECT count(*) FROM codes WHERE kind = 'category'"),
        "codings": s.scalar("SELECT count(*) FROM codings WHERE status = 'confirmed'"),
        "pending_codings": s.scalar("SELECT count(*) FROM codings WHERE status = 'pending'"),
        "memos": s.scalar("SELECT count(*) FROM memos"),
        "coders": [r[0] for r in s.all("SELECT name FROM coders ORDER BY id")],
        "events": s.scalar("SELECT count(*) FROM events"),
    }

"""Read-only SQL views for people who browse a project in Datasette or sqlite3 (a supervisor, an auditor), so
that they need no `substr()` or recursive query: codings with their code path, address, speaker, case, coder
and coded text; memos with their current text and their links read out; and Datasette's metadata (table and
column descriptions) to ship beside the project (`gtcode export datasette-metadata`).

Views hold no data and change nothing gtcode reads; `create_views` (re)creates them, so a newer gtcode can
refine them. Migration m007 creates them in every project; `gtcode export datasette-metadata` refreshes them.
"""

from __future__ import annotations

import sqlite3

_CODE_PATHS = """WITH RECURSIVE code_paths(id, path) AS (
    SELECT id, name FROM codes WHERE parent_id IS NULL
    UNION ALL SELECT c.id, p.path || '/' || c.name FROM codes c JOIN code_paths p ON c.parent_id = p.id)"""

#: Where a span is, as users write it: D3:17 or D3:17-19 (from its document id, start and end expressions).
_ADDRESS = """'D' || {doc} || ':' || coalesce((SELECT min(x.ordinal) FROM segments x
      WHERE x.document_id = {doc} AND x.start_char < {end} AND x.end_char > {start}), '?')
    || coalesce((SELECT '-' || max(x.ordinal) FROM segments x WHERE x.document_id = {doc}
      AND x.start_char < {end} AND x.end_char > {start} HAVING max(x.ordinal) > min(x.ordinal)), '')"""

VIEWS = {
    "coded_passages": f"""{_CODE_PATHS}
SELECT g.id AS coding, cp.path AS code, 'D' || d.id AS document, d.name AS document_name,
    {_ADDRESS.format(doc='g.document_id', start='g.start_char', end='g.end_char')} AS address,
    (SELECT t.speaker FROM turns t WHERE t.document_id = g.document_id AND t.start_char <= g.start_char
      ORDER BY t.start_char DESC LIMIT 1) AS speaker,
    ca.name AS "case", k.name AS coder, g.status, g.created_at,
    substr(d.text, g.start_char + 1, g.end_char - g.start_char) AS text
FROM codings g JOIN documents d ON d.id = g.document_id JOIN code_paths cp ON cp.id = g.code_id
LEFT JOIN cases ca ON ca.id = d.case_id JOIN coders k ON k.id = g.coder_id""",
    "memo_link_targets": f"""{_CODE_PATHS}
SELECT l.memo_id AS memo, l.target_type AS link_type,
    CASE l.target_type
      WHEN 'code' THEN (SELECT cp.path FROM codes c JOIN code_paths cp ON cp.id = c.id WHERE c.uuid = l.target_uuid)
      WHEN 'category' THEN (SELECT cp.path FROM codes c JOIN code_paths cp ON cp.id = c.id WHERE c.uuid = l.target_uuid)
      WHEN 'document' THEN (SELECT 'D' || d.id || ' ' || d.name FROM documents d WHERE d.uuid = l.target_uuid)
      WHEN 'segment' THEN (SELECT {_ADDRESS.format(doc='d.id', start='l.start_char', end='l.end_char')}
          || ' “' || substr(d.text, l.start_char + 1, l.end_char - l.start_char) || '”'
          || coalesce(' (' || ca.name || ')', '')
        FROM documents d LEFT JOIN cases ca ON ca.id = d.case_id WHERE d.uuid = l.target_uuid)
      WHEN 'memo' THEN (SELECT 'memo #' || m.id || ' ' || v.title FROM memos m JOIN memo_versions v
        ON v.memo_id = m.id WHERE m.uuid = l.target_uuid ORDER BY v.version DESC LIMIT 1)
    END AS target,
    l.source
FROM memo_links l""",
    "memo_texts": """SELECT m.id AS memo, m.type, v.title, v.body AS text, v.version, a.name AS author,
    m.created_at, u.name AS last_edited_by, v.created_at AS last_edited_at,
    (SELECT group_concat(coalesce(t.target, '(gone)'), '; ') FROM memo_link_targets t WHERE t.memo = m.id) AS links
FROM memos m
JOIN memo_versions v ON v.memo_id = m.id AND v.version = (SELECT max(version) FROM memo_versions WHERE memo_id = m.id)
JOIN coders a ON a.id = m.created_by JOIN coders u ON u.id = v.created_by""",
}

#: Column descriptions of the views, for Datasette and for the README.
COLUMNS = {
    "coded_passages": {
        "coding": "The coding's number", "code": "The code's path in the code tree (Category/Code)",
        "document": "The document's label (D3)", "document_name": "The transcript's name",
        "address": "The segments the passage touches, as gtcode addresses them (D3:17 or D3:17-19)",
        "speaker": "Who is speaking where the passage starts", "case": "The participant (case) the document belongs to",
        "coder": "Who made the coding", "status": "confirmed, or pending (an autocoding suggestion not yet reviewed)",
        "created_at": "When it was coded (UTC)", "text": "The coded words"},
    "memo_texts": {
        "memo": "The memo's number", "type": "Memo type (code, theoretical, methodological, storyline…)",
        "title": "Its current title", "text": "Its current text (Markdown; [[…]] are links)",
        "version": "Its current version (editing adds one)", "author": "Who wrote it",
        "created_at": "When it was written (UTC)", "last_edited_by": "Who wrote the current version",
        "last_edited_at": "When (UTC)", "links": "What it is linked to, read out; '(gone)' for a deleted target"},
    "memo_link_targets": {
        "memo": "The memo's number", "link_type": "code, category, document, segment or memo",
        "target": "The target read out: a code path, D3 name, D3:17 “words” (case), memo #2 title",
        "source": "explicit (memo link) or reference ([[…]] in the text)"},
}

DESCRIPTIONS = {
    "coded_passages": "Every coding with its code path, document, address, speaker, case, coder, status and the "
                      "coded words.",
    "memo_texts": "Every memo as it reads now, with its type, author and its links read out.",
    "memo_link_targets": "Each memo link with its target read out.",
    "documents": "Imported transcripts (text is the whole transcript).", "cases": "Participants (cases).",
    "codes": "The code tree: codes and categories (kind); parent_id makes the tree.",
    "codings": "Codings as character offsets; the coded_passages view reads them out.",
    "memos": "Memos; their text is in memo_versions, read out in memo_texts.",
    "relations": "Typed relations between categories (axial coding).",
    "events": "The append-only audit log: who changed what, when.",
}


def create_views(conn: sqlite3.Connection) -> list[str]:
    """(Re)create the views in the open database; returns their names. Run inside the caller's transaction."""
    for name in reversed(list(VIEWS)):
        conn.execute(f"DROP VIEW IF EXISTS {name}")
    for name, sql in VIEWS.items():
        conn.execute(f"CREATE VIEW {name} AS {sql}")
    return list(VIEWS)


def datasette_metadata(project_name: str, database: str = "gtcode") -> dict:
    """Datasette's metadata for a project: a title, and a description of each table, view and view column."""
    tables = {name: {"description": text} for name, text in DESCRIPTIONS.items()}
    for view, columns in COLUMNS.items():
        tables[view]["columns"] = dict(columns)
    return {"title": f"{project_name} (gtcode project, read-only)",
            "description": "Browse the coded passages (coded_passages) and the memos (memo_texts). Open it "
                           "read-only: datasette --immutable gtcode.db --metadata datasette.json",
            "databases": {database: {"tables": tables}}}


def ensure_views(store) -> list[str]:
    """Create the views in a project opened for writing, as a migration would: schema, not data, so no event.
    Returns their names."""
    store.check_before_write()
    store.conn.execute("BEGIN IMMEDIATE")
    try:
        names = create_views(store.conn)
        store.conn.execute("COMMIT")
    except BaseException:
        store.conn.execute("ROLLBACK")
        raise
    return names


def write_datasette_metadata(project, path=None):
    """Make sure the views exist, and write Datasette's metadata as JSON to `path` (default: datasette.json
    next to the project's database). Returns the path written."""
    import json
    from pathlib import Path

    from gtcode.files import atomic_file

    ensure_views(project.store)
    path = Path(path) if path else Path(project.store.path).parent / "datasette.json"
    database = Path(project.store.path).stem
    with atomic_file(path) as temp:
        temp.write_text(json.dumps(datasette_metadata(project.name, database), ensure_ascii=False, indent=2) + "\n",
                        encoding="utf-8")
    return path

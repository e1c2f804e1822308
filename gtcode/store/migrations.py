"""Schema history. Append only: never edit a migration that has shipped.

Each migration runs in a transaction (sqlite-utils `Migrations`) and ends by
setting `PRAGMA user_version` to its number, which is what `Project.open`
checks cheaply.
"""

from __future__ import annotations

import sqlite3

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

migrations = Migrations("gtcode")


def _script(db: Database, sql: str) -> None:
    """Run `sql`'s statements one by one inside the migration's transaction.

    sqlite-utils' own `executescript` does the same but tests every *character* for a complete statement
    (`"".join` per character), which made creating a project cost half a second; this tests at each ';'.
    """
    cursor, pending = db.conn.cursor(), ""
    for piece in sql.split(";"):
        pending += piece + ";"
        if sqlite3.complete_statement(pending):
            cursor.execute(pending)
            pending = ""
    if pending.strip(" \n;"):
        raise ValueError(f"incomplete SQL statement in a migration: {pending.strip()[:60]!r}")


@migrations(name="m001_initial")
def m001_initial(db: Database) -> None:
    _script(db,
        """
        -- One row: this project's identity (its UUID travels with exports and merges).
        CREATE TABLE project (
            id INTEGER PRIMARY KEY CHECK (id = 1),
            uuid TEXT NOT NULL,
            name TEXT NOT NULL,
            created_at TEXT NOT NULL,       -- ISO 8601, UTC
            created_by TEXT NOT NULL
        );

        -- People who have changed the project; rows name them by coder id.
        CREATE TABLE coders (
            id INTEGER PRIMARY KEY,
            uuid TEXT NOT NULL UNIQUE,
            name TEXT NOT NULL UNIQUE,      -- from --coder, GTCODE_USER, config or OS login
            created_at TEXT NOT NULL
        );

        -- A case is a unit of analysis, usually one participant (P01).
        CREATE TABLE cases (
            id INTEGER PRIMARY KEY,
            uuid TEXT NOT NULL UNIQUE,
            name TEXT NOT NULL UNIQUE COLLATE NOCASE,
            created_at TEXT NOT NULL,
            created_by INTEGER NOT NULL REFERENCES coders(id)
        );

        -- Attribute names (role, site, age band…), shared by all cases.
        CREATE TABLE attributes (
            id INTEGER PRIMARY KEY,
            uuid TEXT NOT NULL UNIQUE,
            name TEXT NOT NULL UNIQUE COLLATE NOCASE,
            type TEXT NOT NULL DEFAULT 'text'   -- text | integer | float | date | boolean
        );

        -- One attribute value of one case.
        CREATE TABLE case_attributes (
            case_id INTEGER NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
            attribute_id INTEGER NOT NULL REFERENCES attributes(id) ON DELETE CASCADE,
            value TEXT NOT NULL,
            PRIMARY KEY (case_id, attribute_id)
        );

        -- A transcript (or one open-ended answer). `text` is the canonical text:
        -- every offset in gtcode is a code-point offset into it, half-open.
        CREATE TABLE documents (
            id INTEGER PRIMARY KEY,
            uuid TEXT NOT NULL UNIQUE,
            name TEXT NOT NULL UNIQUE COLLATE NOCASE,
            case_id INTEGER REFERENCES cases(id) ON DELETE SET NULL,
            text TEXT NOT NULL,
            text_hash TEXT NOT NULL,        -- sha256 of text: recognises re-imports and merges
            format TEXT NOT NULL,           -- txt | md | docx | vtt | srt | csv
            source_path TEXT,               -- where it was imported from (informational)
            encoding TEXT,                  -- how the file was decoded (text formats)
            word_count INTEGER NOT NULL,
            imported_at TEXT NOT NULL,
            imported_by INTEGER NOT NULL REFERENCES coders(id),
            meta TEXT NOT NULL DEFAULT '{}' -- JSON: reader notes, csv row id…
        );
        CREATE INDEX documents_text_hash ON documents(text_hash);
        CREATE INDEX documents_case ON documents(case_id);

        -- A speaker turn. [start_char, end_char) spans label and speech;
        -- body_start is where the speech starts after the speaker label.
        CREATE TABLE turns (
            id INTEGER PRIMARY KEY,
            uuid TEXT NOT NULL UNIQUE,
            document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
            ordinal INTEGER NOT NULL,       -- 1-based within the document
            speaker TEXT,                   -- NULL: no label (preamble or unlabelled text)
            is_interviewer INTEGER NOT NULL DEFAULT 0,
            start_char INTEGER NOT NULL,
            body_start INTEGER NOT NULL,
            end_char INTEGER NOT NULL,
            time_start REAL,                -- seconds from the start of the recording
            time_end REAL,
            UNIQUE (document_id, ordinal),
            CHECK (0 <= start_char AND start_char <= body_start AND body_start <= end_char)
        );

        -- A sentence within a turn: what users address as D3:17.
        CREATE TABLE segments (
            id INTEGER PRIMARY KEY,
            uuid TEXT NOT NULL UNIQUE,
            document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
            turn_id INTEGER NOT NULL REFERENCES turns(id) ON DELETE CASCADE,
            ordinal INTEGER NOT NULL,       -- 1-based within the document: the 17 of D3:17
            start_char INTEGER NOT NULL,
            end_char INTEGER NOT NULL,
            time_start REAL,
            time_end REAL,
            UNIQUE (document_id, ordinal),
            CHECK (0 <= start_char AND start_char < end_char)
        );
        CREATE INDEX segments_turn ON segments(turn_id);

        -- Append-only history of every change: who, when, which command, and
        -- enough data (JSON) to reverse it. `txn` groups the events of one command.
        CREATE TABLE events (
            id INTEGER PRIMARY KEY,
            uuid TEXT NOT NULL UNIQUE,
            txn TEXT NOT NULL,
            at TEXT NOT NULL,
            coder_id INTEGER NOT NULL REFERENCES coders(id),
            command TEXT NOT NULL,          -- the command line (or API call) that did it
            action TEXT NOT NULL,           -- e.g. document.import, case.set
            entity_uuid TEXT,               -- the row the change is about
            summary TEXT NOT NULL,          -- one line for people
            data TEXT NOT NULL DEFAULT '{}' -- JSON: before/after, for audit and undo
        );
        CREATE INDEX events_txn ON events(txn);
        CREATE TRIGGER events_no_update BEFORE UPDATE ON events
            BEGIN SELECT RAISE(ABORT, 'the event log is append-only'); END;
        CREATE TRIGGER events_no_delete BEFORE DELETE ON events
            BEGIN SELECT RAISE(ABORT, 'the event log is append-only'); END;

        -- Segment text, derived from the canonical text (SQLite substr counts code points).
        CREATE VIEW segment_texts AS
            SELECT s.id AS id, s.document_id AS document_id,
                   substr(d.text, s.start_char + 1, s.end_char - s.start_char) AS text
            FROM segments s JOIN documents d ON d.id = s.document_id;

        -- Full-text index over segments; the text itself is not stored twice.
        CREATE VIRTUAL TABLE segment_fts USING fts5(
            text, content='segment_texts', content_rowid='id',
            tokenize='porter unicode61 remove_diacritics 2'
        );
        -- Deleting a document drops its segments from the index first,
        -- while their text can still be read.
        CREATE TRIGGER documents_fts_delete BEFORE DELETE ON documents BEGIN
            INSERT INTO segment_fts(segment_fts, rowid, text)
                SELECT 'delete', id, text FROM segment_texts WHERE document_id = old.id;
        END;
        """
    )
    db.execute("PRAGMA user_version = 1")


def apply(db: Database) -> None:
    migrations.apply(db)



def _capture_changes(db: Database, table: str) -> None:
    """Log every row change of `table` into `changes`, so `undo` can reverse any command exactly.

    Re-run (after dropping the triggers) whenever a later migration changes the table's columns.
    """
    cols = [c.name for c in db[table].columns]

    def row(alias: str) -> str:
        return "json_object(" + ", ".join(f"'{c}', {alias}.\"{c}\"" for c in ["rowid", *cols]) + ")"

    txn = "(SELECT txn FROM txn_state WHERE id = 1)"
    when = f"WHEN {txn} IS NOT NULL"
    _script(db, f"""
        CREATE TRIGGER {table}_capture_insert AFTER INSERT ON {table} {when} BEGIN
            INSERT INTO changes (txn, tbl, row_id, op, old, new)
            VALUES ({txn}, '{table}', new.rowid, 'insert', NULL, {row('new')});
        END;
        CREATE TRIGGER {table}_capture_update AFTER UPDATE ON {table} {when} BEGIN
            INSERT INTO changes (txn, tbl, row_id, op, old, new)
            VALUES ({txn}, '{table}', new.rowid, 'update', {row('old')}, {row('new')});
        END;
        CREATE TRIGGER {table}_capture_delete AFTER DELETE ON {table} {when} BEGIN
            INSERT INTO changes (txn, tbl, row_id, op, old, new)
            VALUES ({txn}, '{table}', old.rowid, 'delete', {row('old')}, NULL);
        END;
    """)


#: Tables m002 captures for undo (later migrations capture their own tables).
M002_CAPTURED = ("codes", "codings", "cases", "attributes", "case_attributes")


@migrations(name="m002_codes_and_history")
def m002_codes_and_history(db: Database) -> None:
    _script(db,
        """
        -- The code tree. Categories (axial coding) live in the same tree later.
        CREATE TABLE codes (
            id INTEGER PRIMARY KEY,
            uuid TEXT NOT NULL UNIQUE,
            parent_id INTEGER REFERENCES codes(id),
            name TEXT NOT NULL,             -- unique among siblings; addressed by path Parent/Child
            description TEXT NOT NULL DEFAULT '',   -- the definition
            include TEXT NOT NULL DEFAULT '',       -- inclusion criteria
            exclude TEXT NOT NULL DEFAULT '',       -- exclusion criteria
            example TEXT NOT NULL DEFAULT '',
            color TEXT,                     -- #RRGGBB
            invivo INTEGER NOT NULL DEFAULT 0,      -- named in the participant's own words
            patterns TEXT NOT NULL DEFAULT '[]',    -- JSON list: autocoding patterns from a codebook
            created_at TEXT NOT NULL,
            created_by INTEGER NOT NULL REFERENCES coders(id),
            CHECK (parent_id IS NULL OR parent_id <> id)
        );
        CREATE UNIQUE INDEX codes_sibling_name ON codes (coalesce(parent_id, 0), name COLLATE NOCASE);

        -- A code applied to a span of a document: [start_char, end_char) into its canonical text.
        CREATE TABLE codings (
            id INTEGER PRIMARY KEY,
            uuid TEXT NOT NULL UNIQUE,
            code_id INTEGER NOT NULL REFERENCES codes(id),
            document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
            start_char INTEGER NOT NULL,
            end_char INTEGER NOT NULL,
            coder_id INTEGER NOT NULL REFERENCES coders(id),
            created_at TEXT NOT NULL,
            command TEXT NOT NULL,          -- the command that made it
            status TEXT NOT NULL DEFAULT 'confirmed',  -- confirmed | pending (autocoded, not yet reviewed)
            pattern TEXT,                   -- the autocoding pattern that suggested it
            CHECK (0 <= start_char AND start_char < end_char),
            CHECK (status IN ('confirmed', 'pending'))
        );
        CREATE INDEX codings_code ON codings(code_id);
        CREATE INDEX codings_document ON codings(document_id, start_char);

        -- The command in progress (one row); row-change triggers read it.
        CREATE TABLE txn_state (id INTEGER PRIMARY KEY CHECK (id = 1), txn TEXT);
        INSERT INTO txn_state (id, txn) VALUES (1, NULL);

        -- Every row change to undoable tables, by command (txn): what undo replays backwards.
        CREATE TABLE changes (
            id INTEGER PRIMARY KEY,
            txn TEXT NOT NULL,
            tbl TEXT NOT NULL,
            row_id INTEGER NOT NULL,
            op TEXT NOT NULL,               -- insert | update | delete
            old TEXT,                       -- JSON of the row before (update, delete)
            new TEXT                        -- JSON of the row after (insert, update)
        );
        CREATE INDEX changes_txn ON changes(txn);
        """
    )
    for table in M002_CAPTURED:
        _capture_changes(db, table)
    db.execute("PRAGMA user_version = 2")


@migrations(name="m003_memos")
def m003_memos(db: Database) -> None:
    _script(db,
        """
        -- Kinds of memo; the built-in ones are grounded theory's, a project may add its own.
        CREATE TABLE memo_types (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL UNIQUE COLLATE NOCASE,
            description TEXT NOT NULL DEFAULT '',
            builtin INTEGER NOT NULL DEFAULT 0
        );
        INSERT INTO memo_types (name, description, builtin) VALUES
            ('code', 'what a code means, how it is used, its properties', 1),
            ('theoretical', 'ideas about categories and how they relate', 1),
            ('methodological', 'operational decisions: sampling, procedure, coding rules', 1),
            ('reflexive', 'the researcher''s own position and reactions (research journal)', 1),
            ('storyline', 'the story of the core category (selective coding)', 1);

        -- A memo; its text lives in versions, never overwritten.
        CREATE TABLE memos (
            id INTEGER PRIMARY KEY,
            uuid TEXT NOT NULL UNIQUE,
            type TEXT NOT NULL REFERENCES memo_types(name),
            created_at TEXT NOT NULL,
            created_by INTEGER NOT NULL REFERENCES coders(id)
        );

        -- Every version of every memo: editing adds a version, so no text is ever lost.
        CREATE TABLE memo_versions (
            id INTEGER PRIMARY KEY,
            uuid TEXT NOT NULL UNIQUE,
            memo_id INTEGER NOT NULL REFERENCES memos(id) ON DELETE CASCADE,
            version INTEGER NOT NULL,       -- 1, 2, 3…
            title TEXT NOT NULL,
            body TEXT NOT NULL,             -- Markdown
            created_at TEXT NOT NULL,
            created_by INTEGER NOT NULL REFERENCES coders(id),
            UNIQUE (memo_id, version)
        );

        -- What a memo is about. Targets are named by UUID, so links survive renames;
        -- a segment link is a span of a document (offsets into its canonical text).
        CREATE TABLE memo_links (
            id INTEGER PRIMARY KEY,
            uuid TEXT NOT NULL UNIQUE,
            memo_id INTEGER NOT NULL REFERENCES memos(id) ON DELETE CASCADE,
            target_type TEXT NOT NULL,      -- code | category | document | segment | memo
            target_uuid TEXT NOT NULL,      -- the code's, document's or memo's uuid
            start_char INTEGER,             -- segment links only
            end_char INTEGER,
            source TEXT NOT NULL DEFAULT 'explicit',   -- explicit (--link) | reference ([[…]] in the text)
            created_at TEXT NOT NULL,
            created_by INTEGER NOT NULL REFERENCES coders(id),
            CHECK (target_type IN ('code', 'category', 'document', 'segment', 'memo'))
        );
        CREATE INDEX memo_links_target ON memo_links(target_uuid);
        CREATE INDEX memo_links_memo ON memo_links(memo_id);

        -- Review comments, threaded (parent_id), on a given version.
        CREATE TABLE memo_comments (
            id INTEGER PRIMARY KEY,
            uuid TEXT NOT NULL UNIQUE,
            memo_id INTEGER NOT NULL REFERENCES memos(id) ON DELETE CASCADE,
            parent_id INTEGER REFERENCES memo_comments(id),
            version INTEGER NOT NULL,
            body TEXT NOT NULL,
            created_at TEXT NOT NULL,
            created_by INTEGER NOT NULL REFERENCES coders(id)
        );

        -- A reviewer's record of having read a version.
        CREATE TABLE memo_signoffs (
            id INTEGER PRIMARY KEY,
            uuid TEXT NOT NULL UNIQUE,
            memo_id INTEGER NOT NULL REFERENCES memos(id) ON DELETE CASCADE,
            version INTEGER NOT NULL,
            note TEXT NOT NULL DEFAULT '',
            created_at TEXT NOT NULL,
            created_by INTEGER NOT NULL REFERENCES coders(id)
        );
        """
    )
    for table in ("memo_types", "memos", "memo_versions", "memo_links", "memo_comments", "memo_signoffs"):
        _capture_changes(db, table)
    db.execute("PRAGMA user_version = 3")


#: Relation types every project has: (name, label, polarity) — polarity + helps, - hinders, 0 neutral.
BUILTIN_RELATIONS = (
    ("causes", "causes", "+"), ("leads-to", "leads to", "+"), ("hinders", "hinders", "-"),
    ("facilitates", "facilitates", "+"), ("is-part-of", "is part of", "0"), ("is-a", "is a", "0"),
    ("is-property-of", "is a property of", "0"), ("is-condition-for", "is a condition for", "0"),
    ("is-context-for", "is the context for", "0"), ("is-strategy-for", "is a strategy for", "0"),
    ("is-consequence-of", "is a consequence of", "0"), ("contradicts", "contradicts", "-"),
    ("is-associated-with", "is associated with", "0"),
    # Strauss & Corbin's intervening conditions, for the paradigm model.
    ("is-intervening-condition-for", "is an intervening condition for", "0"),
)


@migrations(name="m004_axial_model")
def m004_axial_model(db: Database) -> None:
    _script(db,
        """
        -- Categories live in the code tree (REFI-QDA: non-codable codes); one may be the core category.
        ALTER TABLE codes ADD COLUMN kind TEXT NOT NULL DEFAULT 'code' CHECK (kind IN ('code', 'category'));
        ALTER TABLE codes ADD COLUMN core INTEGER NOT NULL DEFAULT 0;   -- 1: the core category (one at most)

        -- A category's properties and their dimensions (Strauss & Corbin), e.g. intensity: low..high.
        CREATE TABLE category_properties (
            id INTEGER PRIMARY KEY,
            uuid TEXT NOT NULL UNIQUE,
            code_id INTEGER NOT NULL REFERENCES codes(id) ON DELETE CASCADE,
            name TEXT NOT NULL,
            low TEXT NOT NULL DEFAULT '',   -- one end of the dimension
            high TEXT NOT NULL DEFAULT '',  -- the other end
            description TEXT NOT NULL DEFAULT '',
            created_at TEXT NOT NULL,
            created_by INTEGER NOT NULL REFERENCES coders(id),
            UNIQUE (code_id, name)
        );

        -- Evidence placed on a dimension: a passage and where it sits (low, high, or a value between).
        CREATE TABLE property_evidence (
            id INTEGER PRIMARY KEY,
            uuid TEXT NOT NULL UNIQUE,
            property_id INTEGER NOT NULL REFERENCES category_properties(id) ON DELETE CASCADE,
            document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
            start_char INTEGER NOT NULL,
            end_char INTEGER NOT NULL,
            value TEXT NOT NULL,
            created_at TEXT NOT NULL,
            created_by INTEGER NOT NULL REFERENCES coders(id)
        );

        -- Kinds of relation; built-in ones plus a project's own (with a label and a polarity).
        CREATE TABLE relation_types (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL UNIQUE COLLATE NOCASE,
            label TEXT NOT NULL,
            polarity TEXT NOT NULL DEFAULT '0' CHECK (polarity IN ('+', '-', '0')),
            builtin INTEGER NOT NULL DEFAULT 0
        );

        -- A typed, directed relation between two codes or categories: SOURCE TYPE TARGET.
        CREATE TABLE relations (
            id INTEGER PRIMARY KEY,
            uuid TEXT NOT NULL UNIQUE,
            source_id INTEGER NOT NULL REFERENCES codes(id),
            type TEXT NOT NULL REFERENCES relation_types(name),
            target_id INTEGER NOT NULL REFERENCES codes(id),
            note TEXT NOT NULL DEFAULT '',
            created_at TEXT NOT NULL,
            created_by INTEGER NOT NULL REFERENCES coders(id),
            UNIQUE (source_id, type, target_id),
            CHECK (source_id <> target_id)
        );

        -- A relation's grounding: passages (document spans) and memos.
        CREATE TABLE relation_evidence (
            id INTEGER PRIMARY KEY,
            uuid TEXT NOT NULL UNIQUE,
            relation_id INTEGER NOT NULL REFERENCES relations(id) ON DELETE CASCADE,
            document_id INTEGER REFERENCES documents(id) ON DELETE CASCADE,
            start_char INTEGER,
            end_char INTEGER,
            memo_id INTEGER REFERENCES memos(id) ON DELETE CASCADE,
            created_at TEXT NOT NULL,
            created_by INTEGER NOT NULL REFERENCES coders(id),
            CHECK ((document_id IS NOT NULL AND start_char IS NOT NULL AND end_char IS NOT NULL) OR memo_id IS NOT NULL)
        );

        DROP TRIGGER codes_capture_insert;
        DROP TRIGGER codes_capture_update;
        DROP TRIGGER codes_capture_delete;
        """
    )
    db["relation_types"].insert_all(
        [{"name": n, "label": label, "polarity": p, "builtin": 1} for n, label, p in BUILTIN_RELATIONS])
    # `codes` has new columns: capture them too.
    for table in ("codes", "category_properties", "property_evidence", "relation_types", "relations",
                  "relation_evidence"):
        _capture_changes(db, table)
    db.execute("PRAGMA user_version = 4")


@migrations(name="m005_roles_front_matter_order")
def m005_roles_front_matter_order(db: Database) -> None:
    _script(db,
        """
        -- Who speaks in a turn: interviewers and 'other' voices (captioners, a third person)
        -- are left out of participant analyses. Replaces the is_interviewer flag, which stays
        -- in step (written from role) for files read by older tools.
        ALTER TABLE turns ADD COLUMN role TEXT NOT NULL DEFAULT 'participant'
            CHECK (role IN ('participant', 'interviewer', 'other'));
        UPDATE turns SET role = 'interviewer' WHERE is_interviewer = 1;
        -- What a turn is: speech, front matter before the first turn (title, attendees,
        -- legend, "Transcribed by …"), or quoted material (a blockquote; speaker = who is quoted).
        ALTER TABLE turns ADD COLUMN kind TEXT NOT NULL DEFAULT 'speech'
            CHECK (kind IN ('speech', 'front', 'quoted'));

        -- A document's description (REFI-QDA TextSource Description) and its linked recording
        -- (a path; the file is never copied).
        ALTER TABLE documents ADD COLUMN description TEXT NOT NULL DEFAULT '';
        ALTER TABLE documents ADD COLUMN media TEXT;

        -- Descriptions of cases and attributes (REFI-QDA Case / Variable Description).
        ALTER TABLE cases ADD COLUMN description TEXT NOT NULL DEFAULT '';
        ALTER TABLE attributes ADD COLUMN description TEXT NOT NULL DEFAULT '';

        -- The researcher's order of codes among their siblings (NULL: by name after ordered ones).
        ALTER TABLE codes ADD COLUMN position INTEGER;

        DROP TRIGGER codes_capture_insert;
        DROP TRIGGER codes_capture_update;
        DROP TRIGGER codes_capture_delete;
        DROP TRIGGER cases_capture_insert;
        DROP TRIGGER cases_capture_update;
        DROP TRIGGER cases_capture_delete;
        DROP TRIGGER attributes_capture_insert;
        DROP TRIGGER attributes_capture_update;
        DROP TRIGGER attributes_capture_delete;
        """
    )
    for table in ("codes", "cases", "attributes"):
        _capture_changes(db, table)
    db.execute("PRAGMA user_version = 5")


@migrations(name="m006_rejected_suggestions")
def m006_rejected_suggestions(db: Database) -> None:
    _script(db,
        """
        -- A suggestion (autocoding, gtcode suggest) a person rejected, on its exact words: never suggested
        -- again. An anchor like any other, so an edit of the transcript carries it with its words.
        CREATE TABLE rejected_suggestions (
            id INTEGER PRIMARY KEY,
            uuid TEXT NOT NULL UNIQUE,
            code_id INTEGER NOT NULL REFERENCES codes(id) ON DELETE CASCADE,
            document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
            start_char INTEGER NOT NULL,
            end_char INTEGER NOT NULL,
            pattern TEXT,                   -- the rule or method that suggested it
            created_at TEXT NOT NULL,
            created_by INTEGER NOT NULL REFERENCES coders(id)
        );
        CREATE INDEX rejected_suggestions_doc ON rejected_suggestions (document_id);

        """
    )
    # Rejections so far were kept in the events of `coding.reject` (not undone): bring them over.
    import uuid

    rows = db.execute(
        """SELECT c.id, json_extract(s.value, '$[0]'), json_extract(s.value, '$[1]'), json_extract(s.value, '$[2]'),
                  json_extract(e.data, '$.patterns[0]'), e.at, e.coder_id
           FROM events e JOIN codes c ON c.uuid = e.entity_uuid, json_each(e.data, '$.spans') s
           WHERE e.action = 'coding.reject'
             AND e.txn NOT IN (SELECT json_extract(u.data, '$.txn') FROM events u WHERE u.action = 'undo')
             AND json_extract(s.value, '$[0]') IN (SELECT id FROM documents)""").fetchall()
    db.conn.executemany(
        "INSERT INTO rejected_suggestions (uuid, code_id, document_id, start_char, end_char, pattern, created_at,"
        " created_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", [(str(uuid.uuid4()), *r) for r in rows])
    _capture_changes(db, "rejected_suggestions")
    db.execute("PRAGMA user_version = 6")


@migrations(name="m007_reader_views")
def m007_reader_views(db: Database) -> None:
    # Read-only views for Datasette and sqlite3 readers (coded passages with their words, memos with their
    # text and links read out); `gtcode.views` documents them.
    from gtcode.views import create_views

    create_views(db.conn)
    db.execute("PRAGMA user_version = 7")


@migrations(name="m008_index_without_trigger")
def m008_index_without_trigger(db: Database) -> None:
    # The trigger took a deleted document's segments out of the full-text index through `segment_texts`, which
    # slices the whole text again for every segment (quadratic on a long transcript). gtcode now does it in
    # code, reading the text once (gtcode.store.fts), wherever a document is deleted.
    db.execute("DROP TRIGGER IF EXISTS documents_fts_delete")
    db.execute("PRAGMA user_version = 8")


@migrations(name="m009_passage_index")
def m009_passage_index(db: Database) -> None:
    _script(db,
        """
        -- Local assistance's stored index (gtcode.assist.index): the term counts of each participant segment,
        -- so `similar` and `suggest` need not count every word again on each run. Derived from the text and
        -- refreshed by assist commands only; not logged for undo, not merged; `gtcode ai index --drop` deletes it.
        CREATE TABLE passage_vectors (
            segment_id INTEGER PRIMARY KEY, -- the segment counted (no foreign key: an edit re-creates a
                                            -- document's segments, and unchanged sentences keep their counts)
            document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
            seg_start INTEGER NOT NULL,     -- where the segment was when counted; a moved or re-cut segment is
            seg_end INTEGER NOT NULL,       -- counted again (not an anchor: nothing moves these)
            words BLOB NOT NULL,            -- BLAKE2b digest of the segment's text: which words were counted
            terms BLOB NOT NULL,            -- hashed term numbers, uint32 little-endian, ascending
            counts BLOB NOT NULL            -- how often each term occurs, uint16 little-endian
        );
        CREATE INDEX passage_vectors_document ON passage_vectors(document_id);

        -- Which text of each document its rows were counted from, and how.
        CREATE TABLE vector_documents (
            document_id INTEGER PRIMARY KEY REFERENCES documents(id) ON DELETE CASCADE,
            text_hash TEXT NOT NULL,        -- documents.text_hash when counted: a changed text is counted again
            method TEXT NOT NULL            -- term numbering and library version (gtcode.assist.index.method)
        );
        """
    )
    db.execute("PRAGMA user_version = 9")


@migrations(name="m010_segment_bounds")
def m010_segment_bounds(db: Database) -> None:
    _script(db,
        """
        -- Where each segment starts and ends, by document: which segments a coding touches is two seeks
        -- (gtcode.documents.touched_segments) instead of reading every segment of its document. The ordinal
        -- is kept in the index so the seek never visits the table.
        CREATE INDEX segments_start ON segments(document_id, start_char, ordinal);
        CREATE INDEX segments_end ON segments(document_id, end_char, ordinal);
        """
    )
    db.execute("PRAGMA user_version = 10")


@migrations(name="m011_stored_counts")
def m011_stored_counts(db: Database) -> None:
    _script(db,
        """
        -- How many turns and segments each document and turn holds, written with them by the importer (the only
        -- writer of turns and segments), so `gtcode stats` and `docs list` need not count 1.45M segments again on
        -- every call (gtcode.analysis.overview, gtcode.documents.list_documents).
        ALTER TABLE turns ADD COLUMN segment_count INTEGER NOT NULL DEFAULT 0;      -- its segments
        ALTER TABLE documents ADD COLUMN turn_count INTEGER NOT NULL DEFAULT 0;     -- its turns
        ALTER TABLE documents ADD COLUMN segment_count INTEGER NOT NULL DEFAULT 0;  -- its segments
        UPDATE turns SET segment_count = (SELECT count(*) FROM segments s WHERE s.turn_id = turns.id);
        UPDATE documents SET
            turn_count = (SELECT count(*) FROM turns t WHERE t.document_id = documents.id),
            segment_count = (SELECT count(*) FROM segments s WHERE s.document_id = documents.id);

        -- Rows kept for undo were logged whole, before these columns: give them their counts, from the turns and
        -- segments the same command logged (a replace, an edit or `docs delete` logs all of a document's), so
        -- undoing an older command puts the right figures back.
        CREATE TEMP TABLE m011_segments AS
            SELECT txn, json_extract(old, '$.turn_id') AS turn_id, count(*) AS n FROM changes
            WHERE tbl = 'segments' AND op = 'delete' GROUP BY txn, turn_id;
        CREATE INDEX temp.m011_segments_turn ON m011_segments(txn, turn_id);
        UPDATE changes SET old = json_set(old, '$.segment_count', coalesce((SELECT n FROM m011_segments m
                WHERE m.txn = changes.txn AND m.turn_id = changes.row_id), 0))
            WHERE tbl = 'turns' AND op = 'delete';
        CREATE TEMP TABLE m011_documents AS
            SELECT txn, json_extract(old, '$.document_id') AS document_id, count(*) AS turns,
                   sum(json_extract(old, '$.segment_count')) AS segments FROM changes
            WHERE tbl = 'turns' AND op = 'delete' GROUP BY txn, document_id;
        CREATE INDEX temp.m011_documents_txn ON m011_documents(txn, document_id);
        -- (No UPDATE … FROM: SQLite before 3.33, as some Linux distributions' Pythons have, lacks it.)
        UPDATE changes SET old = json_set(old,
                '$.turn_count', coalesce((SELECT d.turns FROM m011_documents d
                                          WHERE d.txn = changes.txn AND d.document_id = changes.row_id), 0),
                '$.segment_count', coalesce((SELECT d.segments FROM m011_documents d
                                             WHERE d.txn = changes.txn AND d.document_id = changes.row_id), 0))
            WHERE tbl = 'documents' AND json_extract(old, '$.text') IS NOT NULL
              AND (op = 'delete' OR EXISTS (SELECT 1 FROM m011_documents d
                                            WHERE d.txn = changes.txn AND d.document_id = changes.row_id));
        DROP TABLE m011_documents;
        DROP TABLE m011_segments;

        -- What `gtcode stats` reads, from indexes alone: turns and segments by who speaks (kind, role; the
        -- unlabelled turns apart), recording length by document (timed turns only). `docs list` and the
        -- documents' formats and words come from documents_listing, never from the rows that hold the text
        -- (a scan of those pages through every transcript).
        CREATE INDEX turns_who ON turns(kind, role, segment_count);
        CREATE INDEX turns_unlabelled ON turns(kind, role, speaker, segment_count) WHERE speaker IS NULL;
        CREATE INDEX turns_timed ON turns(document_id, time_end, time_start)
            WHERE coalesce(time_end, time_start) IS NOT NULL;
        CREATE INDEX documents_listing ON documents(id, case_id, imported_by, format, word_count, turn_count,
            segment_count, imported_at, uuid, name, source_path, encoding);
        """
    )
    db.execute("PRAGMA user_version = 11")

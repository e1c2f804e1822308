"""Schema history. Append only: never edit a migration that has shipped.

Each migration runs in a transaction (sqlite-utils `Migrations`) and ends by
setting `PRAGMA user_version` to its number, which is what `Project.open`
checks cheaply.
"""

from __future__ import annotations

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

migrations = Migrations("gtcode")


@migrations(name="m001_initial")
def m001_initial(db: Database) -> None:
    db.executescript(
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


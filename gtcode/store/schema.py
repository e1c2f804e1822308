"""Cheap facts about the schema, readable without importing sqlite-utils.

Opening a project compares `PRAGMA user_version` with SCHEMA_VERSION; only
when migrations are pending is `gtcode.store.migrations` (and sqlite-utils,
which pulls in numpy) imported, so read commands start fast.
"""

#: 'gtcd' — written to `PRAGMA application_id` so gtcode knows its own files.
APPLICATION_ID = 0x67746364

#: The number of migrations in `migrations.py`; a test keeps the two equal.
SCHEMA_VERSION = 11

DB_FILENAME = "gtcode.db"

#: The first 16 bytes of every SQLite database file.
SQLITE_HEADER = b"SQLite format 3\x00"

"""The project store: one SQLite file, schema only in numbered migrations."""

from gtcode.store.schema import APPLICATION_ID, SCHEMA_VERSION

__all__ = ["APPLICATION_ID", "SCHEMA_VERSION"]

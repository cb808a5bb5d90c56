"""DuckDB store: schema (schema.sql), writes and reads."""

from pipeline.store.database import DEFAULT_DB_PATH, open_database

__all__ = ["DEFAULT_DB_PATH", "open_database"]

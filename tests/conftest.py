"""Shared fixtures. The database is the embedded PostgreSQL server (or DATABASE_URL's), never SQLite."""

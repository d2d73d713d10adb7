"""Persistence: SQLAlchemy tables, the repository and Alembic migrations (SQLite or PostgreSQL by URL).

Nothing here runs at import time; ``rehab.services`` holds the use cases that callers use.
"""

"""Alembic environment, configured in code by rehab.storage.db (no alembic.ini, no logging changes).

The caller passes an open connection inside a transaction in ``config.attributes["connection"]``.
"""

from __future__ import annotations

from alembic import context

from rehab.storage.tables import metadata

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("run migrations through rehab.storage.db.upgrade(engine) or `python -m rehab db upgrade`")

context.configure(
    connection=connection,
    target_metadata=metadata,
    render_as_batch=connection.dialect.name == "sqlite",  # SQLite alters tables by copying them
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()

"""Alembic environment: CMDesk always passes an open connection (see ``cmdesk.store.migrate``)."""

from alembic import context

from cmdesk.store.schema import metadata

connection = context.config.attributes.get("connection")
if connection is None:  # pragma: no cover - only reached by a bare `alembic` command
    raise SystemExit("Run migrations through CMDesk (cmdesk db check / start-up), not the alembic command.")


def include_object(obj, name, type_, reflected, compare_to):
    # The FTS5 index and its shadow tables are managed by hand (sqlite_objects.py).
    return not (type_ == "table" and name and name.startswith("item_fts"))


context.configure(
    connection=connection,
    include_object=include_object,
    target_metadata=metadata,
    render_as_batch=True,  # SQLite alters tables by copying them; Alembic's batch mode does that
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()

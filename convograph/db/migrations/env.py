"""Alembic environment: one history for SQLite and PostgreSQL, run synchronously."""

from alembic import context
from sqlalchemy import create_engine, event, pool

from convograph.db.migrate import comparing_on, sync_database_url
from convograph.db.search_schema import include_name
from convograph.db.tables import SQLModel
from convograph.settings import Settings

config = context.config


def _database_url() -> str:
    url = config.attributes.get("database_url")
    return url or sync_database_url(Settings().database_url)


def run_migrations_online() -> None:
    url = _database_url()
    engine = create_engine(url, poolclass=pool.NullPool)
    if url.startswith("sqlite"):

        @event.listens_for(engine, "connect")
        def _foreign_keys(dbapi_connection, _record):  # type: ignore[no-untyped-def]
            dbapi_connection.execute("PRAGMA foreign_keys=ON")

    with engine.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=SQLModel.metadata,
            # The full-text search objects live outside the metadata on purpose.
            include_name=include_name,
            # SQLite alters tables by copying them.
            render_as_batch=url.startswith("sqlite"),
            include_object=comparing_on(engine.dialect.name),
        )
        with context.begin_transaction():
            context.run_migrations()
    engine.dispose()


run_migrations_online()

"""The databases the tests run on: SQLite always, PostgreSQL when configured.

Set CONVOGRAPH_TEST_DATABASE_URL (e.g. postgresql://postgres@127.0.0.1:5432/test) to run
every database test on PostgreSQL as well; each test then gets a database of its own,
created next to the one the URL names and dropped afterwards.

Migrating costs far more than a test, and so does creating a PostgreSQL database (over a
second on a busy machine, as long again to drop it). A migrated database is therefore
built once per session (`MigratedTemplates`): on SQLite each test gets a copy of its
file; on PostgreSQL each test gets the one database, emptied after it (its rows deleted,
any connection left behind ended first), which leaves it as a fresh one would be.
Tests marked `migrates` (they change the schema) get a database migrated from scratch.
"""

import asyncio
import os
import shutil
import sqlite3
import uuid
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import psycopg
import pytest
from sqlalchemy.engine import URL, make_url

from convograph.db.migrate import upgrade
from convograph.settings import async_database_url

POSTGRES_URL = os.environ.get("CONVOGRAPH_TEST_DATABASE_URL")

# Every test that needs a database runs once per entry: the one list of them.
DATABASES = [
    "sqlite",
    pytest.param(
        "postgresql",
        marks=pytest.mark.skipif(
            POSTGRES_URL is None, reason="CONVOGRAPH_TEST_DATABASE_URL is not set"
        ),
    ),
]


def sqlite_url(directory: Path, *, driver: str = "sqlite+aiosqlite") -> str:
    return f"{driver}:///{directory / 'convograph.db'}"


def _postgres_base() -> URL:
    assert POSTGRES_URL is not None
    return make_url(async_database_url(POSTGRES_URL))


def _admin_conninfo(base: URL) -> str:
    admin = base.set(drivername="postgresql", database=base.database or "postgres")
    return admin.render_as_string(hide_password=False)


def _create_postgres_database(name: str) -> str:
    base = _postgres_base()
    with psycopg.connect(_admin_conninfo(base), autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    return base.set(database=name).render_as_string(hide_password=False)


def _drop_postgres_database(name: str) -> None:
    with psycopg.connect(_admin_conninfo(_postgres_base()), autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def end_other_connections(database_url: str) -> None:
    """The server ends every connection to the database but this one, as a crash of the
    network or a restart of PostgreSQL would."""
    conninfo = make_url(database_url).set(drivername="postgresql")
    with psycopg.connect(conninfo.render_as_string(hide_password=False), autocommit=True) as db:
        _end_other_connections(db)


def _end_other_connections(db: psycopg.Connection[Any]) -> None:
    db.execute(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
        " WHERE datname = current_database() AND pid <> pg_backend_pid()"
    )


@asynccontextmanager
async def conversation_locked_elsewhere(
    database_url: str, conversation_id: str
) -> AsyncIterator[None]:
    """Another client's transaction holding a conversation's row lock (on SQLite: the
    database's write lock) until the block ends, then rolled back.

    The lock is taken and released in a thread: the server under test shares this event
    loop, and a write of its own (the retention task's, say) may be half done, holding
    the SQLite lock until the loop lets it commit. Waiting for the lock on the loop's
    thread would then wait for ever, or for the busy timeout."""
    url = make_url(database_url)

    def take() -> Any:
        if url.get_backend_name() == "sqlite":
            assert url.database is not None
            connection: Any = sqlite3.connect(
                url.database, isolation_level=None, check_same_thread=False
            )
            connection.execute("BEGIN IMMEDIATE")
            return connection
        conninfo = url.set(drivername="postgresql").render_as_string(hide_password=False)
        connection = psycopg.connect(conninfo)
        connection.execute("SELECT 1 FROM conversation WHERE id = %s FOR UPDATE", [conversation_id])
        return connection

    connection = await asyncio.to_thread(take)
    try:
        yield
    finally:
        await asyncio.to_thread(connection.close)  # rolls the transaction back


def _empty_postgres_database(name: str) -> None:
    """Every row gone but the schema's version: as the database was after migrating."""
    base = _postgres_base().set(drivername="postgresql", database=name)
    with psycopg.connect(base.render_as_string(hide_password=False), autocommit=True) as db:
        _end_other_connections(db)
        tables = db.execute(
            "SELECT tablename FROM pg_tables"
            " WHERE schemaname = 'public' AND tablename <> 'alembic_version'"
        ).fetchall()
        # Deleting the conversations cascades to nearly every row, and DELETE costs far
        # less than TRUNCATE (new files for every table and index) on tables this small.
        names = sorted((table for (table,) in tables), key=lambda table: table != "conversation")
        with db.transaction():
            for table in names:
                db.execute(f'DELETE FROM "{table}"')


def fresh_postgres_database() -> Iterator[str]:
    """The URL of a new PostgreSQL database, dropped when the iterator is closed."""
    name = f"convograph_test_{uuid.uuid4().hex[:12]}"
    url = _create_postgres_database(name)
    try:
        yield url
    finally:
        _drop_postgres_database(name)


def fresh_database(kind: str, directory: Path) -> Iterator[str]:
    """The URL of a new, empty (unmigrated) database of `kind` (an entry of DATABASES),
    for a server that migrates it itself, dropped when the iterator is closed."""
    if kind == "sqlite":
        yield sqlite_url(directory, driver="sqlite")
    else:
        yield from fresh_postgres_database()


def migrated_from_scratch(kind: str, directory: Path) -> Iterator[str]:
    """A new database taken through every migration, for the tests of the migrations."""
    if kind == "sqlite":
        url = sqlite_url(directory)
        upgrade(url)
        yield url
    else:
        for url in fresh_postgres_database():
            upgrade(url)
            yield url


class MigratedTemplates:
    """One migrated database per kind, built on first use, for every test in turn."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self._sqlite: Path | None = None
        self._postgres: str | None = None

    def copy(self, kind: str, directory: Path) -> Iterator[str]:
        """The URL of a migrated, empty database of `kind`, the caller's until it is done."""
        if kind == "sqlite":
            target = directory / "convograph.db"
            shutil.copyfile(self._sqlite_template(), target)
            yield sqlite_url(directory)
            return
        name = self._postgres_template()
        try:
            yield _postgres_base().set(database=name).render_as_string(hide_password=False)
        finally:
            _empty_postgres_database(name)

    def _sqlite_template(self) -> Path:
        if self._sqlite is None:
            # Migrations run on a connection of their own that they close: the file is
            # complete on disk (no journal beside it) once `upgrade` returns.
            upgrade(sqlite_url(self.directory))
            self._sqlite = self.directory / "convograph.db"
        return self._sqlite

    def _postgres_template(self) -> str:
        if self._postgres is None:
            name = f"convograph_test_{uuid.uuid4().hex[:12]}"
            upgrade(_create_postgres_database(name))
            self._postgres = name
        return self._postgres

    def drop(self) -> None:
        if self._postgres is not None:
            _drop_postgres_database(self._postgres)
            self._postgres = None

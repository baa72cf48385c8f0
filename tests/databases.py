"""The databases the tests run on: SQLite always, PostgreSQL when configured.

Set CONVOGRAPH_TEST_DATABASE_URL (e.g. postgresql://postgres@127.0.0.1:5432/test) to run
every database test on PostgreSQL as well; each test then gets a database of its own,
created next to the one the URL names and dropped afterwards.

Migrating costs far more than a test: a migrated database is therefore built once per
session (`MigratedTemplates`) and copied for each test, a file copy on SQLite and
`CREATE DATABASE ... TEMPLATE` on PostgreSQL.
"""

import os
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path

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


def _create_postgres_database(name: str, template: str | None = None) -> str:
    base = _postgres_base()
    statement = f'CREATE DATABASE "{name}"'
    if template is not None:
        statement += f' TEMPLATE "{template}"'
    with psycopg.connect(_admin_conninfo(base), autocommit=True) as connection:
        connection.execute(statement)
    return base.set(database=name).render_as_string(hide_password=False)


def _drop_postgres_database(name: str) -> None:
    with psycopg.connect(_admin_conninfo(_postgres_base()), autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def fresh_postgres_database(template: str | None = None) -> Iterator[str]:
    """The URL of a new PostgreSQL database (a copy of `template` if given), dropped when
    the iterator is closed."""
    name = f"convograph_test_{uuid.uuid4().hex[:12]}"
    url = _create_postgres_database(name, template)
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
    """One migrated database per kind, built on first use; every test gets a copy."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self._sqlite: Path | None = None
        self._postgres: str | None = None

    def copy(self, kind: str, directory: Path) -> Iterator[str]:
        """The URL of a migrated database of `kind` of the caller's own."""
        if kind == "sqlite":
            target = directory / "convograph.db"
            shutil.copyfile(self._sqlite_template(), target)
            yield sqlite_url(directory)
        else:
            yield from fresh_postgres_database(template=self._postgres_template())

    def _sqlite_template(self) -> Path:
        if self._sqlite is None:
            # Migrations run on a connection of their own that they close: the file is
            # complete on disk (no journal beside it) once `upgrade` returns.
            upgrade(sqlite_url(self.directory))
            self._sqlite = self.directory / "convograph.db"
        return self._sqlite

    def _postgres_template(self) -> str:
        if self._postgres is None:
            name = f"convograph_template_{uuid.uuid4().hex[:12]}"
            # PostgreSQL copies a template only while nobody is connected to it: `upgrade`
            # closes its connection (NullPool) before it returns, and no test connects here.
            upgrade(_create_postgres_database(name))
            self._postgres = name
        return self._postgres

    def drop(self) -> None:
        if self._postgres is not None:
            _drop_postgres_database(self._postgres)
            self._postgres = None

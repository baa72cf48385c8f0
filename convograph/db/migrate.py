"""Apply the Alembic history: the only way a database gets its schema."""

import sqlite3
from collections.abc import Callable
from contextlib import closing
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy.engine import make_url

from convograph.db import search_schema

MIGRATIONS = Path(__file__).parent / "migrations"


def sync_database_url(url: str) -> str:
    """Alembic runs synchronously: same database, blocking driver."""
    return url.replace("sqlite+aiosqlite://", "sqlite://")


def comparing_on(dialect: str) -> Callable[..., bool]:
    """Alembic's `include_object` for comparing the models with a database of `dialect`:
    objects the models mark as another database's only (`info["dialect"]`) are left out,
    and so are the full-text search objects, which live outside the models on purpose."""

    def include(item: Any, name: Any, type_: Any, reflected: bool, compare_to: Any) -> bool:
        if not search_schema.include_object(item, name, type_, reflected, compare_to):
            return False
        return reflected or item.info.get("dialect", dialect) == dialect

    return include


def alembic_config(url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["database_url"] = sync_database_url(url)
    return config


def upgrade(url: str, revision: str = "head") -> None:
    command.upgrade(alembic_config(url), revision)
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        _use_write_ahead_log(parsed.database)


def _use_write_ahead_log(path: str | None) -> None:
    """Leave an SQLite database in WAL mode, which it keeps. Switching a database into it
    needs the only connection: a server's first connections, opened together (a reader
    beside the retention task's writer), would race to do it and one of them would fail
    with "database is locked"."""
    if not path or path == ":memory:":
        return
    with closing(sqlite3.connect(path)) as connection:
        connection.execute("PRAGMA journal_mode=WAL")

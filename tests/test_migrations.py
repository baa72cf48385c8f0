import re
from collections.abc import Iterator
from contextlib import contextmanager
from pprint import pformat
from typing import Any

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, create_engine, event, inspect, pool

from convograph.db.migrate import alembic_config, sync_database_url, upgrade
from convograph.db.search_schema import include_name, include_object
from convograph.db.tables import SQLModel

# Statements that would change a database that is already at head.
CHANGING_STATEMENT = re.compile(r"^\s*(CREATE|ALTER|DROP|INSERT|UPDATE|DELETE)\b", re.IGNORECASE)


@contextmanager
def sync_engine(database_url: str) -> Iterator[Engine]:
    engine = create_engine(sync_database_url(database_url), poolclass=pool.NullPool)
    try:
        yield engine
    finally:
        engine.dispose()


@contextmanager
def statements_sent_to_any_engine() -> Iterator[list[str]]:
    """Every SQL statement any (sync) engine runs meanwhile: Alembic builds its own engine."""
    seen: list[str] = []

    def record(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        seen.append(statement)

    event.listen(Engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(Engine, "before_cursor_execute", record)


def head_revision(database_url: str) -> str | None:
    return ScriptDirectory.from_config(alembic_config(database_url)).get_current_head()


def current_revision(database_url: str) -> str | None:
    with sync_engine(database_url) as engine, engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def model_tables(database_url: str) -> set[str]:
    """The tables of the SQLModel metadata that exist in the database."""
    with sync_engine(database_url) as engine:
        return set(inspect(engine).get_table_names()) & set(SQLModel.metadata.tables)


def differences_from_the_models(database_url: str) -> list[Any]:
    with sync_engine(database_url) as engine, engine.connect() as connection:
        context = MigrationContext.configure(
            connection,
            opts={
                "compare_type": True,
                "compare_server_default": True,
                # The full-text search objects are made outside the metadata, as env.py knows.
                "include_name": include_name,
                "include_object": include_object,
            },
        )
        return compare_metadata(context, SQLModel.metadata)


def test_migrating_to_head_a_second_time_changes_nothing(database_url: str) -> None:
    # given a database the fixture has migrated to head once
    assert current_revision(database_url) == head_revision(database_url)
    # when
    with statements_sent_to_any_engine() as statements:
        upgrade(database_url)
    # then
    assert statements, "the second upgrade did not even look at the database"
    assert [s for s in statements if CHANGING_STATEMENT.match(s)] == []
    assert current_revision(database_url) == head_revision(database_url)


def test_downgrading_to_base_and_upgrading_again_rebuilds_the_schema(database_url: str) -> None:
    # given
    config = alembic_config(database_url)
    # when
    command.downgrade(config, "base")
    # then
    assert current_revision(database_url) is None
    assert model_tables(database_url) == set()
    # when
    command.upgrade(config, "head")
    # then
    assert current_revision(database_url) == head_revision(database_url)
    assert model_tables(database_url) == set(SQLModel.metadata.tables)
    assert differences_from_the_models(database_url) == []


def test_the_migrated_schema_matches_the_models(database_url: str) -> None:
    # given a database migrated to head
    # when
    differences = differences_from_the_models(database_url)
    # then
    assert differences == [], "the migrations and the SQLModel tables disagree:\n" + pformat(
        differences
    )

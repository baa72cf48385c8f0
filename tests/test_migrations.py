"""The Alembic history: on a database of each kind, taken through it from scratch."""

import re
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pprint import pformat
from typing import Any

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import (
    JSON,
    DateTime,
    Engine,
    Integer,
    String,
    Uuid,
    column,
    create_engine,
    event,
    insert,
    inspect,
    pool,
    select,
    table,
    text,
)

from convograph.db.migrate import alembic_config, comparing_on, sync_database_url, upgrade
from convograph.db.paths import PathWindow, climb, window_starts
from convograph.db.search_schema import include_name
from convograph.db.tables import SQLModel
from tests.test_jump_pointers import wrong_jumps

# Statements that would change a database that is already at head.
CHANGING_STATEMENT = re.compile(r"^\s*(CREATE|ALTER|DROP|INSERT|UPDATE|DELETE)\b", re.IGNORECASE)


# Migrated from scratch rather than copied from the session's migrated database: the
# migrations are what these tests test.
pytestmark = pytest.mark.migrates


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
                "include_object": comparing_on(connection.dialect.name),
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


def count_rows(database_url: str) -> dict[str, int]:
    with sync_engine(database_url) as engine, engine.connect() as connection:
        return {
            table: connection.execute(text(f"SELECT count(*) FROM {table}")).scalar_one()
            for table in ("conversation", "message", "branch")
        }


# The columns of revision 0001, whatever the models say now.
CONVERSATION_0001 = table(
    "conversation",
    column("id", Uuid),
    column("owner", String),
    column("metadata", JSON),
    column("current_branch_id", Uuid),
    column("created_at", DateTime(timezone=True)),
    column("updated_at", DateTime(timezone=True)),
)
MESSAGE_0001 = table(
    "message",
    column("id", Uuid),
    column("conversation_id", Uuid),
    column("parent_id", Uuid),
    column("role", String),
    column("content", String),
    column("metadata", JSON),
    column("depth", Integer),
    column("created_at", DateTime(timezone=True)),
    column("updated_at", DateTime(timezone=True)),
)
BRANCH_0001 = table(
    "branch",
    column("id", Uuid),
    column("conversation_id", Uuid),
    column("tip_id", Uuid),
    column("created_at", DateTime(timezone=True)),
    column("updated_at", DateTime(timezone=True)),
)


def test_0002_keeps_every_row_on_the_way_up_and_down(database_url: str) -> None:
    # given a database at 0001 holding a conversation with two messages and a branch
    config = alembic_config(database_url)
    command.downgrade(config, "0001")
    conversation, branch = uuid.uuid4(), uuid.uuid4()
    root, reply = uuid.uuid4(), uuid.uuid4()
    now = datetime.now(UTC)
    stamps = {"created_at": now, "updated_at": now}
    with sync_engine(database_url) as engine, engine.begin() as connection:
        connection.execute(
            insert(CONVERSATION_0001).values(
                id=conversation, owner="local", metadata={}, current_branch_id=branch, **stamps
            )
        )
        for message, parent, depth in ((root, None, 0), (reply, root, 1)):
            connection.execute(
                insert(MESSAGE_0001).values(
                    id=message,
                    conversation_id=conversation,
                    parent_id=parent,
                    role="user",
                    content="hi",
                    metadata={},
                    depth=depth,
                    **stamps,
                )
            )
        connection.execute(
            insert(BRANCH_0001).values(
                id=branch, conversation_id=conversation, tip_id=reply, **stamps
            )
        )
    before = count_rows(database_url)
    # when
    command.upgrade(config, "0002")
    # then
    assert count_rows(database_url) == before == {"conversation": 1, "message": 2, "branch": 1}
    # when
    command.downgrade(config, "0001")
    # then
    assert count_rows(database_url) == before


def tree_rows(conversation: uuid.UUID) -> list[dict[str, Any]]:
    """A 40-deep line, a 30-message line off its 10th message, and a second root."""
    rows: list[dict[str, Any]] = []

    def line(parent: dict[str, Any] | None, length: int) -> list[dict[str, Any]]:
        made = []
        for _ in range(length):
            row = {
                "id": uuid.uuid4(),
                "conversation_id": conversation,
                "parent_id": parent["id"] if parent else None,
                "role": "user",
                "content": "hi",
                "metadata": {},
                "depth": parent["depth"] + 1 if parent else 0,
            }
            made.append(row)
            parent = row
        rows.extend(made)
        return made

    main = line(None, 40)
    line(main[9], 30)
    line(None, 3)
    return rows


def test_0005_fills_in_jump_pointers_that_climb_the_paths(database_url: str) -> None:
    # given a database at 0004 holding two conversations with a tree each, a branch
    # ending at each message and an empty one per root
    config = alembic_config(database_url)
    command.downgrade(config, "0004")
    now = datetime.now(UTC)
    stamps = {"created_at": now, "updated_at": now}
    conversations = [uuid.uuid4(), uuid.uuid4()]
    rows = [{**row, **stamps} for c in conversations for row in tree_rows(c)]
    branches = [
        {"id": uuid.uuid4(), "conversation_id": row["conversation_id"], "tip_id": tip, **stamps}
        for row in rows
        for tip in (row["id"], None)
        if tip is not None or row["depth"] == 0
    ]
    with sync_engine(database_url) as engine, engine.begin() as connection:
        for conversation in conversations:
            connection.execute(
                insert(CONVERSATION_0001).values(
                    id=conversation, owner="local", metadata={}, current_branch_id=None, **stamps
                )
            )
        connection.execute(insert(MESSAGE_0001), rows)
        connection.execute(insert(BRANCH_0001), branches)
    before = count_rows(database_url)
    # when
    command.upgrade(config, "0005")
    # then every message points where the rule says
    message = SQLModel.metadata.tables["message"]
    pointers = (message.c.id, message.c.parent_id, message.c.depth)
    with sync_engine(database_url) as engine, engine.connect() as connection:
        found = connection.execute(select(*pointers, message.c.jump_id, message.c.jump_depth))
        assert wrong_jumps(tuple(row) for row in found) == []
        # and climbing them from every message gives its path, as its parents do
        parents = {row["id"]: row["parent_id"] for row in rows}
        for row in rows:
            path = climb(window_starts([PathWindow(row["id"], 0, row["depth"] + 1)]))
            climbed = connection.scalars(select(path.c.id).order_by(path.c.depth)).all()
            walked = [row["id"]]
            while parents[walked[-1]] is not None:
                walked.append(parents[walked[-1]])
            assert climbed == walked[::-1]
        # and every branch knows its tip's depth
        branch = SQLModel.metadata.tables["branch"]
        depths = {row["id"]: row["depth"] for row in rows}
        tips = connection.execute(select(branch.c.tip_id, branch.c.tip_depth)).all()
        assert [depth for _, depth in tips] == [depths.get(tip) for tip, _ in tips]
        assert sum(depth is None for _, depth in tips) == 4
    assert count_rows(database_url) == before == {"conversation": 2, "message": 146, "branch": 150}
    # when
    command.downgrade(config, "0004")
    # then
    assert count_rows(database_url) == before


EVENT_0004 = table(
    "event",
    column("id", Uuid),
    column("conversation_id", Uuid),
    column("owner", String),
    column("sequence", Integer),
    column("kind", String),
    column("payload", JSON),
    column("created_at", DateTime(timezone=True)),
)


def test_0006_marks_every_message_complete_and_versions_each_conversation(
    database_url: str,
) -> None:
    # given a database at 0005 with two conversations: one with three events, one with none
    config = alembic_config(database_url)
    command.downgrade(config, "0005")
    now = datetime.now(UTC)
    stamps = {"created_at": now, "updated_at": now}
    evented, quiet = uuid.uuid4(), uuid.uuid4()
    with sync_engine(database_url) as engine, engine.begin() as connection:
        for conversation in (evented, quiet):
            connection.execute(
                insert(CONVERSATION_0001).values(
                    id=conversation, owner="local", metadata={}, current_branch_id=None, **stamps
                )
            )
        connection.execute(insert(MESSAGE_0001), [{**row, **stamps} for row in tree_rows(evented)])
        connection.execute(
            insert(EVENT_0004),
            [
                {
                    "id": uuid.uuid4(),
                    "conversation_id": evented,
                    "owner": "local",
                    "sequence": sequence,
                    "kind": "MESSAGE_ADDED",
                    "payload": {},
                    "created_at": now,
                }
                for sequence in (1, 2, 3)
            ],
        )
    before = count_rows(database_url)
    # when
    command.upgrade(config, "0006")
    # then
    tables = SQLModel.metadata.tables
    with sync_engine(database_url) as engine, engine.connect() as connection:
        statuses = connection.execute(
            select(tables["message"].c.status, tables["message"].c.delta_count).distinct()
        ).all()
        versions = dict(
            connection.execute(
                select(tables["conversation"].c.id, tables["conversation"].c.version)
            ).all()
        )
    assert [tuple(row) for row in statuses] == [("COMPLETE", 0)]
    assert versions == {evented: 3, quiet: 0}
    assert count_rows(database_url) == before

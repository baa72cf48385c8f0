"""SQLModel tables: conversation, message, branch and event (DESIGN sections 3 and 7), and
import records.

The full-text search objects (a generated tsvector column on PostgreSQL, an FTS5 table
with its triggers on SQLite) are made by migration 0003 outside this metadata: see
`convograph.db.search_schema`.
"""

import uuid
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    JSON,
    Column,
    DateTime,
    ForeignKey,
    Index,
    Text,
    TypeDecorator,
    Uuid,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlmodel import Field, SQLModel

JSONDocument = JSON().with_variant(JSONB(), "postgresql")


class UTCDateTime(TypeDecorator[datetime]):
    """A timezone-aware timestamp on both databases.

    SQLite hands back naive values: they were written as UTC, so UTC is re-attached here,
    before any row leaves the db layer; zoned values are converted to UTC.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is not None and value.tzinfo is None:
            raise ValueError("naive datetimes are not stored")
        if value is not None and dialect.name == "sqlite":
            return value.astimezone(UTC).replace(tzinfo=None)
        return value

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        # PostgreSQL answers in the session's time zone, whatever the server's default.
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def utcnow() -> datetime:
    return datetime.now(UTC)


def _timestamp() -> Any:
    return Field(default_factory=utcnow, sa_type=UTCDateTime, nullable=False)


def _metadata_column() -> Any:
    # `metadata` is taken by SQLModel's class attribute, so the Python name is `meta`.
    return Field(default_factory=dict, sa_column=Column("metadata", JSONDocument, nullable=False))


def postgresql_only(index: Index) -> Index:
    """An index that only PostgreSQL gets (a GIN index on jsonb has no SQLite counterpart).

    `info["dialect"]` lets the schema comparison skip it on other databases.
    """
    index.info["dialect"] = "postgresql"
    return index.ddl_if(dialect="postgresql")


def _counter() -> Any:
    """An integer that starts at 0, also for rows written without naming it (bulk imports,
    rows that were there before its migration)."""
    return Field(default=0, nullable=False, sa_column_kwargs={"server_default": text("0")})


class MessageStatus(StrEnum):
    """Whether a message is whole: streamed answers are IN_PROGRESS until finished."""

    COMPLETE = "COMPLETE"
    IN_PROGRESS = "IN_PROGRESS"
    FAILED = "FAILED"


def _reference(target: str, *, ondelete: str | None = None) -> Any:
    return Field(
        default=None,
        sa_column=Column(Uuid, ForeignKey(target, ondelete=ondelete), nullable=True),
    )


def _conversation_reference() -> Any:
    """The conversation a row belongs to: deleting the conversation deletes the row."""
    return Field(
        sa_column=Column(Uuid, ForeignKey("conversation.id", ondelete="CASCADE"), nullable=False)
    )


class Conversation(SQLModel, table=True):
    __tablename__ = "conversation"
    __table_args__ = (
        Index("ix_conversation_owner_created", "owner", "created_at", "id"),
        Index("ix_conversation_owner_updated", "owner", "updated_at", "id"),
        # A conversation's forks, oldest first.
        Index("ix_conversation_forked_from", "forked_from_conversation_id", "created_at", "id"),
        # Metadata filters (@> and ?) of the overview.
        postgresql_only(Index("ix_conversation_metadata", "metadata", postgresql_using="gin")),
    )

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    owner: str = Field(max_length=255, nullable=False)
    title: str | None = Field(default=None, sa_type=Text)
    meta: dict[str, Any] = _metadata_column()
    # No foreign key: branch rows point back at their conversation, and a cycle of
    # constraints would make every insert and delete order-dependent.
    current_branch_id: uuid.UUID | None = Field(default=None, sa_type=Uuid)
    archived_at: datetime | None = Field(default=None, sa_type=UTCDateTime, nullable=True)
    # Where a fork came from. No foreign keys: the source may live on another shard when
    # conversations are distributed, so deleting the source clears these explicitly.
    forked_from_conversation_id: uuid.UUID | None = Field(default=None, sa_type=Uuid)
    forked_from_message_id: uuid.UUID | None = Field(default=None, sa_type=Uuid)
    # The latest event's sequence. Writers hold the row's lock, so incrementing it here
    # allocates the next sequence without reading the event table.
    version: int = _counter()
    created_at: datetime = _timestamp()
    updated_at: datetime = _timestamp()


class Message(SQLModel, table=True):
    __tablename__ = "message"
    __table_args__ = (
        # Children of a parent (and roots of a conversation) in sibling order.
        Index("ix_message_siblings", "conversation_id", "parent_id", "created_at", "id"),
        # Children of one parent in sibling order, and the ON DELETE CASCADE lookup.
        Index("ix_message_parent", "parent_id", "created_at", "id"),
        Index("ix_message_edit_of", "edit_of_id"),
        # The sweep that fails abandoned streams reads only unfinished messages.
        Index(
            "ix_message_in_progress",
            "updated_at",
            postgresql_where=text("status = 'IN_PROGRESS'"),
            sqlite_where=text("status = 'IN_PROGRESS'"),
        ),
    )

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    conversation_id: uuid.UUID = _conversation_reference()
    parent_id: uuid.UUID | None = _reference("message.id", ondelete="CASCADE")
    edit_of_id: uuid.UUID | None = _reference("message.id", ondelete="SET NULL")
    role: str = Field(max_length=16, nullable=False)
    content: str = Field(default="", sa_type=Text, nullable=False)
    name: str | None = Field(default=None, sa_type=Text)
    tool_calls: list[Any] | None = Field(default=None, sa_column=Column(JSONDocument))
    tool_call_id: str | None = Field(default=None, sa_type=Text)
    meta: dict[str, Any] = _metadata_column()
    depth: int = Field(nullable=False)
    # The level-ancestor pointer (convograph.db.jump_pointers); null on roots. No foreign
    # key: the target is an ancestor, deleted only together with this message.
    jump_id: uuid.UUID | None = Field(default=None, sa_type=Uuid)
    jump_depth: int | None = Field(default=None)
    status: str = Field(
        default=MessageStatus.COMPLETE.value,
        max_length=16,
        nullable=False,
        sa_column_kwargs={"server_default": MessageStatus.COMPLETE.value},
    )
    # How many deltas `appendMessageContent` applied: the index the next one must have.
    delta_count: int = _counter()
    created_at: datetime = _timestamp()
    updated_at: datetime = _timestamp()


class Branch(SQLModel, table=True):
    __tablename__ = "branch"
    __table_args__ = (
        Index("ix_branch_conversation", "conversation_id", "created_at", "id"),
        Index("ix_branch_tip", "tip_id"),
        # Names are unique per conversation; unnamed branches (NULL) do not collide.
        Index("uq_branch_conversation_name", "conversation_id", "name", unique=True),
    )

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    conversation_id: uuid.UUID = _conversation_reference()
    tip_id: uuid.UUID | None = _reference("message.id", ondelete="SET NULL")
    # The tip's depth, kept with tip_id: which branches may hold a message is then known
    # without reading their tips.
    tip_depth: int | None = Field(default=None)
    forked_from_id: uuid.UUID | None = _reference("branch.id", ondelete="SET NULL")
    branch_point_id: uuid.UUID | None = _reference("message.id", ondelete="SET NULL")
    name: str | None = Field(default=None, sa_type=Text)
    created_at: datetime = _timestamp()
    updated_at: datetime = _timestamp()


class ImportedConversation(SQLModel, table=True):
    """The conversation an import made from a source conversation.

    Imports are idempotent on it: a source conversation that an owner has already
    imported in a format is skipped, for as long as the conversation made from it exists.
    """

    __tablename__ = "imported_conversation"
    __table_args__ = (Index("ix_imported_conversation_conversation", "conversation_id"),)

    owner: str = Field(max_length=255, primary_key=True)
    source_format: str = Field(max_length=16, primary_key=True)
    source_id: str = Field(max_length=255, primary_key=True)
    conversation_id: uuid.UUID = _conversation_reference()
    imported_at: datetime = _timestamp()


class Event(SQLModel, table=True):
    """One change of a conversation, written in the transaction that made it (an outbox).

    No foreign keys: an event outlives the message, branch or conversation it tells of.
    """

    __tablename__ = "event"
    __table_args__ = (
        # Replay in order, and the one sequence per conversation that writers allocate.
        Index("uq_event_conversation_sequence", "conversation_id", "sequence", unique=True),
        # Pruning by age.
        Index("ix_event_created_at", "created_at"),
    )

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    conversation_id: uuid.UUID = Field(sa_type=Uuid, nullable=False)
    owner: str = Field(max_length=255, nullable=False)
    sequence: int = Field(nullable=False)
    kind: str = Field(max_length=32, nullable=False)
    message_id: uuid.UUID | None = Field(default=None, sa_type=Uuid)
    branch_id: uuid.UUID | None = Field(default=None, sa_type=Uuid)
    payload: dict[str, Any] = Field(
        default_factory=dict, sa_column=Column(JSONDocument, nullable=False)
    )
    created_at: datetime = _timestamp()


class IdempotencyKey(SQLModel, table=True):
    """A mutation that a client may retry: what it asked (a hash of its input) and what it
    made, written in the mutation's own transaction."""

    __tablename__ = "idempotency_key"
    __table_args__ = (Index("ix_idempotency_key_created_at", "created_at"),)

    owner: str = Field(max_length=255, primary_key=True)
    key: str = Field(max_length=255, primary_key=True)
    operation: str = Field(max_length=64, nullable=False)
    request_hash: str = Field(max_length=64, nullable=False)
    result: dict[str, Any] = Field(
        default_factory=dict, sa_column=Column(JSONDocument, nullable=False)
    )
    created_at: datetime = _timestamp()

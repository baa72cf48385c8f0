"""full-text search of messages, and import records

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-26

PostgreSQL: a stored generated tsvector column on message with a GIN index.
SQLite: an FTS5 table with a copy of each message's content, keyed by a table of stable
rowids, kept in sync by triggers (they also fire for rows removed by ON DELETE CASCADE).
Neither is in the SQLModel metadata: see convograph/db/search_schema.py. The names are
spelled out here so that this migration stays as it is when that module changes.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

POSTGRESQL_UPGRADE = [
    """
    ALTER TABLE message ADD COLUMN search_vector tsvector
        GENERATED ALWAYS AS (to_tsvector('english'::regconfig, content)) STORED
    """,
    "CREATE INDEX ix_message_search_vector ON message USING gin (search_vector)",
]

POSTGRESQL_DOWNGRADE = [
    "DROP INDEX ix_message_search_vector",
    "ALTER TABLE message DROP COLUMN search_vector",
]

SQLITE_UPGRADE = [
    """
    CREATE VIRTUAL TABLE message_search USING fts5(
        content, tokenize = 'porter unicode61 remove_diacritics 2'
    )
    """,
    """
    CREATE TABLE message_search_key (
        rowid INTEGER PRIMARY KEY,
        message_id CHAR(32) NOT NULL UNIQUE
    )
    """,
    "INSERT INTO message_search_key (message_id) SELECT id FROM message ORDER BY rowid",
    """
    INSERT INTO message_search (rowid, content)
    SELECT k.rowid, m.content FROM message_search_key AS k JOIN message AS m ON m.id = k.message_id
    """,
    """
    CREATE TRIGGER message_search_insert AFTER INSERT ON message BEGIN
        INSERT INTO message_search_key (message_id) VALUES (new.id);
        INSERT INTO message_search (rowid, content)
        VALUES ((SELECT rowid FROM message_search_key WHERE message_id = new.id), new.content);
    END
    """,
    """
    CREATE TRIGGER message_search_update AFTER UPDATE OF content ON message BEGIN
        UPDATE message_search SET content = new.content
        WHERE rowid = (SELECT rowid FROM message_search_key WHERE message_id = new.id);
    END
    """,
    """
    CREATE TRIGGER message_search_delete AFTER DELETE ON message BEGIN
        DELETE FROM message_search
        WHERE rowid = (SELECT rowid FROM message_search_key WHERE message_id = old.id);
        DELETE FROM message_search_key WHERE message_id = old.id;
    END
    """,
]

SQLITE_DOWNGRADE = [
    "DROP TRIGGER message_search_delete",
    "DROP TRIGGER message_search_update",
    "DROP TRIGGER message_search_insert",
    "DROP TABLE message_search_key",
    "DROP TABLE message_search",
]


def upgrade() -> None:
    op.create_table(
        "imported_conversation",
        sa.Column("owner", sa.String(length=255), nullable=False),
        sa.Column("source_format", sa.String(length=16), nullable=False),
        sa.Column("source_id", sa.String(length=255), nullable=False),
        sa.Column(
            "conversation_id",
            sa.Uuid(),
            sa.ForeignKey("conversation.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("imported_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("owner", "source_format", "source_id"),
    )
    op.create_index(
        "ix_imported_conversation_conversation", "imported_conversation", ["conversation_id"]
    )
    for statement in _statements(POSTGRESQL_UPGRADE, SQLITE_UPGRADE):
        op.execute(statement)


def downgrade() -> None:
    for statement in _statements(POSTGRESQL_DOWNGRADE, SQLITE_DOWNGRADE):
        op.execute(statement)
    op.drop_table("imported_conversation")


def _statements(postgresql: list[str], sqlite: list[str]) -> list[str]:
    dialect = op.get_bind().dialect.name
    if dialect == "postgresql":
        return postgresql
    if dialect == "sqlite":
        return sqlite
    raise NotImplementedError(f"no full-text search for {dialect}")

"""The full-text search objects that migration 0003 makes beside the SQLModel tables.

- PostgreSQL: `message.search_vector`, a stored generated `tsvector` of the content, and
  its GIN index.
- SQLite: `message_search`, an FTS5 table holding a copy of each message's content, with
  `message_search_key` giving each message a stable FTS rowid (a table without an INTEGER
  PRIMARY KEY may have its rowids renumbered by VACUUM), kept in sync by triggers on
  `message`.

None of these is in the SQLModel metadata (the column exists on one database only, and the
ORM must never select it), so Alembic's comparisons of the metadata with a database are
told to look past them: `include_name` and `include_object` are the hooks for
`context.configure` (env.py) and for `compare_metadata` (tests/test_migrations.py).

A migration that rebuilds `message` on SQLite (Alembic's batch mode copies the table)
drops its triggers with it and must create them again; the index itself stays valid, as it
is keyed by message id, which the copy keeps.
"""

from typing import Any

TEXT_SEARCH_CONFIG = "english"
"""PostgreSQL's text search configuration (stemming and stop words) for message content."""

SEARCH_VECTOR_COLUMN = "search_vector"
SEARCH_VECTOR_INDEX = "ix_message_search_vector"

FTS_TABLE = "message_search"
FTS_KEY_TABLE = "message_search_key"


def include_name(name: str | None, type_: str, _parent_names: Any) -> bool:
    """Leave the FTS5 table, its shadow tables and the key table unreflected."""
    return not (type_ == "table" and name is not None and name.startswith(FTS_TABLE))


def include_object(
    _object: Any, name: str | None, type_: str, _reflected: bool, _compare_to: Any
) -> bool:
    """Leave the generated search column and its index out of comparisons."""
    if type_ == "column":
        return name != SEARCH_VECTOR_COLUMN
    if type_ == "index":
        return name != SEARCH_VECTOR_INDEX
    return include_name(name, type_, None)

"""Rows as read paths return them: named tuples whose names are the models' attributes.

Read paths select labelled columns rather than ORM entities: no session, identity map or
instance state for rows that are only serialized (a psycopg named tuple on PostgreSQL, a
SQLAlchemy Row on SQLite, see `convograph.db.readers`). Each label is the model's attribute
name (`meta`, not the `metadata` column), so a row read here and a model instance that a
mutation wrote answer the same attribute names, and `from_row()` takes either.
"""

from typing import Any, TypeAlias

from sqlalchemy import Label, Row, inspect
from sqlmodel import SQLModel

from convograph.db.tables import Branch, Conversation, Message

# A model instance, a SQLAlchemy Row or a psycopg named tuple: the same attribute names.
StoredConversation: TypeAlias = Conversation | Row[Any] | tuple[Any, ...]
StoredBranch: TypeAlias = Branch | Row[Any] | tuple[Any, ...]
StoredMessage: TypeAlias = Message | Row[Any] | tuple[Any, ...]


def columns_of(model: type[SQLModel], table: Any = None) -> tuple[Label[Any], ...]:
    """Every column of `model` (or of `table`, a subquery or alias of its table), labelled
    with its attribute name."""
    source = model.__table__ if table is None else table  # type: ignore[attr-defined]
    return tuple(
        source.c[column.key].label(attribute.key)
        for attribute in inspect(model).column_attrs
        for column in attribute.columns
    )


CONVERSATION_COLUMNS = columns_of(Conversation)
MESSAGE_COLUMNS = columns_of(Message)

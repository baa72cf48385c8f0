"""Exporting conversations as documents, streamed a batch of conversations at a time."""

import json
import uuid
from collections.abc import AsyncIterator, Callable, Sequence
from typing import Any, TextIO

from convograph.db.engine import Database
from convograph.db.exports import ConversationTree, conversation_trees
from convograph.db.loaders import conversations_by_id
from convograph.db.overview import (
    ConversationKey,
    ConversationOrder,
    ConversationPageRequest,
    page_conversations,
)
from convograph.db.readers import Reader
from convograph.transfer import chatgpt_format, convograph_format
from convograph.transfer.documents import DocumentFormat

BATCH_SIZE = 50

RENDERERS: dict[DocumentFormat, Callable[[ConversationTree], dict[str, Any]]] = {
    DocumentFormat.CONVOGRAPH: convograph_format.conversation_document,
    DocumentFormat.CHATGPT: chatgpt_format.conversation_document,
}


def document(format: DocumentFormat, conversations: list[dict[str, Any]]) -> Any:
    """The whole document around rendered conversations."""
    if format is DocumentFormat.CONVOGRAPH:
        return convograph_format.document(conversations)
    return conversations


async def export_conversation(
    database: Database, owner: str, conversation_id: uuid.UUID, format: DocumentFormat
) -> Any | None:
    """A document of one conversation; None if the owner has no such conversation."""
    async with database.read() as session:
        trees = await conversation_trees(session, owner, [conversation_id])
    return document(format, [RENDERERS[format](tree) for tree in trees]) if trees else None


async def missing_conversations(
    database: Database, owner: str, ids: Sequence[uuid.UUID]
) -> list[uuid.UUID]:
    async with database.read() as session:
        found = await conversations_by_id(Reader(session), owner, list(ids))
    return [i for i, row in zip(ids, found, strict=True) if row is None]


async def _trees(
    database: Database, owner: str, ids: Sequence[uuid.UUID] | None
) -> AsyncIterator[ConversationTree]:
    """The named conversations in that order, or all of the owner's, oldest first."""
    if ids is not None:
        for start in range(0, len(ids), BATCH_SIZE):
            async with database.read() as session:
                batch = await conversation_trees(session, owner, ids[start : start + BATCH_SIZE])
            for tree in batch:
                yield tree
        return
    after: ConversationKey | None = None
    while True:
        request = ConversationPageRequest(ConversationOrder.CREATED_AT_ASC, BATCH_SIZE, after)
        async with database.read() as session:
            rows, more = await page_conversations(Reader(session), owner, request)
            batch = await conversation_trees(session, owner, [row.id for row in rows])
        for tree in batch:
            yield tree
        if not more:
            return
        after = ConversationKey(rows[-1].created_at, rows[-1].id)


async def write_document(
    database: Database,
    owner: str,
    format: DocumentFormat,
    ids: Sequence[uuid.UUID] | None,
    out: TextIO,
) -> int:
    """Write the document to `out`, one conversation per line; returns how many."""
    opening, closing = "[\n", "\n]\n"
    if format is DocumentFormat.CONVOGRAPH:
        header = json.dumps(convograph_format.header())
        opening, closing = header[:-1] + ', "conversations": [\n', "\n]}\n"
    out.write(opening)
    count = 0
    async for tree in _trees(database, owner, ids):
        out.write(",\n" if count else "")
        out.write(json.dumps(RENDERERS[format](tree), ensure_ascii=False))
        count += 1
    out.write(closing)
    return count

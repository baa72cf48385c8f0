"""The Query root: a lookup by id is its resolver function itself; the others build arguments."""

import uuid

import strawberry
from strawberry.scalars import JSON

from convograph.resolvers import branches, conversations, messages, search, transfer
from convograph.schema.enums import ConversationOrder, DocumentFormat, Role
from convograph.schema.filters import ConversationFilterInput
from convograph.schema.pagination import Connection, PageArgs
from convograph.schema.types import (
    AFTER,
    BEFORE,
    FIRST,
    LAST,
    Conversation,
    Info,
    MessageSearchHit,
)


@strawberry.type
class Query:
    conversation = strawberry.field(
        resolver=conversations.conversation,
        description="A conversation by id; null if there is none you can see.",
    )

    @strawberry.field(
        description="Your conversations, newest first unless `orderBy` says otherwise."
    )
    async def conversations(
        self,
        info: Info,
        ids: list[uuid.UUID] | None = None,
        filter: ConversationFilterInput | None = None,
        first: FIRST = None,
        after: AFTER = None,
        last: LAST = None,
        before: BEFORE = None,
        offset: int = 0,
        order_by: ConversationOrder = ConversationOrder.CREATED_AT_DESC,
    ) -> Connection[Conversation]:
        return await conversations.conversations(
            info, ids, filter, PageArgs(first, after, last, before), offset, order_by
        )

    message = strawberry.field(
        resolver=messages.message,
        description="A message by id; null if there is none you can see.",
    )
    branch = strawberry.field(
        resolver=branches.branch,
        description="A branch by id; null if there is none you can see.",
    )

    @strawberry.field(
        description=(
            "Full-text search of your messages, best first. `query` is web-search syntax: "
            'words are all required, `"a phrase"` keeps its order, `or` gives alternatives, '
            "`-word` excludes."
        )
    )
    async def search_messages(
        self,
        info: Info,
        query: str,
        conversation_id: uuid.UUID | None = None,
        role: Role | None = None,
        first: FIRST = None,
        after: AFTER = None,
    ) -> Connection[MessageSearchHit]:
        return await search.search_messages(
            info, query, conversation_id, role, PageArgs(first=first, after=after)
        )

    @strawberry.field(
        description=(
            "A conversation as a document: every message, every branch, the current branch, "
            "metadata and times. CONVOGRAPH is lossless and importable; CHATGPT is the shape "
            "of ChatGPT's conversations.json. Null if there is none you can see."
        )
    )
    async def export_conversation(
        self, info: Info, id: uuid.UUID, format: DocumentFormat = DocumentFormat.CONVOGRAPH
    ) -> JSON | None:
        return await transfer.export_conversation(info, id, format)

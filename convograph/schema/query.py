"""The Query root."""

import uuid

import strawberry

from convograph.resolvers import branches, conversations, messages
from convograph.schema.enums import ConversationOrderBy
from convograph.schema.filters import ConversationFilterInput
from convograph.schema.pagination import Connection, PageArgs
from convograph.schema.types import AFTER, BEFORE, FIRST, LAST, Branch, Conversation, Info, Message


@strawberry.type
class Query:
    @strawberry.field(description="A conversation by id; null if there is none you can see.")
    async def conversation(self, info: Info, id: uuid.UUID) -> Conversation | None:
        return await conversations.conversation(info, id)

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
        order_by: ConversationOrderBy = ConversationOrderBy.CREATED_AT_DESC,
    ) -> Connection[Conversation]:
        return await conversations.conversations(
            info, ids, filter, PageArgs(first, after, last, before), offset, order_by
        )

    @strawberry.field(description="A message by id; null if there is none you can see.")
    async def message(self, info: Info, id: uuid.UUID) -> Message | None:
        return await messages.message(info, id)

    @strawberry.field(description="A branch by id; null if there is none you can see.")
    async def branch(self, info: Info, id: uuid.UUID) -> Branch | None:
        return await branches.branch(info, id)

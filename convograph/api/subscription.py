"""The Subscription root (over WebSocket: graphql-transport-ws and graphql-ws)."""

import uuid
from collections.abc import AsyncGenerator

import strawberry

from convograph.resolvers import events
from convograph.schema.events import ConversationChange, ConversationEvent
from convograph.schema.types import Info


@strawberry.type
class Subscription:
    @strawberry.subscription(
        description=(
            "Every change of one of your conversations, in `sequence` order. With"
            " `afterSequence`, first the events after it that you missed (kept for the"
            " retention period), then live ones: none lost, none repeated. Ends after"
            " CONVERSATION_DELETED. An unknown id, or one you may not see, is a NOT_FOUND error."
        )
    )
    async def conversation_events(
        self, info: Info, conversation_id: uuid.UUID, after_sequence: int | None = None
    ) -> AsyncGenerator[ConversationEvent, None]:
        async for event in events.conversation_events(info, conversation_id, after_sequence):
            yield event

    @strawberry.subscription(
        description="Your conversations created, updated (any change) and deleted, live."
    )
    async def conversations_changed(self, info: Info) -> AsyncGenerator[ConversationChange, None]:
        async for change in events.conversations_changed(info):
            yield change

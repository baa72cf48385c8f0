"""What subscriptions deliver: events of one conversation, changes of the overview."""

import uuid
from datetime import datetime

import strawberry
from strawberry.scalars import JSON

from convograph.db.tables import Event as EventRow
from convograph.db.tables import utcnow
from convograph.schema.enums import ConversationChangeKind, EventKind
from convograph.schema.types import (
    Branch,
    Conversation,
    Info,
    Message,
    load_branch,
    load_conversation,
    load_message,
)


@strawberry.type(
    description=(
        "One change of a conversation. `message`, `branch` and `conversation` are read when"
        " the event is delivered, so they show the objects as they are then (null once deleted)."
    )
)
class ConversationEvent:
    sequence: int = strawberry.field(
        description="Its place in the conversation's events: 1, 2, 3, ... with no gap."
    )
    kind: EventKind
    occurred_at: datetime
    conversation_id: uuid.UUID
    message_id: uuid.UUID | None = strawberry.field(
        description="The message it is about, if any; kept after the message is deleted."
    )
    branch_id: uuid.UUID | None = strawberry.field(
        description="The branch it is about, if any; kept after the branch is deleted."
    )
    data: JSON = strawberry.field(description="Facts of the kind, e.g. deleted counts.")
    delta: str | None = strawberry.field(
        default=None, description="MESSAGE_CONTENT_APPENDED: the text appended."
    )
    delta_index: int | None = strawberry.field(
        default=None,
        description="MESSAGE_CONTENT_APPENDED: the delta's index (0 for a message's first).",
    )

    @classmethod
    def from_row(cls, row: EventRow) -> "ConversationEvent":
        appended = row.kind == EventKind.MESSAGE_CONTENT_APPENDED.value
        return cls(
            sequence=row.sequence,
            kind=EventKind(row.kind),
            occurred_at=row.created_at,
            conversation_id=row.conversation_id,
            message_id=row.message_id,
            branch_id=row.branch_id,
            data=row.payload,
            delta=row.payload.get("delta") if appended else None,
            delta_index=row.payload.get("index") if appended else None,
        )

    @classmethod
    def live(cls, conversation_id: uuid.UUID, version: int) -> "ConversationEvent":
        return cls(
            sequence=version,
            kind=EventKind.LIVE,
            occurred_at=utcnow(),
            conversation_id=conversation_id,
            message_id=None,
            branch_id=None,
            data={},
        )

    @strawberry.field
    async def conversation(self, info: Info) -> Conversation | None:
        return await load_conversation(info, self.conversation_id)

    @strawberry.field
    async def message(self, info: Info) -> Message | None:
        return await load_message(info, self.message_id)

    @strawberry.field
    async def branch(self, info: Info) -> Branch | None:
        return await load_branch(info, self.branch_id)


_CHANGE_OF = {
    EventKind.CONVERSATION_CREATED: ConversationChangeKind.CREATED,
    EventKind.CONVERSATION_DELETED: ConversationChangeKind.DELETED,
}


@strawberry.type(description="A conversation of yours was created, changed or deleted.")
class ConversationChange:
    kind: ConversationChangeKind
    conversation_id: uuid.UUID | None = strawberry.field(
        description="The conversation that changed; null only for LIVE."
    )
    event: ConversationEvent | None = strawberry.field(
        description="The change in detail; null only for LIVE."
    )

    @classmethod
    def live(cls) -> "ConversationChange":
        return cls(kind=ConversationChangeKind.LIVE, conversation_id=None, event=None)

    @classmethod
    def from_row(cls, row: EventRow) -> "ConversationChange":
        event = ConversationEvent.from_row(row)
        return cls(
            kind=_CHANGE_OF.get(event.kind, ConversationChangeKind.UPDATED),
            conversation_id=row.conversation_id,
            event=event,
        )

    @strawberry.field(description="The conversation as it is now; null once deleted.")
    async def conversation(self, info: Info) -> Conversation | None:
        return None if self.event is None else await self.event.conversation(info)

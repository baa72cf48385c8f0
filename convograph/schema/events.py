"""What subscriptions deliver: events of one conversation, changes of the overview."""

import uuid
from datetime import datetime

import strawberry
from strawberry.scalars import JSON

from convograph.db.tables import Event as EventRow
from convograph.db.tables import utcnow
from convograph.schema.enums import ConversationChangeKind, ConversationEventKind
from convograph.schema.types import Branch, Conversation, Info, Message


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
    kind: ConversationEventKind
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
        appended = row.kind == ConversationEventKind.MESSAGE_CONTENT_APPENDED.value
        return cls(
            sequence=row.sequence,
            kind=ConversationEventKind(row.kind),
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
            kind=ConversationEventKind.LIVE,
            occurred_at=utcnow(),
            conversation_id=conversation_id,
            message_id=None,
            branch_id=None,
            data={},
        )

    @strawberry.field
    async def conversation(self, info: Info) -> Conversation | None:
        row = await info.context.loaders.conversation.load(self.conversation_id)
        return Conversation.from_row(row) if row else None

    @strawberry.field
    async def message(self, info: Info) -> Message | None:
        row = await info.context.loaders.message.load(self.message_id) if self.message_id else None
        return Message.from_row(row) if row else None

    @strawberry.field
    async def branch(self, info: Info) -> Branch | None:
        row = await info.context.loaders.branch.load(self.branch_id) if self.branch_id else None
        return Branch.from_row(row) if row else None


_CHANGE_OF = {
    ConversationEventKind.CONVERSATION_CREATED: ConversationChangeKind.CREATED,
    ConversationEventKind.CONVERSATION_DELETED: ConversationChangeKind.DELETED,
}


@strawberry.type(description="A conversation of yours was created, changed or deleted.")
class ConversationChange:
    kind: ConversationChangeKind
    conversation_id: uuid.UUID
    event: ConversationEvent = strawberry.field(description="The change in detail.")

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
        return await self.event.conversation(info)

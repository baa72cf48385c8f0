"""Enums of the API: the layers' own enums, exposed under their GraphQL names.

Each enum is defined once, where its values mean something (the db layer, the transfer
formats), and registered here; only what the API alone knows is defined here.
"""

from enum import Enum

import strawberry

from convograph.db.events import EventKind
from convograph.db.overview import ConversationOrder
from convograph.db.roles import Role
from convograph.db.tables import MessageStatus
from convograph.transfer.documents import DocumentFormat


def _describe_values(enum: type[Enum], descriptions: dict[str, str]) -> None:
    """Per-value descriptions for an enum defined outside the schema (where
    `strawberry.enum_value` cannot be used)."""
    definition = enum.__strawberry_definition__  # type: ignore[attr-defined]
    for value in definition.values:
        value.description = descriptions.get(value.name)


strawberry.enum(Role, description="Who wrote a message (OpenAI's chat roles).")
strawberry.enum(
    MessageStatus,
    description=(
        "Whether a message is whole. IN_PROGRESS: an answer being streamed"
        " (appendMessageContent) until finishMessage makes it COMPLETE or FAILED."
    ),
)
strawberry.enum(
    ConversationOrder,
    name="ConversationOrderBy",
    description="Orders of the conversations overview.",
)
strawberry.enum(
    DocumentFormat, name="ConversationFormat", description="Document formats of import and export."
)
strawberry.enum(
    EventKind, name="ConversationEventKind", description="What changed in a conversation."
)
_describe_values(
    EventKind,
    {
        "CONVERSATION_UPDATED": "Its title, metadata or archived state changed.",
        "CONVERSATION_FORKED": "A new conversation was forked from it (`data.forkConversationId`).",
        "CONVERSATION_DELETED": "The last event of a conversation: its stream ends.",
        "MESSAGE_EDITED": "`message` is the edit, a new sibling of the original.",
        "MESSAGE_CONTENT_APPENDED": "A delta was appended to a streamed message: `delta` and `deltaIndex`.",
        "MESSAGE_FINISHED": "A streamed message was finished: `data.status` is COMPLETE or FAILED.",
        "MESSAGE_DELETED": "The message and its replies were deleted.",
        "LIVE": (
            "Not a change: the first item of a subscription started without afterSequence,"
            " sent once it is live. `sequence` is the conversation's version then; every"
            " later change follows."
        ),
    },
)


@strawberry.enum(description="How a conversation of the overview changed.")
class ConversationChangeKind(Enum):
    CREATED = "CREATED"
    UPDATED = "UPDATED"
    DELETED = "DELETED"
    LIVE = "LIVE"


_describe_values(
    ConversationChangeKind,
    {
        "LIVE": (
            "Not a change: the first item, sent once the subscription is live (every later"
            " change follows); it has no conversationId or event."
        ),
    },
)


__all__ = ["ConversationChangeKind", "ConversationOrder", "DocumentFormat", "EventKind", "Role"]

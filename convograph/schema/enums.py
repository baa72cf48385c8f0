"""Enums of the API."""

from enum import Enum

import strawberry

from convograph.db.tables import MessageStatus as StoredMessageStatus

MessageStatus = strawberry.enum(
    StoredMessageStatus,
    name="MessageStatus",
    description=(
        "Whether a message is whole. IN_PROGRESS: an answer being streamed"
        " (appendMessageContent) until finishMessage makes it COMPLETE or FAILED."
    ),
)


@strawberry.enum(description="Who wrote a message (OpenAI's chat roles).")
class Role(Enum):
    SYSTEM = "system"
    DEVELOPER = "developer"
    USER = "user"
    ASSISTANT = "assistant"
    TOOL = "tool"
    FUNCTION = "function"


@strawberry.enum(description="Orders of the conversations overview.")
class ConversationOrderBy(Enum):
    CREATED_AT_DESC = "CREATED_AT_DESC"
    CREATED_AT_ASC = "CREATED_AT_ASC"
    UPDATED_AT_DESC = "UPDATED_AT_DESC"
    UPDATED_AT_ASC = "UPDATED_AT_ASC"


@strawberry.enum(description="Document formats of import and export.")
class ConversationFormat(Enum):
    CONVOGRAPH = "convograph"
    CHATGPT = "chatgpt"


@strawberry.enum(description="What changed in a conversation.")
class ConversationEventKind(Enum):
    CONVERSATION_CREATED = "CONVERSATION_CREATED"
    CONVERSATION_UPDATED = strawberry.enum_value(
        "CONVERSATION_UPDATED", description="Its title, metadata or archived state changed."
    )
    CONVERSATION_FORKED = strawberry.enum_value(
        "CONVERSATION_FORKED",
        description="A new conversation was forked from it (`data.forkConversationId`).",
    )
    CONVERSATION_DELETED = strawberry.enum_value(
        "CONVERSATION_DELETED", description="The last event of a conversation: its stream ends."
    )
    MESSAGE_ADDED = "MESSAGE_ADDED"
    MESSAGE_EDITED = strawberry.enum_value(
        "MESSAGE_EDITED", description="`message` is the edit, a new sibling of the original."
    )
    MESSAGE_METADATA_UPDATED = "MESSAGE_METADATA_UPDATED"
    MESSAGE_CONTENT_APPENDED = strawberry.enum_value(
        "MESSAGE_CONTENT_APPENDED",
        description="A delta was appended to a streamed message: `delta` and `deltaIndex`.",
    )
    MESSAGE_FINISHED = strawberry.enum_value(
        "MESSAGE_FINISHED",
        description="A streamed message was finished: `data.status` is COMPLETE or FAILED.",
    )
    MESSAGE_DELETED = strawberry.enum_value(
        "MESSAGE_DELETED", description="The message and its replies were deleted."
    )
    BRANCH_CREATED = "BRANCH_CREATED"
    BRANCH_RENAMED = "BRANCH_RENAMED"
    BRANCH_DELETED = "BRANCH_DELETED"
    CURRENT_BRANCH_CHANGED = "CURRENT_BRANCH_CHANGED"
    LIVE = strawberry.enum_value(
        "LIVE",
        description=(
            "Not a change: the first item of a subscription started without afterSequence,"
            " sent once it is live. `sequence` is the conversation's version then; every"
            " later change follows."
        ),
    )


@strawberry.enum(description="How a conversation of the overview changed.")
class ConversationChangeKind(Enum):
    CREATED = "CREATED"
    UPDATED = "UPDATED"
    DELETED = "DELETED"

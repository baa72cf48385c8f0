"""The SDK's input and result models.

The records (`ConversationDetails`, `MessageDetails`, `BranchDetails`, ...) are the models
that ariadne-codegen generates from the fragments of operations.graphql, so they follow the
schema; only the input `Message` and the results that gather several requests are written
by hand.
"""

from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator

from convograph.client.generated.base_model import BaseModel as GeneratedModel
from convograph.client.generated.enums import (
    ConversationEventKind,
    ConversationFormat,
    ErrorCode,
    MessageStatus,
    Role,
)
from convograph.client.generated.fragments import (
    AddedMessage,
    AppendedContent,
    BranchDetails,
    ConversationDetails,
    CreatedConversation,
    CurrentBranchSet,
    DeletedBranch,
    DeletedConversation,
    DeletedMessage,
    EditedMessage,
    EventDetails,
    FinishedMessage,
    ForkedConversation,
    ImportSummary,
    MessageDetails,
    PatchedMessage,
    RenamedBranch,
    SearchHit,
    UpdatedConversation,
)
from convograph.client.generated.input_types import MetadataFilter
from convograph.client.reprs import short_repr

__all__ = [
    "AddedMessage",
    "AppendedContent",
    "BranchDetails",
    "ConversationDetails",
    "ConversationEventKind",
    "ConversationFormat",
    "ConversationWithMessages",
    "ConversationsOverview",
    "CreatedConversation",
    "CurrentBranchSet",
    "DeletedBranch",
    "DeletedConversation",
    "DeletedMessage",
    "EditedMessage",
    "ErrorCode",
    "EventDetails",
    "FinishedMessage",
    "ForkedConversation",
    "ImportSummary",
    "Message",
    "MessageDetails",
    "MessageStatus",
    "MetadataFilter",
    "PatchedMessage",
    "RenamedBranch",
    "Role",
    "SearchHit",
    "SearchResults",
    "UpdatedConversation",
]


# Every generated model shows each field in short form; the records, a few key fields.
short_repr()(GeneratedModel)
short_repr("id", "title", "version", "message_count", "branch_count", "current_branch")(
    ConversationDetails
)
short_repr("id", "role", "content", "status", "parent")(MessageDetails)
short_repr("id", "name", "is_current", "message_count", "tip")(BranchDetails)
short_repr("sequence", "kind", "message_id", "delta_index", "delta")(EventDetails)


@short_repr()
class Message(BaseModel):
    """A message to add or an edit: `Message(role="assistant", content="Hi")`.

    As in R2R's documentation, `Message(text="Hello")` is a user message: `text` is taken
    as `content`, and `role` defaults to `user`. A role is a `Role` or its name in any case.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    role: Role = Role.USER
    content: str = ""
    name: str | None = None
    tool_calls: list[dict[str, Any]] | None = None
    tool_call_id: str | None = None

    # Spelled out so that type checkers accept `text=` and a role given as a string.
    def __init__(
        self,
        role: Role | str = Role.USER,
        content: str | None = None,
        *,
        text: str | None = None,
        name: str | None = None,
        tool_calls: list[dict[str, Any]] | None = None,
        tool_call_id: str | None = None,
    ) -> None:
        if text is not None and content is not None and text != content:
            raise ValueError("give `content` or `text`, not both")
        super().__init__(
            role=role,  # `_role_in_any_case` parses a string
            content=text if content is None else content,
            name=name,
            tool_calls=tool_calls,
            tool_call_id=tool_call_id,
        )

    @field_validator("role", mode="before")
    @classmethod
    def _role_in_any_case(cls, role: Any) -> Any:
        return role.upper() if isinstance(role, str) else role

    @field_validator("content", mode="before")
    @classmethod
    def _no_content_is_empty(cls, content: Any) -> Any:
        return "" if content is None else content


@short_repr()
class ConversationWithMessages(BaseModel):
    """A conversation, the branch that was read, and that branch's messages, root first."""

    conversation: ConversationDetails
    branch: BranchDetails
    messages: list[MessageDetails]


@short_repr()
class ConversationsOverview(BaseModel):
    """A page of conversations and how many there are in all."""

    conversations: list[ConversationDetails]
    total_count: int = Field(description="Conversations in the whole list, not the page.")


@short_repr()
class SearchResults(BaseModel):
    """Search hits, best first, and where to go on from them.

    Each hit has `rank`, `snippet`, `message`, `conversation` (`id`, `title`), `branches`
    (the branches whose path holds the message: `total_count` and the first 100 `nodes`
    with `id` and `is_current`) and `path` (root to message: `total_count` and the first
    100 `nodes` with `id`).
    """

    hits: list[SearchHit]
    total_count: int = Field(description="Hits of the whole search, not only these.")
    end_cursor: str | None = Field(description="Pass as `after` to read on.")
    has_next_page: bool

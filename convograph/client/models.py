"""The SDK's input and result models.

The records (`ConversationDetails`, `MessageDetails`, `BranchDetails`, ...) are the models
that ariadne-codegen generates from the fragments of operations.graphql, so they follow the
schema; only the input `Message` and the results that gather several requests are written
by hand.
"""

from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from convograph.client.generated.enums import ErrorCode, Role
from convograph.client.generated.fragments import (
    AddedMessage,
    BranchDetails,
    ConversationDetails,
    CreatedConversation,
    CurrentBranchSet,
    DeletedConversation,
    EditedMessage,
    MessageDetails,
    PatchedMessage,
)

__all__ = [
    "AddedMessage",
    "BranchDetails",
    "ConversationDetails",
    "ConversationWithMessages",
    "ConversationsOverview",
    "CreatedConversation",
    "CurrentBranchSet",
    "DeletedConversation",
    "EditedMessage",
    "ErrorCode",
    "Message",
    "MessageDetails",
    "PatchedMessage",
    "Role",
]


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

    @model_validator(mode="before")
    @classmethod
    def _text_is_content(cls, data: Any) -> Any:
        if isinstance(data, dict) and "text" in data:
            data = dict(data)
            text = data.pop("text")
            if data.get("content", text) != text:
                raise ValueError("give `content` or `text`, not both")
            data["content"] = text
        return data

    @field_validator("role", mode="before")
    @classmethod
    def _role_in_any_case(cls, role: Any) -> Any:
        return role.upper() if isinstance(role, str) else role


class ConversationWithMessages(BaseModel):
    """A conversation, the branch that was read, and that branch's messages, root first."""

    conversation: ConversationDetails
    branch: BranchDetails
    messages: list[MessageDetails]


class ConversationsOverview(BaseModel):
    """A page of conversations and how many there are in all."""

    conversations: list[ConversationDetails]
    total_count: int = Field(description="Conversations in the whole list, not the page.")

"""Mutation inputs, and the checks that turn them into plain values for the db layer."""

import uuid
from typing import Any

import strawberry
from strawberry.scalars import JSON

from convograph.db.conversations import NOT_GIVEN, ConversationChanges, NotGiven
from convograph.db.errors import InvalidInput
from convograph.db.input_rules import (
    MAX_BRANCH_NAME_LENGTH,
    MAX_IDENTIFIER_LENGTH,
    InputLimits,
    checked_branch_name,
    checked_json,
    checked_optional_text,
    checked_text,
    checked_title,
)
from convograph.db.message_rows import MessageFields
from convograph.schema.enums import DocumentFormat, MessageStatus, Role
from convograph.settings import Settings


@strawberry.input(description="The content of a message, as chat APIs shape it.")
class MessageInput:
    role: Role
    content: str = ""
    name: str | None = None
    tool_calls: JSON | None = strawberry.field(
        default=None, description="A list of tool-call objects, stored as given."
    )
    tool_call_id: str | None = None
    status: MessageStatus = strawberry.field(
        default=MessageStatus.COMPLETE,
        description=(
            "IN_PROGRESS starts a streamed message: appendMessageContent adds to it until"
            " finishMessage ends it."
        ),
    )

    def fields(self, settings: Settings) -> MessageFields:
        if self.tool_calls is not None and not (
            isinstance(self.tool_calls, list)
            and all(isinstance(call, dict) for call in self.tool_calls)
        ):
            raise InvalidInput("toolCalls must be a list of objects.", "message.toolCalls")
        return MessageFields(
            role=self.role.value,
            content=checked_text(
                self.content, "message.content", max_bytes=settings.max_content_bytes
            ),
            name=checked_optional_text(self.name, "message.name", max_chars=MAX_IDENTIFIER_LENGTH),
            tool_calls=None
            if self.tool_calls is None
            else checked_json(self.tool_calls, "message.toolCalls", settings.max_content_bytes),
            tool_call_id=checked_optional_text(
                self.tool_call_id, "message.toolCallId", max_chars=MAX_IDENTIFIER_LENGTH
            ),
            status=self.status.value,
        )


def json_object(value: Any, field: str, settings: Settings) -> dict[str, Any]:
    """A JSON object (metadata or a patch of it) within the metadata size limit."""
    if not isinstance(value, dict):
        raise InvalidInput(f"{field} must be a JSON object.", field)
    return checked_json(value, field, settings.max_metadata_bytes)


def optional_json_object(value: Any, field: str, settings: Settings) -> dict[str, Any] | None:
    return None if value is None else json_object(value, field, settings)


def optional_title(value: str | None, settings: Settings) -> str | None:
    return checked_title(value, InputLimits.of(settings))


EXPECTED_VERSION_DESCRIPTION = (
    "Write only if the conversation's version is still this one (a ConflictError with"
    " currentVersion otherwise, writing nothing)."
)
IDEMPOTENCY_KEY_DESCRIPTION = (
    "A key of yours for this request: repeated with the same input (within the retention"
    " window) it returns the first result and writes nothing; with other input it is a"
    " ConflictError."
)


@strawberry.input
class CreateConversationInput:
    title: str | None = None
    metadata: JSON | None = None
    idempotency_key: str | None = strawberry.field(
        default=None, description=IDEMPOTENCY_KEY_DESCRIPTION
    )


@strawberry.input(
    description="Without parentId or branchId the message goes to the current branch's tip."
)
class AddMessageInput:
    conversation_id: uuid.UUID
    message: MessageInput
    parent_id: uuid.UUID | None = strawberry.field(
        default=None,
        description="Reply to this message: extends the branch it tips, else forks a new one.",
    )
    branch_id: uuid.UUID | None = strawberry.field(
        default=None, description="Append to this branch (with parentId: fork it there)."
    )
    metadata: JSON | None = None
    idempotency_key: str | None = strawberry.field(
        default=None, description=IDEMPOTENCY_KEY_DESCRIPTION
    )
    expected_version: int | None = strawberry.field(
        default=None, description=EXPECTED_VERSION_DESCRIPTION
    )


@strawberry.input(description="Edit a message: a new sibling on a new branch; nothing is lost.")
class UpdateMessageInput:
    message_id: uuid.UUID
    message: MessageInput
    metadata: JSON | None = strawberry.field(
        default=None, description="The edit's metadata; default: a copy of the original's."
    )
    idempotency_key: str | None = strawberry.field(
        default=None, description=IDEMPOTENCY_KEY_DESCRIPTION
    )
    expected_version: int | None = strawberry.field(
        default=None, description=EXPECTED_VERSION_DESCRIPTION
    )


@strawberry.input
class UpdateMessageMetadataInput:
    message_id: uuid.UUID
    metadata: JSON = strawberry.field(description="A JSON Merge Patch (RFC 7396).")
    expected_version: int | None = strawberry.field(
        default=None, description=EXPECTED_VERSION_DESCRIPTION
    )


@strawberry.input
class SetCurrentBranchInput:
    conversation_id: uuid.UUID
    branch_id: uuid.UUID
    expected_version: int | None = strawberry.field(
        default=None, description=EXPECTED_VERSION_DESCRIPTION
    )


DEPRECATED_ID = (
    "Use conversationId, named like the other inputs' messageId and branchId; id goes in 0.3.0."
)


def named_conversation(
    conversation_id: uuid.UUID | None, deprecated_id: uuid.UUID | None
) -> tuple[uuid.UUID, str]:
    """The conversation an input names, by `conversationId` or its deprecated name `id`, and
    the field that named it (for errors)."""
    if conversation_id is not None:
        if deprecated_id not in (None, conversation_id):
            raise InvalidInput(
                "conversationId and id (its deprecated name) name different conversations.",
                "conversationId",
            )
        return conversation_id, "conversationId"
    if deprecated_id is not None:
        return deprecated_id, "id"
    raise InvalidInput("conversationId is required.", "conversationId")


@strawberry.input(description="Name the conversation by conversationId (id is deprecated).")
class DeleteConversationInput:
    conversation_id: uuid.UUID | None = None
    id: uuid.UUID | None = strawberry.field(default=None, deprecation_reason=DEPRECATED_ID)
    expected_version: int | None = strawberry.field(
        default=None, description=EXPECTED_VERSION_DESCRIPTION
    )

    def conversation(self) -> tuple[uuid.UUID, str]:
        return named_conversation(self.conversation_id, self.id)


@strawberry.input(
    description="Conversations to import: a convograph document or ChatGPT's conversations.json."
)
class ImportConversationsInput:
    data: JSON = strawberry.field(description="The document, as JSON.")
    format: DocumentFormat | None = strawberry.field(
        default=None, description="Default: told from the document's shape."
    )
    idempotency_key: str | None = strawberry.field(
        default=None, description=IDEMPOTENCY_KEY_DESCRIPTION
    )


@strawberry.input(
    description="Fields left out stay as they are. Name the conversation by conversationId "
    "(id is deprecated)."
)
class UpdateConversationInput:
    conversation_id: uuid.UUID | None = None
    id: uuid.UUID | None = strawberry.field(default=None, deprecation_reason=DEPRECATED_ID)
    title: str | None = strawberry.field(
        default=strawberry.UNSET, description="The new title; null removes it."
    )
    metadata: JSON | None = strawberry.field(
        default=strawberry.UNSET,
        description="A JSON Merge Patch (RFC 7396) of the metadata: keys merge, null deletes.",
    )
    archived: bool | None = strawberry.field(
        default=strawberry.UNSET,
        description="true archives (archivedAt is set), false unarchives.",
    )

    expected_version: int | None = strawberry.field(
        default=None, description=EXPECTED_VERSION_DESCRIPTION
    )

    def conversation(self) -> tuple[uuid.UUID, str]:
        return named_conversation(self.conversation_id, self.id)

    def changes(self, settings: Settings) -> ConversationChanges:
        if self.archived is None:
            raise InvalidInput("archived must be true or false when given.", "archived")
        return ConversationChanges(
            title=NOT_GIVEN
            if self.title is strawberry.UNSET
            else optional_title(self.title, settings),
            metadata_patch=None
            if self.metadata is strawberry.UNSET
            else json_object(self.metadata, "metadata", settings),
            archived=None if self.archived is strawberry.UNSET else self.archived,
        )


@strawberry.input
class RenameBranchInput:
    branch_id: uuid.UUID
    name: str | None = strawberry.field(
        default=None,
        description=(
            f"Unique within the conversation, 1 to {MAX_BRANCH_NAME_LENGTH} characters,"
            " not only spaces; null removes the name."
        ),
    )

    expected_version: int | None = strawberry.field(
        default=None, description=EXPECTED_VERSION_DESCRIPTION
    )

    def checked_name(self) -> str | None:
        return checked_branch_name(self.name)


@strawberry.input(description="Copy the path root -> message into a new conversation.")
class ForkConversationInput:
    message_id: uuid.UUID
    title: str | None = strawberry.field(
        default=strawberry.UNSET,
        description="The new conversation's title; default: the source's. null: no title.",
    )

    idempotency_key: str | None = strawberry.field(
        default=None, description=IDEMPOTENCY_KEY_DESCRIPTION
    )
    expected_version: int | None = strawberry.field(
        default=None, description=EXPECTED_VERSION_DESCRIPTION
    )

    def checked_title(self, settings: Settings) -> str | NotGiven | None:
        if self.title is strawberry.UNSET:
            return NOT_GIVEN
        return optional_title(self.title, settings)


@strawberry.input
class DeleteMessageInput:
    message_id: uuid.UUID
    expected_version: int | None = strawberry.field(
        default=None, description=EXPECTED_VERSION_DESCRIPTION
    )


@strawberry.input
class DeleteBranchInput:
    branch_id: uuid.UUID
    expected_version: int | None = strawberry.field(
        default=None, description=EXPECTED_VERSION_DESCRIPTION
    )


@strawberry.input(description="Append one delta to an IN_PROGRESS message.")
class AppendMessageContentInput:
    message_id: uuid.UUID
    delta: str = strawberry.field(description="The text to append; not empty.")
    index: int = strawberry.field(
        description=(
            "How many deltas you appended to this message before this one (0 for the first)."
            " A retry of an applied index with the same delta changes nothing."
        )
    )
    expected_version: int | None = strawberry.field(
        default=None, description=EXPECTED_VERSION_DESCRIPTION
    )


@strawberry.input(description="End a streamed message.")
class FinishMessageInput:
    message_id: uuid.UUID
    status: MessageStatus = strawberry.field(
        default=MessageStatus.COMPLETE, description="COMPLETE or FAILED."
    )
    content: str | None = strawberry.field(
        default=None, description="The whole final content, replacing what was appended."
    )
    expected_version: int | None = strawberry.field(
        default=None, description=EXPECTED_VERSION_DESCRIPTION
    )

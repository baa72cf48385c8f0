"""Mutation payloads: a named union of the success type and the UserErrors it may return."""

import uuid
from typing import Annotated

import strawberry

from convograph.schema.errors import NotFoundError, ValidationError
from convograph.schema.types import Branch, Conversation, Message


@strawberry.type
class CreateConversationSuccess:
    conversation: Conversation


@strawberry.type
class AddMessageSuccess:
    message: Message
    branch: Branch = strawberry.field(description="The branch the message now tips.")
    conversation: Conversation


@strawberry.type
class UpdateMessageSuccess:
    message: Message = strawberry.field(description="The edit: a new sibling of the original.")
    branch: Branch = strawberry.field(description="The new branch that the edit tips.")
    conversation: Conversation


@strawberry.type
class UpdateMessageMetadataSuccess:
    message: Message


@strawberry.type
class SetCurrentBranchSuccess:
    conversation: Conversation
    branch: Branch


@strawberry.type
class DeleteConversationSuccess:
    deleted_id: uuid.UUID
    deleted_message_count: int
    deleted_branch_count: int


CreateConversationResult = Annotated[
    CreateConversationSuccess | ValidationError, strawberry.union("CreateConversationResult")
]
AddMessageResult = Annotated[
    AddMessageSuccess | NotFoundError | ValidationError, strawberry.union("AddMessageResult")
]
UpdateMessageResult = Annotated[
    UpdateMessageSuccess | NotFoundError | ValidationError,
    strawberry.union("UpdateMessageResult"),
]
UpdateMessageMetadataResult = Annotated[
    UpdateMessageMetadataSuccess | NotFoundError | ValidationError,
    strawberry.union("UpdateMessageMetadataResult"),
]
SetCurrentBranchResult = Annotated[
    SetCurrentBranchSuccess | NotFoundError | ValidationError,
    strawberry.union("SetCurrentBranchResult"),
]
DeleteConversationResult = Annotated[
    DeleteConversationSuccess | NotFoundError, strawberry.union("DeleteConversationResult")
]

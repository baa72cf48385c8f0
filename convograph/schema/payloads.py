"""Mutation payloads: a named union of the success type and the UserErrors it may return."""

import uuid
from typing import Annotated

import strawberry

from convograph.schema.errors import ConflictError, NotFoundError, ValidationError
from convograph.schema.types import (
    Branch,
    Conversation,
    Info,
    Message,
    load_conversation,
)


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
class AppendMessageContentSuccess:
    message: Message
    conversation: Conversation
    applied: bool = strawberry.field(
        description="False when the delta was a retry of one already applied: nothing changed."
    )


@strawberry.type
class FinishMessageSuccess:
    message: Message
    conversation: Conversation


@strawberry.type
class SetCurrentBranchSuccess:
    conversation: Conversation
    branch: Branch


@strawberry.type
class DeleteConversationSuccess:
    deleted_conversation_id: uuid.UUID
    deleted_message_count: int
    deleted_branch_count: int

    @strawberry.field(
        deprecation_reason=(
            "Use deletedConversationId, named like deletedBranchId and deletedMessageId;"
            " deletedId goes in 0.3.0."
        )
    )
    def deleted_id(self) -> uuid.UUID:
        return self.deleted_conversation_id


@strawberry.type(description="A conversation of the document that is in the database now.")
class ImportedConversation:
    index: int = strawberry.field(description="Its position in the document, from 0.")
    source_id: str = strawberry.field(description="Its id in the document.")
    conversation_id: strawberry.Private[uuid.UUID]

    @strawberry.field(
        description="What it became (when skipped: what it became before); null once deleted."
    )
    async def conversation(self, info: Info) -> Conversation | None:
        return await load_conversation(info, self.conversation_id)


@strawberry.type(description="A conversation of the document that was not imported at all.")
class ImportFailure:
    index: int = strawberry.field(description="Its position in the document, from 0.")
    source_id: str | None = strawberry.field(description="Its id in the document, if it has one.")
    reason: str


@strawberry.type
class ImportConversationsSuccess:
    imported: list[ImportedConversation]
    skipped: list[ImportedConversation] = strawberry.field(
        description="Imported by you before (same format and source id): left as they are."
    )
    failures: list[ImportFailure]


@strawberry.type
class UpdateConversationSuccess:
    conversation: Conversation


@strawberry.type
class RenameBranchSuccess:
    branch: Branch


@strawberry.type
class ForkConversationSuccess:
    conversation: Conversation = strawberry.field(description="The new conversation.")
    branch: Branch = strawberry.field(description="Its one branch.")
    message: Message = strawberry.field(description="The copy of the message forked from.")


@strawberry.type
class DeleteMessageSuccess:
    deleted_message_id: uuid.UUID
    deleted_message_count: int = strawberry.field(description="The message and its subtree.")
    deleted_branch_ids: list[uuid.UUID] = strawberry.field(
        description="Branches removed: left with another branch's tip, or empty."
    )
    deleted_branch_count: int
    conversation: Conversation


@strawberry.type
class DeleteBranchSuccess:
    deleted_branch_id: uuid.UUID
    deleted_message_count: int = strawberry.field(
        description="Messages that no other branch reached."
    )
    conversation: Conversation


# The UserErrors of a write: most can name an unknown id, break a rule or lose a race.
WriteErrors = NotFoundError | ValidationError | ConflictError


CreateConversationResult = Annotated[
    CreateConversationSuccess | ValidationError | ConflictError,
    strawberry.union("CreateConversationResult"),
]
AddMessageResult = Annotated[AddMessageSuccess | WriteErrors, strawberry.union("AddMessageResult")]
UpdateMessageResult = Annotated[
    UpdateMessageSuccess | WriteErrors, strawberry.union("UpdateMessageResult")
]
UpdateMessageMetadataResult = Annotated[
    UpdateMessageMetadataSuccess | WriteErrors, strawberry.union("UpdateMessageMetadataResult")
]
SetCurrentBranchResult = Annotated[
    SetCurrentBranchSuccess | WriteErrors, strawberry.union("SetCurrentBranchResult")
]
DeleteConversationResult = Annotated[
    DeleteConversationSuccess | WriteErrors, strawberry.union("DeleteConversationResult")
]
ImportConversationsResult = Annotated[
    ImportConversationsSuccess | ValidationError | ConflictError,
    strawberry.union("ImportConversationsResult"),
]
UpdateConversationResult = Annotated[
    UpdateConversationSuccess | WriteErrors, strawberry.union("UpdateConversationResult")
]
RenameBranchResult = Annotated[
    RenameBranchSuccess | WriteErrors, strawberry.union("RenameBranchResult")
]
ForkConversationResult = Annotated[
    ForkConversationSuccess | WriteErrors, strawberry.union("ForkConversationResult")
]
DeleteMessageResult = Annotated[
    DeleteMessageSuccess | NotFoundError | ConflictError, strawberry.union("DeleteMessageResult")
]
DeleteBranchResult = Annotated[
    DeleteBranchSuccess | WriteErrors, strawberry.union("DeleteBranchResult")
]
AppendMessageContentResult = Annotated[
    AppendMessageContentSuccess | WriteErrors, strawberry.union("AppendMessageContentResult")
]
FinishMessageResult = Annotated[
    FinishMessageSuccess | WriteErrors, strawberry.union("FinishMessageResult")
]

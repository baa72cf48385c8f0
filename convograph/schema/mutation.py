"""The Mutation root: each takes one `input` and returns a named result union."""

import strawberry

from convograph.resolvers import conversations, messages, transfer
from convograph.schema.inputs import (
    AddMessageInput,
    CreateConversationInput,
    DeleteConversationInput,
    ImportConversationsInput,
    SetCurrentBranchInput,
    UpdateMessageInput,
    UpdateMessageMetadataInput,
)
from convograph.schema.payloads import (
    AddMessageResult,
    CreateConversationResult,
    DeleteConversationResult,
    ImportConversationsResult,
    SetCurrentBranchResult,
    UpdateMessageMetadataResult,
    UpdateMessageResult,
)
from convograph.schema.types import Info


@strawberry.type
class Mutation:
    @strawberry.mutation(description="Start a conversation with one empty, current branch.")
    async def create_conversation(
        self, info: Info, input: CreateConversationInput
    ) -> CreateConversationResult:
        return await conversations.create_conversation(info, input)

    @strawberry.mutation(
        description="Add a message: append to a branch's tip, or fork at any other message."
    )
    async def add_message(self, info: Info, input: AddMessageInput) -> AddMessageResult:
        return await messages.add_message(info, input)

    @strawberry.mutation(
        description="Edit a message: a new sibling on a new branch; the original stays."
    )
    async def update_message(self, info: Info, input: UpdateMessageInput) -> UpdateMessageResult:
        return await messages.update_message(info, input)

    @strawberry.mutation(description="Patch a message's metadata (JSON Merge Patch, RFC 7396).")
    async def update_message_metadata(
        self, info: Info, input: UpdateMessageMetadataInput
    ) -> UpdateMessageMetadataResult:
        return await messages.update_message_metadata(info, input)

    @strawberry.mutation(description="Choose the branch that reads and appends use by default.")
    async def set_current_branch(
        self, info: Info, input: SetCurrentBranchInput
    ) -> SetCurrentBranchResult:
        return await conversations.set_current_branch(info, input)

    @strawberry.mutation(description="Delete a conversation with all its messages and branches.")
    async def delete_conversation(
        self, info: Info, input: DeleteConversationInput
    ) -> DeleteConversationResult:
        return await conversations.delete_conversation(info, input)

    @strawberry.mutation(
        description=(
            "Import a convograph document or ChatGPT's conversations.json, each conversation "
            "on its own: one that fails is reported and rolled back, the others are imported; "
            "one imported before is skipped."
        )
    )
    async def import_conversations(
        self, info: Info, input: ImportConversationsInput
    ) -> ImportConversationsResult:
        return await transfer.import_conversations(info, input)

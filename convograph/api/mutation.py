"""The Mutation root: each takes one `input` and returns a named result union."""

import strawberry

from convograph.resolvers import branches, conversations, messages, streaming, transfer, tree
from convograph.schema.inputs import (
    AddMessageInput,
    AppendMessageContentInput,
    CreateConversationInput,
    DeleteBranchInput,
    DeleteConversationInput,
    DeleteMessageInput,
    FinishMessageInput,
    ForkConversationInput,
    ImportConversationsInput,
    RenameBranchInput,
    SetCurrentBranchInput,
    UpdateConversationInput,
    UpdateMessageInput,
    UpdateMessageMetadataInput,
)
from convograph.schema.payloads import (
    AddMessageResult,
    AppendMessageContentResult,
    CreateConversationResult,
    DeleteBranchResult,
    DeleteConversationResult,
    DeleteMessageResult,
    FinishMessageResult,
    ForkConversationResult,
    ImportConversationsResult,
    RenameBranchResult,
    SetCurrentBranchResult,
    UpdateConversationResult,
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

    @strawberry.mutation(
        description=(
            "Append a delta to an IN_PROGRESS message (see MessageInput.status). `index`"
            " numbers your deltas from 0: a retry of an applied one is answered as applied,"
            " a gap or other text at an applied index is a ConflictError with expectedIndex."
        )
    )
    async def append_message_content(
        self, info: Info, input: AppendMessageContentInput
    ) -> AppendMessageContentResult:
        return await streaming.append_message_content(info, input)

    @strawberry.mutation(
        description=(
            "End a streamed message as COMPLETE or FAILED, optionally with its whole content."
            " Anyone who may see the conversation can finish a message its writer abandoned."
        )
    )
    async def finish_message(self, info: Info, input: FinishMessageInput) -> FinishMessageResult:
        return await streaming.finish_message(info, input)

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

    @strawberry.mutation(
        description="Set or clear the title, merge-patch the metadata, archive or unarchive."
    )
    async def update_conversation(
        self, info: Info, input: UpdateConversationInput
    ) -> UpdateConversationResult:
        return await conversations.update_conversation(info, input)

    @strawberry.mutation(description="Name a branch (unique within its conversation) or unname it.")
    async def rename_branch(self, info: Info, input: RenameBranchInput) -> RenameBranchResult:
        return await branches.rename_branch(info, input)

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

    @strawberry.mutation(
        description="Copy the path from a root to a message into a new conversation, linked to this one."
    )
    async def fork_conversation(
        self, info: Info, input: ForkConversationInput
    ) -> ForkConversationResult:
        return await tree.fork_conversation(info, input)

    @strawberry.mutation(
        description=(
            "Delete a message and all its replies. Branches through it end at its parent;"
            " branches left duplicate or empty are removed; the current branch stays valid."
        )
    )
    async def delete_message(self, info: Info, input: DeleteMessageInput) -> DeleteMessageResult:
        return await tree.delete_message(info, input)

    @strawberry.mutation(
        description=(
            "Delete a branch and the messages only it reaches; a conversation keeps at least"
            " one branch."
        )
    )
    async def delete_branch(self, info: Info, input: DeleteBranchInput) -> DeleteBranchResult:
        return await tree.delete_branch(info, input)

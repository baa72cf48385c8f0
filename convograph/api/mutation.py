"""The Mutation root: each takes one `input` and returns a named result union.

Each field is its resolver's function; the annotation names the result union, which the
resolvers spell out member by member.
"""

import strawberry

from convograph.resolvers import branches, conversations, messages, streaming, transfer, tree
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


@strawberry.type
class Mutation:
    create_conversation: CreateConversationResult = strawberry.mutation(
        resolver=conversations.create_conversation,
        description="Start a conversation with one empty, current branch.",
    )
    add_message: AddMessageResult = strawberry.mutation(
        resolver=messages.add_message,
        description="Add a message: append to a branch's tip, or fork at any other message.",
    )
    update_message: UpdateMessageResult = strawberry.mutation(
        resolver=messages.update_message,
        description="Edit a message: a new sibling on a new branch; the original stays.",
    )
    append_message_content: AppendMessageContentResult = strawberry.mutation(
        resolver=streaming.append_message_content,
        description=(
            "Append a delta to an IN_PROGRESS message (see MessageInput.status). `index`"
            " numbers your deltas from 0: a retry of an applied one is answered as applied,"
            " a gap or other text at an applied index is a ConflictError with expectedIndex."
        ),
    )
    finish_message: FinishMessageResult = strawberry.mutation(
        resolver=streaming.finish_message,
        description=(
            "End a streamed message as COMPLETE or FAILED, optionally with its whole content."
            " Anyone who may see the conversation can finish a message its writer abandoned."
        ),
    )
    update_message_metadata: UpdateMessageMetadataResult = strawberry.mutation(
        resolver=messages.update_message_metadata,
        description="Patch a message's metadata (JSON Merge Patch, RFC 7396).",
    )
    set_current_branch: SetCurrentBranchResult = strawberry.mutation(
        resolver=conversations.set_current_branch,
        description="Choose the branch that reads and appends use by default.",
    )
    update_conversation: UpdateConversationResult = strawberry.mutation(
        resolver=conversations.update_conversation,
        description="Set or clear the title, merge-patch the metadata, archive or unarchive.",
    )
    rename_branch: RenameBranchResult = strawberry.mutation(
        resolver=branches.rename_branch,
        description="Name a branch (unique within its conversation) or unname it.",
    )
    delete_conversation: DeleteConversationResult = strawberry.mutation(
        resolver=conversations.delete_conversation,
        description="Delete a conversation with all its messages and branches.",
    )
    import_conversations: ImportConversationsResult = strawberry.mutation(
        resolver=transfer.import_conversations,
        description=(
            "Import a convograph document or ChatGPT's conversations.json, each conversation "
            "on its own: one that fails is reported and rolled back, the others are imported; "
            "one imported before is skipped."
        ),
    )
    fork_conversation: ForkConversationResult = strawberry.mutation(
        resolver=tree.fork_conversation,
        description=(
            "Copy the path from a root to a message into a new conversation, linked to this one."
        ),
    )
    delete_message: DeleteMessageResult = strawberry.mutation(
        resolver=tree.delete_message,
        description=(
            "Delete a message and all its replies. Branches through it end at its parent;"
            " branches left duplicate or empty are removed; the current branch stays valid."
        ),
    )
    delete_branch: DeleteBranchResult = strawberry.mutation(
        resolver=tree.delete_branch,
        description=(
            "Delete a branch and the messages only it reaches; a conversation keeps at least"
            " one branch."
        ),
    )

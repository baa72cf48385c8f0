"""Tree operations: fork a path into a new conversation, delete a message or a branch."""

from sqlalchemy.ext.asyncio import AsyncSession

from convograph.db import forks, pruning
from convograph.db.tables import Branch as BranchRow
from convograph.db.tables import Conversation as ConversationRow
from convograph.db.tables import Message as MessageRow
from convograph.resolvers import retries
from convograph.resolvers.unit_of_work import mutate
from convograph.schema.errors import ConflictError, NotFoundError, ValidationError
from convograph.schema.inputs import DeleteBranchInput, DeleteMessageInput, ForkConversationInput
from convograph.schema.payloads import (
    DeleteBranchSuccess,
    DeleteMessageSuccess,
    ForkConversationSuccess,
)
from convograph.schema.types import Branch, Conversation, Info, Message


async def fork_conversation(
    info: Info, input: ForkConversationInput
) -> ForkConversationSuccess | NotFoundError | ValidationError | ConflictError:
    async def work(session: AsyncSession) -> tuple[ConversationRow, BranchRow, MessageRow]:
        return await forks.fork_conversation(
            session,
            info.context.owner,
            input.message_id,
            input.checked_title(info.context.settings),
            creator=info.context.subject,
        )

    return await mutate(
        info,
        work,
        lambda rows: ForkConversationSuccess(
            conversation=Conversation.from_row(rows[0]),
            branch=Branch.from_row(rows[1]),
            message=Message.from_row(rows[2]),
        ),
        (MessageRow, input.message_id),
        input=input,
        retryable=retries.FORK_CONVERSATION,
    )


async def delete_message(
    info: Info, input: DeleteMessageInput
) -> DeleteMessageSuccess | NotFoundError | ValidationError | ConflictError:
    return await mutate(
        info,
        lambda session: pruning.delete_message(session, info.context.owner, input.message_id),
        lambda pruned: DeleteMessageSuccess(
            deleted_message_id=input.message_id,
            deleted_message_count=pruned.message_count,
            deleted_branch_ids=pruned.branch_ids,
            deleted_branch_count=len(pruned.branch_ids),
            conversation=Conversation.from_row(pruned.conversation),
        ),
        (MessageRow, input.message_id),
        input=input,
    )


async def delete_branch(
    info: Info, input: DeleteBranchInput
) -> DeleteBranchSuccess | NotFoundError | ValidationError | ConflictError:
    return await mutate(
        info,
        lambda session: pruning.delete_branch(session, info.context.owner, input.branch_id),
        lambda pruned: DeleteBranchSuccess(
            deleted_branch_id=input.branch_id,
            deleted_message_count=pruned.message_count,
            conversation=Conversation.from_row(pruned.conversation),
        ),
        (BranchRow, input.branch_id),
        input=input,
    )

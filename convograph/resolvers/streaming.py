"""Streamed messages: append deltas to an IN_PROGRESS message, then finish it."""

from sqlalchemy.ext.asyncio import AsyncSession

from convograph.db import streaming as repository
from convograph.db.errors import DomainError
from convograph.db.input_rules import checked_text
from convograph.db.streaming import Appended
from convograph.db.tables import Conversation as ConversationRow
from convograph.db.tables import Message as MessageRow
from convograph.db.tables import MessageStatus
from convograph.resolvers.unit_of_work import mutate
from convograph.schema.errors import ConflictError, NotFoundError, ValidationError, user_error
from convograph.schema.inputs import AppendMessageContentInput, FinishMessageInput
from convograph.schema.payloads import AppendMessageContentSuccess, FinishMessageSuccess
from convograph.schema.types import Conversation, Info, Message


async def append_message_content(
    info: Info, input: AppendMessageContentInput
) -> AppendMessageContentSuccess | NotFoundError | ValidationError | ConflictError:
    settings = info.context.settings
    database = info.context.database

    def success(appended: Appended) -> AppendMessageContentSuccess:
        return AppendMessageContentSuccess(
            message=Message.from_row(appended.message),
            conversation=Conversation.from_row(appended.conversation),
            applied=appended.applied,
        )

    async def work(session: AsyncSession) -> Appended:
        return await repository.append_content(
            session,
            info.context.owner,
            input.message_id,
            checked_text(input.delta, "delta"),
            input.index,
            settings.max_content_bytes,
        )

    if database.dialect != "postgresql" or input.expected_version is not None:
        return await mutate(info, work, success, input=input)
    # The hottest write: one statement, its own transaction, where PostgreSQL allows it.
    try:
        request = repository.AppendRequest(
            info.context.owner,
            input.message_id,
            checked_text(input.delta, "delta"),
            input.index,
            settings.max_content_bytes,
        )
        appended = await repository.append_in_one_statement(
            database.reader_engine, database.read, request
        )
    except DomainError as error:
        return user_error(error)
    info.context.refresh_loaders([appended.message, appended.conversation])
    return success(appended)


async def finish_message(
    info: Info, input: FinishMessageInput
) -> FinishMessageSuccess | NotFoundError | ValidationError | ConflictError:
    settings = info.context.settings

    async def work(session: AsyncSession) -> tuple[MessageRow, ConversationRow]:
        content = (
            None
            if input.content is None
            else checked_text(input.content, "content", max_bytes=settings.max_content_bytes)
        )
        return await repository.finish_message(
            session, info.context.owner, input.message_id, MessageStatus(input.status), content
        )

    return await mutate(
        info,
        work,
        lambda rows: FinishMessageSuccess(
            message=Message.from_row(rows[0]), conversation=Conversation.from_row(rows[1])
        ),
        input=input,
    )

"""Messages: read one, add (append or fork), edit into a new branch, patch metadata."""

import uuid
from typing import TypeVar

from sqlalchemy.ext.asyncio import AsyncSession

from convograph.db import messages as repository
from convograph.db.input_rules import checked_json
from convograph.db.messages import Written
from convograph.db.tables import Message as MessageRow
from convograph.resolvers import retries
from convograph.resolvers.unit_of_work import mutate
from convograph.schema.errors import ConflictError, NotFoundError, ValidationError
from convograph.schema.inputs import (
    AddMessageInput,
    UpdateMessageInput,
    UpdateMessageMetadataInput,
    json_object,
    optional_json_object,
)
from convograph.schema.payloads import (
    AddMessageSuccess,
    UpdateMessageMetadataSuccess,
    UpdateMessageSuccess,
)
from convograph.schema.types import (
    Branch,
    Conversation,
    Info,
    Message,
    load_message,
)


async def message(info: Info, id: uuid.UUID) -> Message | None:
    return await load_message(info, id)


WrittenPayload = TypeVar("WrittenPayload", AddMessageSuccess, UpdateMessageSuccess)


def _written(payload: type[WrittenPayload], written: Written) -> WrittenPayload:
    return payload(
        message=Message.from_row(written.message),
        branch=Branch.from_row(written.branch),
        conversation=Conversation.from_row(written.conversation),
    )


async def add_message(
    info: Info, input: AddMessageInput
) -> AddMessageSuccess | NotFoundError | ValidationError | ConflictError:
    settings = info.context.settings

    async def work(session: AsyncSession) -> Written:
        return await repository.add_message(
            session,
            info.context.owner,
            input.conversation_id,
            input.message.fields(settings),
            parent_id=input.parent_id,
            branch_id=input.branch_id,
            metadata=optional_json_object(input.metadata, "metadata", settings),
        )

    return await mutate(
        info,
        work,
        lambda written: _written(AddMessageSuccess, written),
        input.conversation_id,
        input=input,
        retryable=retries.ADD_MESSAGE,
    )


async def update_message(
    info: Info, input: UpdateMessageInput
) -> UpdateMessageSuccess | NotFoundError | ValidationError | ConflictError:
    settings = info.context.settings

    async def work(session: AsyncSession) -> Written:
        return await repository.edit_message(
            session,
            info.context.owner,
            input.message_id,
            input.message.fields(settings),
            metadata=optional_json_object(input.metadata, "metadata", settings),
        )

    return await mutate(
        info,
        work,
        lambda written: _written(UpdateMessageSuccess, written),
        (MessageRow, input.message_id),
        input=input,
        retryable=retries.UPDATE_MESSAGE,
    )


async def update_message_metadata(
    info: Info, input: UpdateMessageMetadataInput
) -> UpdateMessageMetadataSuccess | NotFoundError | ValidationError | ConflictError:
    settings = info.context.settings

    async def work(session: AsyncSession) -> MessageRow:
        patch = json_object(input.metadata, "metadata", settings)
        row = await repository.patch_message_metadata(
            session, info.context.owner, input.message_id, patch
        )
        # Patches that each fit can still add up: the merged document must fit too. Raised
        # inside the transaction, this rolls the patch back.
        checked_json(row.meta, "metadata", settings.max_metadata_bytes)
        return row

    return await mutate(
        info,
        work,
        lambda row: UpdateMessageMetadataSuccess(message=Message.from_row(row)),
        (MessageRow, input.message_id),
        input=input,
    )

"""Conversations: the overview, one conversation, create, switch branch, delete."""

import uuid
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from convograph.db import conversations as repository
from convograph.db import overview
from convograph.db.overview import ConversationKey, ConversationOrder, ConversationPageRequest
from convograph.db.tables import Conversation as ConversationRow
from convograph.resolvers import retries
from convograph.resolvers.unit_of_work import mutate
from convograph.schema.enums import ConversationOrderBy
from convograph.schema.errors import ConflictError, NotFoundError, ValidationError
from convograph.schema.filters import ConversationFilterInput
from convograph.schema.inputs import (
    CreateConversationInput,
    DeleteConversationInput,
    SetCurrentBranchInput,
    UpdateConversationInput,
    optional_json_object,
    optional_title,
)
from convograph.schema.pagination import Connection, PageArgs, decode_cursor, encode_cursor
from convograph.schema.payloads import (
    CreateConversationSuccess,
    DeleteConversationSuccess,
    SetCurrentBranchSuccess,
    UpdateConversationSuccess,
)
from convograph.schema.request_errors import BadUserInput
from convograph.schema.types import Branch, Conversation, Info

# Each id is a bound parameter: PostgreSQL takes at most 65,535 in one statement.
MAX_IDS = 1_000


async def conversation(info: Info, id: uuid.UUID) -> Conversation | None:
    row = await info.context.loaders.conversation.load(id)
    return Conversation.from_row(row) if row else None


def _cursor(order: ConversationOrder, row: Conversation) -> str:
    at: datetime = getattr(row, order.column)
    return encode_cursor(order.name, at.isoformat(), str(row.id))


def _key(order: ConversationOrder, cursor: str | None, argument: str) -> ConversationKey | None:
    if cursor is None:
        return None
    parts = decode_cursor(cursor, argument)
    try:
        name, at, id = parts
        key = ConversationKey(datetime.fromisoformat(at), uuid.UUID(id))
        if name != order.name or key.at.tzinfo is None:
            raise ValueError(name)
        return key
    except ValueError:
        raise BadUserInput(f"`{argument}` is not a cursor of this list in this order.") from None


async def conversations(
    info: Info,
    ids: list[uuid.UUID] | None,
    filter_input: ConversationFilterInput | None,
    args: PageArgs,
    offset: int,
    order_by: ConversationOrderBy,
) -> Connection[Conversation]:
    settings = info.context.settings
    args = args.checked(settings.max_page_size)
    if ids is not None and len(ids) > MAX_IDS:
        raise BadUserInput(f"`ids` may name at most {MAX_IDS} conversations, got {len(ids)}.")
    if offset < 0:
        raise BadUserInput(f"`offset` must not be negative, got {offset}.")
    if args.first is not None and args.last is not None:
        raise BadUserInput("Pass `first` or `last`, not both.")
    conversation_filter = filter_input.checked() if filter_input is not None else None
    order = ConversationOrder[order_by.name]
    from_end = args.last is not None
    size = args.last if from_end else args.first
    request = ConversationPageRequest(
        order=order,
        limit=settings.default_page_size if size is None else size,
        after=_key(order, args.after, "after"),
        before=_key(order, args.before, "before"),
        offset=offset,
        from_end=from_end,
        ids=ids,
        filter=conversation_filter,
    )
    owner = info.context.owner
    database = info.context.database
    async with database.connect() as connection:
        rows, more = await overview.page_conversations(connection, owner, request)

    async def total() -> int:
        async with database.connect() as connection:
            return await overview.count_conversations(connection, owner, ids, conversation_filter)

    earlier = bool(offset) or (args.before if from_end else args.after) is not None
    return Connection.of(
        [Conversation.from_row(row) for row in rows],
        lambda node: _cursor(order, node),
        total_count=total,
        has_next_page=args.before is not None if from_end else more,
        has_previous_page=more if from_end else earlier,
    )


async def create_conversation(
    info: Info, input: CreateConversationInput
) -> CreateConversationSuccess | NotFoundError | ValidationError | ConflictError:
    settings = info.context.settings

    async def work(session: AsyncSession) -> ConversationRow:
        title = optional_title(input.title, settings)
        metadata = optional_json_object(input.metadata, "metadata", settings) or {}
        return await repository.create_conversation(session, info.context.subject, title, metadata)

    return await mutate(
        info,
        work,
        lambda row: CreateConversationSuccess(conversation=Conversation.from_row(row)),
        input=input,
        retryable=retries.CREATE_CONVERSATION,
    )


async def update_conversation(
    info: Info, input: UpdateConversationInput
) -> UpdateConversationSuccess | NotFoundError | ValidationError | ConflictError:
    async def work(session: AsyncSession) -> ConversationRow:
        return await repository.update_conversation(
            session, info.context.owner, input.id, input.changes(info.context.settings)
        )

    return await mutate(
        info,
        work,
        lambda row: UpdateConversationSuccess(conversation=Conversation.from_row(row)),
        input=input,
    )


async def set_current_branch(
    info: Info, input: SetCurrentBranchInput
) -> SetCurrentBranchSuccess | NotFoundError | ValidationError | ConflictError:
    return await mutate(
        info,
        lambda session: repository.set_current_branch(
            session, info.context.owner, input.conversation_id, input.branch_id
        ),
        lambda rows: SetCurrentBranchSuccess(
            conversation=Conversation.from_row(rows[0]), branch=Branch.from_row(rows[1])
        ),
        input=input,
    )


async def delete_conversation(
    info: Info, input: DeleteConversationInput
) -> DeleteConversationSuccess | NotFoundError | ValidationError | ConflictError:
    return await mutate(
        info,
        lambda session: repository.delete_conversation(session, info.context.owner, input.id),
        lambda deleted: DeleteConversationSuccess(
            deleted_id=deleted.id,
            deleted_message_count=deleted.message_count,
            deleted_branch_count=deleted.branch_count,
        ),
        input=input,
    )

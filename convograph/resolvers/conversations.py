"""Conversations: the overview, one conversation, create, switch branch, delete."""

import uuid
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from convograph.db import conversations as repository
from convograph.db import overview
from convograph.db.errors import InvalidInput
from convograph.db.input_rules import checked_moment
from convograph.db.overview import ConversationKey, ConversationOrder, ConversationPageRequest
from convograph.db.tables import Conversation as ConversationRow
from convograph.resolvers import retries
from convograph.resolvers.unit_of_work import mutate
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
from convograph.schema.request_errors import BadUserInput, OverLimit
from convograph.schema.scalars import canonical_datetime
from convograph.schema.types import Branch, Conversation, Info, load_conversation
from convograph.settings import Settings


async def conversation(info: Info, id: uuid.UUID) -> Conversation | None:
    return await load_conversation(info, id)


def _cursor(order: ConversationOrder, row: Conversation) -> str:
    at: datetime = getattr(row, order.column)
    return encode_cursor(order.name, canonical_datetime(at), str(row.id))


def _key(order: ConversationOrder, cursor: str | None, argument: str) -> ConversationKey | None:
    if cursor is None:
        return None
    parts = decode_cursor(cursor, argument)
    try:
        name, at, id = parts
        key = ConversationKey(checked_moment(datetime.fromisoformat(at), argument), uuid.UUID(id))
        if name != order.name:
            raise ValueError(name)
        return key
    except (ValueError, InvalidInput):
        raise BadUserInput(f"`{argument}` is not a cursor of this list in this order.") from None


def overview_request(
    settings: Settings,
    ids: list[uuid.UUID] | None,
    filter_input: ConversationFilterInput | None,
    args: PageArgs,
    offset: int,
    order: ConversationOrder,
) -> ConversationPageRequest:
    """The page the arguments ask for; BadUserInput if they cannot be used (both read
    paths check arguments here)."""
    args = args.checked(settings.max_page_size)
    # Each id is a bound parameter: PostgreSQL takes at most 65,535 in one statement.
    if ids is not None and len(ids) > settings.max_list_length:
        raise OverLimit(
            f"`ids` may name at most {settings.max_list_length} conversations, got {len(ids)}."
        )
    if offset < 0:
        raise BadUserInput(f"`offset` must not be negative, got {offset}.")
    if args.first is not None and args.last is not None:
        raise BadUserInput("Pass `first` or `last`, not both.")
    conversation_filter = filter_input.checked(settings) if filter_input is not None else None
    from_end = args.last is not None
    size = args.last if from_end else args.first
    return ConversationPageRequest(
        order=order,
        limit=settings.default_page_size if size is None else size,
        after=_key(order, args.after, "after"),
        before=_key(order, args.before, "before"),
        offset=offset,
        from_end=from_end,
        ids=ids,
        filter=conversation_filter,
    )


async def conversations(
    info: Info,
    ids: list[uuid.UUID] | None,
    filter_input: ConversationFilterInput | None,
    args: PageArgs,
    offset: int,
    order: ConversationOrder,
) -> Connection[Conversation]:
    request = overview_request(info.context.settings, ids, filter_input, args, offset, order)
    order, from_end, conversation_filter = request.order, request.from_end, request.filter
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
        conversation_id, field = input.conversation()
        return await repository.update_conversation(
            session,
            info.context.owner,
            conversation_id,
            input.changes(info.context.settings),
            field,
        )

    return await mutate(
        info,
        work,
        lambda row: UpdateConversationSuccess(conversation=Conversation.from_row(row)),
        input.conversation_id or input.id,
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
        input.conversation_id,
        input=input,
    )


async def delete_conversation(
    info: Info, input: DeleteConversationInput
) -> DeleteConversationSuccess | NotFoundError | ValidationError | ConflictError:
    return await mutate(
        info,
        lambda session: repository.delete_conversation(
            session, info.context.owner, *input.conversation()
        ),
        lambda deleted: DeleteConversationSuccess(
            deleted_conversation_id=deleted.id,
            deleted_message_count=deleted.message_count,
            deleted_branch_count=deleted.branch_count,
        ),
        input.conversation_id or input.id,
        input=input,
    )

"""Search: one page of ranked hits for the caller's messages."""

import uuid

from convograph.db import search
from convograph.db.errors import InvalidInput
from convograph.db.input_rules import checked_text
from convograph.db.search import SearchRequest
from convograph.db.search_query import InvalidSearchQuery, parse_search_query
from convograph.schema.enums import Role
from convograph.schema.pagination import Connection, IndexWindow, PageArgs, decode_index
from convograph.schema.request_errors import BadUserInput
from convograph.schema.types import Info, MessageSearchHit


async def search_messages(
    info: Info,
    query: str,
    conversation_id: uuid.UUID | None,
    role: Role | None,
    args: PageArgs,
) -> Connection[MessageSearchHit]:
    settings = info.context.settings
    args = args.checked(settings.max_page_size)
    try:
        checked_text(query, "query")
        parsed = parse_search_query(query)
    except (InvalidSearchQuery, InvalidInput) as error:
        raise BadUserInput(error.detail) from None
    # Ranks move as messages come and go, so hits are paged by position.
    offset = decode_index(args.after, "after") + 1 if args.after is not None else 0
    request = SearchRequest(
        parsed,
        conversation_id=conversation_id,
        role=role.value if role is not None else None,
        offset=offset,
        limit=settings.default_page_size if args.first is None else args.first,
    )
    async with info.context.database.read() as session:
        page = await search.search_messages(session, info.context.owner, request)
    window = IndexWindow(offset, offset + len(page.hits), page.total)
    return window.connection([MessageSearchHit.from_hit(hit) for hit in page.hits])

"""Full-text search of messages: a page of hits ranked by relevance, with snippets.

PostgreSQL matches `message.search_vector` against `websearch_to_tsquery`, ranks with
`ts_rank_cd` and highlights with `ts_headline`; SQLite matches its FTS5 table with the same
query rendered as an FTS5 expression, ranks with `bm25` and highlights with `snippet`.
Either way only the caller's conversations are searched, a deleted conversation's messages
are gone with its rows, and snippets are made for the page's rows only.
"""

import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Integer,
    Select,
    Uuid,
    column,
    func,
    literal,
    literal_column,
    select,
    table,
)
from sqlalchemy.ext.asyncio import AsyncSession

from convograph.db.access import Owner, owned_by
from convograph.db.search_query import SearchQuery
from convograph.db.search_schema import (
    FTS_KEY_TABLE,
    FTS_TABLE,
    SEARCH_VECTOR_COLUMN,
    TEXT_SEARCH_CONFIG,
)
from convograph.db.tables import Conversation, Message

HIGHLIGHT_START = "\ue000"
HIGHLIGHT_END = "\ue001"
"""Private-use characters around each highlighted word of a snippet, for the API to replace."""

ELLIPSIS = "…"
SNIPPET_WORDS = 24

_fts = table(FTS_TABLE, column("rowid", Integer))
_fts_key = table(FTS_KEY_TABLE, column("rowid", Integer), column("message_id", Uuid))
_fts_table = literal_column(FTS_TABLE)
_search_vector = literal_column(f"message.{SEARCH_VECTOR_COLUMN}")
_config = literal_column(f"'{TEXT_SEARCH_CONFIG}'::regconfig")


@dataclass(frozen=True)
class SearchRequest:
    query: SearchQuery
    conversation_id: uuid.UUID | None = None
    role: str | None = None
    offset: int = 0
    limit: int = 20


@dataclass(frozen=True)
class SearchHit:
    message: Message
    rank: float
    """Higher is more relevant; comparable within one search on one database only."""
    snippet: str
    """Text around the match, highlighted words between HIGHLIGHT_START and HIGHLIGHT_END."""


@dataclass(frozen=True)
class SearchPage:
    hits: list[SearchHit]
    total: int


def _filters(owner: Owner, request: SearchRequest) -> list[ColumnElement[bool]]:
    conditions = [owned_by(owner)]
    if request.conversation_id is not None:
        conditions.append(Message.conversation_id == request.conversation_id)
    if request.role is not None:
        conditions.append(Message.role == request.role)
    return conditions


def _postgresql_matches(owner: Owner, request: SearchRequest) -> tuple[Select[Any], Any]:
    """(message id, rank) of every match, and the tsquery."""
    tsquery = func.websearch_to_tsquery(_config, request.query.text)
    # Cover density, divided by 1 + log(length): repeats and nearness count, length less.
    rank = func.ts_rank_cd(_search_vector, tsquery, 1)
    matches = (
        select(Message.id, rank.label("rank"))
        .join(Conversation, Conversation.id == Message.conversation_id)
        .where(
            _search_vector.op("@@")(tsquery),
            # A query of exclusions alone (stop words dropped) cannot use the index: no hits.
            func.querytree(tsquery) != "T",
            *_filters(owner, request),
        )
    )
    return matches, tsquery


def _sqlite_matches(owner: Owner, request: SearchRequest) -> tuple[Select[Any], Any]:
    """(message id, rank, FTS rowid) of every match, and the FTS5 expression."""
    expression = literal(request.query.fts5())
    # bm25() works only in the FTS query itself, so that is a subquery of its own; it is
    # lower for better matches: negated, higher is better on both databases.
    fts_hits = (
        select(_fts.c.rowid, (-func.bm25(_fts_table)).label("rank"))
        .where(_fts_table.op("MATCH")(expression))
        .subquery("fts_hits")
    )
    matches = (
        select(Message.id, fts_hits.c.rank, fts_hits.c.rowid.label("fts_rowid"))
        .select_from(fts_hits)
        .join(_fts_key, _fts_key.c.rowid == fts_hits.c.rowid)
        .join(Message, Message.id == _fts_key.c.message_id)
        .join(Conversation, Conversation.id == Message.conversation_id)
        .where(*_filters(owner, request))
    )
    return matches, expression


def _postgresql_snippet(tsquery: Any) -> Any:
    options = (
        f"StartSel={HIGHLIGHT_START}, StopSel={HIGHLIGHT_END}, "
        f"MaxWords={SNIPPET_WORDS}, MinWords={SNIPPET_WORDS // 2}"
    )
    return func.ts_headline(_config, Message.content, tsquery, options)


def _sqlite_snippet() -> Any:
    return func.snippet(_fts_table, 0, HIGHLIGHT_START, HIGHLIGHT_END, ELLIPSIS, SNIPPET_WORDS)


async def search_messages(
    session: AsyncSession, owner: Owner, request: SearchRequest
) -> SearchPage:
    """One page of hits, best first (ties: by message id), and the number of all hits."""
    postgresql = session.bind.dialect.name == "postgresql"
    matches, query = (
        _postgresql_matches(owner, request) if postgresql else _sqlite_matches(owner, request)
    )
    # Every match is ranked before the page is cut, so counting them all costs nothing more.
    # The ranks are made below the count's window, so that it holds (id, rank) pairs and not
    # whole rows; OFFSET 0 keeps PostgreSQL from merging the two levels.
    ranked = matches.offset(0).subquery("ranked")
    page = (
        select(ranked, func.count().over().label("total"))
        .order_by(ranked.c.rank.desc(), ranked.c.id)
        .offset(request.offset)
        .limit(request.limit)
        .subquery("page")
    )
    statement = select(Message, page.c.rank, page.c.total).join(page, page.c.id == Message.id)
    if postgresql:
        statement = statement.add_columns(_postgresql_snippet(query))
    else:
        # snippet() only works in the FTS query itself: matched again, cut to the page's rows.
        statement = (
            statement.add_columns(_sqlite_snippet())
            .join(_fts, _fts.c.rowid == page.c.fts_rowid)
            .where(_fts_table.op("MATCH")(query))
        )
    rows = (await session.execute(statement.order_by(page.c.rank.desc(), Message.id))).all()
    hits = [
        SearchHit(message, float(score), _with_ellipses(snippet, message.content, postgresql))
        for message, score, _, snippet in rows
    ]
    if rows:
        return SearchPage(hits, rows[0].total)
    total = await session.scalar(select(func.count()).select_from(matches.subquery()))
    return SearchPage(hits, total or 0)


def _with_ellipses(snippet: str, content: str, postgresql: bool) -> str:
    """ts_headline cuts without saying so: mark the cuts as FTS5's snippet does."""
    if not postgresql:
        return snippet
    plain = snippet.replace(HIGHLIGHT_START, "").replace(HIGHLIGHT_END, "")
    if not content.startswith(plain):
        snippet = ELLIPSIS + snippet
    if not content.endswith(plain):
        snippet += ELLIPSIS
    return snippet

"""The object types: Conversation, Branch, Message, and a search hit.

Built from rows with `from_row()`; every nested field reads through the request's
DataLoaders, so a page costs the same number of statements whatever its size.
"""

import uuid
from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Annotated, Any, TypeVar

import strawberry
from strawberry.dataloader import DataLoader
from strawberry.scalars import JSON

from convograph.context import Context
from convograph.db.loaders import RankWindow
from convograph.db.paths import PathWindow
from convograph.db.rows import StoredBranch, StoredConversation, StoredMessage
from convograph.db.search import HIGHLIGHT_END, HIGHLIGHT_START, SearchHit
from convograph.schema.enums import MessageStatus, Role
from convograph.schema.pagination import Connection, IndexWindow, PageArgs
from convograph.schema.request_errors import BadUserInput, DeletedMeanwhile, OverLimit

Info = strawberry.Info[Context, None]
T = TypeVar("T")

FIRST = Annotated[
    int | None, strawberry.argument(description="At most this many from the start (<= 100).")
]
AFTER = Annotated[str | None, strawberry.argument(description="Items after this cursor.")]
LAST = Annotated[
    int | None, strawberry.argument(description="At most this many from the end (<= 100).")
]
BEFORE = Annotated[str | None, strawberry.argument(description="Items before this cursor.")]


def paged(
    read: Callable[[Any, Info, PageArgs], Awaitable[Connection[T]]],
) -> Callable[..., Awaitable[Connection[T]]]:
    """The resolver of a connection field whose only arguments are the page's: `first`,
    `after`, `last` and `before` (declared here once), given to `read` as one PageArgs.
    `read` names the field and its return annotation is the field's type."""

    async def resolver(
        self: Any,
        info: Info,
        first: FIRST = None,
        after: AFTER = None,
        last: LAST = None,
        before: BEFORE = None,
    ) -> Connection[T]:
        return await read(self, info, PageArgs(first, after, last, before))

    resolver.__name__, resolver.__qualname__ = read.__name__, read.__qualname__
    resolver.__annotations__["return"] = read.__annotations__["return"]
    return resolver


def _window(info: Info, args: PageArgs, total: int) -> IndexWindow:
    settings = info.context.settings
    return IndexWindow.of(args.checked(settings.max_page_size), total, settings.default_page_size)


async def _ranked_page(
    info: Info,
    count: DataLoader[uuid.UUID, int],
    window_of: DataLoader[RankWindow, list[Any]],
    key: uuid.UUID,
    args: PageArgs,
    present: Callable[[Any], T],
) -> Connection[T]:
    """A page of one group of a ranked list (children, branches, forks): its total first,
    then the window the arguments ask for, each through the request's loaders."""
    window = _window(info, args, await count.load(key))
    rows = await window_of.load(RankWindow(key, window.lo, window.hi))
    return window.connection([present(row) for row in rows])


async def _path_page(info: Info, tip_id: uuid.UUID | None, args: PageArgs) -> "Connection[Message]":
    """A page of the path root -> tip; positions on a path are depths."""
    loaders = info.context.loaders
    tip = await loaders.message.load(tip_id) if tip_id else None
    window = _window(info, args, tip.depth + 1 if tip else 0)
    rows = await loaders.path_window.load(PathWindow(tip.id, window.lo, window.hi)) if tip else []
    # Each message's parent is the one before it on the path: `parent` needs no read.
    for row in rows:
        loaders.message.prime(row.id, row)
    return window.connection([Message.from_row(row) for row in rows])


@strawberry.type(description="One message: a node of the conversation's tree.")
class Message:
    id: uuid.UUID
    role: Role
    content: str
    name: str | None
    tool_calls: JSON | None
    tool_call_id: str | None
    metadata: JSON
    depth: int = strawberry.field(description="0 for a root, else the parent's depth + 1.")
    status: MessageStatus
    delta_count: int = strawberry.field(
        description=(
            "How many deltas appendMessageContent applied: the index of the next one. A"
            " subscriber that read the content skips MESSAGE_CONTENT_APPENDED events with a"
            " lower deltaIndex."
        )
    )
    created_at: datetime
    updated_at: datetime
    conversation_id: strawberry.Private[uuid.UUID]
    parent_id: strawberry.Private[uuid.UUID | None]
    edit_of_id: strawberry.Private[uuid.UUID | None]

    @classmethod
    def from_row(cls, row: StoredMessage) -> "Message":
        return cls(
            id=row.id,
            role=Role(row.role),
            content=row.content,
            name=row.name,
            tool_calls=row.tool_calls,
            tool_call_id=row.tool_call_id,
            metadata=row.meta,
            depth=row.depth,
            status=MessageStatus(row.status),
            delta_count=row.delta_count,
            created_at=row.created_at,
            updated_at=row.updated_at,
            conversation_id=row.conversation_id,
            parent_id=row.parent_id,
            edit_of_id=row.edit_of_id,
        )

    @strawberry.field
    async def conversation(self, info: Info) -> "Conversation":
        return await _conversation(info, self.conversation_id)

    @strawberry.field(description="The message this one answers; null for a root.")
    def parent(self, info: Info) -> "Message | None":
        # Usually read already, with the page it is on: then answered without a coroutine,
        # which graphql-core completes much faster than an awaitable.
        return _message_now(info, self.parent_id)  # type: ignore[return-value]

    @strawberry.field(description="The message this one is an edit of, if it is one.")
    async def edit_of(self, info: Info) -> "Message | None":
        return await load_message(info, self.edit_of_id)

    @strawberry.field(description="0-based position among its siblings, in creation order.")
    async def sibling_index(self, info: Info) -> int:
        position = await info.context.loaders.sibling_position.load(self.id)
        return position.index if position else 0

    @strawberry.field(
        description="How many children its parent has (roots: the conversation's roots)."
    )
    async def sibling_count(self, info: Info) -> int:
        position = await info.context.loaders.sibling_position.load(self.id)
        return position.count if position else 1

    @strawberry.field(description="Replies to this message, in creation order.")
    @paged
    async def children(self, info: Info, page: PageArgs) -> Connection["Message"]:
        loaders = info.context.loaders
        return await _ranked_page(
            info,
            loaders.child_count,
            loaders.child_window,
            self.id,
            page,
            Message.from_row,
        )


Row = TypeVar("Row")


async def _loaded(
    loader: DataLoader[uuid.UUID, Row | None], id: uuid.UUID | None, build: Callable[[Row], T]
) -> T | None:
    """The API object of the row with `id`; None for no id, or no row the caller may see."""
    row = await loader.load(id) if id is not None else None
    return build(row) if row is not None else None


async def load_conversation(info: Info, id: uuid.UUID | None) -> "Conversation | None":
    return await _loaded(info.context.loaders.conversation, id, Conversation.from_row)


async def load_message(info: Info, id: uuid.UUID | None) -> Message | None:
    return await _loaded(info.context.loaders.message, id, Message.from_row)


async def load_branch(info: Info, id: uuid.UUID | None) -> "Branch | None":
    return await _loaded(info.context.loaders.branch, id, Branch.from_row)


async def _conversation(info: Info, conversation_id: uuid.UUID) -> "Conversation":
    """The conversation of an object this request has read: it exists unless deleted since."""
    conversation = await load_conversation(info, conversation_id)
    if conversation is None:
        raise DeletedMeanwhile("The conversation was deleted while this request ran; try again.")
    return conversation


def _message_now(
    info: Info, message_id: uuid.UUID | None
) -> Message | Awaitable[Message | None] | None:
    """`_message`, without awaiting when the request has read that message already."""
    if message_id is None:
        return None
    read = info.context.loaders.message.cache_map.get(message_id)
    if read is None or not read.done() or read.exception() is not None:
        return load_message(info, message_id)
    row = read.result()
    return Message.from_row(row) if row else None


@strawberry.type(description="A line of the conversation: the path from a root to its tip.")
class Branch:
    id: uuid.UUID
    name: str | None = strawberry.field(description="Unique within its conversation, if set.")
    created_at: datetime
    updated_at: datetime = strawberry.field(
        description="When its path last changed (grew, or was cut back by a deletion) or it was created."
    )
    conversation_id: strawberry.Private[uuid.UUID]
    tip_id: strawberry.Private[uuid.UUID | None]
    forked_from_id: strawberry.Private[uuid.UUID | None]
    branch_point_id: strawberry.Private[uuid.UUID | None]

    @classmethod
    def from_row(cls, row: StoredBranch) -> "Branch":
        return cls(
            id=row.id,
            name=row.name,
            created_at=row.created_at,
            updated_at=row.updated_at,
            conversation_id=row.conversation_id,
            tip_id=row.tip_id,
            forked_from_id=row.forked_from_id,
            branch_point_id=row.branch_point_id,
        )

    @strawberry.field
    async def conversation(self, info: Info) -> "Conversation":
        return await _conversation(info, self.conversation_id)

    @strawberry.field(description="Its last message; null while the conversation is empty.")
    async def tip(self, info: Info) -> Message | None:
        return await load_message(info, self.tip_id)

    @strawberry.field(
        description=(
            "The message it forked after; null for a branch from a root, or once a deletion"
            " cut its path back above it."
        )
    )
    async def branch_point(self, info: Info) -> Message | None:
        return await load_message(info, self.branch_point_id)

    @strawberry.field(description="The branch it was forked from.")
    async def forked_from(self, info: Info) -> "Branch | None":
        return await load_branch(info, self.forked_from_id)

    @strawberry.field(description="Whether it is its conversation's current branch.")
    async def is_current(self, info: Info) -> bool:
        row = await info.context.loaders.conversation.load(self.conversation_id)
        return row is not None and row.current_branch_id == self.id

    @strawberry.field(description="The length of its path.")
    async def message_count(self, info: Info) -> int:
        tip = await info.context.loaders.message.load(self.tip_id) if self.tip_id else None
        return tip.depth + 1 if tip else 0

    @strawberry.field(description="Its path, root first.")
    @paged
    async def messages(self, info: Info, page: PageArgs) -> Connection[Message]:
        return await _path_page(info, self.tip_id, page)


@strawberry.type(description="A conversation: a tree of messages and the branches through it.")
class Conversation:
    id: uuid.UUID
    title: str | None
    metadata: JSON
    created_at: datetime
    updated_at: datetime
    archived_at: datetime | None = strawberry.field(
        description="When it was archived; null unless it is archived."
    )
    version: int = strawberry.field(
        description=(
            "The sequence of its latest event: changes with every write. Subscribe with"
            " afterSequence set to it to miss nothing after this read; pass it as"
            " expectedVersion to write only if nothing changed meanwhile."
        )
    )
    current_branch_id: strawberry.Private[uuid.UUID | None]
    forked_from_conversation_id: strawberry.Private[uuid.UUID | None]
    forked_from_message_id: strawberry.Private[uuid.UUID | None]

    @classmethod
    def from_row(cls, row: StoredConversation) -> "Conversation":
        return cls(
            id=row.id,
            title=row.title,
            metadata=row.meta,
            created_at=row.created_at,
            updated_at=row.updated_at,
            archived_at=row.archived_at,
            version=row.version,
            current_branch_id=row.current_branch_id,
            forked_from_conversation_id=row.forked_from_conversation_id,
            forked_from_message_id=row.forked_from_message_id,
        )

    @strawberry.field(description="The branch that reads and appends use when none is named.")
    async def current_branch(self, info: Info) -> Branch:
        branch = await load_branch(info, self.current_branch_id)
        if branch is None:
            raise DeletedMeanwhile(
                "The conversation was deleted while this request ran; try again."
            )
        return branch

    @strawberry.field(
        description="Where it was forked from; null if it is no fork or its source was deleted."
    )
    async def forked_from(self, info: Info) -> "ForkSource | None":
        source = await load_conversation(info, self.forked_from_conversation_id)
        if source is None:
            return None
        return ForkSource(conversation=source, message_id=self.forked_from_message_id)

    @strawberry.field(description="Conversations forked from this one, oldest first.")
    @paged
    async def forks(self, info: Info, page: PageArgs) -> Connection["Conversation"]:
        loaders = info.context.loaders
        return await _ranked_page(
            info,
            loaders.fork_count,
            loaders.fork_window,
            self.id,
            page,
            Conversation.from_row,
        )

    @strawberry.field(description="Every message of the tree.")
    async def message_count(self, info: Info) -> int:
        return await info.context.loaders.message_count.load(self.id)

    @strawberry.field
    async def branch_count(self, info: Info) -> int:
        return await info.context.loaders.branch_count.load(self.id)

    @strawberry.field(description="Its branches, oldest first.")
    @paged
    async def branches(self, info: Info, page: PageArgs) -> Connection[Branch]:
        loaders = info.context.loaders
        return await _ranked_page(
            info,
            loaders.branch_count,
            loaders.branch_window,
            self.id,
            page,
            Branch.from_row,
        )

    @strawberry.field(description="A branch's path, root first (default: the current branch).")
    async def messages(
        self,
        info: Info,
        branch_id: uuid.UUID | None = None,
        first: FIRST = None,
        after: AFTER = None,
        last: LAST = None,
        before: BEFORE = None,
    ) -> Connection[Message]:
        branch = await info.context.loaders.branch.load(branch_id or self.current_branch_id)  # type: ignore[arg-type]
        if branch is None or branch.conversation_id != self.id:
            raise BadUserInput(f"Branch {branch_id} is not a branch of conversation {self.id}.")
        return await _path_page(info, branch.tip_id, PageArgs(first, after, last, before))

    @strawberry.field(
        description=(
            "Every message of the tree, in creation order (createdAt, then id), whatever"
            " branch holds it: with each one's `parent` and `siblingIndex` a client draws"
            " the whole tree."
        )
    )
    @paged
    async def messages_in_tree(self, info: Info, page: PageArgs) -> Connection[Message]:
        loaders = info.context.loaders
        window = _window(info, page, await loaders.message_count.load(self.id))
        rows = await loaders.tree_window.load(RankWindow(self.id, window.lo, window.hi))
        # A parent on the same page (or read before) answers `parent` without a read.
        for row in rows:
            loaders.message.prime(row.id, row)
        return window.connection([Message.from_row(row) for row in rows])


@strawberry.type(description="A message that matches a search, and where it lies in its tree.")
class MessageSearchHit:
    message: Message
    rank: float = strawberry.field(
        description="Relevance: higher is better; comparable within one search only."
    )
    highlighted: strawberry.Private[str]

    @classmethod
    def from_hit(cls, hit: SearchHit) -> "MessageSearchHit":
        return cls(message=Message.from_row(hit.message), rank=hit.rank, highlighted=hit.snippet)

    @strawberry.field
    async def conversation(self, info: Info) -> Conversation:
        return await _conversation(info, self.message.conversation_id)

    @strawberry.field(
        description=(
            "Text around the match with each matching word between `startMark` and `endMark`; "
            "`…` marks a cut. The text itself is not escaped."
        )
    )
    def snippet(self, info: Info, start_mark: str = "<mark>", end_mark: str = "</mark>") -> str:
        # Each mark is repeated around every matching word: its length multiplies the answer.
        most = info.context.settings.max_mark_length
        for argument, mark in (("startMark", start_mark), ("endMark", end_mark)):
            if len(mark) > most:
                raise OverLimit(f"`{argument}` is {len(mark)} characters; at most {most}.")
        return self.highlighted.replace(HIGHLIGHT_START, start_mark).replace(
            HIGHLIGHT_END, end_mark
        )

    @strawberry.field(
        description="The branches whose path holds the message (any opens it), oldest first."
    )
    @paged
    async def branches(self, info: Info, page: PageArgs) -> Connection[Branch]:
        loaders = info.context.loaders
        return await _ranked_page(
            info,
            loaders.holding_branch_count,
            loaders.holding_branch_window,
            self.message.id,
            page,
            Branch.from_row,
        )

    @strawberry.field(description="The path from its root to the message, root first.")
    @paged
    async def path(self, info: Info, page: PageArgs) -> Connection[Message]:
        # The message is the path's tip, and its depth gives the length: no read needed.
        window = _window(info, page, self.message.depth + 1)
        rows = await info.context.loaders.path_window.load(
            PathWindow(self.message.id, window.lo, window.hi)
        )
        return window.connection([Message.from_row(row) for row in rows])


@strawberry.type(description="Where a forked conversation came from.")
class ForkSource:
    conversation: Conversation
    message_id: strawberry.Private[uuid.UUID | None]

    @strawberry.field(
        description="The message whose path was copied; null once that message is deleted."
    )
    async def message(self, info: Info) -> Message | None:
        return await load_message(info, self.message_id)

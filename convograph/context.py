"""The per-request context: the database, the caller, and that request's DataLoaders."""

import uuid
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

from strawberry.dataloader import DataLoader

from convograph.auth import Principal
from convograph.broker import EventBroker
from convograph.db import branch_membership
from convograph.db import loaders as batch
from convograph.db.engine import Database
from convograph.db.paths import PathWindow, load_path_windows
from convograph.db.rows import StoredBranch, StoredConversation, StoredMessage
from convograph.db.tables import Branch, Conversation, Message
from convograph.settings import Settings

V = TypeVar("V")


@dataclass
class Loaders:
    """One DataLoader per kind of nested read; each batch runs on its own short connection."""

    conversation: DataLoader[uuid.UUID, StoredConversation | None]
    branch: DataLoader[uuid.UUID, StoredBranch | None]
    message: DataLoader[uuid.UUID, StoredMessage | None]
    message_count: DataLoader[uuid.UUID, int]
    branch_count: DataLoader[uuid.UUID, int]
    child_count: DataLoader[uuid.UUID, int]
    fork_count: DataLoader[uuid.UUID, int]
    sibling_position: DataLoader[uuid.UUID, batch.SiblingPosition | None]
    path_window: DataLoader[PathWindow, list[StoredMessage]]
    branch_window: DataLoader[batch.RankWindow, list[StoredBranch]]
    child_window: DataLoader[batch.RankWindow, list[StoredMessage]]
    tree_window: DataLoader[batch.RankWindow, list[StoredMessage]]
    holding_branch_count: DataLoader[uuid.UUID, int]
    holding_branch_window: DataLoader[batch.RankWindow, list[StoredBranch]]
    fork_window: DataLoader[batch.RankWindow, list[StoredConversation]]

    @classmethod
    def create(cls, database: Database, owner: str | None) -> "Loaders":
        def loader(fetch: Callable[..., Awaitable[list[V]]], *scope: Any) -> DataLoader[Any, V]:
            async def load(keys: Sequence[Any]) -> list[V]:
                async with database.connect() as connection:
                    return await fetch(connection, *scope, list(keys))

            return DataLoader(load_fn=load)

        return cls(
            conversation=loader(batch.conversations_by_id, owner),
            branch=loader(batch.branches_by_id, owner),
            message=loader(batch.messages_by_id, owner),
            message_count=loader(batch.message_counts),
            branch_count=loader(batch.branch_counts),
            child_count=loader(batch.child_counts),
            fork_count=loader(batch.fork_counts, owner),
            sibling_position=loader(batch.sibling_positions),
            path_window=loader(load_path_windows),
            branch_window=loader(batch.branch_windows),
            child_window=loader(batch.child_windows),
            tree_window=loader(batch.tree_windows),
            holding_branch_count=loader(branch_membership.holding_branch_counts),
            holding_branch_window=loader(branch_membership.holding_branch_windows),
            fork_window=loader(batch.fork_windows, owner),
        )


@dataclass
class Context:
    database: Database
    settings: Settings
    principal: Principal
    # Delivers committed events to subscriptions; None where nothing subscribes.
    broker: EventBroker | None = None
    # A WebSocket's `connection_init` payload (strawberry sets it); empty over HTTP.
    connection_params: dict[str, object] = field(default_factory=dict)
    request_id: str = field(default_factory=lambda: uuid.uuid4().hex)
    _loaders: Loaders | None = field(default=None, init=False, repr=False)

    @property
    def loaders(self) -> Loaders:
        # Made on first use: a request answered by one compiled statement needs none, and
        # most of a subscriber's events share their results with another subscriber's.
        if self._loaders is None:
            self._loaders = Loaders.create(self.database, self.owner)
        return self._loaders

    @property
    def owner(self) -> str | None:
        """Whose conversations this request sees and changes; None (an admin): everyone's."""
        return self.principal.owner

    @property
    def subject(self) -> str:
        """Who is calling: the owner of what this request creates."""
        return self.principal.subject

    def refresh_loaders(self, written: Sequence[object] = ()) -> None:
        """Forget what this request has read: after a mutation commits, reads start afresh,
        except for the rows it wrote, which its payload shows as the mutation left them
        even if another request changes or deletes them in the meantime."""
        self._loaders = None
        for row in written:
            if isinstance(row, Conversation):
                self.loaders.conversation.prime(row.id, row)
            elif isinstance(row, Branch):
                self.loaders.branch.prime(row.id, row)
            elif isinstance(row, Message):
                self.loaders.message.prime(row.id, row)

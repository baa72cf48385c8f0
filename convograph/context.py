"""The per-request context: the database, the caller, and that request's DataLoaders."""

import uuid
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from functools import cached_property
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


class Loaders:
    """One DataLoader per kind of nested read; each batch runs on its own short connection.

    Each is made on first use: most requests (a mutation's payload, say) need two or three
    of them, and a mutation makes a fresh set once it has written."""

    def __init__(self, database: Database, owner: str | None) -> None:
        self._database = database
        self._owner = owner

    def _loader(self, fetch: Callable[..., Awaitable[list[V]]], *scope: Any) -> DataLoader[Any, V]:
        database = self._database

        async def load(keys: Sequence[Any]) -> list[V]:
            async with database.connect() as connection:
                return await fetch(connection, *scope, list(keys))

        return DataLoader(load_fn=load)

    @cached_property
    def conversation(self) -> DataLoader[uuid.UUID, StoredConversation | None]:
        return self._loader(batch.conversations_by_id, self._owner)

    @cached_property
    def branch(self) -> DataLoader[uuid.UUID, StoredBranch | None]:
        return self._loader(batch.branches_by_id, self._owner)

    @cached_property
    def message(self) -> DataLoader[uuid.UUID, StoredMessage | None]:
        return self._loader(batch.messages_by_id, self._owner)

    @cached_property
    def message_count(self) -> DataLoader[uuid.UUID, int]:
        return self._loader(batch.message_counts)

    @cached_property
    def branch_count(self) -> DataLoader[uuid.UUID, int]:
        return self._loader(batch.branch_counts)

    @cached_property
    def child_count(self) -> DataLoader[uuid.UUID, int]:
        return self._loader(batch.child_counts)

    @cached_property
    def fork_count(self) -> DataLoader[uuid.UUID, int]:
        return self._loader(batch.fork_counts, self._owner)

    @cached_property
    def sibling_position(self) -> DataLoader[uuid.UUID, batch.SiblingPosition | None]:
        return self._loader(batch.sibling_positions)

    @cached_property
    def path_window(self) -> DataLoader[PathWindow, list[StoredMessage]]:
        return self._loader(load_path_windows)

    @cached_property
    def branch_window(self) -> DataLoader[batch.RankWindow, list[StoredBranch]]:
        return self._loader(batch.branch_windows)

    @cached_property
    def child_window(self) -> DataLoader[batch.RankWindow, list[StoredMessage]]:
        return self._loader(batch.child_windows)

    @cached_property
    def tree_window(self) -> DataLoader[batch.RankWindow, list[StoredMessage]]:
        return self._loader(batch.tree_windows)

    @cached_property
    def holding_branch_count(self) -> DataLoader[uuid.UUID, int]:
        return self._loader(branch_membership.holding_branch_counts)

    @cached_property
    def holding_branch_window(self) -> DataLoader[batch.RankWindow, list[StoredBranch]]:
        return self._loader(branch_membership.holding_branch_windows)

    @cached_property
    def fork_window(self) -> DataLoader[batch.RankWindow, list[StoredConversation]]:
        return self._loader(batch.fork_windows, self._owner)


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
            self._loaders = Loaders(self.database, self.owner)
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

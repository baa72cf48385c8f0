"""How many pool connections writes to one conversation may hold in this process.

Writers to one conversation take turns on its row lock. Without a bound, a conversation
whose lock is held (by a long transaction, or another client) collects every pooled
connection of the process in writers waiting for that lock, and writes to every other
conversation then wait for the pool. A writer therefore takes its conversation's turn
here, before it checks out a connection: at most `per_conversation` of them hold one,
the others queue for at most `wait_seconds` and then fail fast with `ConversationBusy`.
"""

import asyncio
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field


class ConversationBusy(Exception):
    """Too many writes to one conversation are already under way in this process."""

    def __init__(self, conversation_id: uuid.UUID, wait_seconds: float) -> None:
        super().__init__(conversation_id)
        self.conversation_id = conversation_id
        self.wait_seconds = wait_seconds


@dataclass
class _Gate:
    semaphore: asyncio.Semaphore
    users: int = field(default=0)


class ConversationGates:
    def __init__(self, per_conversation: int, wait_seconds: float) -> None:
        self.per_conversation = per_conversation
        self.wait_seconds = wait_seconds
        self._gates: dict[uuid.UUID, _Gate] = {}

    @asynccontextmanager
    async def turn(self, conversation_id: uuid.UUID | None) -> AsyncIterator[None]:
        """Hold one of the conversation's write slots for the block (None: no gate)."""
        if conversation_id is None:
            yield
            return
        gate = self._gates.get(conversation_id)
        if gate is None:
            gate = self._gates[conversation_id] = _Gate(asyncio.Semaphore(self.per_conversation))
        gate.users += 1
        try:
            try:
                await asyncio.wait_for(gate.semaphore.acquire(), self.wait_seconds)
            except TimeoutError:
                raise ConversationBusy(conversation_id, self.wait_seconds) from None
            try:
                yield
            finally:
                gate.semaphore.release()
        finally:
            gate.users -= 1
            if gate.users == 0:
                del self._gates[conversation_id]

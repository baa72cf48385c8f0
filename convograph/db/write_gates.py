"""How many pool connections writes to one conversation may hold in this process.

Writers to one conversation take turns on its row lock. Without a bound, a conversation
whose lock is held (by a long transaction, or another client) collects every pooled
connection of the process in writers waiting for that lock, and writes to every other
conversation then wait for the pool. A writer therefore takes its conversation's turn
here, before it checks out a connection: at most `per_conversation` of them hold one,
the others queue, and fail fast with `ConversationBusy` once no write to it has finished
for `wait_seconds`: a burst of writes to a healthy conversation all get their turn, while
the queue of a stuck one empties quickly.
"""

import asyncio
import time
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
    # When a write to the conversation last finished (monotonic seconds).
    progress: float = field(default_factory=time.monotonic)


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
            await self._acquire(gate, conversation_id)
            try:
                yield
            finally:
                gate.progress = time.monotonic()
                gate.semaphore.release()
        finally:
            gate.users -= 1
            if gate.users == 0:
                del self._gates[conversation_id]

    async def _acquire(self, gate: _Gate, conversation_id: uuid.UUID) -> None:
        since = time.monotonic()
        while True:
            stalled_since = max(since, gate.progress)
            remaining = stalled_since + self.wait_seconds - time.monotonic()
            try:
                await asyncio.wait_for(gate.semaphore.acquire(), max(0.0, remaining))
                return
            except TimeoutError:
                if gate.progress <= stalled_since:
                    raise ConversationBusy(conversation_id, self.wait_seconds) from None

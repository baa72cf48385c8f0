"""A bounded cache of what is computed from a parsed document, keyed by the document itself.

`DocumentCache` hands out one `DocumentNode` per distinct text, so the object's identity
names the document. Hashing it instead (as `functools.lru_cache` does with its arguments)
walks the whole tree on every request: graphql-core's nodes hash every field of every
node. Each entry keeps its document, so an identity is never reused while it is cached.
"""

from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

from graphql import DocumentNode

T = TypeVar("T")


class ByDocument(Generic[T]):
    """`compute(document, *key)`, remembered for the most recent `size` (document, key)."""

    def __init__(self, compute: Callable[..., T], size: int) -> None:
        self._compute = compute
        self._size = size
        self._entries: OrderedDict[tuple[int, tuple[Hashable, ...]], tuple[DocumentNode, T]] = (
            OrderedDict()
        )

    def __call__(self, document: DocumentNode, *key: Hashable) -> T:
        slot = (id(document), key)
        entry = self._entries.get(slot)
        if entry is not None and entry[0] is document:
            self._entries.move_to_end(slot)
            return entry[1]
        value = self._compute(document, *key)
        self._entries[slot] = (document, value)
        if len(self._entries) > self._size:
            self._entries.popitem(last=False)
        return value

    def cache_clear(self) -> None:
        self._entries.clear()

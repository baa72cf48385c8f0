"""Persisted documents: a request may name its document by hash instead of sending it.

Two conventions, over POST and GET:

- GraphQL-over-HTTP's `documentId: "sha256:<hex>"` (its appendix "Persisted Documents");
- Apollo's and urql's automatic persisted queries: `extensions.persistedQuery =
  {version: 1, sha256Hash}`. A hash the server does not know is answered with
  `PersistedQueryNotFound` (`extensions.code` PERSISTED_QUERY_NOT_FOUND); the client then
  sends the hash with the text, which registers it.

A text sent with its hash is checked against it, so nobody can register a text under
another document's hash. The store is per process (each worker learns a document on its
own first miss) and bounded in entries and bytes: anyone can register documents. The same
text object is handed out each time, so the parse and validation caches
(`convograph.api.document_cache`) find it by its hash, computed once: a persisted document
is parsed and validated once per process.
"""

import hashlib
import re
from collections import OrderedDict
from dataclasses import dataclass, replace
from typing import Any

from strawberry.http import GraphQLRequestData

from convograph.schema.request_errors import RequestErrorCode

MAX_DOCUMENTS = 1_000
MAX_BYTES = 16 * 1024 * 1024
NOT_FOUND_MESSAGE = "PersistedQueryNotFound"

_HEX = re.compile(r"[0-9a-f]{64}")


@dataclass
class PersistedDocumentError(Exception):
    """A request whose persisted document cannot be used; answered with a GraphQL error."""

    message: str
    code: RequestErrorCode
    status: int = 200


class PersistedDocuments:
    """Document texts by the hex SHA-256 of their UTF-8 bytes, least recently used first out."""

    def __init__(self, max_documents: int = MAX_DOCUMENTS, max_bytes: int = MAX_BYTES) -> None:
        self.max_documents = max_documents
        self.max_bytes = max_bytes
        self._texts: OrderedDict[str, str] = OrderedDict()
        self._bytes = 0

    def __len__(self) -> int:
        return len(self._texts)

    def get(self, digest: str) -> str | None:
        text = self._texts.get(digest)
        if text is not None:
            self._texts.move_to_end(digest)
        return text

    def register(self, text: str, digest: str | None = None) -> str:
        """Keep `text`; `digest`, when the client gave one, must be the text's."""
        actual = hashlib.sha256(text.encode()).hexdigest()
        if digest is not None and digest != actual:
            raise PersistedDocumentError(
                "The document's SHA-256 hash is not the one given.",
                RequestErrorCode.BAD_USER_INPUT,
                400,
            )
        size = len(text.encode())
        if actual not in self._texts and size <= self.max_bytes:
            self._texts[actual] = text
            self._bytes += size
            while len(self._texts) > self.max_documents or self._bytes > self.max_bytes:
                _, dropped = self._texts.popitem(last=False)
                self._bytes -= len(dropped.encode())
        return actual


def _document_id(value: Any) -> str:
    if not isinstance(value, str) or not value.startswith("sha256:"):
        raise PersistedDocumentError(
            '`documentId` must be "sha256:" and 64 lowercase hex digits.',
            RequestErrorCode.BAD_USER_INPUT,
            400,
        )
    digest = value.removeprefix("sha256:")
    if not _HEX.fullmatch(digest):
        raise PersistedDocumentError(
            '`documentId` must be "sha256:" and 64 lowercase hex digits.',
            RequestErrorCode.BAD_USER_INPUT,
            400,
        )
    return digest


def _apollo_hash(extensions: dict[str, Any] | None) -> str | None:
    persisted = (extensions or {}).get("persistedQuery")
    if persisted is None:
        return None
    if not isinstance(persisted, dict) or persisted.get("version", 1) != 1:
        raise PersistedDocumentError(
            "`extensions.persistedQuery` must be an object of version 1.",
            RequestErrorCode.BAD_USER_INPUT,
            400,
        )
    digest = persisted.get("sha256Hash")
    if not isinstance(digest, str) or not _HEX.fullmatch(digest):
        raise PersistedDocumentError(
            "`extensions.persistedQuery.sha256Hash` must be 64 lowercase hex digits.",
            RequestErrorCode.BAD_USER_INPUT,
            400,
        )
    return digest


def with_document(
    store: PersistedDocuments, request: GraphQLRequestData, document_id: Any
) -> GraphQLRequestData:
    """The request with its document's text: looked up by hash, or registered under it."""
    digest = _document_id(document_id) if document_id is not None else None
    apollo = _apollo_hash(request.extensions)
    if digest is not None and apollo is not None and digest != apollo:
        raise PersistedDocumentError(
            "`documentId` and `extensions.persistedQuery` name different documents.",
            RequestErrorCode.BAD_USER_INPUT,
            400,
        )
    digest = digest or apollo
    if digest is None:
        return request
    if request.query is not None:
        store.register(request.query, digest)
        return request
    text = store.get(digest)
    if text is None:
        raise PersistedDocumentError(NOT_FOUND_MESSAGE, RequestErrorCode.PERSISTED_QUERY_NOT_FOUND)
    return replace(request, query=text)

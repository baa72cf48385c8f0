"""Import and export: one conversation as a document, and documents into the database."""

import uuid
from datetime import timedelta
from typing import Any

from sqlalchemy.exc import IntegrityError

from convograph.db import idempotency
from convograph.db.errors import DomainError
from convograph.db.input_rules import InputLimits
from convograph.schema.errors import ConflictError, ValidationError, user_error
from convograph.schema.inputs import ImportConversationsInput
from convograph.schema.payloads import (
    ImportConversationsSuccess,
    ImportedConversation,
    ImportFailure,
)
from convograph.schema.types import Info
from convograph.transfer import exporter, importer
from convograph.transfer.documents import DocumentFormat, InvalidDocument, conversations_in
from convograph.transfer.importer import ImportSummary, RecordOutcome


async def export_conversation(info: Info, id: uuid.UUID, format: DocumentFormat) -> Any:
    return await exporter.export_conversation(info.context.database, info.context.owner, id, format)


async def import_conversations(
    info: Info, input: ImportConversationsInput
) -> ImportConversationsSuccess | ValidationError | ConflictError:
    chosen = input.format
    try:
        format, items = conversations_in(input.data, chosen)
    except InvalidDocument as error:
        return ValidationError(detail=error.detail, field="data")
    try:
        request, stored = await _first_import(info, input)
    except DomainError as error:
        return user_error(error)
    if stored is not None:
        return _success(stored)
    broker = info.context.broker
    # A transaction per conversation: one that fails is rolled back, the others stay.
    # What is imported is the caller's, an admin's too (its owner is None: everyone).
    summary = await importer.import_conversations(
        info.context.database,
        info.context.subject,
        format,
        items,
        InputLimits.of(info.context.settings),
        announce=broker.committed if broker is not None else None,
    )
    info.context.refresh_loaders()
    kept = _kept(summary)
    if request is not None:
        kept = await _keep(info, request, kept)
    return _success(kept)


async def _first_import(
    info: Info, input: ImportConversationsInput
) -> tuple[idempotency.Request | None, dict[str, Any] | None]:
    """The keyed request, and the summary kept under its key if it was made before.

    Each conversation's import is idempotent on its source id already; the key makes a
    retry answer with the first summary rather than report everything as skipped.
    """
    if input.idempotency_key is None:
        return None, None
    format = input.format.value if input.format is not None else None
    request = idempotency.request_of(
        info.context.subject,
        input.idempotency_key,
        "importConversations",
        {"data": input.data, "format": format},
    )
    async with info.context.database.transaction() as session:
        stored = await idempotency.stored_result(session, request, _retention(info))
    return request, stored


async def _keep(info: Info, request: idempotency.Request, kept: dict[str, Any]) -> dict[str, Any]:
    """Store the summary under the key; a concurrent import that stored first wins."""
    try:
        async with info.context.database.transaction() as session:
            await idempotency.claim(session, request)
            await idempotency.complete(session, request, kept)
    except IntegrityError:
        async with info.context.database.transaction() as session:
            stored = await idempotency.stored_result(session, request, _retention(info))
        return stored or kept
    return kept


def _retention(info: Info) -> timedelta:
    return timedelta(hours=info.context.settings.idempotency_retention_hours)


def _kept(summary: ImportSummary) -> dict[str, Any]:
    def listed(outcomes: list[RecordOutcome]) -> list[dict[str, Any]]:
        return [
            {
                "index": o.index,
                "sourceId": o.source_id,
                "conversationId": str(o.conversation_id) if o.conversation_id else None,
                "reason": o.reason,
            }
            for o in outcomes
        ]

    return {
        "imported": listed(summary.imported),
        "skipped": listed(summary.skipped),
        "failed": listed(summary.failed),
    }


def _success(kept: dict[str, Any]) -> ImportConversationsSuccess:
    def imported(item: dict[str, Any]) -> ImportedConversation:
        return ImportedConversation(
            index=item["index"],
            source_id=item["sourceId"] or "",
            conversation_id=uuid.UUID(item["conversationId"]),
        )

    return ImportConversationsSuccess(
        imported=[imported(item) for item in kept["imported"]],
        skipped=[imported(item) for item in kept["skipped"]],
        failures=[
            ImportFailure(index=i["index"], source_id=i["sourceId"], reason=i["reason"] or "")
            for i in kept["failed"]
        ],
    )

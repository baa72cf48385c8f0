"""Import and export: one conversation as a document, and documents into the database."""

import uuid
from typing import Any

from convograph.db.input_rules import InputLimits
from convograph.schema.errors import ValidationError
from convograph.schema.inputs import ImportConversationsInput
from convograph.schema.payloads import (
    ImportConversationsSuccess,
    ImportedConversation,
    ImportFailure,
)
from convograph.schema.types import Info
from convograph.transfer import exporter, importer
from convograph.transfer.documents import DocumentFormat, InvalidDocument, conversations_in
from convograph.transfer.importer import RecordOutcome


async def export_conversation(info: Info, id: uuid.UUID, format: DocumentFormat) -> Any:
    return await exporter.export_conversation(info.context.database, info.context.owner, id, format)


def _imported(outcome: RecordOutcome) -> ImportedConversation:
    return ImportedConversation(
        index=outcome.index,
        source_id=outcome.source_id or "",
        conversation_id=outcome.conversation_id,  # type: ignore[arg-type]
    )


async def import_conversations(
    info: Info, input: ImportConversationsInput
) -> ImportConversationsSuccess | ValidationError:
    chosen = input.format
    try:
        format, items = conversations_in(input.data, chosen)
    except InvalidDocument as error:
        return ValidationError(detail=error.detail, field="data")
    # A transaction per conversation: one that fails is rolled back, the others stay.
    # What is imported is the caller's, an admin's too (its owner is None: everyone).
    summary = await importer.import_conversations(
        info.context.database,
        info.context.subject,
        format,
        items,
        InputLimits.of(info.context.settings),
    )
    info.context.refresh_loaders()
    return ImportConversationsSuccess(
        imported=[_imported(outcome) for outcome in summary.imported],
        skipped=[_imported(outcome) for outcome in summary.skipped],
        failures=[
            ImportFailure(index=o.index, source_id=o.source_id, reason=o.reason or "")
            for o in summary.failed
        ],
    )

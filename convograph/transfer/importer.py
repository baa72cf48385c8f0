"""Importing a document: each conversation in a transaction of its own.

A conversation that cannot be read or written is reported by its index in the document
with the reason, and rolled back; the ones before and after it are imported all the same.
One that the owner has imported before (same format, same source id) is skipped.
"""

import logging
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from enum import Enum
from typing import Any

from sqlalchemy.exc import DataError, IntegrityError

from convograph.db import imports
from convograph.db.engine import Database
from convograph.db.errors import InvalidInput
from convograph.db.events import EventNotice, recorded_events
from convograph.db.imports import AlreadyImported, ConversationRecord, InvalidRecord
from convograph.db.input_rules import InputLimits, checked_record
from convograph.transfer import chatgpt_format, convograph_format
from convograph.transfer.documents import DocumentFormat

logger = logging.getLogger("convograph.imports")

READERS: dict[DocumentFormat, Callable[[Any], ConversationRecord]] = {
    DocumentFormat.CONVOGRAPH: convograph_format.read_conversation,
    DocumentFormat.CHATGPT: chatgpt_format.read_conversation,
}


class Status(Enum):
    IMPORTED = "imported"
    SKIPPED = "skipped"
    FAILED = "failed"


@dataclass(frozen=True)
class RecordOutcome:
    """What became of the conversation at `index` (0-based) of the document."""

    index: int
    status: Status
    source_id: str | None
    conversation_id: uuid.UUID | None = None
    reason: str | None = None
    message_count: int = 0
    branch_count: int = 0


@dataclass
class ImportSummary:
    imported: list[RecordOutcome] = field(default_factory=list)
    skipped: list[RecordOutcome] = field(default_factory=list)
    failed: list[RecordOutcome] = field(default_factory=list)

    def add(self, outcome: RecordOutcome) -> None:
        {
            Status.IMPORTED: self.imported,
            Status.SKIPPED: self.skipped,
            Status.FAILED: self.failed,
        }[outcome.status].append(outcome)

    @property
    def message_count(self) -> int:
        return sum(outcome.message_count for outcome in self.imported)

    @property
    def branch_count(self) -> int:
        return sum(outcome.branch_count for outcome in self.imported)


def _source_id(format: DocumentFormat, item: Any) -> str | None:
    """The item's source id as far as it can be told, to name it in a failure."""
    if not isinstance(item, dict):
        return None
    value = item.get("id")
    if format is DocumentFormat.CHATGPT:
        value = item.get("conversation_id") or value
    return value if isinstance(value, str) else None


Announce = Callable[[list[EventNotice]], None]
"""Told the events a committed import wrote (the broker's `committed`)."""


async def import_one(
    database: Database,
    owner: str,
    limits: InputLimits,
    format: DocumentFormat,
    index: int,
    item: Any,
    announce: Announce | None = None,
) -> RecordOutcome:
    source_id = _source_id(format, item)

    def failed(reason: str) -> RecordOutcome:
        return RecordOutcome(index, Status.FAILED, source_id, reason=reason)

    try:
        record = READERS[format](item)
        source_id = record.source_id
        checked_record(record, limits)
        async with database.transaction() as session:
            written = await imports.import_conversation(
                session, owner, format.value, record, native=format is DocumentFormat.CONVOGRAPH
            )
        if announce is not None:
            announce(recorded_events(session))
    except (InvalidRecord, InvalidInput) as error:
        return failed(error.detail)
    except IntegrityError as error:
        logger.warning("import of %r refused by the database: %s", source_id, error.orig)
        # Another import of the same source committed first, or the data breaks a constraint.
        async with database.read() as session:
            existing = await imports.find_import(
                session, owner, format.value, record.source_id, native=False
            )
        if existing is None:
            # The database's own words name its tables and columns: they stay in the log.
            return failed("The database refused it: it breaks a constraint of the data model.")
        written = AlreadyImported(existing)
    except DataError as error:
        logger.warning("import of %r not storable: %s", source_id, error.orig)
        return failed("The database cannot store one of its values.")
    if isinstance(written, AlreadyImported):
        return RecordOutcome(index, Status.SKIPPED, source_id, written.conversation_id)
    return RecordOutcome(
        index,
        Status.IMPORTED,
        source_id,
        written.conversation_id,
        message_count=written.message_count,
        branch_count=written.branch_count,
    )


async def import_conversations(
    database: Database,
    owner: str,
    format: DocumentFormat,
    items: Iterable[Any],
    limits: InputLimits,
    on_outcome: Callable[[RecordOutcome], None] | None = None,
    announce: Announce | None = None,
) -> ImportSummary:
    """Import every conversation of `items` (read lazily, so a file can stream)."""
    summary = ImportSummary()
    for index, item in enumerate(items):
        outcome = await import_one(database, owner, limits, format, index, item, announce)
        summary.add(outcome)
        if on_outcome is not None:
            on_outcome(outcome)
    return summary

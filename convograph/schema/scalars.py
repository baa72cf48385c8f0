"""Scalar spellings shared by both read paths.

A `DateTime` leaves the API in one canonical spelling, UTC with six fraction digits and
`+00:00` (`2026-01-02T03:04:05.000000+00:00`): Python's `isoformat()` drops a zero
fraction and PostgreSQL's `to_json` trims trailing zeros, so the resolver path and the
compiled path (whose SQL spells it with `to_char`, see `convograph.db.compiled_sql`)
would otherwise differ in text for the same instant.
"""

import dataclasses
from datetime import UTC, datetime

from strawberry.schema.types.base_scalars import DateTimeDefinition
from strawberry.types.scalar import ScalarDefinition


def canonical_datetime(value: datetime) -> str:
    return value.astimezone(UTC).isoformat(timespec="microseconds")


DateTimeScalar: ScalarDefinition = dataclasses.replace(
    DateTimeDefinition, serialize=canonical_datetime
)

SCALAR_OVERRIDES = {datetime: DateTimeScalar}

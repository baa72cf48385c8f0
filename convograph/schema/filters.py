"""Filter inputs of queries, and the checks that turn them into the db layer's filters.

They are query arguments: input they cannot use is a top-level BAD_USER_INPUT error.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Any

import strawberry
from strawberry.scalars import JSON

from convograph.db.errors import InvalidInput, LimitExceeded
from convograph.db.filters import ConversationFilter, MetadataFilter
from convograph.db.input_rules import (
    InputLimits,
    checked_json,
    checked_moment,
    checked_text,
    checked_title,
    counted_json,
)
from convograph.schema.request_errors import BadUserInput, OverLimit
from convograph.settings import Settings


@strawberry.input(
    name="MetadataFilter",
    description="Conditions on a conversation's metadata (top-level keys); all must hold.",
)
class MetadataFilterInput:
    equals: JSON | None = strawberry.field(
        default=None,
        description="An object: each of its keys must be present with exactly this value.",
    )
    contains: JSON | None = strawberry.field(
        default=None,
        description=(
            "An object the metadata must contain: objects key by key, arrays element by"
            " element, other values by equality (PostgreSQL's jsonb `@>`)."
        ),
    )
    in_: JSON | None = strawberry.field(
        default=None,
        name="in",
        description="An object of lists: each key must be present with one of its list's values.",
    )
    has_keys: list[str] | None = strawberry.field(
        default=None, description="Keys that must be present, with any value (null too)."
    )

    def checked(self, settings: Settings) -> MetadataFilter:
        with _as_request_errors():
            # Every value of the filter becomes SQL: its size is bounded before any is built.
            left = settings.max_filter_values
            for name, condition in (
                ("equals", self.equals),
                ("contains", self.contains),
                ("in", self.in_),
            ):
                if condition is not None:
                    left -= counted_json(condition, f"filter.metadata.{name}", left)
            if left < 0:
                raise LimitExceeded(
                    f"filter.metadata holds more than {settings.max_filter_values} values.",
                    "filter.metadata",
                )
            conditions = [self.equals, self.contains, self.in_]
            checked_json(conditions, "filter.metadata", settings.max_filter_bytes)
            for key in self.has_keys or ():
                checked_text(key, "filter.metadata.hasKeys")
        one_of = _object(self.in_, "filter.metadata.in")
        for key, values in one_of.items():
            if not isinstance(values, list):
                raise BadUserInput(f"`filter.metadata.in.{key}` must be a list of values.")
        return MetadataFilter(
            equals=_object(self.equals, "filter.metadata.equals"),
            contains=_object(self.contains, "filter.metadata.contains"),
            one_of=one_of,
            has_keys=self.has_keys or (),
        )


@strawberry.input(
    name="ConversationFilter",
    description=(
        "Which conversations the overview keeps; every condition given must hold. Time"
        " ranges are half-open: `…After` includes that instant, `…Before` excludes it."
    ),
)
class ConversationFilterInput:
    archived: bool | None = strawberry.field(
        default=None,
        description="true: only archived ones; false: only those not archived; null: both.",
    )
    title_contains: str | None = strawberry.field(
        default=None,
        description="Part of the title, in any case (SQLite folds ASCII letters only).",
    )
    created_after: datetime | None = None
    created_before: datetime | None = None
    updated_after: datetime | None = None
    updated_before: datetime | None = None
    metadata: MetadataFilterInput | None = None

    def checked(self, settings: Settings) -> ConversationFilter:
        with _as_request_errors():
            moments = {
                argument: None if moment is None else checked_moment(moment, f"filter.{argument}")
                for argument, moment in (
                    ("createdAfter", self.created_after),
                    ("createdBefore", self.created_before),
                    ("updatedAfter", self.updated_after),
                    ("updatedBefore", self.updated_before),
                )
            }
            title = checked_title(
                self.title_contains, InputLimits.of(settings), "filter.titleContains"
            )
        return ConversationFilter(
            archived=self.archived,
            title_contains=title,
            created_after=moments["createdAfter"],
            created_before=moments["createdBefore"],
            updated_after=moments["updatedAfter"],
            updated_before=moments["updatedBefore"],
            metadata=self.metadata.checked(settings) if self.metadata is not None else None,
        )


@contextmanager
def _as_request_errors() -> Iterator[None]:
    """The input rules' errors as top-level errors: filters are query arguments."""
    try:
        yield
    except LimitExceeded as error:
        raise OverLimit(error.detail) from None
    except InvalidInput as error:
        raise BadUserInput(error.detail) from None


def _object(value: Any, argument: str) -> dict[str, Any]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise BadUserInput(f"`{argument}` must be a JSON object.")
    return value

"""Domain errors raised by repositories; the API layer turns them into UserError types."""


class DomainError(Exception):
    def __init__(self, detail: str, field: str | None = None) -> None:
        super().__init__(detail)
        self.detail = detail
        self.field = field


class NotFound(DomainError):
    """The object does not exist or the caller may not see it (the two look the same)."""


class InvalidInput(DomainError):
    """The input names real objects but asks for something the data model forbids."""


class Conflict(DomainError):
    """The input clashes with data that exists, such as a name already taken.

    `current_version` is the conversation's version when the input expected another one;
    `expected_index` the index the next delta of a streamed message must have.
    """

    def __init__(
        self,
        detail: str,
        field: str | None = None,
        *,
        current_version: int | None = None,
        expected_index: int | None = None,
    ) -> None:
        super().__init__(detail, field)
        self.current_version = current_version
        self.expected_index = expected_index


class LimitExceeded(InvalidInput):
    """The input is larger than the configured limit allows."""

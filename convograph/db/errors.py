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
    """The input clashes with data that exists, such as a name already taken."""


class LimitExceeded(InvalidInput):
    """The input is larger than the configured limit allows."""

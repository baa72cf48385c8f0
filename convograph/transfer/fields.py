"""Reading fields of a JSON object, each failure an InvalidRecord naming the field."""

from datetime import UTC, datetime
from typing import Any

from convograph.db.errors import InvalidInput
from convograph.db.imports import InvalidRecord
from convograph.db.input_rules import checked_moment

MAX_SOURCE_ID_LENGTH = 255

_MISSING = object()


def json_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    return "a list" if isinstance(value, list) else "an object"


def expect_object(value: Any, where: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise InvalidRecord(f"{where} must be an object, not {json_type(value)}.")
    return value


class Fields:
    """The fields of one JSON object; `where` names it in errors (`messages[3]`)."""

    def __init__(self, value: Any, where: str) -> None:
        self.values = expect_object(value, where)
        self.where = where

    def _name(self, key: str) -> str:
        return f"{self.where}.{key}" if self.where else key

    def _get(self, key: str, required: bool) -> Any:
        value = self.values.get(key, _MISSING)
        if value is _MISSING and required:
            raise InvalidRecord(f"{self._name(key)} is missing.")
        return None if value is _MISSING else value

    def _typed(self, key: str, value: Any, kind: type | tuple[type, ...], described: str) -> Any:
        # JSON's true and false are no numbers, though Python's bool is an int.
        if isinstance(value, bool) or not isinstance(value, kind):
            raise InvalidRecord(f"{self._name(key)} must be {described}, not {json_type(value)}.")
        return value

    def string(self, key: str) -> str:
        return self._typed(key, self._get(key, True), str, "a string")

    def optional_string(self, key: str) -> str | None:
        value = self._get(key, False)
        return None if value is None else self._typed(key, value, str, "a string or null")

    def source_id(self, key: str) -> str:
        value = self.string(key)
        if not 0 < len(value) <= MAX_SOURCE_ID_LENGTH:
            raise InvalidRecord(
                f"{self._name(key)} must have 1 to {MAX_SOURCE_ID_LENGTH} characters."
            )
        return value

    def json_object(self, key: str, default: dict[str, Any] | None = None) -> dict[str, Any]:
        value = self._get(key, default is None)
        if value is None and default is not None:
            return dict(default)
        return self._typed(key, value, dict, "an object")

    def array(self, key: str) -> list[Any]:
        return self._typed(key, self._get(key, True), list, "a list")

    def optional_objects(self, key: str) -> list[dict[str, Any]] | None:
        value = self._get(key, False)
        if value is None:
            return None
        if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
            raise InvalidRecord(f"{self._name(key)} must be a list of objects or null.")
        return value

    def time(self, key: str) -> datetime:
        value = self.string(key)
        try:
            moment = datetime.fromisoformat(value)
        except ValueError:
            raise InvalidRecord(f"{self._name(key)} is not an ISO 8601 time: {value!r}.") from None
        if moment.tzinfo is None:
            raise InvalidRecord(f"{self._name(key)} has no UTC offset: {value!r}.")
        try:
            return checked_moment(moment, self._name(key))
        except InvalidInput as error:
            raise InvalidRecord(error.detail) from None

    def optional_time(self, key: str, default: datetime) -> datetime:
        return default if self._get(key, False) is None else self.time(key)

    def epoch_time(self, key: str) -> datetime | None:
        """Seconds since 1970 (ChatGPT's times), or None."""
        value = self._get(key, False)
        if value is None:
            return None
        seconds = self._typed(key, value, int | float, "a number of seconds or null")
        try:
            return datetime.fromtimestamp(seconds, UTC)
        except (OverflowError, OSError, ValueError):
            raise InvalidRecord(f"{self._name(key)} is out of range: {seconds!r}.") from None

    def no_other_keys(self, known: frozenset[str]) -> None:
        unknown = sorted(set(self.values) - known)
        if unknown:
            raise InvalidRecord(f"{self._name(unknown[0])} is not a field of this format.")

"""Short reprs for the SDK's models: ids and a few key fields, not every nested object.

Pydantic's own repr prints every field of every nested model: one `AddedMessage` ran to
1,500 characters, which buries a log line or a REPL session. convograph/client/models.py
applies these to the generated models (ariadne-codegen has no option for it: its `@mixin`
on a fragment reaches the server, which rejects the unknown directive).
"""

import enum
import uuid
from collections.abc import Callable, Iterable
from typing import Any, TypeVar, get_args

from pydantic import BaseModel

# Longer text is cut to this many characters, with an ellipsis.
TEXT_LIMIT = 40
# Lists longer than this show their length only.
LIST_LIMIT = 3


class _Shown(str):
    """A value already rendered for a repr: printed as is, without quotes."""

    __slots__ = ()

    def __repr__(self) -> str:
        return str(self)


Model = TypeVar("Model", bound=type[BaseModel])


def short_repr(*fields: str) -> Callable[[Model], Model]:
    """Give a model class (and its subclasses) a repr of each field in a short form.

    Named `fields` make it a record: its repr shows those, under the record's own name (so
    that the generated `AddedMessageMessage(MessageDetails)` shows as `MessageDetails`),
    and nested in another repr it shows as its id alone. Without `fields`, every field.
    """

    def apply(model: Model) -> Model:
        name = model.__name__

        def repr_name(self: BaseModel) -> str:
            return name if fields else type(self).__name__

        def repr_args(self: BaseModel) -> Iterable[tuple[str | None, Any]]:
            model_fields = type(self).model_fields
            for field in fields or tuple(model_fields):
                value = getattr(self, field)
                if _is_reference_type(model_fields[field].annotation):
                    yield f"{field}_id", _Shown("None" if value is None else _short(value.id))
                else:
                    yield field, _Shown(_short(value))

        # Pydantic's __repr__ and __str__ (and rich's) are built from these two.
        model.__repr_name__ = repr_name  # type: ignore[method-assign]
        model.__repr_args__ = repr_args  # type: ignore[assignment,method-assign]
        model.__repr_fields__ = fields  # type: ignore[attr-defined]
        return model

    return apply


def _is_record(model: type) -> bool:
    return bool(getattr(model, "__repr_fields__", ()))


def _is_reference_type(annotation: Any) -> bool:
    """Whether a field holds an object shown by its id (or None), like a message's
    `parent { id }`: a model with an id that is no record."""
    return any(
        isinstance(model, type)
        and issubclass(model, BaseModel)
        and not _is_record(model)
        and "id" in model.model_fields
        for model in (annotation, *get_args(annotation))
    )


def _short(value: Any) -> str:
    if isinstance(value, BaseModel):
        if _is_record(type(value)) and "id" in type(value).model_fields:
            # Nested in another repr, a record is its id: the reader asks for the rest.
            return f"{value.__repr_name__()}(id={_short(value.id)})"
        if _is_reference_type(type(value)):
            return _short(value.id)
        return repr(value)
    if isinstance(value, uuid.UUID):
        return repr(str(value))
    if isinstance(value, enum.Enum):
        return repr(value.value)
    if isinstance(value, str) and len(value) > TEXT_LIMIT:
        return repr(value[:TEXT_LIMIT] + "…")
    if isinstance(value, list | tuple):
        if len(value) > LIST_LIMIT:
            return f"<{len(value)} items>"
        return f"[{', '.join(_short(item) for item in value)}]"
    if isinstance(value, dict) and value:
        return f"<{len(value)} keys>"
    return repr(value)

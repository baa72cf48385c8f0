"""Who wrote a message: the API's `Role`, the column's values and what imports accept."""

from enum import StrEnum


class Role(StrEnum):
    """OpenAI's chat roles; the value is what the `message.role` column stores."""

    SYSTEM = "system"
    DEVELOPER = "developer"
    USER = "user"
    ASSISTANT = "assistant"
    TOOL = "tool"
    FUNCTION = "function"

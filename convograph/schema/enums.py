"""Enums of the API."""

from enum import Enum

import strawberry


@strawberry.enum(description="Who wrote a message (OpenAI's chat roles).")
class Role(Enum):
    SYSTEM = "system"
    DEVELOPER = "developer"
    USER = "user"
    ASSISTANT = "assistant"
    TOOL = "tool"
    FUNCTION = "function"


@strawberry.enum(description="Orders of the conversations overview.")
class ConversationOrderBy(Enum):
    CREATED_AT_DESC = "CREATED_AT_DESC"
    CREATED_AT_ASC = "CREATED_AT_ASC"
    UPDATED_AT_DESC = "UPDATED_AT_DESC"
    UPDATED_AT_ASC = "UPDATED_AT_ASC"


@strawberry.enum(description="Document formats of import and export.")
class ConversationFormat(Enum):
    CONVOGRAPH = "convograph"
    CHATGPT = "chatgpt"

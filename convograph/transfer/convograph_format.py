"""The convograph document format: every conversation whole, lossless, ids kept.

```json
{"format": "convograph", "version": 1, "conversations": [
  {"id": "…", "title": "…", "metadata": {}, "createdAt": "…", "updatedAt": "…",
   "currentBranchId": "…",
   "messages": [{"id": "…", "parentId": null, "editOfId": null, "role": "user",
                 "content": "…", "name": null, "toolCalls": null, "toolCallId": null,
                 "metadata": {}, "createdAt": "…", "updatedAt": "…"}],
   "branches": [{"id": "…", "name": null, "tipId": "…", "forkedFromId": null,
                 "branchPointId": null, "createdAt": "…", "updatedAt": "…"}]}
]}
```

Messages are listed parents first, siblings in their order; branches oldest first. Times
are ISO 8601 in UTC with their offset. docs/convograph-export.schema.json is the JSON
Schema; README, "Import and export", describes it.
"""

import uuid
from datetime import UTC, datetime
from typing import Any

from convograph.db.exports import ConversationTree
from convograph.db.imports import (
    ROLES,
    BranchRecord,
    ConversationRecord,
    InvalidRecord,
    MessageRecord,
)
from convograph.db.tables import Branch, Message
from convograph.transfer.fields import Fields

FORMAT = "convograph"
VERSION = 1

CONVERSATION_FIELDS = frozenset(
    {"id", "title", "metadata", "createdAt", "updatedAt", "currentBranchId"}
    | {"messages", "branches"}
)
MESSAGE_FIELDS = frozenset(
    {"id", "parentId", "editOfId", "role", "content", "name", "toolCalls", "toolCallId"}
    | {"metadata", "createdAt", "updatedAt"}
)
BRANCH_FIELDS = frozenset(
    {"id", "name", "tipId", "forkedFromId", "branchPointId", "createdAt", "updatedAt"}
)


def header() -> dict[str, Any]:
    return {"format": FORMAT, "version": VERSION}


def document(conversations: list[dict[str, Any]]) -> dict[str, Any]:
    return {**header(), "conversations": conversations}


def _time(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat()


def _id(value: uuid.UUID | None) -> str | None:
    return str(value) if value is not None else None


def _message(message: Message) -> dict[str, Any]:
    return {
        "id": str(message.id),
        "parentId": _id(message.parent_id),
        "editOfId": _id(message.edit_of_id),
        "role": message.role,
        "content": message.content,
        "name": message.name,
        "toolCalls": message.tool_calls,
        "toolCallId": message.tool_call_id,
        "metadata": message.meta,
        "createdAt": _time(message.created_at),
        "updatedAt": _time(message.updated_at),
    }


def _branch(branch: Branch) -> dict[str, Any]:
    return {
        "id": str(branch.id),
        "name": branch.name,
        "tipId": _id(branch.tip_id),
        "forkedFromId": _id(branch.forked_from_id),
        "branchPointId": _id(branch.branch_point_id),
        "createdAt": _time(branch.created_at),
        "updatedAt": _time(branch.updated_at),
    }


def conversation_document(tree: ConversationTree) -> dict[str, Any]:
    conversation = tree.conversation
    return {
        "id": str(conversation.id),
        "title": conversation.title,
        "metadata": conversation.meta,
        "createdAt": _time(conversation.created_at),
        "updatedAt": _time(conversation.updated_at),
        "currentBranchId": _id(conversation.current_branch_id),
        "messages": [_message(message) for message in tree.messages],
        "branches": [_branch(branch) for branch in tree.branches],
    }


def _read_message(value: Any, where: str) -> MessageRecord:
    fields = Fields(value, where)
    fields.no_other_keys(MESSAGE_FIELDS)
    role = fields.string("role")
    if role not in ROLES:
        raise InvalidRecord(f"{where}.role must be one of {', '.join(ROLES)}, not {role!r}.")
    created_at = fields.time("createdAt")
    return MessageRecord(
        key=fields.source_id("id"),
        parent=fields.optional_string("parentId"),
        edit_of=fields.optional_string("editOfId"),
        role=role,
        content=fields.string("content"),
        name=fields.optional_string("name"),
        tool_calls=fields.optional_objects("toolCalls"),
        tool_call_id=fields.optional_string("toolCallId"),
        metadata=fields.json_object("metadata", default={}),
        created_at=created_at,
        updated_at=fields.optional_time("updatedAt", created_at),
    )


def _read_branch(value: Any, where: str) -> BranchRecord:
    fields = Fields(value, where)
    fields.no_other_keys(BRANCH_FIELDS)
    created_at = fields.time("createdAt")
    return BranchRecord(
        key=fields.source_id("id"),
        name=fields.optional_string("name"),
        tip=fields.optional_string("tipId"),
        forked_from=fields.optional_string("forkedFromId"),
        branch_point=fields.optional_string("branchPointId"),
        created_at=created_at,
        updated_at=fields.optional_time("updatedAt", created_at),
    )


def read_conversation(value: Any) -> ConversationRecord:
    """One conversation of a document; raises InvalidRecord naming the field at fault."""
    fields = Fields(value, "")
    fields.no_other_keys(CONVERSATION_FIELDS)
    created_at = fields.time("createdAt")
    return ConversationRecord(
        source_id=fields.source_id("id"),
        title=fields.optional_string("title"),
        metadata=fields.json_object("metadata", default={}),
        created_at=created_at,
        updated_at=fields.optional_time("updatedAt", created_at),
        messages=[
            _read_message(m, f"messages[{i}]") for i, m in enumerate(fields.array("messages"))
        ],
        branches=[
            _read_branch(b, f"branches[{i}]") for i, b in enumerate(fields.array("branches"))
        ],
        current_branch=fields.string("currentBranchId"),
    )

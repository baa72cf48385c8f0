"""ChatGPT's `conversations.json`: a list of conversations, each a `mapping` of nodes.

A node is `{"id", "message", "parent", "children"}`; its message has `author.role`
(`author.name` for tools), `content` (`content_type`, and `parts` for text), `create_time`
and `update_time` (seconds since 1970, or null) and `metadata`. The conversation has
`title`, `create_time`, `update_time`, `current_node` and `conversation_id` (or `id`).

Reading one:
- Scaffolding is skipped, its children hung on its nearest kept ancestor so that the tree
  stays connected: the null-message root, messages whose `metadata` has
  `is_visually_hidden_from_conversation`, custom instructions and memory
  (`user_editable_context`, `model_editable_context`), and empty system messages.
- Siblings keep the order of their parent's `children`. A sibling after another of the
  same role is taken as its edit (ChatGPT's edits and regenerations are such siblings).
- Every leaf becomes a branch, forked at the deepest message it shares with an earlier
  one; the branch of `current_node` is the current branch.
- Text is `parts` joined by newlines (or the content's `text`/`result`); whatever the
  text does not hold, the other message fields and the conversation's other fields are
  kept under a `chatgpt` key of the metadata.

Writing one is the same shape: a null-message root above the conversation's roots, every
message a node, `current_node` the current branch's tip. Branch identities, edit links and
conversation metadata have no place in the format and are not written.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from convograph.db.exports import ConversationTree
from convograph.db.imports import (
    ROLES,
    BranchRecord,
    ConversationRecord,
    InvalidRecord,
    MessageRecord,
)
from convograph.db.tables import Message, utcnow
from convograph.transfer.fields import MAX_SOURCE_ID_LENGTH, Fields, expect_object, json_type

FORMAT = "chatgpt"

ROOT_NODE = "client-created-root"
HIDDEN_CONTENT_TYPES = frozenset({"user_editable_context", "model_editable_context"})
MESSAGE_FIELDS_READ = frozenset({"id", "author", "content", "create_time", "update_time"})
CONVERSATION_FIELDS_READ = frozenset(
    {"title", "create_time", "update_time", "mapping", "current_node", "conversation_id"}
)


# --- writing ----------------------------------------------------------------------------


def _seconds(moment: datetime) -> float:
    return moment.timestamp()


def _message(message: Message) -> dict[str, Any]:
    metadata = dict(message.meta)
    # The format has no place for tool calls: they travel in the metadata.
    if message.tool_calls is not None:
        metadata["tool_calls"] = message.tool_calls
    if message.tool_call_id is not None:
        metadata["tool_call_id"] = message.tool_call_id
    return {
        "id": str(message.id),
        "author": {"role": message.role, "name": message.name, "metadata": {}},
        "create_time": _seconds(message.created_at),
        "update_time": _seconds(message.updated_at),
        "content": {"content_type": "text", "parts": [message.content]},
        "status": "finished_successfully",
        "end_turn": None,
        "weight": 1.0,
        "metadata": metadata,
        "recipient": "all",
        "channel": None,
    }


def conversation_document(tree: ConversationTree) -> dict[str, Any]:
    conversation = tree.conversation
    mapping: dict[str, dict[str, Any]] = {
        ROOT_NODE: {"id": ROOT_NODE, "message": None, "parent": None, "children": []}
    }
    for message in tree.messages:  # parents first, siblings in order
        node, parent = str(message.id), str(message.parent_id or ROOT_NODE)
        mapping[node] = {"id": node, "message": _message(message), "parent": parent, "children": []}
        mapping[parent]["children"].append(node)
    current = next((b for b in tree.branches if b.id == conversation.current_branch_id), None)
    return {
        "title": conversation.title,
        "create_time": _seconds(conversation.created_at),
        "update_time": _seconds(conversation.updated_at),
        "mapping": mapping,
        "current_node": str(current.tip_id) if current and current.tip_id else ROOT_NODE,
        "conversation_id": str(conversation.id),
        "id": str(conversation.id),
        "moderation_results": [],
        "is_archived": False,
    }


# --- reading ----------------------------------------------------------------------------


@dataclass(frozen=True)
class _Node:
    key: str
    parent: str | None
    children: list[str]
    message: dict[str, Any] | None


def _nodes(mapping: dict[str, Any]) -> dict[str, _Node]:
    nodes: dict[str, _Node] = {}
    for key, value in mapping.items():
        fields = Fields(value, f"mapping[{key!r}]")
        parent = fields.optional_string("parent")
        if parent is not None and parent not in mapping:
            raise InvalidRecord(f"Node {key!r} has parent {parent!r}, which is not in mapping.")
        children = fields.values.get("children") or []
        if not isinstance(children, list):
            raise InvalidRecord(
                f"Node {key!r}: children must be a list, not {json_type(children)}."
            )
        message = fields.values.get("message")
        if message is not None:
            expect_object(message, f"Node {key!r}: message")
        nodes[key] = _Node(key, parent, children, message)
    return nodes


def _depth_first(nodes: dict[str, _Node]) -> list[str]:
    """Node keys, parents first, siblings in the order of their parent's `children`."""
    children: dict[str | None, list[str]] = {}
    for node in nodes.values():
        children.setdefault(node.parent, []).append(node.key)
    for parent, keys in children.items():
        if parent is not None:
            listed = {k: i for i, k in enumerate(nodes[parent].children) if isinstance(k, str)}
            keys.sort(key=lambda k: listed.get(k, len(listed)))
    order: list[str] = []
    stack = list(reversed(children.get(None, [])))
    while stack:
        key = stack.pop()
        order.append(key)
        stack.extend(reversed(children.get(key, [])))
    if len(order) < len(nodes):
        stuck = sorted(set(nodes) - set(order))[0]
        raise InvalidRecord(f"Node {stuck!r} is on a cycle of parent links.")
    return order


def _text(content: dict[str, Any]) -> tuple[str, bool]:
    """The content's text, and whether the text alone gives the content back."""
    parts = content.get("parts")
    if isinstance(parts, list):
        texts = [part for part in parts if isinstance(part, str)]
        exact = content.get("content_type", "text") == "text" and len(parts) == len(texts) == 1
        return "\n".join(texts), exact
    for key in ("text", "result", "content"):
        if isinstance(content.get(key), str):
            return content[key], False
    return "", False


def _content(message: dict[str, Any], key: str) -> dict[str, Any]:
    content = message.get("content")
    return {} if content is None else expect_object(content, f"Node {key!r}: content")


def _role(message: dict[str, Any], key: str) -> str:
    author = expect_object(message.get("author"), f"Node {key!r}: author")
    role = author.get("role")
    if role not in ROLES:
        raise InvalidRecord(f"Node {key!r}: author.role {role!r} is not one of {', '.join(ROLES)}.")
    return role


def _is_scaffolding(message: dict[str, Any] | None, key: str) -> bool:
    if message is None:
        return True
    metadata = message.get("metadata")
    if isinstance(metadata, dict) and metadata.get("is_visually_hidden_from_conversation"):
        return True
    content = _content(message, key)
    if content.get("content_type") in HIDDEN_CONTENT_TYPES:
        return True
    return _role(message, key) == "system" and not _text(content)[0].strip()


def _message_record(
    key: str, message: dict[str, Any], parent: str | None, inherited: datetime
) -> MessageRecord:
    fields = Fields(message, f"Node {key!r}: message")
    content = _content(message, key)
    text, exact = _text(content)
    extra = {k: v for k, v in message.items() if k not in MESSAGE_FIELDS_READ}
    author = message["author"]
    if author.get("metadata"):
        extra["author_metadata"] = author["metadata"]
    if not exact:
        extra["content"] = content
    created_at = fields.epoch_time("create_time") or inherited
    name = author.get("name")
    return MessageRecord(
        key=key,
        parent=parent,
        role=_role(message, key),
        content=text,
        name=name if isinstance(name, str) else None,
        created_at=created_at,
        updated_at=fields.epoch_time("update_time") or created_at,
        metadata={"chatgpt": {"id": message.get("id", key), **extra}},
    )


def _infer_edits(messages: Sequence[MessageRecord]) -> None:
    """A sibling after another of the same role is taken as an edit of it."""
    last_child: dict[str | None, MessageRecord] = {}
    for message in messages:
        previous = last_child.get(message.parent)
        if previous is not None and previous.role == message.role:
            message.edit_of = previous.key
        last_child[message.parent] = message


def _branches(
    messages: Sequence[MessageRecord], tips: Sequence[str], created_at: datetime
) -> list[BranchRecord]:
    """A branch per tip; each forks at the deepest message an earlier branch holds."""
    by_key = {m.key: m for m in messages}
    holder: dict[str, str] = {}  # message -> the first branch whose path holds it
    branches: list[BranchRecord] = []
    for index, tip in enumerate(tips):
        key = f"branch-{index}"
        fork_at = by_key[tip].parent
        while fork_at is not None and fork_at not in holder:
            fork_at = by_key[fork_at].parent
        if fork_at is not None:
            forked_from: str | None = holder[fork_at]
        else:  # a second root: an edit of the first message
            forked_from = branches[0].key if branches else None
        first_own = tip
        node: str | None = tip
        while node is not None and node not in holder:
            holder[node] = key
            first_own, node = node, by_key[node].parent
        branches.append(
            BranchRecord(
                key=key,
                tip=tip,
                branch_point=fork_at,
                forked_from=forked_from,
                # The first branch is as old as the conversation; the others, as their
                # first message of their own.
                created_at=by_key[first_own].created_at if branches else created_at,
                updated_at=by_key[tip].created_at,
            )
        )
    return branches


def read_conversation(value: Any) -> ConversationRecord:
    """One conversation of conversations.json; raises InvalidRecord saying what is wrong."""
    fields = Fields(value, "")
    source_id = fields.values.get("conversation_id") or fields.values.get("id")
    if not isinstance(source_id, str):
        raise InvalidRecord("The conversation has no conversation_id or id.")
    if len(source_id) > MAX_SOURCE_ID_LENGTH:
        raise InvalidRecord(f"conversation_id is longer than {MAX_SOURCE_ID_LENGTH} characters.")
    nodes = _nodes(fields.json_object("mapping"))
    created_at = fields.epoch_time("create_time")
    default_time = created_at or utcnow()

    anchor: dict[str, str | None] = {}  # node -> itself if kept, else its nearest kept ancestor
    messages: list[MessageRecord] = []
    times: dict[str, datetime] = {}
    for key in _depth_first(nodes):
        node = nodes[key]
        above = anchor[node.parent] if node.parent is not None else None
        if _is_scaffolding(node.message, key):
            anchor[key] = above
            continue
        anchor[key] = key
        inherited = times[above] if above is not None else default_time
        record = _message_record(key, node.message, above, inherited)  # type: ignore[arg-type]
        times[key] = record.created_at
        messages.append(record)
    _infer_edits(messages)

    created_at = created_at or min(times.values(), default=default_time)
    parents = {m.parent for m in messages}
    tips = [m.key for m in messages if m.key not in parents]
    current_node = fields.optional_string("current_node")
    if current_node is not None and current_node not in nodes:
        raise InvalidRecord(f"current_node {current_node!r} is not in mapping.")
    current_tip = anchor.get(current_node) if current_node is not None else None
    if current_tip is None and tips:
        current_tip = max(reversed(tips), key=lambda tip: times[tip])
    if current_tip is not None and current_tip not in tips:
        tips.append(current_tip)  # current_node inside the tree: a branch ends there
    branches = _branches(messages, tips, created_at) or [
        BranchRecord(key="branch-0", tip=None, created_at=created_at, updated_at=created_at)
    ]
    current = branches[tips.index(current_tip)].key if current_tip is not None else "branch-0"
    rest = {k: v for k, v in fields.values.items() if k not in CONVERSATION_FIELDS_READ}
    return ConversationRecord(
        source_id=source_id,
        title=fields.optional_string("title"),
        metadata={"chatgpt": rest} if rest else {},
        created_at=created_at,
        updated_at=fields.epoch_time("update_time") or max(times.values(), default=created_at),
        messages=messages,
        branches=branches,
        current_branch=current,
    )

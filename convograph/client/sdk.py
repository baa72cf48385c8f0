"""`ConversationsClient`: R2R's conversation methods over convograph's GraphQL API."""

import uuid
from collections.abc import Awaitable, Iterable, Mapping
from datetime import datetime
from types import TracebackType
from typing import Any, Protocol, Self, TypeVar
from urllib.parse import urlsplit, urlunsplit

import httpx
import pydantic

from convograph.client.errors import (
    GraphQLRequestError,
    NotFoundError,
    SchemaMismatchError,
    TransportError,
    ValidationError,
    user_error,
)
from convograph.client.generated.base_model import UNSET, UnsetType
from convograph.client.generated.client import Client
from convograph.client.generated.exceptions import (
    GraphQLClientGraphQLMultiError,
    GraphQLClientHttpError,
    GraphQLClientInvalidResponseError,
)
from convograph.client.generated.get_conversation import GetConversationConversation
from convograph.client.generated.input_types import (
    AddMessageInput,
    ConversationFilter,
    CreateConversationInput,
    DeleteBranchInput,
    DeleteConversationInput,
    DeleteMessageInput,
    ForkConversationInput,
    ImportConversationsInput,
    MessageInput,
    MetadataFilter,
    RenameBranchInput,
    SetCurrentBranchInput,
    UpdateConversationInput,
    UpdateMessageInput,
    UpdateMessageMetadataInput,
)
from convograph.client.models import (
    AddedMessage,
    BranchDetails,
    ConversationDetails,
    ConversationFormat,
    ConversationsOverview,
    ConversationWithMessages,
    CreatedConversation,
    CurrentBranchSet,
    DeletedBranch,
    DeletedConversation,
    DeletedMessage,
    EditedMessage,
    ForkedConversation,
    ImportSummary,
    Message,
    MessageDetails,
    PatchedMessage,
    RenamedBranch,
    Role,
    SearchHit,
    SearchResults,
    UpdatedConversation,
)

# The server's largest page (`first` <= 100): lists longer than that are read page by page.
PAGE_SIZE = 100

T = TypeVar("T")
Id = str | uuid.UUID


class _UserErrorResult(Protocol):
    """What every error member of a result union carries (`... on UserError`)."""

    code: str
    detail: str
    field: str | None


class ConversationsClient:
    """An async client of one convograph server, holding one pooled HTTP connection.

    ```python
    async with ConversationsClient("http://127.0.0.1:8000/graphql") as client:
        conversation = await client.create_conversation(title="Trip")
    ```

    `url` is the GraphQL endpoint; a bare server address (`http://host:8000`) means its
    `/graphql`. With `token`, every request carries `Authorization: Bearer <token>`.
    `timeout` (seconds) bounds each request. Ids may be given as `str` or `UUID`.
    """

    def __init__(self, url: str, token: str | None = None, timeout: float = 30.0) -> None:
        headers = {"Authorization": f"Bearer {token}"} if token is not None else {}
        self._http = httpx.AsyncClient(headers=headers, timeout=timeout)
        # The generated HttpClient protocol is narrower than httpx's own signature.
        self._graphql = Client(url=_graphql_endpoint(url), http_client=self._http)  # type: ignore[arg-type]

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        """Close the HTTP connection (`async with` does this on exit)."""
        await self._http.aclose()

    # --- conversations -----------------------------------------------------------------

    async def conversations_overview(
        self,
        conversation_ids: Iterable[Id] | None = None,
        offset: int = 0,
        limit: int = 100,
        *,
        archived: bool | None = None,
        title_contains: str | None = None,
        created_after: datetime | None = None,
        created_before: datetime | None = None,
        updated_after: datetime | None = None,
        updated_before: datetime | None = None,
        metadata: MetadataFilter | Mapping[str, Any] | None = None,
    ) -> ConversationsOverview:
        """Your conversations, newest first: `limit` of them after skipping `offset`.

        `conversation_ids` restricts the list to those. A `limit` over the server's page
        size is read page by page. The keyword arguments filter it, on the server; each one
        given must hold: `archived` (True: only archived, False: only the others),
        `title_contains` (any case), `created_after` / `updated_after` (that instant or
        later), `created_before` / `updated_before` (earlier; times need a zone), and
        `metadata`, e.g. `{"equals": {"topic": "travel"}, "contains": {"tags": ["a"]},
        "in": {"model": ["m1", "m2"]}, "hasKeys": ["pinned"]}`.
        """
        ids = (
            None
            if conversation_ids is None
            else [_as_uuid(value, "ids") for value in conversation_ids]
        )
        conversation_filter = _conversation_filter(
            archived=archived,
            title_contains=title_contains,
            created_after=created_after,
            created_before=created_before,
            updated_after=updated_after,
            updated_before=updated_before,
            metadata=metadata,
        )
        conversations: list[ConversationDetails] = []
        after: str | None = None
        while True:
            page = await self._call(
                self._graphql.conversations_overview(
                    ids=ids,
                    filter_=conversation_filter,
                    offset=offset if after is None else 0,
                    first=min(limit - len(conversations), PAGE_SIZE),
                    after=after,
                )
            )
            connection = page.conversations
            conversations.extend(connection.nodes)
            if len(conversations) >= limit or not connection.page_info.has_next_page:
                return ConversationsOverview(
                    conversations=conversations, total_count=connection.total_count
                )
            after = connection.page_info.end_cursor

    async def get_conversation(
        self, conversation_id: Id, branch_id: Id | None = None
    ) -> ConversationWithMessages:
        """The conversation with every message of a branch, root first.

        Without `branch_id` it reads the current branch. Raises `NotFoundError` when there
        is no such conversation, `GraphQLRequestError` (`BAD_USER_INPUT`) when the branch
        is not one of its.
        """
        conversation_uuid = _as_uuid(conversation_id, "conversationId")
        named = None if branch_id is None else _as_uuid(branch_id, "branchId")
        page = await self._conversation_page(conversation_uuid, named, after=None)
        conversation = ConversationDetails.model_validate(page.model_dump(by_alias=True))
        branch = page.current_branch if named is None else await self.get_branch(named)
        messages = list(page.messages.nodes)
        while page.messages.page_info.has_next_page:
            # Later pages name the branch, so a concurrent switch cannot mix two branches.
            page = await self._conversation_page(
                conversation_uuid, branch.id, after=page.messages.page_info.end_cursor
            )
            messages.extend(page.messages.nodes)
        return ConversationWithMessages(conversation=conversation, branch=branch, messages=messages)

    async def _conversation_page(
        self, conversation_id: uuid.UUID, branch_id: uuid.UUID | None, after: str | None
    ) -> GetConversationConversation:
        result = await self._call(
            self._graphql.get_conversation(
                id=conversation_id, first=PAGE_SIZE, branch_id=branch_id, after=after
            )
        )
        if result.conversation is None:
            raise NotFoundError("NOT_FOUND", f"no conversation {conversation_id}", "conversationId")
        return result.conversation

    async def create_conversation(
        self, title: str | None = None, metadata: Mapping[str, Any] | None = None
    ) -> ConversationDetails:
        """A new conversation with one empty branch, its current one."""
        given = _given(title=title, metadata=metadata)
        result = await self._call(
            self._graphql.create_conversation(input=CreateConversationInput(**given))
        )
        return _success(result.create_conversation, CreatedConversation).conversation

    async def delete_conversation(self, conversation_id: Id) -> DeletedConversation:
        """Delete a conversation with all its messages and branches."""
        conversation_uuid = _as_uuid(conversation_id, "conversationId")
        result = await self._call(
            self._graphql.delete_conversation(
                input=DeleteConversationInput(conversation_id=conversation_uuid)
            )
        )
        return _success(result.delete_conversation, DeletedConversation)

    async def update_conversation(
        self,
        conversation_id: Id,
        title: str | UnsetType | None = UNSET,
        metadata: Mapping[str, Any] | None = None,
        archived: bool | None = None,
    ) -> ConversationDetails:
        """Change what is given: `title` (None removes it), `metadata` as a JSON Merge Patch
        (keys merge, None deletes), `archived` (True archives, False unarchives)."""
        given = _given(metadata=metadata, archived=archived)
        if not isinstance(title, UnsetType):
            given["title"] = title
        input_ = UpdateConversationInput(
            conversation_id=_as_uuid(conversation_id, "conversationId"), **given
        )
        result = await self._call(self._graphql.update_conversation(input=input_))
        return _success(result.update_conversation, UpdatedConversation).conversation

    async def fork_conversation(
        self, message_id: Id, title: str | UnsetType | None = UNSET
    ) -> ForkedConversation:
        """A new conversation holding a copy of the path from the root to `message_id`.

        Returns `.conversation` (linked back through `forked_from`), its one `.branch` and
        `.message`, the copy of the message. Without `title` it keeps the source's title;
        None means no title.
        """
        given = {} if isinstance(title, UnsetType) else {"title": title}
        input_ = ForkConversationInput(messageId=_as_uuid(message_id, "messageId"), **given)
        result = await self._call(self._graphql.fork_conversation(input=input_))
        return _success(result.fork_conversation, ForkedConversation)

    # --- messages ----------------------------------------------------------------------

    async def add_message(
        self,
        conversation_id: Id,
        message: Message | Mapping[str, Any],
        parent_id: Id | None = None,
        metadata: Mapping[str, Any] | None = None,
        branch_id: Id | None = None,
    ) -> AddedMessage:
        """Add a message; returns it with the branch it now tips.

        Neither `parent_id` nor `branch_id`: append to the current branch. `branch_id`:
        append to that branch. `parent_id`: reply to that message, which extends the branch
        it tips or forks a new branch there.
        """
        given = _given(
            parentId=None if parent_id is None else _as_uuid(parent_id, "parentId"),
            branchId=None if branch_id is None else _as_uuid(branch_id, "branchId"),
            metadata=metadata,
        )
        input_ = AddMessageInput(
            conversationId=_as_uuid(conversation_id, "conversationId"),
            message=_message_input(message),
            **given,
        )
        result = await self._call(self._graphql.add_message(input=input_))
        return _success(result.add_message, AddedMessage)

    async def update_message(
        self,
        message_id: Id,
        message: Message | Mapping[str, Any],
        metadata: Mapping[str, Any] | None = None,
    ) -> EditedMessage:
        """Edit a message: a new sibling on a new, current branch; returns both.

        The original and its replies stay as they are. Without `metadata` the edit keeps a
        copy of the original's.
        """
        input_ = UpdateMessageInput(
            messageId=_as_uuid(message_id, "messageId"),
            message=_message_input(message),
            **_given(metadata=metadata),
        )
        result = await self._call(self._graphql.update_message(input=input_))
        return _success(result.update_message, EditedMessage)

    async def update_message_metadata(
        self, message_id: Id, metadata: Mapping[str, Any]
    ) -> MessageDetails:
        """Patch a message's metadata (JSON Merge Patch: keys merge, None deletes)."""
        input_ = UpdateMessageMetadataInput(
            messageId=_as_uuid(message_id, "messageId"), metadata=metadata
        )
        result = await self._call(self._graphql.update_message_metadata(input=input_))
        return _success(result.update_message_metadata, PatchedMessage).message

    async def delete_message(self, message_id: Id) -> DeletedMessage:
        """Delete a message with all its replies.

        Branches through it end at its parent instead; branches left with another's tip,
        or empty, are removed. Returns the counts and the conversation as it now is.
        """
        input_ = DeleteMessageInput(messageId=_as_uuid(message_id, "messageId"))
        result = await self._call(self._graphql.delete_message(input=input_))
        return _success(result.delete_message, DeletedMessage)

    async def get_message(self, message_id: Id) -> MessageDetails:
        """One message; raises `NotFoundError` when there is none you can see."""
        message_uuid = _as_uuid(message_id, "messageId")
        message = (await self._call(self._graphql.get_message(id=message_uuid))).message
        if message is None:
            raise NotFoundError("NOT_FOUND", f"no message {message_uuid}", "messageId")
        return message

    # --- branches ----------------------------------------------------------------------

    async def branches_overview(self, conversation_id: Id) -> list[BranchDetails]:
        """Every branch of a conversation, oldest first."""
        conversation_uuid = _as_uuid(conversation_id, "conversationId")
        branches: list[BranchDetails] = []
        after: str | None = None
        while True:
            conversation = (
                await self._call(
                    self._graphql.branches_overview(
                        conversation_id=conversation_uuid, first=PAGE_SIZE, after=after
                    )
                )
            ).conversation
            if conversation is None:
                raise NotFoundError(
                    "NOT_FOUND", f"no conversation {conversation_uuid}", "conversationId"
                )
            branches.extend(conversation.branches.nodes)
            if not conversation.branches.page_info.has_next_page:
                return branches
            after = conversation.branches.page_info.end_cursor

    async def get_branch(self, branch_id: Id) -> BranchDetails:
        """One branch; raises `NotFoundError` when there is none you can see."""
        branch_uuid = _as_uuid(branch_id, "branchId")
        branch = (await self._call(self._graphql.get_branch(id=branch_uuid))).branch
        if branch is None:
            raise NotFoundError("NOT_FOUND", f"no branch {branch_uuid}", "branchId")
        return branch

    async def set_current_branch(self, conversation_id: Id, branch_id: Id) -> CurrentBranchSet:
        """Make a branch the one that reads and appends use by default."""
        input_ = SetCurrentBranchInput(
            conversationId=_as_uuid(conversation_id, "conversationId"),
            branchId=_as_uuid(branch_id, "branchId"),
        )
        result = await self._call(self._graphql.set_current_branch(input=input_))
        return _success(result.set_current_branch, CurrentBranchSet)

    # --- search ------------------------------------------------------------------------

    async def search_messages(
        self,
        query: str,
        conversation_id: Id | None = None,
        role: Role | str | None = None,
        limit: int = 10,
        after: str | None = None,
        start_mark: str = "<mark>",
        end_mark: str = "</mark>",
    ) -> SearchResults:
        """Your messages that match `query`, best first: up to `limit` hits.

        `query` is web-search syntax: every word is required, `"a phrase"` keeps its order,
        `or` gives alternatives, `-word` excludes. `conversation_id` and `role` narrow the
        search; `after` goes on from an earlier result's `end_cursor`. Each snippet has the
        matching words between `start_mark` and `end_mark`. A query that cannot run raises
        `GraphQLRequestError` with code `BAD_USER_INPUT`.
        """
        given = _given(
            conversation_id=(
                None if conversation_id is None else _as_uuid(conversation_id, "conversationId")
            ),
            role=None if role is None else _role(role),
        )
        hits: list[SearchHit] = []
        while True:
            page = (
                await self._call(
                    self._graphql.search_messages(
                        query=query,
                        first=min(limit - len(hits), PAGE_SIZE),
                        after=after,
                        start_mark=start_mark,
                        end_mark=end_mark,
                        **given,
                    )
                )
            ).search_messages
            hits.extend(page.nodes)
            after = page.page_info.end_cursor or after
            if len(hits) >= limit or not page.page_info.has_next_page:
                return SearchResults(
                    hits=hits,
                    total_count=page.total_count,
                    end_cursor=after,
                    has_next_page=page.page_info.has_next_page,
                )

    # --- import and export -------------------------------------------------------------

    async def export_conversation(
        self, conversation_id: Id, format: ConversationFormat | str = ConversationFormat.CONVOGRAPH
    ) -> Any:
        """A conversation as a JSON document: every message and branch, the current branch,
        metadata and times.

        `format` is `convograph` (lossless: `import_conversations` reads it back) or
        `chatgpt` (the shape of ChatGPT's conversations.json). Raises `NotFoundError`
        when there is no such conversation of yours.
        """
        conversation_uuid = _as_uuid(conversation_id, "id")
        result = await self._call(
            self._graphql.export_conversation(id=conversation_uuid, format=_format(format))
        )
        if result.export_conversation is None:
            raise NotFoundError("NOT_FOUND", f"no conversation {conversation_uuid}", "id")
        return result.export_conversation

    async def import_conversations(
        self, data: Any, format: ConversationFormat | str | None = None
    ) -> ImportSummary:
        """Import a convograph document or ChatGPT's conversations.json (parsed JSON).

        Each conversation is imported on its own: `.imported` and `.skipped` (imported by you
        before) list `index`, `source_id` and `conversation`; `.failures` list `index`,
        `source_id` and `reason` of those not imported at all. Without `format` it is told
        from the document. A document of neither format raises `ValidationError`.
        """
        input_ = ImportConversationsInput(
            data=data, **_given(format=None if format is None else _format(format))
        )
        result = await self._call(self._graphql.import_conversations(input=input_))
        return _success(result.import_conversations, ImportSummary)

    async def rename_branch(self, branch_id: Id, name: str | None) -> BranchDetails:
        """Name a branch (None removes the name); a name another branch of the
        conversation has raises `ConflictError`."""
        input_ = RenameBranchInput(branchId=_as_uuid(branch_id, "branchId"), name=name)
        result = await self._call(self._graphql.rename_branch(input=input_))
        return _success(result.rename_branch, RenamedBranch).branch

    async def delete_branch(self, branch_id: Id) -> DeletedBranch:
        """Delete a branch and the messages no other branch reaches. A conversation's last
        branch cannot be deleted (`ValidationError`)."""
        input_ = DeleteBranchInput(branchId=_as_uuid(branch_id, "branchId"))
        result = await self._call(self._graphql.delete_branch(input=input_))
        return _success(result.delete_branch, DeletedBranch)

    # --- transport ---------------------------------------------------------------------

    async def _call(self, request: Awaitable[T]) -> T:
        """Await a generated operation, turning each way it can fail into an SDK error."""
        try:
            return await request
        except httpx.HTTPError as error:
            raise TransportError(f"{type(error).__name__}: {error}") from error
        except GraphQLClientGraphQLMultiError as error:
            raise GraphQLRequestError(
                [e.original or {"message": e.message} for e in error.errors]
            ) from error
        except GraphQLClientHttpError as error:
            raise _http_error(error.response) from error
        except GraphQLClientInvalidResponseError as error:
            status = getattr(error.response, "status_code", None)
            raise TransportError("the answer is not a GraphQL response", status) from error
        except pydantic.ValidationError as error:
            raise SchemaMismatchError(
                "the server's answer does not fit this client's models "
                f"(regenerate the client from the server's schema): {error}"
            ) from error


def _graphql_endpoint(url: str) -> str:
    parts = urlsplit(url)
    if parts.path in ("", "/"):
        return urlunsplit(parts._replace(path="/graphql"))
    return url


def _as_uuid(value: Id, field: str) -> uuid.UUID:
    if isinstance(value, uuid.UUID):
        return value
    try:
        return uuid.UUID(value)
    except (TypeError, ValueError, AttributeError):
        raise ValidationError("INVALID_INPUT", f"{field} is not a UUID: {value!r}", field) from None


def _role(role: Role | str) -> Role:
    return role if isinstance(role, Role) else Role(role.upper())


def _format(format: ConversationFormat | str) -> ConversationFormat:
    return format if isinstance(format, ConversationFormat) else ConversationFormat(format.upper())


def _given(**values: Any) -> dict[str, Any]:
    """The arguments that were given: the rest stay unset and take the server's defaults."""
    return {name: value for name, value in values.items() if value is not None}


def _conversation_filter(**conditions: Any) -> ConversationFilter | UnsetType:
    """The overview's filter from the conditions given; none given: no filter at all."""
    given = _given(**conditions)
    if not given:
        return UNSET
    try:
        return ConversationFilter.model_validate(given)
    except pydantic.ValidationError as error:
        raise ValidationError("INVALID_INPUT", f"not a usable filter: {error}", "filter") from None


def _message_input(message: Message | Mapping[str, Any]) -> MessageInput:
    if not isinstance(message, Message):
        message = Message(**message)
    return MessageInput.model_validate(message.model_dump(exclude_none=True))


def _success(result: object, success: type[T]) -> T:
    """The success member of a mutation's result union; an error member is raised."""
    if isinstance(result, success):
        return result
    error: _UserErrorResult = result  # type: ignore[assignment]  # the union's other members
    raise user_error(error.code, error.detail, error.field)


def _http_error(response: Any) -> TransportError | GraphQLRequestError:
    """A non-2xx answer: its GraphQL errors if it has any, else a transport failure."""
    try:
        body = response.json()
    except ValueError:
        body = None
    if isinstance(body, dict) and isinstance(body.get("errors"), list) and body["errors"]:
        return GraphQLRequestError(body["errors"])
    return TransportError(f"HTTP {response.status_code}", response.status_code)

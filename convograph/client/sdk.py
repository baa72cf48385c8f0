"""`ConversationsClient`: R2R's conversation methods over convograph's GraphQL API."""

import asyncio
import contextlib
import uuid
from collections.abc import (
    AsyncGenerator,
    AsyncIterable,
    AsyncIterator,
    Awaitable,
    Iterable,
    Mapping,
)
from datetime import datetime
from functools import partial
from types import TracebackType
from typing import Any, Protocol, Self, TypeVar
from urllib.parse import urlsplit, urlunsplit

import httpx
import pydantic

from convograph.client.errors import (
    ConvographError,
    GraphQLRequestError,
    NotFoundError,
    ValidationError,
    user_error,
)
from convograph.client.event_stream import follow_conversation
from convograph.client.generated.base_model import UNSET, UnsetType
from convograph.client.generated.branches_overview import BranchesOverviewConversationBranches
from convograph.client.generated.get_conversation import GetConversationConversation
from convograph.client.generated.input_types import (
    AddMessageInput,
    AppendMessageContentInput,
    ConversationFilter,
    CreateConversationInput,
    DeleteBranchInput,
    DeleteConversationInput,
    DeleteMessageInput,
    FinishMessageInput,
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
from convograph.client.graphql_client import PersistedClient, call, first_problem
from convograph.client.models import (
    AddedMessage,
    AppendedContent,
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
    EventDetails,
    FinishedMessage,
    ForkedConversation,
    ImportSummary,
    Message,
    MessageDetails,
    MessageStatus,
    PatchedMessage,
    RenamedBranch,
    Role,
    SearchHit,
    SearchResults,
    UpdatedConversation,
)
from convograph.client.retries import retrying

# The server's largest page (`first` <= 100): lists longer than that are read page by page.
PAGE_SIZE = 100

T = TypeVar("T")
Id = str | uuid.UUID


class _MutationAnswer(Protocol):
    """What every generated mutation answer holds: its result union (aliased `result`)."""

    @property
    def result(self) -> object: ...


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
    `/graphql`. With `token`, every request carries `Authorization: Bearer <token>` (and
    `events` sends it in its WebSocket's `connection_init`). `timeout` (seconds) bounds
    each request. Ids may be given as `str` or `UUID`.
    """

    def __init__(self, url: str, token: str | None = None, timeout: float = 30.0) -> None:
        authorization = {"Authorization": f"Bearer {token}"} if token is not None else {}
        self._http = httpx.AsyncClient(headers=authorization, timeout=timeout)
        self._timeout = timeout
        endpoint = _graphql_endpoint(url)
        self._graphql = PersistedClient(
            url=endpoint,
            # The generated HttpClient protocol is narrower than httpx's own signature.
            http_client=self._http,  # type: ignore[arg-type]
            ws_url=_websocket_endpoint(endpoint),
            ws_connection_init_payload=authorization,
        )

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

        `conversation_ids` restricts the list to those (ids that name nothing of yours are
        left out, as a filter leaves them). A `limit` over the server's page
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
            page = await call(
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
        is no such conversation or branch, `ValidationError` when the branch is another
        conversation's.
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
        try:
            result = await call(
                self._graphql.get_conversation(
                    id=conversation_id, first=PAGE_SIZE, branch_id=branch_id, after=after
                )
            )
        except GraphQLRequestError as error:
            if branch_id is not None and _refused_field(error) == ["conversation", "messages"]:
                raise await self._foreign_branch(branch_id) from None
            raise
        if result.conversation is None:
            raise NotFoundError(
                "NOT_FOUND", f"No conversation with id {conversation_id}.", "conversationId"
            )
        return result.conversation

    async def _foreign_branch(self, branch_id: uuid.UUID) -> NotFoundError | ValidationError:
        """The error for a branch the server refused to read through a conversation: as
        the mutations answer, unknown is NotFoundError, another conversation's is
        ValidationError."""
        try:
            await self.get_branch(branch_id)
        except NotFoundError as unknown:
            return unknown
        return ValidationError(
            "INVALID_INPUT", f"Branch {branch_id} belongs to another conversation.", "branchId"
        )

    async def create_conversation(
        self,
        title: str | None = None,
        metadata: Mapping[str, Any] | None = None,
        *,
        idempotency_key: str | None = None,
    ) -> ConversationDetails:
        """A new conversation with one empty branch, its current one.

        `idempotency_key` (1 to 255 printable characters of yours): a repeat with the same
        key and input returns the first result and writes nothing; with other input it
        raises `ConflictError`. The other writes that take one work the same way.
        """
        given = _given(title=title, metadata=metadata, idempotencyKey=idempotency_key)
        input_ = CreateConversationInput(**given)
        created = await _succeeded(
            self._graphql.create_conversation(input=input_), CreatedConversation
        )
        return created.conversation

    async def delete_conversation(
        self, conversation_id: Id, *, expected_version: int | None = None
    ) -> DeletedConversation:
        """Delete a conversation with all its messages and branches.

        `expected_version`: delete only if the conversation's `version` is still this one,
        else raise `ConflictError` (its `current_version` is the version now) and change
        nothing. Every method that changes a conversation takes it.
        """
        conversation_uuid = _as_uuid(conversation_id, "conversationId")
        input_ = DeleteConversationInput(
            conversation_id=conversation_uuid, **_given(expectedVersion=expected_version)
        )
        return await _succeeded(
            self._graphql.delete_conversation(input=input_), DeletedConversation
        )

    async def update_conversation(
        self,
        conversation_id: Id,
        title: str | UnsetType | None = UNSET,
        metadata: Mapping[str, Any] | None = None,
        archived: bool | None = None,
        *,
        expected_version: int | None = None,
    ) -> ConversationDetails:
        """Change what is given: `title` (None removes it), `metadata` as a JSON Merge Patch
        (keys merge, None deletes), `archived` (True archives, False unarchives)."""
        given = _given(metadata=metadata, archived=archived, expectedVersion=expected_version)
        if not isinstance(title, UnsetType):
            given["title"] = title
        input_ = UpdateConversationInput(
            conversation_id=_as_uuid(conversation_id, "conversationId"), **given
        )
        updated = await _succeeded(
            self._graphql.update_conversation(input=input_), UpdatedConversation
        )
        return updated.conversation

    async def fork_conversation(
        self,
        message_id: Id,
        title: str | UnsetType | None = UNSET,
        *,
        idempotency_key: str | None = None,
        expected_version: int | None = None,
    ) -> ForkedConversation:
        """A new conversation holding a copy of the path from the root to `message_id`.

        Returns `.conversation` (linked back through `forked_from`), its one `.branch` and
        `.message`, the copy of the message. Without `title` it keeps the source's title;
        None means no title.
        """
        given = _given(idempotencyKey=idempotency_key, expectedVersion=expected_version)
        if not isinstance(title, UnsetType):
            given["title"] = title
        input_ = ForkConversationInput(messageId=_as_uuid(message_id, "messageId"), **given)
        return await _succeeded(self._graphql.fork_conversation(input=input_), ForkedConversation)

    # --- messages ----------------------------------------------------------------------

    async def add_message(
        self,
        conversation_id: Id,
        message: Message | Mapping[str, Any],
        parent_id: Id | None = None,
        metadata: Mapping[str, Any] | None = None,
        branch_id: Id | None = None,
        *,
        status: MessageStatus | str | None = None,
        idempotency_key: str | None = None,
        expected_version: int | None = None,
    ) -> AddedMessage:
        """Add a message; returns it with the branch it now tips.

        Neither `parent_id` nor `branch_id`: append to the current branch. `branch_id`:
        append to that branch. `parent_id`: reply to that message, which extends the branch
        it tips or forks a new branch there. `status="IN_PROGRESS"` starts a streamed
        message (see `append_message_content`, `finish_message` and `stream_answer`).
        """
        given = _given(
            parentId=None if parent_id is None else _as_uuid(parent_id, "parentId"),
            branchId=None if branch_id is None else _as_uuid(branch_id, "branchId"),
            metadata=metadata,
            idempotencyKey=idempotency_key,
            expectedVersion=expected_version,
        )
        input_ = AddMessageInput(
            conversationId=_as_uuid(conversation_id, "conversationId"),
            message=_message_input(message, status),
            **given,
        )
        return await _succeeded(self._graphql.add_message(input=input_), AddedMessage)

    async def update_message(
        self,
        message_id: Id,
        message: Message | Mapping[str, Any],
        metadata: Mapping[str, Any] | None = None,
        *,
        status: MessageStatus | str | None = None,
        idempotency_key: str | None = None,
        expected_version: int | None = None,
    ) -> EditedMessage:
        """Edit a message: a new sibling on a new, current branch; returns both.

        The original and its replies stay as they are. Without `metadata` the edit keeps a
        copy of the original's. `status="IN_PROGRESS"` streams the edit (a regenerated
        answer).
        """
        input_ = UpdateMessageInput(
            messageId=_as_uuid(message_id, "messageId"),
            message=_message_input(message, status),
            **_given(
                metadata=metadata,
                idempotencyKey=idempotency_key,
                expectedVersion=expected_version,
            ),
        )
        return await _succeeded(self._graphql.update_message(input=input_), EditedMessage)

    async def update_message_metadata(
        self, message_id: Id, metadata: Mapping[str, Any], *, expected_version: int | None = None
    ) -> MessageDetails:
        """Patch a message's metadata (JSON Merge Patch: keys merge, None deletes)."""
        input_ = UpdateMessageMetadataInput(
            messageId=_as_uuid(message_id, "messageId"),
            metadata=metadata,
            **_given(expectedVersion=expected_version),
        )
        patched = await _succeeded(
            self._graphql.update_message_metadata(input=input_), PatchedMessage
        )
        return patched.message

    async def delete_message(
        self, message_id: Id, *, expected_version: int | None = None
    ) -> DeletedMessage:
        """Delete a message with all its replies.

        Branches through it end at its parent instead; branches left with another's tip,
        or empty, are removed. Returns the counts and the conversation as it now is.
        """
        input_ = DeleteMessageInput(
            messageId=_as_uuid(message_id, "messageId"), **_given(expectedVersion=expected_version)
        )
        return await _succeeded(self._graphql.delete_message(input=input_), DeletedMessage)

    async def get_message(self, message_id: Id) -> MessageDetails:
        """One message; raises `NotFoundError` when there is none you can see."""
        message_uuid = _as_uuid(message_id, "messageId")
        message = (await call(self._graphql.get_message(id=message_uuid))).message
        if message is None:
            raise NotFoundError("NOT_FOUND", f"No message with id {message_uuid}.", "messageId")
        return message

    # --- streamed answers and events -------------------------------------------------

    async def append_message_content(
        self, message_id: Id, delta: str, index: int, *, expected_version: int | None = None
    ) -> AppendedContent:
        """Append `delta` to an IN_PROGRESS message as its delta number `index`: 0 for the
        first, then one more each time (the message's `delta_count` is the next one).

        Returns `.applied` (False when this index was applied before with the same text:
        nothing changed, so a retry is always safe), `.message` (`content` so far,
        `status`, `delta_count`) and `.conversation` (`id`, `version`). An index out of
        turn, or other text at an applied one, raises `ConflictError` whose
        `expected_index` is the index the next delta must have; an empty delta or a
        finished message raises `ValidationError`.
        """
        input_ = AppendMessageContentInput(
            messageId=_as_uuid(message_id, "messageId"),
            delta=delta,
            index=index,
            **_given(expectedVersion=expected_version),
        )
        return await _succeeded(self._graphql.append_message_content(input=input_), AppendedContent)

    async def finish_message(
        self,
        message_id: Id,
        status: MessageStatus | str = MessageStatus.COMPLETE,
        content: str | None = None,
        *,
        expected_version: int | None = None,
    ) -> FinishedMessage:
        """End a streamed message as `COMPLETE` or `FAILED`; `content` (if given) replaces
        what was appended. Returns `.message` and `.conversation`.

        Finishing again the same way is a harmless repeat; anyone who may see the
        conversation can finish a message its writer abandoned.
        """
        input_ = FinishMessageInput(
            messageId=_as_uuid(message_id, "messageId"),
            status=_status(status, "status"),
            **_given(content=content, expectedVersion=expected_version),
        )
        return await _succeeded(self._graphql.finish_message(input=input_), FinishedMessage)

    async def stream_answer(
        self,
        conversation_id: Id,
        chunks: AsyncIterable[str] | Iterable[str],
        *,
        parent_id: Id | None = None,
        branch_id: Id | None = None,
        role: Role | str = Role.ASSISTANT,
        name: str | None = None,
        metadata: Mapping[str, Any] | None = None,
        idempotency_key: str | None = None,
    ) -> MessageDetails:
        """Write an answer while it is produced: a message that starts IN_PROGRESS, grows
        by each of `chunks` (empty ones are skipped) and ends COMPLETE; returns it finished.

        It is added as `add_message` adds (`parent_id`, `branch_id`, `metadata`). Every
        request is tried again after a failure that may pass (unreachable, timed out,
        unavailable) and takes effect once: the message is created with an idempotency
        key, each chunk keeps its index across tries, and finishing twice is harmless.
        Pass your own `idempotency_key` to make a retry of the whole call write the same
        message (its chunks already applied are recognised by their text); a key whose
        message is already finished returns that message without reading `chunks`.

        If `chunks` raises (or the task is cancelled), the message is finished FAILED with
        what arrived, and the exception goes on. So it is when a write fails for good: its
        error is raised; a `ConflictError` with `expected_index` means that someone else
        appended to the message.
        """
        key = idempotency_key or f"stream-answer-{uuid.uuid4()}"
        started = partial(
            self.add_message,
            conversation_id,
            Message(role=role, name=name),
            parent_id=parent_id,
            metadata=metadata,
            branch_id=branch_id,
            status=MessageStatus.IN_PROGRESS,
            idempotency_key=key,
        )
        message = (await retrying(started)).message
        if message.status != MessageStatus.IN_PROGRESS:
            return message
        try:
            index = 0
            async for chunk in _each(chunks):
                if not isinstance(chunk, str):
                    raise TypeError(f"chunks must be strings, got {type(chunk).__name__}")
                if chunk:
                    await retrying(partial(self.append_message_content, message.id, chunk, index))
                    index += 1
        except (Exception, asyncio.CancelledError):
            with contextlib.suppress(ConvographError):
                await self.finish_message(message.id, MessageStatus.FAILED)
            raise
        return (await retrying(partial(self.finish_message, message.id))).message

    def events(
        self,
        conversation_id: Id,
        after_sequence: int | None = None,
        *,
        with_messages: bool = True,
        max_retries: int | None = 10,
    ) -> AsyncGenerator[EventDetails]:
        """The conversation's events as they happen, over a WebSocket of its own:
        `async for event in client.events(conversation_id): ...`.

        Each event has `sequence` (1, 2, 3, ... per conversation), `kind`, `occurred_at`,
        `message_id`, `branch_id`, `data`, `delta` and `delta_index` (a streamed message's
        MESSAGE_CONTENT_APPENDED), and `message` as it is when the event is delivered
        (None with `with_messages=False`, which a follower of long streamed answers may
        want: every delta's event carries the whole text so far).

        Without `after_sequence` the first event is of kind LIVE: not a change, but the
        sign that the stream is registered; its `sequence` is the conversation's version
        then, and every later change follows (write after it and you miss nothing). With
        `after_sequence` (a version you read, or the last sequence you saw) it starts with
        the events after it that you missed, and has no LIVE event.

        A dropped connection is resumed by itself, from the last sequence yielded, so no
        event is missed or repeated; the pause between tries doubles up to 5 s, and after
        `max_retries` failed tries in a row (None: no limit) it raises `TransportError`.
        The iterator ends after yielding CONVERSATION_DELETED. It raises `NotFoundError`
        for a conversation you cannot see, `GraphQLRequestError` for a refused token
        (code UNAUTHENTICATED) or an `after_sequence` the server no longer keeps
        (BAD_USER_INPUT). `break` out of it, or `await` its `aclose()`, to end the subscription.
        """
        return follow_conversation(
            self._graphql,
            _as_uuid(conversation_id, "conversationId"),
            after_sequence,
            with_messages=with_messages,
            max_retries=max_retries,
            open_timeout=self._timeout,
        )

    # --- branches ----------------------------------------------------------------------

    async def branches_overview(self, conversation_id: Id) -> list[BranchDetails]:
        """Every branch of a conversation, oldest first."""
        conversation_uuid = _as_uuid(conversation_id, "conversationId")
        branches: list[BranchDetails] = []
        after: str | None = None
        while True:
            page = await self._branches_page(conversation_uuid, PAGE_SIZE, after)
            branches.extend(page.nodes)
            if not page.page_info.has_next_page:
                return branches
            after = page.page_info.end_cursor

    async def _branches_page(
        self, conversation_id: uuid.UUID, first: int, after: str | None
    ) -> BranchesOverviewConversationBranches:
        conversation = (
            await call(
                self._graphql.branches_overview(
                    conversation_id=conversation_id, first=first, after=after
                )
            )
        ).conversation
        if conversation is None:
            raise NotFoundError(
                "NOT_FOUND", f"No conversation with id {conversation_id}.", "conversationId"
            )
        return conversation.branches

    async def _require_conversation(self, conversation_id: uuid.UUID) -> None:
        """Raise NotFoundError unless the caller can see this conversation."""
        await self._branches_page(conversation_id, 1, None)

    async def get_branch(self, branch_id: Id) -> BranchDetails:
        """One branch; raises `NotFoundError` when there is none you can see."""
        branch_uuid = _as_uuid(branch_id, "branchId")
        branch = (await call(self._graphql.get_branch(id=branch_uuid))).branch
        if branch is None:
            raise NotFoundError("NOT_FOUND", f"No branch with id {branch_uuid}.", "branchId")
        return branch

    async def set_current_branch(
        self, conversation_id: Id, branch_id: Id, *, expected_version: int | None = None
    ) -> CurrentBranchSet:
        """Make a branch the one that reads and appends use by default."""
        input_ = SetCurrentBranchInput(
            conversationId=_as_uuid(conversation_id, "conversationId"),
            branchId=_as_uuid(branch_id, "branchId"),
            **_given(expectedVersion=expected_version),
        )
        return await _succeeded(self._graphql.set_current_branch(input=input_), CurrentBranchSet)

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
        search (a conversation you cannot see raises `NotFoundError`); `after` goes on from
        an earlier result's `end_cursor`. Each snippet has the
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
                await call(
                    self._graphql.search_messages(
                        query=query,
                        first=min(limit - len(hits), PAGE_SIZE),
                        after=after,
                        start_mark=start_mark,
                        end_mark=end_mark,
                        **given,
                    )
                )
            ).page
            if not page.nodes and not hits and conversation_id is not None:
                # No hits in a conversation that does not exist is an unknown id.
                await self._require_conversation(given["conversation_id"])
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
        result = await call(
            self._graphql.export_conversation(id=conversation_uuid, format=_format(format))
        )
        if result.export_conversation is None:
            raise NotFoundError("NOT_FOUND", f"No conversation with id {conversation_uuid}.", "id")
        return result.export_conversation

    async def import_conversations(
        self,
        data: Any,
        format: ConversationFormat | str | None = None,
        *,
        idempotency_key: str | None = None,
    ) -> ImportSummary:
        """Import a convograph document or ChatGPT's conversations.json (parsed JSON).

        Each conversation is imported on its own: `.imported` and `.skipped` (imported by you
        before) list `index`, `source_id` and `conversation`; `.failures` list `index`,
        `source_id` and `reason` of those not imported at all. Without `format` it is told
        from the document. A document of neither format raises `ValidationError`. With
        `idempotency_key`, a repeat answers with the first summary (rather than reporting
        everything as skipped).
        """
        input_ = ImportConversationsInput(
            data=data,
            **_given(
                format=None if format is None else _format(format), idempotencyKey=idempotency_key
            ),
        )
        return await _succeeded(self._graphql.import_conversations(input=input_), ImportSummary)

    async def rename_branch(
        self, branch_id: Id, name: str | None, *, expected_version: int | None = None
    ) -> BranchDetails:
        """Name a branch (None removes the name); a name another branch of the
        conversation has raises `ConflictError`."""
        input_ = RenameBranchInput(
            branchId=_as_uuid(branch_id, "branchId"),
            name=name,
            **_given(expectedVersion=expected_version),
        )
        return (await _succeeded(self._graphql.rename_branch(input=input_), RenamedBranch)).branch

    async def delete_branch(
        self, branch_id: Id, *, expected_version: int | None = None
    ) -> DeletedBranch:
        """Delete a branch and the messages no other branch reaches. A conversation's last
        branch cannot be deleted (`ValidationError`)."""
        input_ = DeleteBranchInput(
            branchId=_as_uuid(branch_id, "branchId"), **_given(expectedVersion=expected_version)
        )
        return await _succeeded(self._graphql.delete_branch(input=input_), DeletedBranch)


async def _each(chunks: AsyncIterable[str] | Iterable[str]) -> AsyncIterator[str]:
    if isinstance(chunks, AsyncIterable):
        async for chunk in chunks:
            yield chunk
    else:
        for chunk in chunks:
            yield chunk


def _graphql_endpoint(url: str) -> str:
    parts = urlsplit(url)
    if parts.path in ("", "/"):
        return urlunsplit(parts._replace(path="/graphql"))
    return url


def _websocket_endpoint(endpoint: str) -> str:
    parts = urlsplit(endpoint)
    return urlunsplit(parts._replace(scheme={"https": "wss"}.get(parts.scheme, "ws")))


def _as_uuid(value: Id, field: str) -> uuid.UUID:
    if isinstance(value, uuid.UUID):
        return value
    try:
        return uuid.UUID(value)
    except (TypeError, ValueError, AttributeError):
        raise ValidationError(
            "INVALID_INPUT", f"`{field}` must be a UUID, got {value!r}.", field
        ) from None


def _refused_field(error: GraphQLRequestError) -> list[Any] | None:
    """The path of the field a BAD_USER_INPUT error refused, else None."""
    if error.code != "BAD_USER_INPUT":
        return None
    path = error.errors[0].get("path")
    return list(path) if isinstance(path, list) else None


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
        raise ValidationError(
            "INVALID_INPUT", f"`filter` cannot be used: {first_problem(error)}.", "filter"
        ) from None


def _message_input(
    message: Message | Mapping[str, Any], status: MessageStatus | str | None = None
) -> MessageInput:
    if not isinstance(message, Message):
        message = Message(**message)
    fields = message.model_dump(exclude_none=True)
    if status is not None:
        fields["status"] = _status(status, "message.status")
    return MessageInput.model_validate(fields)


def _status(status: MessageStatus | str, field: str) -> MessageStatus:
    if isinstance(status, MessageStatus):
        return status
    try:
        return MessageStatus(status.upper())
    except (AttributeError, ValueError):
        names = ", ".join(member.value for member in MessageStatus)
        raise ValidationError(
            "INVALID_INPUT", f"`{field}` must be one of {names}, got {status!r}.", field
        ) from None


async def _succeeded(request: Awaitable[_MutationAnswer], success: type[T]) -> T:
    """The success member of a mutation's result union; an error member is raised."""
    result = (await call(request)).result
    if isinstance(result, success):
        return result
    error: _UserErrorResult = result  # type: ignore[assignment]  # the union's other members
    raise user_error(
        error.code,
        error.detail,
        error.field,
        current_version=getattr(error, "current_version", None),
        expected_index=getattr(error, "expected_index", None),
    )

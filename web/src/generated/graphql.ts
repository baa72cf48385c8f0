/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import type { DocumentTypeDecoration } from '@graphql-typed-document-node/core';
/** Without parentId or branchId the message goes to the current branch's tip. */
export type AddMessageInput = {
  /** Append to this branch (with parentId: fork it there). */
  branchId?: string | null | undefined;
  conversationId: string;
  /** Write only if the conversation's version is still this one (a ConflictError with currentVersion otherwise, writing nothing). */
  expectedVersion?: number | null | undefined;
  /** A key of yours for this request: repeated with the same input (within the retention window) it returns the first result and writes nothing; with other input it is a ConflictError. */
  idempotencyKey?: string | null | undefined;
  message: MessageInput;
  metadata?: unknown;
  /** Reply to this message: extends the branch it tips, else forks a new one. */
  parentId?: string | null | undefined;
};

/** How a conversation of the overview changed. */
export type ConversationChangeKind =
  | 'CREATED'
  | 'DELETED'
  /** Not a change: the first item, sent once the subscription is live (every later change follows); it has no conversationId or event. */
  | 'LIVE'
  | 'UPDATED';

/** What changed in a conversation. */
export type ConversationEventKind =
  | 'BRANCH_CREATED'
  | 'BRANCH_DELETED'
  | 'BRANCH_RENAMED'
  | 'CONVERSATION_CREATED'
  /** The last event of a conversation: its stream ends. */
  | 'CONVERSATION_DELETED'
  /** A new conversation was forked from it (`data.forkConversationId`). */
  | 'CONVERSATION_FORKED'
  /** Its title, metadata or archived state changed. */
  | 'CONVERSATION_UPDATED'
  | 'CURRENT_BRANCH_CHANGED'
  /** Not a change: the first item of a subscription started without afterSequence, sent once it is live. `sequence` is the conversation's version then; every later change follows. */
  | 'LIVE'
  | 'MESSAGE_ADDED'
  /** A delta was appended to a streamed message: `delta` and `deltaIndex`. */
  | 'MESSAGE_CONTENT_APPENDED'
  /** The message and its replies were deleted. */
  | 'MESSAGE_DELETED'
  /** `message` is the edit, a new sibling of the original. */
  | 'MESSAGE_EDITED'
  /** A streamed message was finished: `data.status` is COMPLETE or FAILED. */
  | 'MESSAGE_FINISHED'
  | 'MESSAGE_METADATA_UPDATED';

/** Which conversations the overview keeps; every condition given must hold. Time ranges are half-open: `…After` includes that instant, `…Before` excludes it. */
export type ConversationFilter = {
  /** true: only archived ones; false: only those not archived; null: both. */
  archived?: boolean | null | undefined;
  createdAfter?: string | null | undefined;
  createdBefore?: string | null | undefined;
  metadata?: MetadataFilter | null | undefined;
  /** Part of the title, in any case (SQLite folds ASCII letters only). */
  titleContains?: string | null | undefined;
  updatedAfter?: string | null | undefined;
  updatedBefore?: string | null | undefined;
};

export type CreateConversationInput = {
  /** A key of yours for this request: repeated with the same input (within the retention window) it returns the first result and writes nothing; with other input it is a ConflictError. */
  idempotencyKey?: string | null | undefined;
  metadata?: unknown;
  title?: string | null | undefined;
};

export type DeleteBranchInput = {
  branchId: string;
  /** Write only if the conversation's version is still this one (a ConflictError with currentVersion otherwise, writing nothing). */
  expectedVersion?: number | null | undefined;
};

/** Name the conversation by conversationId (id is deprecated). */
export type DeleteConversationInput = {
  conversationId?: string | null | undefined;
  /** Write only if the conversation's version is still this one (a ConflictError with currentVersion otherwise, writing nothing). */
  expectedVersion?: number | null | undefined;
  /** @deprecated Use conversationId, named like the other inputs' messageId and branchId; id goes in 0.3.0. */
  id?: string | null | undefined;
};

export type DeleteMessageInput = {
  /** Write only if the conversation's version is still this one (a ConflictError with currentVersion otherwise, writing nothing). */
  expectedVersion?: number | null | undefined;
  messageId: string;
};

/** What kind of problem a UserError reports. */
export type ErrorCode =
  | 'CONFLICT'
  | 'INVALID_INPUT'
  | 'LIMIT_EXCEEDED'
  | 'NOT_FOUND';

/** The content of a message, as chat APIs shape it. */
export type MessageInput = {
  content?: string;
  name?: string | null | undefined;
  role: Role;
  /** IN_PROGRESS starts a streamed message: appendMessageContent adds to it until finishMessage ends it. */
  status?: MessageStatus;
  toolCallId?: string | null | undefined;
  /** A list of tool-call objects, stored as given. */
  toolCalls?: unknown;
};

/** Whether a message is whole. IN_PROGRESS: an answer being streamed (appendMessageContent) until finishMessage makes it COMPLETE or FAILED. */
export type MessageStatus =
  | 'COMPLETE'
  | 'FAILED'
  | 'IN_PROGRESS';

/** Conditions on a conversation's metadata (top-level keys); all must hold. */
export type MetadataFilter = {
  /** An object the metadata must contain: objects key by key, arrays element by element, other values by equality (PostgreSQL's jsonb `@>`). */
  contains?: unknown;
  /** An object: each of its keys must be present with exactly this value. */
  equals?: unknown;
  /** Keys that must be present, with any value (null too). */
  hasKeys?: Array<string> | null | undefined;
  /** An object of lists: each key must be present with one of its list's values. */
  in?: unknown;
};

export type RenameBranchInput = {
  branchId: string;
  /** Write only if the conversation's version is still this one (a ConflictError with currentVersion otherwise, writing nothing). */
  expectedVersion?: number | null | undefined;
  /** Unique within the conversation, 1 to 200 characters, not only spaces; null removes the name. */
  name?: string | null | undefined;
};

/** Who wrote a message (OpenAI's chat roles). */
export type Role =
  | 'ASSISTANT'
  | 'DEVELOPER'
  | 'FUNCTION'
  | 'SYSTEM'
  | 'TOOL'
  | 'USER';

export type SetCurrentBranchInput = {
  branchId: string;
  conversationId: string;
  /** Write only if the conversation's version is still this one (a ConflictError with currentVersion otherwise, writing nothing). */
  expectedVersion?: number | null | undefined;
};

/** Fields left out stay as they are. Name the conversation by conversationId (id is deprecated). */
export type UpdateConversationInput = {
  /** true archives (archivedAt is set), false unarchives. */
  archived?: boolean | null | undefined;
  conversationId?: string | null | undefined;
  /** Write only if the conversation's version is still this one (a ConflictError with currentVersion otherwise, writing nothing). */
  expectedVersion?: number | null | undefined;
  /** @deprecated Use conversationId, named like the other inputs' messageId and branchId; id goes in 0.3.0. */
  id?: string | null | undefined;
  /** A JSON Merge Patch (RFC 7396) of the metadata: keys merge, null deletes. */
  metadata?: unknown;
  /** The new title; null removes it. */
  title?: string | null | undefined;
};

/** Edit a message: a new sibling on a new branch; nothing is lost. */
export type UpdateMessageInput = {
  /** Write only if the conversation's version is still this one (a ConflictError with currentVersion otherwise, writing nothing). */
  expectedVersion?: number | null | undefined;
  /** A key of yours for this request: repeated with the same input (within the retention window) it returns the first result and writes nothing; with other input it is a ConflictError. */
  idempotencyKey?: string | null | undefined;
  message: MessageInput;
  messageId: string;
  /** The edit's metadata; default: a copy of the original's. */
  metadata?: unknown;
};

export type MessageFieldsFragment = { id: string, role: Role, content: string, status: MessageStatus, deltaCount: number, createdAt: string, siblingIndex: number, siblingCount: number, parent: { id: string } | null, editOf: { id: string } | null };

export type BranchFieldsFragment = { id: string, name: string | null, createdAt: string, updatedAt: string, messageCount: number, tip: { id: string } | null };

type Problem_ConflictError_Fragment = { code: ErrorCode, detail: string, field: string | null };

type Problem_NotFoundError_Fragment = { code: ErrorCode, detail: string, field: string | null };

type Problem_ValidationError_Fragment = { code: ErrorCode, detail: string, field: string | null };

export type ProblemFragment =
  | Problem_ConflictError_Fragment
  | Problem_NotFoundError_Fragment
  | Problem_ValidationError_Fragment
;

export type ConversationSummaryFragment = { id: string, title: string | null, createdAt: string, updatedAt: string, archivedAt: string | null, messageCount: number };

export type ConversationListQueryVariables = Exact<{
  filter?: ConversationFilter | null | undefined;
  first: number;
  after?: string | null | undefined;
}>;


export type ConversationListQuery = { conversations: { pageInfo: { hasNextPage: boolean, endCursor: string | null }, nodes: Array<{ id: string, title: string | null, createdAt: string, updatedAt: string, archivedAt: string | null, messageCount: number }> } };

export type SearchMessagesQueryVariables = Exact<{
  query: string;
  first: number;
}>;


export type SearchMessagesQuery = { searchMessages: { nodes: Array<{ snippet: string, message: { id: string }, conversation: { id: string, title: string | null, createdAt: string, updatedAt: string, archivedAt: string | null, messageCount: number }, branches: { nodes: Array<{ id: string }> } }> } };

export type ConversationViewQueryVariables = Exact<{
  id: string;
  last: number;
}>;


export type ConversationViewQuery = { conversation: { id: string, title: string | null, createdAt: string, updatedAt: string, archivedAt: string | null, messageCount: number, currentBranch: { id: string, name: string | null, createdAt: string, updatedAt: string, messageCount: number, tip: { id: string } | null }, branches: { pageInfo: { hasNextPage: boolean, endCursor: string | null }, nodes: Array<{ id: string, name: string | null, createdAt: string, updatedAt: string, messageCount: number, tip: { id: string } | null }> }, messages: { pageInfo: { hasPreviousPage: boolean, startCursor: string | null }, nodes: Array<{ id: string, role: Role, content: string, status: MessageStatus, deltaCount: number, createdAt: string, siblingIndex: number, siblingCount: number, parent: { id: string } | null, editOf: { id: string } | null }> } } | null };

export type MoreBranchesQueryVariables = Exact<{
  id: string;
  after: string;
}>;


export type MoreBranchesQuery = { conversation: { branches: { pageInfo: { hasNextPage: boolean, endCursor: string | null }, nodes: Array<{ id: string, name: string | null, createdAt: string, updatedAt: string, messageCount: number, tip: { id: string } | null }> } } | null };

export type EarlierMessagesQueryVariables = Exact<{
  id: string;
  branchId: string;
  last: number;
  before: string;
}>;


export type EarlierMessagesQuery = { conversation: { messages: { pageInfo: { hasPreviousPage: boolean, startCursor: string | null }, nodes: Array<{ id: string, role: Role, content: string, status: MessageStatus, deltaCount: number, createdAt: string, siblingIndex: number, siblingCount: number, parent: { id: string } | null, editOf: { id: string } | null }> } } | null };

export type TreePageQueryVariables = Exact<{
  id: string;
  first: number;
  after?: string | null | undefined;
}>;


export type TreePageQuery = { conversation: { messagesInTree: { totalCount: number, pageInfo: { hasNextPage: boolean, endCursor: string | null }, nodes: Array<{ id: string, role: Role, content: string, createdAt: string, siblingIndex: number, parent: { id: string } | null }> } } | null };

export type CreateConversationMutationVariables = Exact<{
  input: CreateConversationInput;
}>;


export type CreateConversationMutation = { createConversation:
    | { __typename: 'ConflictError', code: ErrorCode, detail: string, field: string | null }
    | { __typename: 'CreateConversationSuccess', conversation: { id: string } }
    | { __typename: 'ValidationError', code: ErrorCode, detail: string, field: string | null }
   };

export type AddMessageMutationVariables = Exact<{
  input: AddMessageInput;
}>;


export type AddMessageMutation = { addMessage:
    | { __typename: 'AddMessageSuccess', message: { id: string }, branch: { id: string } }
    | { __typename: 'ConflictError', code: ErrorCode, detail: string, field: string | null }
    | { __typename: 'NotFoundError', code: ErrorCode, detail: string, field: string | null }
    | { __typename: 'ValidationError', code: ErrorCode, detail: string, field: string | null }
   };

export type EditMessageMutationVariables = Exact<{
  input: UpdateMessageInput;
}>;


export type EditMessageMutation = { updateMessage:
    | { __typename: 'ConflictError', code: ErrorCode, detail: string, field: string | null }
    | { __typename: 'NotFoundError', code: ErrorCode, detail: string, field: string | null }
    | { __typename: 'UpdateMessageSuccess', message: { id: string }, branch: { id: string } }
    | { __typename: 'ValidationError', code: ErrorCode, detail: string, field: string | null }
   };

export type DeleteMessageMutationVariables = Exact<{
  input: DeleteMessageInput;
}>;


export type DeleteMessageMutation = { deleteMessage:
    | { __typename: 'ConflictError', code: ErrorCode, detail: string, field: string | null }
    | { __typename: 'DeleteMessageSuccess', deletedMessageCount: number }
    | { __typename: 'NotFoundError', code: ErrorCode, detail: string, field: string | null }
   };

export type DeleteBranchMutationVariables = Exact<{
  input: DeleteBranchInput;
}>;


export type DeleteBranchMutation = { deleteBranch:
    | { __typename: 'ConflictError', code: ErrorCode, detail: string, field: string | null }
    | { __typename: 'DeleteBranchSuccess', deletedMessageCount: number }
    | { __typename: 'NotFoundError', code: ErrorCode, detail: string, field: string | null }
    | { __typename: 'ValidationError', code: ErrorCode, detail: string, field: string | null }
   };

export type RenameBranchMutationVariables = Exact<{
  input: RenameBranchInput;
}>;


export type RenameBranchMutation = { renameBranch:
    | { __typename: 'ConflictError', code: ErrorCode, detail: string, field: string | null }
    | { __typename: 'NotFoundError', code: ErrorCode, detail: string, field: string | null }
    | { __typename: 'RenameBranchSuccess', branch: { id: string, name: string | null } }
    | { __typename: 'ValidationError', code: ErrorCode, detail: string, field: string | null }
   };

export type SetCurrentBranchMutationVariables = Exact<{
  input: SetCurrentBranchInput;
}>;


export type SetCurrentBranchMutation = { setCurrentBranch:
    | { __typename: 'ConflictError', code: ErrorCode, detail: string, field: string | null }
    | { __typename: 'NotFoundError', code: ErrorCode, detail: string, field: string | null }
    | { __typename: 'SetCurrentBranchSuccess', branch: { id: string } }
    | { __typename: 'ValidationError', code: ErrorCode, detail: string, field: string | null }
   };

export type UpdateConversationMutationVariables = Exact<{
  input: UpdateConversationInput;
}>;


export type UpdateConversationMutation = { updateConversation:
    | { __typename: 'ConflictError', code: ErrorCode, detail: string, field: string | null }
    | { __typename: 'NotFoundError', code: ErrorCode, detail: string, field: string | null }
    | { __typename: 'UpdateConversationSuccess', conversation: { id: string, title: string | null, archivedAt: string | null } }
    | { __typename: 'ValidationError', code: ErrorCode, detail: string, field: string | null }
   };

export type DeleteConversationMutationVariables = Exact<{
  input: DeleteConversationInput;
}>;


export type DeleteConversationMutation = { deleteConversation:
    | { __typename: 'ConflictError', code: ErrorCode, detail: string, field: string | null }
    | { __typename: 'DeleteConversationSuccess', deletedId: string }
    | { __typename: 'NotFoundError', code: ErrorCode, detail: string, field: string | null }
    | { __typename: 'ValidationError', code: ErrorCode, detail: string, field: string | null }
   };

export type ConversationEventsSubscriptionVariables = Exact<{
  conversationId: string;
  afterSequence?: number | null | undefined;
}>;


export type ConversationEventsSubscription = { conversationEvents: { sequence: number, kind: ConversationEventKind, messageId: string | null, branchId: string | null, delta: string | null, deltaIndex: number | null } };

export type ConversationsChangedSubscriptionVariables = Exact<{ [key: string]: never; }>;


export type ConversationsChangedSubscription = { conversationsChanged: { kind: ConversationChangeKind, conversationId: string | null } };

export class TypedDocumentString<TResult, TVariables>
  extends String
  implements DocumentTypeDecoration<TResult, TVariables>
{
  __apiType?: NonNullable<DocumentTypeDecoration<TResult, TVariables>['__apiType']>;
  private value: string;
  public __meta__?: Record<string, any> | undefined;

  constructor(value: string, __meta__?: Record<string, any> | undefined) {
    super(value);
    this.value = value;
    this.__meta__ = __meta__;
  }

  override toString(): string & DocumentTypeDecoration<TResult, TVariables> {
    return this.value;
  }
}
export const MessageFieldsFragmentDoc = new TypedDocumentString(`
    fragment MessageFields on Message {
  id
  role
  content
  status
  deltaCount
  createdAt
  siblingIndex
  siblingCount
  parent {
    id
  }
  editOf {
    id
  }
}
    `, {"fragmentName":"MessageFields"}) as unknown as TypedDocumentString<MessageFieldsFragment, unknown>;
export const BranchFieldsFragmentDoc = new TypedDocumentString(`
    fragment BranchFields on Branch {
  id
  name
  createdAt
  updatedAt
  messageCount
  tip {
    id
  }
}
    `, {"fragmentName":"BranchFields"}) as unknown as TypedDocumentString<BranchFieldsFragment, unknown>;
export const ProblemFragmentDoc = new TypedDocumentString(`
    fragment Problem on UserError {
  code
  detail
  field
}
    `, {"fragmentName":"Problem"}) as unknown as TypedDocumentString<ProblemFragment, unknown>;
export const ConversationSummaryFragmentDoc = new TypedDocumentString(`
    fragment ConversationSummary on Conversation {
  id
  title
  createdAt
  updatedAt
  archivedAt
  messageCount
}
    `, {"fragmentName":"ConversationSummary"}) as unknown as TypedDocumentString<ConversationSummaryFragment, unknown>;
export const ConversationListDocument = new TypedDocumentString(`
    query ConversationList($filter: ConversationFilter, $first: Int!, $after: String) {
  conversations(filter: $filter, first: $first, after: $after) {
    pageInfo {
      hasNextPage
      endCursor
    }
    nodes {
      ...ConversationSummary
    }
  }
}
    fragment ConversationSummary on Conversation {
  id
  title
  createdAt
  updatedAt
  archivedAt
  messageCount
}`) as unknown as TypedDocumentString<ConversationListQuery, ConversationListQueryVariables>;
export const SearchMessagesDocument = new TypedDocumentString(`
    query SearchMessages($query: String!, $first: Int!) {
  searchMessages(query: $query, first: $first) {
    nodes {
      snippet(startMark: "\\u0001", endMark: "\\u0002")
      message {
        id
      }
      conversation {
        ...ConversationSummary
      }
      branches(first: 1) {
        nodes {
          id
        }
      }
    }
  }
}
    fragment ConversationSummary on Conversation {
  id
  title
  createdAt
  updatedAt
  archivedAt
  messageCount
}`) as unknown as TypedDocumentString<SearchMessagesQuery, SearchMessagesQueryVariables>;
export const ConversationViewDocument = new TypedDocumentString(`
    query ConversationView($id: UUID!, $last: Int!) {
  conversation(id: $id) {
    ...ConversationSummary
    currentBranch {
      ...BranchFields
    }
    branches(first: 100) {
      pageInfo {
        hasNextPage
        endCursor
      }
      nodes {
        ...BranchFields
      }
    }
    messages(last: $last) {
      pageInfo {
        hasPreviousPage
        startCursor
      }
      nodes {
        ...MessageFields
      }
    }
  }
}
    fragment MessageFields on Message {
  id
  role
  content
  status
  deltaCount
  createdAt
  siblingIndex
  siblingCount
  parent {
    id
  }
  editOf {
    id
  }
}
fragment BranchFields on Branch {
  id
  name
  createdAt
  updatedAt
  messageCount
  tip {
    id
  }
}
fragment ConversationSummary on Conversation {
  id
  title
  createdAt
  updatedAt
  archivedAt
  messageCount
}`) as unknown as TypedDocumentString<ConversationViewQuery, ConversationViewQueryVariables>;
export const MoreBranchesDocument = new TypedDocumentString(`
    query MoreBranches($id: UUID!, $after: String!) {
  conversation(id: $id) {
    branches(first: 100, after: $after) {
      pageInfo {
        hasNextPage
        endCursor
      }
      nodes {
        ...BranchFields
      }
    }
  }
}
    fragment BranchFields on Branch {
  id
  name
  createdAt
  updatedAt
  messageCount
  tip {
    id
  }
}`) as unknown as TypedDocumentString<MoreBranchesQuery, MoreBranchesQueryVariables>;
export const EarlierMessagesDocument = new TypedDocumentString(`
    query EarlierMessages($id: UUID!, $branchId: UUID!, $last: Int!, $before: String!) {
  conversation(id: $id) {
    messages(branchId: $branchId, last: $last, before: $before) {
      pageInfo {
        hasPreviousPage
        startCursor
      }
      nodes {
        ...MessageFields
      }
    }
  }
}
    fragment MessageFields on Message {
  id
  role
  content
  status
  deltaCount
  createdAt
  siblingIndex
  siblingCount
  parent {
    id
  }
  editOf {
    id
  }
}`) as unknown as TypedDocumentString<EarlierMessagesQuery, EarlierMessagesQueryVariables>;
export const TreePageDocument = new TypedDocumentString(`
    query TreePage($id: UUID!, $first: Int!, $after: String) {
  conversation(id: $id) {
    messagesInTree(first: $first, after: $after) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      nodes {
        id
        role
        content
        createdAt
        siblingIndex
        parent {
          id
        }
      }
    }
  }
}
    `) as unknown as TypedDocumentString<TreePageQuery, TreePageQueryVariables>;
export const CreateConversationDocument = new TypedDocumentString(`
    mutation CreateConversation($input: CreateConversationInput!) {
  createConversation(input: $input) {
    __typename
    ... on CreateConversationSuccess {
      conversation {
        id
      }
    }
    ... on UserError {
      ...Problem
    }
  }
}
    fragment Problem on UserError {
  code
  detail
  field
}`) as unknown as TypedDocumentString<CreateConversationMutation, CreateConversationMutationVariables>;
export const AddMessageDocument = new TypedDocumentString(`
    mutation AddMessage($input: AddMessageInput!) {
  addMessage(input: $input) {
    __typename
    ... on AddMessageSuccess {
      message {
        id
      }
      branch {
        id
      }
    }
    ... on UserError {
      ...Problem
    }
  }
}
    fragment Problem on UserError {
  code
  detail
  field
}`) as unknown as TypedDocumentString<AddMessageMutation, AddMessageMutationVariables>;
export const EditMessageDocument = new TypedDocumentString(`
    mutation EditMessage($input: UpdateMessageInput!) {
  updateMessage(input: $input) {
    __typename
    ... on UpdateMessageSuccess {
      message {
        id
      }
      branch {
        id
      }
    }
    ... on UserError {
      ...Problem
    }
  }
}
    fragment Problem on UserError {
  code
  detail
  field
}`) as unknown as TypedDocumentString<EditMessageMutation, EditMessageMutationVariables>;
export const DeleteMessageDocument = new TypedDocumentString(`
    mutation DeleteMessage($input: DeleteMessageInput!) {
  deleteMessage(input: $input) {
    __typename
    ... on DeleteMessageSuccess {
      deletedMessageCount
    }
    ... on UserError {
      ...Problem
    }
  }
}
    fragment Problem on UserError {
  code
  detail
  field
}`) as unknown as TypedDocumentString<DeleteMessageMutation, DeleteMessageMutationVariables>;
export const DeleteBranchDocument = new TypedDocumentString(`
    mutation DeleteBranch($input: DeleteBranchInput!) {
  deleteBranch(input: $input) {
    __typename
    ... on DeleteBranchSuccess {
      deletedMessageCount
    }
    ... on UserError {
      ...Problem
    }
  }
}
    fragment Problem on UserError {
  code
  detail
  field
}`) as unknown as TypedDocumentString<DeleteBranchMutation, DeleteBranchMutationVariables>;
export const RenameBranchDocument = new TypedDocumentString(`
    mutation RenameBranch($input: RenameBranchInput!) {
  renameBranch(input: $input) {
    __typename
    ... on RenameBranchSuccess {
      branch {
        id
        name
      }
    }
    ... on UserError {
      ...Problem
    }
  }
}
    fragment Problem on UserError {
  code
  detail
  field
}`) as unknown as TypedDocumentString<RenameBranchMutation, RenameBranchMutationVariables>;
export const SetCurrentBranchDocument = new TypedDocumentString(`
    mutation SetCurrentBranch($input: SetCurrentBranchInput!) {
  setCurrentBranch(input: $input) {
    __typename
    ... on SetCurrentBranchSuccess {
      branch {
        id
      }
    }
    ... on UserError {
      ...Problem
    }
  }
}
    fragment Problem on UserError {
  code
  detail
  field
}`) as unknown as TypedDocumentString<SetCurrentBranchMutation, SetCurrentBranchMutationVariables>;
export const UpdateConversationDocument = new TypedDocumentString(`
    mutation UpdateConversation($input: UpdateConversationInput!) {
  updateConversation(input: $input) {
    __typename
    ... on UpdateConversationSuccess {
      conversation {
        id
        title
        archivedAt
      }
    }
    ... on UserError {
      ...Problem
    }
  }
}
    fragment Problem on UserError {
  code
  detail
  field
}`) as unknown as TypedDocumentString<UpdateConversationMutation, UpdateConversationMutationVariables>;
export const DeleteConversationDocument = new TypedDocumentString(`
    mutation DeleteConversation($input: DeleteConversationInput!) {
  deleteConversation(input: $input) {
    __typename
    ... on DeleteConversationSuccess {
      deletedId
    }
    ... on UserError {
      ...Problem
    }
  }
}
    fragment Problem on UserError {
  code
  detail
  field
}`) as unknown as TypedDocumentString<DeleteConversationMutation, DeleteConversationMutationVariables>;
export const ConversationEventsDocument = new TypedDocumentString(`
    subscription ConversationEvents($conversationId: UUID!, $afterSequence: Int) {
  conversationEvents(
    conversationId: $conversationId
    afterSequence: $afterSequence
  ) {
    sequence
    kind
    messageId
    branchId
    delta
    deltaIndex
  }
}
    `) as unknown as TypedDocumentString<ConversationEventsSubscription, ConversationEventsSubscriptionVariables>;
export const ConversationsChangedDocument = new TypedDocumentString(`
    subscription ConversationsChanged {
  conversationsChanged {
    kind
    conversationId
  }
}
    `) as unknown as TypedDocumentString<ConversationsChangedSubscription, ConversationsChangedSubscriptionVariables>;
"""GraphQL documents shared by the tests: module constants with variables (DESIGN 6.5)."""

MESSAGE_FIELDS = """
  id role content name toolCalls toolCallId metadata depth createdAt updatedAt
  parent { id } editOf { id } siblingIndex siblingCount
"""

BRANCH_FIELDS = """
  id isCurrent messageCount createdAt updatedAt
  tip { id } branchPoint { id } forkedFrom { id }
"""

CREATE_CONVERSATION = """
mutation Create($input: CreateConversationInput!) {
  createConversation(input: $input) {
    __typename
    ... on CreateConversationSuccess {
      conversation { id title metadata createdAt updatedAt currentBranch { id } }
    }
    ... on UserError { code detail field }
  }
}
"""

ADD_MESSAGE = """
mutation Add($input: AddMessageInput!) {
  addMessage(input: $input) {
    __typename
    ... on AddMessageSuccess {
      message { %s }
      branch { %s }
      conversation { id currentBranch { id } }
    }
    ... on UserError { code detail field }
  }
}
""" % (MESSAGE_FIELDS, BRANCH_FIELDS)

UPDATE_MESSAGE = """
mutation Edit($input: UpdateMessageInput!) {
  updateMessage(input: $input) {
    __typename
    ... on UpdateMessageSuccess {
      message { %s }
      branch { %s }
      conversation { id currentBranch { id } }
    }
    ... on UserError { code detail field }
  }
}
""" % (MESSAGE_FIELDS, BRANCH_FIELDS)

UPDATE_MESSAGE_METADATA = """
mutation Patch($input: UpdateMessageMetadataInput!) {
  updateMessageMetadata(input: $input) {
    __typename
    ... on UpdateMessageMetadataSuccess { message { id metadata updatedAt } }
    ... on UserError { code detail field }
  }
}
"""

SET_CURRENT_BRANCH = """
mutation Switch($input: SetCurrentBranchInput!) {
  setCurrentBranch(input: $input) {
    __typename
    ... on SetCurrentBranchSuccess { conversation { id currentBranch { id } } branch { id isCurrent } }
    ... on UserError { code detail field }
  }
}
"""

DELETE_CONVERSATION = """
mutation Delete($input: DeleteConversationInput!) {
  deleteConversation(input: $input) {
    __typename
    ... on DeleteConversationSuccess { deletedConversationId deletedMessageCount deletedBranchCount }
    ... on UserError { code detail field }
  }
}
"""

CONVERSATION = """
query Conversation($id: UUID!, $branchId: UUID, $first: Int, $after: String, $last: Int, $before: String) {
  conversation(id: $id) {
    id title metadata messageCount branchCount createdAt updatedAt
    currentBranch { id }
    messages(branchId: $branchId, first: $first, after: $after, last: $last, before: $before) {
      totalCount
      pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
      edges { cursor node { %s } }
    }
    branches(first: 100) { totalCount nodes { %s } }
  }
}
""" % (MESSAGE_FIELDS, BRANCH_FIELDS)

CONVERSATION_TITLE = """
query ConversationTitle($id: UUID!) {
  conversation(id: $id) { id title }
}
"""

CONVERSATIONS = """
query Overview($ids: [UUID!], $first: Int, $after: String, $last: Int, $before: String,
               $offset: Int! = 0, $orderBy: ConversationOrderBy! = CREATED_AT_DESC) {
  conversations(ids: $ids, first: $first, after: $after, last: $last, before: $before,
                offset: $offset, orderBy: $orderBy) {
    totalCount
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    edges { cursor node { id title createdAt updatedAt } }
    nodes { id }
  }
}
"""

MESSAGE = (
    """
query Message($id: UUID!) {
  message(id: $id) {
    %s
    conversation { id }
    children(first: 100) { totalCount nodes { id content } }
  }
}
"""
    % MESSAGE_FIELDS
)

BRANCH = (
    """
query Branch($id: UUID!, $first: Int, $after: String, $last: Int, $before: String) {
  branch(id: $id) {
    %s
    conversation { id }
    messages(first: $first, after: $after, last: $last, before: $before) {
      totalCount
      pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
      nodes { id content depth }
    }
  }
}
"""
    % BRANCH_FIELDS
)

UPDATE_CONVERSATION = """
mutation UpdateConversation($input: UpdateConversationInput!) {
  updateConversation(input: $input) {
    __typename
    ... on UpdateConversationSuccess {
      conversation { id title metadata archivedAt createdAt updatedAt }
    }
    ... on UserError { code detail field }
  }
}
"""

RENAME_BRANCH = """
mutation RenameBranch($input: RenameBranchInput!) {
  renameBranch(input: $input) {
    __typename
    ... on RenameBranchSuccess { branch { id name updatedAt conversation { id updatedAt } } }
    ... on UserError { code detail field }
  }
}
"""

FORK_CONVERSATION = (
    """
mutation Fork($input: ForkConversationInput!) {
  forkConversation(input: $input) {
    __typename
    ... on ForkConversationSuccess {
      conversation {
        id title metadata messageCount branchCount currentBranch { id }
        forkedFrom { conversation { id } message { id } }
      }
      branch { id isCurrent messageCount tip { id } branchPoint { id } forkedFrom { id } }
      message { %s }
    }
    ... on UserError { code detail field }
  }
}
"""
    % MESSAGE_FIELDS
)

DELETE_MESSAGE = """
mutation DeleteMessage($input: DeleteMessageInput!) {
  deleteMessage(input: $input) {
    __typename
    ... on DeleteMessageSuccess {
      deletedMessageId deletedMessageCount deletedBranchIds deletedBranchCount
      conversation { id messageCount branchCount currentBranch { id tip { id } } }
    }
    ... on UserError { code detail field }
  }
}
"""

DELETE_BRANCH = """
mutation DeleteBranch($input: DeleteBranchInput!) {
  deleteBranch(input: $input) {
    __typename
    ... on DeleteBranchSuccess {
      deletedBranchId deletedMessageCount
      conversation { id messageCount branchCount currentBranch { id tip { id } } }
    }
    ... on UserError { code detail field }
  }
}
"""

CONVERSATION_EVENTS = """
subscription Events($conversationId: UUID!, $afterSequence: Int) {
  conversationEvents(conversationId: $conversationId, afterSequence: $afterSequence) {
    sequence kind occurredAt conversationId messageId branchId data
    message { id content }
    branch { id name }
  }
}
"""

CONVERSATIONS_CHANGED = """
subscription Changes {
  conversationsChanged { kind conversationId conversation { id title } event { sequence kind } }
}
"""

EXPORT_CONVERSATION = """
query Export($id: UUID!, $format: ConversationFormat! = CONVOGRAPH) {
  exportConversation(id: $id, format: $format)
}
"""

IMPORT_CONVERSATIONS = """
mutation Import($input: ImportConversationsInput!) {
  importConversations(input: $input) {
    __typename
    ... on ImportConversationsSuccess {
      imported { index sourceId conversation { id title messageCount branchCount } }
      skipped { index sourceId conversation { id } }
      failures { index sourceId reason }
    }
    ... on UserError { code detail field }
  }
}
"""

# What a branch stores, and what its path's messages store: no field that another
# branch's growth may legitimately change (isCurrent, siblingCount, children).
BRANCH_SNAPSHOT = """
query BranchSnapshot($id: UUID!) {
  branch(id: $id) {
    id createdAt updatedAt messageCount
    tip { id } branchPoint { id } forkedFrom { id } conversation { id }
    messages(first: 100) {
      totalCount
      nodes {
        id role content name toolCalls toolCallId metadata depth createdAt updatedAt
        parent { id } editOf { id } siblingIndex
      }
    }
  }
}
"""

SIBLINGS = """
query Siblings($id: UUID!) {
  message(id: $id) { id siblingIndex siblingCount }
}
"""

TWO_APPENDS = """
mutation TwoAppends($conversationId: UUID!) {
  first: addMessage(
    input: {conversationId: $conversationId, message: {role: USER, content: "first"}}
  ) {
    __typename
    ... on AddMessageSuccess { message { id depth parent { id } } branch { id messageCount } }
  }
  second: addMessage(
    input: {conversationId: $conversationId, message: {role: ASSISTANT, content: "second"}}
  ) {
    __typename
    ... on AddMessageSuccess { message { id depth parent { id } } branch { id messageCount } }
  }
}
"""

SWITCH_THEN_APPEND = """
mutation SwitchThenAppend($conversationId: UUID!, $branchId: UUID!) {
  setCurrentBranch(input: {conversationId: $conversationId, branchId: $branchId}) {
    __typename
  }
  addMessage(input: {conversationId: $conversationId, message: {role: USER, content: "next"}}) {
    __typename
    ... on AddMessageSuccess { message { parent { id } } branch { id } }
  }
}
"""

EDIT_THEN_APPEND = """
mutation EditThenAppend($conversationId: UUID!, $messageId: UUID!) {
  updateMessage(input: {messageId: $messageId, message: {role: USER, content: "edited"}}) {
    __typename
    ... on UpdateMessageSuccess { message { id } branch { id } }
  }
  addMessage(input: {conversationId: $conversationId, message: {role: ASSISTANT, content: "reply"}}) {
    __typename
    ... on AddMessageSuccess { message { parent { id } } branch { id messageCount } }
  }
}
"""

DELETE_THEN_APPEND = """
mutation DeleteThenAppend($conversationId: UUID!) {
  deleteConversation(input: {id: $conversationId}) { __typename }
  addMessage(input: {conversationId: $conversationId, message: {role: USER, content: "late"}}) {
    __typename
    ... on UserError { code field }
  }
}
"""

SEARCH = """
query Search($query: String!, $conversationId: UUID, $role: Role, $first: Int, $after: String) {
  searchMessages(query: $query, conversationId: $conversationId, role: $role,
                 first: $first, after: $after) {
    totalCount
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    edges {
      cursor
      node {
        rank snippet
        message { id content role }
        conversation { id title }
      }
    }
  }
}
"""

SEARCH_IN_CONTEXT = """
query SearchInContext($query: String!, $first: Int = 20, $branchesFirst: Int = 20, $branchesAfter: String) {
  searchMessages(query: $query, first: $first) {
    totalCount
    nodes {
      message { id content }
      conversation { id }
      plain: snippet(startMark: "", endMark: "")
      stars: snippet(startMark: "**", endMark: "**")
      branches(first: $branchesFirst, after: $branchesAfter) {
        totalCount
        pageInfo { hasNextPage endCursor }
        nodes { id tip { id } }
      }
      path(first: 50) { totalCount nodes { id content } }
    }
  }
}
"""

BRANCHES = """
query Branches($id: UUID!, $first: Int, $after: String, $last: Int, $before: String) {
  conversation(id: $id) {
    branchCount messageCount
    branches(first: $first, after: $after, last: $last, before: $before) {
      totalCount
      pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
      edges { cursor node { id } }
    }
  }
}
"""

CHILDREN = """
query Children($id: UUID!, $first: Int, $after: String, $last: Int, $before: String) {
  message(id: $id) {
    children(first: $first, after: $after, last: $last, before: $before) {
      totalCount
      pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
      edges { cursor node { id } }
    }
  }
}
"""

TREE = """
query Tree($id: UUID!) {
  conversation(id: $id) {
    messageCount branchCount currentBranch { id }
    branches(first: 50) {
      nodes { id messageCount tip { id } messages(first: 100) { nodes { id } } }
    }
  }
}
"""

PATH = """
query Path($id: UUID!) {
  conversation(id: $id) {
    messages(first: 100) {
      nodes { id role content name toolCalls toolCallId metadata depth createdAt updatedAt
              parent { id } editOf { id } }
    }
  }
}
"""

FORKS = """
query Forks($id: UUID!, $first: Int, $after: String) {
  conversation(id: $id) {
    forkedFrom { conversation { id } message { id } }
    forks(first: $first, after: $after) {
      totalCount
      pageInfo { hasNextPage endCursor }
      nodes { id title forkedFrom { conversation { id } message { id } } }
    }
  }
}
"""

BRANCH_TIPS = """
query BranchTips($id: UUID!) {
  conversation(id: $id) {
    currentBranch { id }
    branches(first: 100) { nodes { id updatedAt tip { id content } branchPoint { id } } }
  }
}
"""

FILTERED = """
query Filtered($filter: ConversationFilter, $ids: [UUID!], $first: Int, $after: String,
               $last: Int, $before: String, $offset: Int! = 0,
               $orderBy: ConversationOrderBy! = CREATED_AT_DESC) {
  conversations(filter: $filter, ids: $ids, first: $first, after: $after, last: $last,
                before: $before, offset: $offset, orderBy: $orderBy) {
    totalCount
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    nodes { id title createdAt updatedAt archivedAt }
  }
}
"""

APPEND_MESSAGE_CONTENT = """
mutation Append($input: AppendMessageContentInput!) {
  appendMessageContent(input: $input) {
    __typename
    ... on AppendMessageContentSuccess { applied message { id content status deltaCount } conversation { version } }
    ... on ConflictError { expectedIndex }
    ... on UserError { code detail field }
  }
}
"""

FINISH_MESSAGE = """
mutation Finish($input: FinishMessageInput!) {
  finishMessage(input: $input) {
    __typename
    ... on FinishMessageSuccess { message { id content status deltaCount } conversation { version } }
    ... on UserError { code detail field }
  }
}
"""

"""Nested fields read through per-request DataLoaders: statements do not grow with page sizes."""

from typing import Any

from tests.conftest import GraphQLClient, StatementCounter
from tests.factories import add_message, conversation_with_messages, edit_message

OVERVIEW_WITH_BRANCH_TIPS = """
query OverviewWithTips($first: Int!) {
  conversations(first: $first) {
    nodes { id messageCount branchCount currentBranch { tip { content } } }
  }
}
"""

BRANCH_PAGE_WITH_TREE_LINKS = """
query BranchPage($id: UUID!, $first: Int!) {
  branch(id: $id) {
    messages(first: $first) {
      nodes { id content parent { id } siblingCount editOf { id } }
    }
  }
}
"""

BRANCHES_WITH_RECENT_MESSAGES = """
query BranchesWithRecentMessages($id: UUID!) {
  conversation(id: $id) {
    branches(first: 100) {
      nodes { id tip { content } messages(last: 3) { nodes { content } } }
    }
  }
}
"""

TREE_PAGE = """
query TreePage($id: UUID!, $first: Int!) {
  conversation(id: $id) {
    messagesInTree(first: $first) {
      totalCount
      nodes { id content parent { id } siblingIndex siblingCount }
    }
  }
}
"""

# Generous for what the queries need (page, count, and one batch per kind of nested read),
# far below one statement per item.
FEW_STATEMENTS = 8


async def count_statements(
    gql: GraphQLClient, statements: StatementCounter, document: str, **variables: Any
) -> tuple[int, dict[str, Any]]:
    """Statements of one request alone: the setup before it is not counted."""
    statements.reset()
    data = await gql.data(document, **variables)
    return statements.count, data


async def test_overview_statements_do_not_grow_with_the_page(
    gql: GraphQLClient, statements: StatementCounter, database_url: str
) -> None:
    # given 50 conversations with a message each; every fifth message is also edited
    expected: dict[str, tuple[str, int, int]] = {}
    for i in range(50):
        conversation, [message] = await conversation_with_messages(gql, f"hello {i}")
        expected[conversation["id"]] = (f"hello {i}", 1, 1)
        if i % 5 == 0:
            await edit_message(gql, message["id"], f"hello {i}, edited")
            expected[conversation["id"]] = (f"hello {i}, edited", 2, 2)
    # when
    small, five = await count_statements(gql, statements, OVERVIEW_WITH_BRANCH_TIPS, first=5)
    large, fifty = await count_statements(gql, statements, OVERVIEW_WITH_BRANCH_TIPS, first=50)
    # then
    print(f"\n[{database_url.split(':')[0]}] overview 5 vs 50 conversations: {small} vs {large}")
    assert len(five["conversations"]["nodes"]) == 5
    read = {
        node["id"]: (
            node["currentBranch"]["tip"]["content"],
            node["messageCount"],
            node["branchCount"],
        )
        for node in fifty["conversations"]["nodes"]
    }
    assert read == expected
    assert small == large
    assert large <= FEW_STATEMENTS


async def test_branch_page_statements_do_not_grow_with_the_page(
    gql: GraphQLClient, statements: StatementCounter, database_url: str
) -> None:
    # given a branch of 56 messages whose second message is an edit
    conversation, [_, second] = await conversation_with_messages(gql, "root", "second")
    edit = await edit_message(gql, second["id"], "second, edited")
    for i in range(54):
        await add_message(gql, conversation["id"], f"reply {i}")
    branch_id = edit["branch"]["id"]
    # when
    small, five = await count_statements(
        gql, statements, BRANCH_PAGE_WITH_TREE_LINKS, id=branch_id, first=5
    )
    large, fifty = await count_statements(
        gql, statements, BRANCH_PAGE_WITH_TREE_LINKS, id=branch_id, first=50
    )
    # then
    print(f"\n[{database_url.split(':')[0]}] branch page 5 vs 50 messages: {small} vs {large}")
    nodes = fifty["branch"]["messages"]["nodes"]
    assert len(five["branch"]["messages"]["nodes"]) == 5
    assert len(nodes) == 50
    assert [node["parent"] for node in nodes] == [None] + [{"id": n["id"]} for n in nodes[:-1]]
    assert [node["editOf"] for node in nodes] == [None, {"id": second["id"]}] + [None] * 48
    assert [node["siblingCount"] for node in nodes] == [1, 2] + [1] * 48
    assert nodes[1]["id"] == edit["message"]["id"]
    assert small == large
    assert large <= FEW_STATEMENTS


async def conversation_with_branches(gql: GraphQLClient, count: int) -> str:
    """A conversation of five messages with `count` branches forked along it."""
    conversation, messages = await conversation_with_messages(gql, "a", "b", "c", "d", "e")
    for i in range(count - 1):
        parent = messages[i % 4]
        await add_message(gql, conversation["id"], f"fork {i}", parentId=parent["id"])
    return conversation["id"]


async def test_branches_statements_do_not_grow_with_the_number_of_branches(
    gql: GraphQLClient, statements: StatementCounter, database_url: str
) -> None:
    # given
    few, many = 3, 30
    small_id = await conversation_with_branches(gql, few)
    large_id = await conversation_with_branches(gql, many)
    # when
    small, small_data = await count_statements(
        gql, statements, BRANCHES_WITH_RECENT_MESSAGES, id=small_id
    )
    large, large_data = await count_statements(
        gql, statements, BRANCHES_WITH_RECENT_MESSAGES, id=large_id
    )
    # then
    print(f"\n[{database_url.split(':')[0]}] {few} vs {many} branches: {small} vs {large}")
    branches = large_data["conversation"]["branches"]["nodes"]
    assert len(small_data["conversation"]["branches"]["nodes"]) == few
    assert len(branches) == many
    assert [m["content"] for m in branches[0]["messages"]["nodes"]] == ["c", "d", "e"]
    assert [m["content"] for m in branches[1]["messages"]["nodes"]] == ["a", "fork 0"]
    assert all(b["tip"]["content"] == b["messages"]["nodes"][-1]["content"] for b in branches)
    assert small == large
    assert large <= FEW_STATEMENTS


async def test_tree_page_statements_do_not_grow_with_the_page(
    gql: GraphQLClient, statements: StatementCounter, database_url: str
) -> None:
    # given a conversation of 60 messages on 56 branches
    conversation_id = await conversation_with_branches(gql, 56)
    # when
    small, five = await count_statements(gql, statements, TREE_PAGE, id=conversation_id, first=5)
    large, fifty = await count_statements(gql, statements, TREE_PAGE, id=conversation_id, first=50)
    # then
    print(f"\n[{database_url.split(':')[0]}] tree page 5 vs 50 messages: {small} vs {large}")
    tree = fifty["conversation"]["messagesInTree"]
    assert tree["totalCount"] == 60
    assert len(five["conversation"]["messagesInTree"]["nodes"]) == 5
    assert [node["content"] for node in tree["nodes"][:6]] == ["a", "b", "c", "d", "e", "fork 0"]
    assert tree["nodes"][5]["parent"] == {"id": tree["nodes"][0]["id"]}
    assert tree["nodes"][5]["siblingIndex"] == 1
    assert small == large
    assert large <= FEW_STATEMENTS

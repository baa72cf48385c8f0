"""Conversation.messagesInTree: every message of the tree, paged, in creation order."""

from typing import Any

from tests.conftest import GraphQLClient
from tests.documents import DELETE_MESSAGE
from tests.factories import add_message, conversation_with_messages, edit_message
from tests.test_queries import assert_bad_user_input

TREE_PAGE = """
query TreePage($id: UUID!, $first: Int, $after: String) {
  conversation(id: $id) {
    messagesInTree(first: $first, after: $after) {
      totalCount
      pageInfo { hasNextPage endCursor }
      nodes { id content depth parent { id } siblingIndex siblingCount }
    }
  }
}
"""


async def read_tree(gql: GraphQLClient, conversation_id: str, page_size: int) -> list[Any]:
    """Every node, page after page, following endCursor."""
    nodes: list[Any] = []
    after = None
    for _ in range(50):
        data = await gql.data(TREE_PAGE, id=conversation_id, first=page_size, after=after)
        page = data["conversation"]["messagesInTree"]
        nodes += page["nodes"]
        if not page["pageInfo"]["hasNextPage"]:
            return nodes
        after = page["pageInfo"]["endCursor"]
    raise AssertionError("the pages never ended")


async def test_pages_hold_every_message_once_with_its_place_in_the_tree(
    gql: GraphQLClient,
) -> None:
    # given a -> b -> c, an edit b' of b with a reply d, and a second root r (an edit of a)
    conversation, [a, b, _] = await conversation_with_messages(gql, "a", "b", "c")
    edit = await edit_message(gql, b["id"], "b'")
    await add_message(gql, conversation["id"], "d")
    await edit_message(gql, a["id"], "r")
    # when
    nodes = await read_tree(gql, conversation["id"], page_size=2)
    # then
    by_content = {node["content"]: node for node in nodes}
    assert [node["content"] for node in nodes] == ["a", "b", "c", "b'", "d", "r"]
    assert by_content["b'"]["parent"] == {"id": a["id"]}
    assert (by_content["b"]["siblingIndex"], by_content["b'"]["siblingIndex"]) == (0, 1)
    assert by_content["b'"]["siblingCount"] == 2
    assert by_content["d"]["parent"] == {"id": edit["message"]["id"]}
    assert by_content["c"]["parent"] == {"id": b["id"]}
    assert (by_content["r"]["parent"], by_content["r"]["siblingIndex"]) == (None, 1)
    assert [node["depth"] for node in nodes] == [0, 1, 2, 1, 2, 0]


async def test_deleted_messages_leave_the_tree(gql: GraphQLClient) -> None:
    # given a -> b -> c and a reply x to a
    conversation, [a, b, _] = await conversation_with_messages(gql, "a", "b", "c")
    await add_message(gql, conversation["id"], "x", parentId=a["id"])
    # when b and its reply c are deleted
    deleted = await gql.data(DELETE_MESSAGE, input={"messageId": b["id"]})
    # then
    assert deleted["deleteMessage"]["deletedMessageCount"] == 2
    nodes = await read_tree(gql, conversation["id"], page_size=10)
    assert [(node["content"], node["siblingIndex"]) for node in nodes] == [("a", 0), ("x", 0)]


async def test_an_empty_conversation_has_an_empty_tree(gql: GraphQLClient) -> None:
    conversation, _ = await conversation_with_messages(gql)
    data = await gql.data(TREE_PAGE, id=conversation["id"], first=10)
    tree = data["conversation"]["messagesInTree"]
    assert (tree["totalCount"], tree["nodes"], tree["pageInfo"]["hasNextPage"]) == (0, [], False)


async def test_a_page_beyond_the_limit_or_a_foreign_cursor_is_bad_user_input(
    gql: GraphQLClient,
) -> None:
    conversation, _ = await conversation_with_messages(gql, "a")
    assert_bad_user_input(await gql.execute(TREE_PAGE, id=conversation["id"], first=101))
    assert_bad_user_input(
        await gql.execute(TREE_PAGE, id=conversation["id"], first=1, after="not a cursor")
    )

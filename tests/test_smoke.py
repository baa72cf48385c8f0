from tests.conftest import GraphQLClient
from tests.documents import CONVERSATION
from tests.factories import conversation_with_messages


async def test_a_conversation_reads_back_its_messages(gql: GraphQLClient) -> None:
    # given
    conversation, _ = await conversation_with_messages(gql, "one", "two")
    # when
    data = await gql.data(CONVERSATION, id=conversation["id"])
    # then
    nodes = [edge["node"] for edge in data["conversation"]["messages"]["edges"]]
    assert [n["content"] for n in nodes] == ["one", "two"]

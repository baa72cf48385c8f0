"""The database goes away and comes back: clear errors meanwhile, the same server after.

A PostgreSQL cluster of the test's own is stopped (immediately, as a crash would) while a
`convograph serve` process writes to it, then started again. Requests meanwhile fail with
SERVICE_UNAVAILABLE and /readyz answers 503; afterwards the same process serves again
(its pool pings connections before use), and every acknowledged write is in the database.
"""

import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import psycopg
import pytest

from tests.documents import ADD_MESSAGE, CONVERSATION, CREATE_CONVERSATION
from tests.private_postgres import PrivateCluster, private_cluster, unavailable_reason
from tests.serving import post_graphql, running_server

pytestmark = pytest.mark.skipif(unavailable_reason() is not None, reason=unavailable_reason() or "")

MAX_WRITES = 2_000
WAIT_STEPS = 600  # of POLL_SECONDS each: a bound on every wait below
POLL_SECONDS = 0.05


@dataclass
class Writer:
    """Appends messages one after another until stopped, and records every outcome."""

    http: httpx.Client
    conversation: str
    acknowledged: list[str] = field(default_factory=list)
    failures: list[dict[str, object]] = field(default_factory=list)
    stop: threading.Event = field(default_factory=threading.Event)

    def run(self) -> None:
        for number in range(MAX_WRITES):
            if self.stop.is_set():
                return
            response = post_graphql(
                self.http,
                ADD_MESSAGE,
                input={
                    "conversationId": self.conversation,
                    "message": {"role": "USER", "content": f"write {number}"},
                },
            )
            body = response.json()
            if response.status_code == 200 and "errors" not in body:
                self.acknowledged.append(body["data"]["addMessage"]["message"]["id"])
            else:
                self.failures.append({"status": response.status_code, **body["errors"][0]})
                time.sleep(POLL_SECONDS)


def wait_until(condition: object, what: str) -> None:
    for _ in range(WAIT_STEPS):
        if condition():  # type: ignore[operator]
            return
        time.sleep(POLL_SECONDS)
    pytest.fail(f"gave up waiting until {what}")


@pytest.fixture
def cluster() -> Iterator[PrivateCluster]:
    with private_cluster() as cluster:
        with psycopg.connect(cluster.url, autocommit=True) as connection:
            connection.execute("CREATE DATABASE convograph")
        yield cluster


@pytest.fixture
def server(cluster: PrivateCluster, tmp_path: Path) -> Iterator[str]:
    url = cluster.url.removesuffix("/postgres") + "/convograph"
    with running_server(url, tmp_path / "serve.log") as base_url:
        yield base_url


def test_a_database_restart_loses_no_acknowledged_write(
    cluster: PrivateCluster, server: str
) -> None:
    with httpx.Client(base_url=server, timeout=30.0) as http:
        # given a server writing to its database
        created = post_graphql(http, CREATE_CONVERSATION, input={}).json()["data"][
            "createConversation"
        ]["conversation"]["id"]
        writer = Writer(http, created)
        thread = threading.Thread(target=writer.run)
        thread.start()
        try:
            wait_until(lambda: len(writer.acknowledged) >= 10, "10 writes are acknowledged")

            # when the database stops as if it crashed
            cluster.stop("immediate")
            wait_until(lambda: len(writer.failures) >= 3, "3 writes have failed")
            readyz_down = http.get("/readyz")
            read_down = post_graphql(http, CONVERSATION, id=created)
            acknowledged_while_down = len(writer.acknowledged)

            # and starts again
            cluster.start()
            wait_until(
                lambda: len(writer.acknowledged) >= acknowledged_while_down + 10,
                "10 more writes are acknowledged",
            )
        finally:
            writer.stop.set()
            thread.join(timeout=60)
        readyz_up = http.get("/readyz")
        stored = post_graphql(http, CONVERSATION, id=created, first=100).json()["data"][
            "conversation"
        ]

    # then while it was down, every request failed with a clear, retryable error
    assert readyz_down.status_code == 503
    assert readyz_down.json() == {"status": "unavailable", "database": "unreachable"}
    [read_error] = read_down.json()["errors"]
    assert read_error["extensions"]["code"] == "SERVICE_UNAVAILABLE"
    assert {failure["status"] for failure in writer.failures} == {200}
    assert {failure["extensions"]["code"] for failure in writer.failures} == {  # type: ignore[index]
        "SERVICE_UNAVAILABLE"
    }
    # and the same server process serves again, with every acknowledged write stored
    assert readyz_up.status_code == 200
    assert len(writer.acknowledged) <= 100, "the page below must hold every write"
    stored_ids = {edge["node"]["id"] for edge in stored["messages"]["edges"]}
    assert set(writer.acknowledged) <= stored_ids
    assert stored["messageCount"] >= len(writer.acknowledged)

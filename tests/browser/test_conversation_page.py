"""The conversation page at `/`, used as a person uses it, in Chromium."""

import json
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.sync_api import expect

from tests.browser.conftest import Pages
from tests.documents import (
    ADD_MESSAGE,
    APPEND_MESSAGE_CONTENT,
    CREATE_CONVERSATION,
    FINISH_MESSAGE,
    UPDATE_MESSAGE,
)

AXE = Path(__file__).parents[2] / "web" / "node_modules" / "axe-core" / "axe.min.js"
NARROW = {"width": 375, "height": 760}


def start_conversation(page: Any) -> None:
    page.get_by_role("button", name="New conversation").click()
    expect(page.locator("#conversation")).to_be_visible()


def send(page: Any, text: str) -> None:
    page.get_by_label("Message", exact=True).fill(text)
    page.get_by_role("button", name="Send").click()
    expect(page.locator("#message-list .message .content").last).to_have_text(text)


def contents(page: Any) -> Any:
    return page.locator("#message-list .message .content")


def message(page: Any, index: int) -> Any:
    return page.locator("#message-list .message").nth(index)


def edit(page: Any, index: int, text: str) -> None:
    message(page, index).get_by_role("button", name="Edit").click()
    message(page, index).get_by_label("Edited message").fill(text)
    message(page, index).get_by_role("button", name="Save as new version").click()


def api(base_url: str, document: str, **variables: Any) -> dict[str, Any]:
    response = httpx.post(
        f"{base_url}/graphql", json={"query": document, "variables": variables}, timeout=10
    )
    body = response.json()
    assert response.status_code == 200 and "errors" not in body, body
    return body["data"]


def branching_conversation(base_url: str) -> tuple[str, list[str]]:
    """Plan a trip -> Two ideas -> Go north; Two ideas edited -> Go south; a reply to the
    first message forks a third branch. Returns the id and every message's content."""
    created = api(base_url, CREATE_CONVERSATION, input={"title": "Weekend trip"})
    conversation_id = created["createConversation"]["conversation"]["id"]

    def add(content: str, role: str = "USER", **target: Any) -> dict[str, Any]:
        data = api(
            base_url,
            ADD_MESSAGE,
            input={
                "conversationId": conversation_id,
                "message": {"role": role, "content": content},
                **target,
            },
        )
        return data["addMessage"]["message"]

    root = add("Plan a weekend trip for two.")
    ideas = add("Mountains or the coast?", "ASSISTANT")
    add("Mountains: a hut near the pass.")
    api(
        base_url,
        UPDATE_MESSAGE,
        input={
            "messageId": ideas["id"],
            "message": {"role": "ASSISTANT", "content": "The coast: a cabin by the dunes."},
        },
    )
    add("Book the cabin.")
    add("Make it a budget trip instead.", parentId=root["id"])
    texts = [
        "Plan a weekend trip for two.",
        "Mountains or the coast?",
        "Mountains: a hut near the pass.",
        "The coast: a cabin by the dunes.",
        "Book the cabin.",
        "Make it a budget trip instead.",
    ]
    return conversation_id, texts


def test_an_edit_is_a_new_version_and_the_original_stays_reachable(pages: Pages) -> None:
    # given a conversation of three messages made on the page
    page = pages.open("/")
    start_conversation(page)
    for text in ("first", "second", "third"):
        send(page, text)
    # when the second is edited
    edit(page, 1, "second, edited")
    # then the branch of the edit is shown, and the edit is version 2 of 2
    expect(contents(page)).to_have_text(["first", "second, edited"])
    expect(message(page, 1).locator(".switcher")).to_contain_text("2 / 2")
    # when the switcher goes back
    message(page, 1).get_by_role("button", name="Previous version").click()
    # then the original and its reply are there, untouched
    expect(contents(page)).to_have_text(["first", "second", "third"])
    expect(message(page, 1).locator(".switcher")).to_contain_text("1 / 2")
    # and a reload stays on that branch: the server keeps the current branch
    page.reload()
    expect(contents(page)).to_have_text(["first", "second", "third"])
    expect(message(page, 1).locator(".switcher")).to_contain_text("1 / 2")


def test_a_message_from_another_browser_appears_without_a_reload(pages: Pages) -> None:
    # given the same conversation open in two browser contexts
    first = pages.open("/")
    start_conversation(first)
    send(first, "hello from the first")
    second = pages.open(first.url)
    expect(contents(second)).to_have_text(["hello from the first"])
    expect(first.locator("#live")).to_have_text("Live")
    # when the second one adds a message
    send(second, "hello from the second")
    # then the first shows it, and its list shows the title the first message gave
    expect(contents(first)).to_have_text(["hello from the first", "hello from the second"])
    expect(first.locator("#conversation-list")).to_contain_text("hello from the first")


def test_the_tree_view_shows_every_message_and_switches_branch(pages: Pages) -> None:
    # given a conversation of three branches
    conversation_id, texts = branching_conversation(pages.base_url)
    page = pages.open(f"/#/c/{conversation_id}")
    expect(contents(page)).to_have_count(2)
    # when the tree is opened
    page.get_by_role("button", name="Tree view").click()
    # then every message is in it, and the current branch is highlighted
    nodes = page.locator("#tree [data-tree-node]")
    expect(nodes).to_have_count(len(texts))
    for text in texts:
        expect(page.locator("#tree")).to_contain_text(text)
    expect(page.locator("#tree .node.on-branch")).to_have_count(2)
    # when a message of another branch is clicked
    page.locator("#tree .node", has_text="Mountains: a hut").click()
    # then that branch is shown
    expect(contents(page)).to_have_text(
        [
            "Plan a weekend trip for two.",
            "Mountains or the coast?",
            "Mountains: a hut near the pass.",
        ]
    )
    expect(page.locator("#tree .node.on-branch")).to_have_count(3)


def test_older_messages_load_as_the_reader_scrolls_up(pages: Pages) -> None:
    # given a conversation of 45 messages, more than the page shows at first (30)
    created = api(pages.base_url, CREATE_CONVERSATION, input={"title": "A long one"})
    conversation_id = created["createConversation"]["conversation"]["id"]
    texts = [f"message number {n}" for n in range(45)]
    for text in texts:
        api(
            pages.base_url,
            ADD_MESSAGE,
            input={"conversationId": conversation_id, "message": {"role": "USER", "content": text}},
        )
    page = pages.open(f"/#/c/{conversation_id}")
    # then the latest 30 are shown, root side first, with a way to the earlier ones
    expect(contents(page)).to_have_count(30)
    expect(contents(page).first).to_have_text(texts[15])
    expect(contents(page).last).to_have_text(texts[-1])
    # when the reader scrolls to the top
    page.locator("#messages").evaluate("element => { element.scrollTop = 0; }")
    # then the earlier 15 come in above, in order, and nothing is left to load
    expect(contents(page)).to_have_count(45)
    expect(contents(page)).to_have_text(texts)
    expect(page.locator("#earlier")).to_be_hidden()


def serious_violations(page: Any) -> list[dict[str, Any]]:
    page.evaluate(AXE.read_text(encoding="utf-8"))
    violations = page.evaluate(
        """async () => (await axe.run(document)).violations.map(v => ({
            id: v.id, impact: v.impact, help: v.help,
            targets: v.nodes.map(n => n.target.join(" ")).slice(0, 5),
        }))"""
    )
    return [v for v in violations if v["impact"] in ("serious", "critical")]


def test_axe_finds_no_serious_or_critical_violation(pages: Pages) -> None:
    if not AXE.is_file():
        pytest.skip(f"axe-core is not installed: run `npm ci` in web/ (looked for {AXE})")
    # given a branching conversation open, with its tree, on a wide and a narrow screen
    conversation_id, _ = branching_conversation(pages.base_url)
    found: dict[str, list[dict[str, Any]]] = {}
    for name, viewport in (("wide", {"width": 1280, "height": 800}), ("narrow", NARROW)):
        page = pages.open(f"/#/c/{conversation_id}", viewport=viewport)
        expect(contents(page)).to_have_count(2)
        page.get_by_role("button", name="Tree view").click()
        expect(page.locator("#tree [data-tree-node]")).to_have_count(6)
        # when axe checks the page
        found[name] = serious_violations(page)
    list_page = pages.open("/", viewport=NARROW)
    expect(list_page.locator("#conversation-list")).to_contain_text("Weekend trip")
    found["list"] = serious_violations(list_page)
    # then
    assert found == {"wide": [], "narrow": [], "list": []}, json.dumps(found, indent=2)


def test_the_page_works_375_pixels_wide(pages: Pages) -> None:
    # given a phone-sized screen
    page = pages.open("/", viewport=NARROW)
    # when a conversation is written and edited there
    start_conversation(page)
    send(page, "a question")
    send(page, "a follow-up")
    edit(page, 1, "a better follow-up")
    # then it all fits: the switcher shows, and nothing is wider than the screen
    expect(message(page, 1).locator(".switcher")).to_contain_text("2 / 2")
    expect(page.get_by_role("button", name="Send")).to_be_in_viewport()
    assert page.evaluate("document.documentElement.scrollWidth") <= NARROW["width"]
    # when the first message gets a reply there, then the reply forks a third version
    message(page, 0).get_by_role("button", name="Reply").click()
    expect(page.locator("#reply-note")).to_contain_text("a question")
    send(page, "a reply to the question")
    expect(contents(page)).to_have_text(["a question", "a reply to the question"])
    expect(message(page, 1).locator(".switcher")).to_contain_text("3 / 3")
    # and the back button leads to the list, which holds the conversation
    page.get_by_role("button", name="Back to the conversations").click()
    expect(page.locator("#conversation-list")).to_contain_text("a question")
    assert page.evaluate("document.documentElement.scrollWidth") <= NARROW["width"]


def test_report_the_first_load(pages: Pages, capsys: pytest.CaptureFixture[str]) -> None:
    """Not an assertion of speed: prints what the first load of `/` costs, for the record."""
    # given a fresh browser context (empty cache) opening `/`
    page = pages.open("/", extra_http_headers={"Accept-Encoding": "gzip"})
    page.wait_for_function(
        "() => performance.getEntriesByName('convograph:interactive').length > 0"
    )
    # when the Performance API is read
    figures = page.evaluate(
        """() => {
            const nav = performance.getEntriesByType("navigation")[0];
            const resources = performance.getEntriesByType("resource");
            const assets = resources.filter(r => !r.name.endsWith("/graphql"));
            const sum = (list, key) => list.reduce((total, r) => total + r[key], 0);
            return {
                documentTransfer: nav.transferSize,
                assetsTransfer: sum(assets, "transferSize"),
                graphqlTransfer: sum(resources, "transferSize") - sum(assets, "transferSize"),
                assetsDecoded: nav.decodedBodySize + sum(assets, "decodedBodySize"),
                interactiveMs: performance.getEntriesByName("convograph:interactive")[0].startTime,
                domContentLoadedMs: nav.domContentLoadedEventEnd,
            };
        }"""
    )
    # then it is reported
    first_load = figures["documentTransfer"] + figures["assetsTransfer"]
    with capsys.disabled():
        print(
            f"\nfirst load of /: {first_load / 1024:.1f} KiB transferred (gzip) for the page"
            f" and its assets, {figures['assetsDecoded'] / 1024:.1f} KiB decoded,"
            f" {figures['graphqlTransfer'] / 1024:.1f} KiB of GraphQL;"
            f" interactive at {figures['interactiveMs']:.0f} ms"
            f" (DOMContentLoaded {figures['domContentLoadedMs']:.0f} ms)"
        )
    assert first_load > 0 and figures["interactiveMs"] > 0


class Sockets:
    """Every WebSocket of a page, passed through to the server, with what the page sent."""

    def __init__(self) -> None:
        self.open: list[tuple[Any, Any]] = []
        self.sent: list[dict[str, Any]] = []
        # While set, the page's attempts to reconnect are refused, as by a network outage.
        self.refusing = False

    def __call__(self, socket: Any) -> None:
        if self.refusing:
            socket.close(code=1011, reason="refused by the test")
            return
        server = socket.connect_to_server()

        def forward(message: str | bytes) -> None:
            self.sent.append(json.loads(message))
            server.send(message)

        socket.on_message(forward)
        self.open.append((socket, server))

    def drop(self) -> None:
        for socket, server in self.open:
            socket.close(code=1001, reason="dropped by the test")
            server.close()
        self.open.clear()

    def event_subscriptions(self) -> list[dict[str, Any]]:
        return [
            message["payload"]["variables"]
            for message in self.sent
            if message.get("type") == "subscribe"
            and "conversationEvents" in message["payload"]["query"]
        ]


def test_after_a_dropped_socket_the_page_resumes_from_the_last_event(pages: Pages) -> None:
    # given a page that has seen its conversation's events
    sockets = Sockets()
    page = pages.open("/", web_socket=sockets)
    start_conversation(page)
    send(page, "before the drop")
    conversation_id = page.url.rsplit("/", 1)[1]
    version = api(pages.base_url, CONVERSATION_VERSION, id=conversation_id)
    seen = version["conversation"]["version"]
    # (every event seen, and the reload the last one asked for finished: none is in flight)
    expect(page.locator("#conversation")).to_have_attribute("data-sequence", str(seen))
    expect(page.locator("#messages")).not_to_have_attribute("aria-busy", "true")
    # when its socket drops and stays down, and another client adds a message meanwhile
    sockets.refusing = True
    sockets.drop()
    expect(page.locator("#live")).to_have_text("Reconnecting…")
    api(
        pages.base_url,
        ADD_MESSAGE,
        input={
            "conversationId": conversation_id,
            "message": {"role": "ASSISTANT", "content": "written while the socket was down"},
        },
    )
    expect(contents(page)).to_have_text(["before the drop"])
    sockets.refusing = False
    # then the page shows that message once it has reconnected
    expect(page.locator("#live")).to_have_text("Live")
    expect(contents(page)).to_have_text(["before the drop", "written while the socket was down"])
    # and it resubscribed from the last event it had seen (at least `seen`), not from now
    first, *resumed = sockets.event_subscriptions()
    assert first == {"conversationId": conversation_id, "afterSequence": None}
    assert resumed, f"the page did not subscribe again: {sockets.sent}"
    assert all(r["conversationId"] == conversation_id for r in resumed)
    assert all(isinstance(r["afterSequence"], int) for r in resumed), resumed
    assert resumed[0]["afterSequence"] >= seen


def test_search_archive_and_delete(pages: Pages) -> None:
    # given a branching conversation and another one
    conversation_id, _ = branching_conversation(pages.base_url)
    created = api(pages.base_url, CREATE_CONVERSATION, input={"title": "Groceries"})
    groceries = created["createConversation"]["conversation"]["id"]
    page = pages.open(f"/#/c/{groceries}")
    conversations = page.locator("#conversation-list")
    # (the module's other tests have written conversations of their own, all active)
    expect(conversations.locator(".title").first).to_have_text("Groceries")
    # when one is archived, then it leaves the active list and is the only archived one
    page.get_by_role("button", name="Archive").click()
    expect(page.get_by_role("button", name="Unarchive")).to_be_visible()
    expect(conversations.locator(".title").first).to_have_text("Weekend trip")
    expect(conversations).not_to_contain_text("Groceries")
    page.get_by_label("Show").select_option("archived")
    expect(conversations.locator(".title")).to_have_text(["Groceries"])
    # when a word is searched, then the hit is listed with the word marked
    page.get_by_label("Search messages").fill("dunes")
    hit = conversations.locator(f'a[href="#/c/{conversation_id}"]')
    expect(hit.locator("mark")).to_have_text(["dunes"])
    # when the hit is opened, then its conversation shows on a branch that holds it
    hit.click()
    expect(contents(page)).to_have_text(
        ["Plan a weekend trip for two.", "The coast: a cabin by the dunes.", "Book the cabin."]
    )
    assert page.url.endswith(f"#/c/{conversation_id}")
    # when the last message is deleted (the confirmation accepted)
    message(page, 2).get_by_role("button", name="Delete").click()
    # then its branch ends at its parent
    expect(contents(page)).to_have_text(
        ["Plan a weekend trip for two.", "The coast: a cabin by the dunes."]
    )
    # when that branch is deleted, then another branch is shown and the tree lost a message
    page.get_by_role("button", name="Delete branch").click()
    expect(page.locator("#message-list")).not_to_contain_text("The coast")
    page.get_by_role("button", name="Tree view").click()
    expect(page.locator("#tree [data-tree-node]")).to_have_count(4)


CONVERSATION_VERSION = "query Version($id: UUID!) { conversation(id: $id) { version } }"

STREAMED_START = """
mutation Start($input: AddMessageInput!) {
  addMessage(input: $input) { ... on AddMessageSuccess { message { id } } }
}
"""


def test_a_streamed_answer_grows_in_place(pages: Pages) -> None:
    # given a conversation open on the page, and an answer another client starts streaming
    page = pages.open("/")
    start_conversation(page)
    send(page, "Tell me a story.")
    expect(page.locator("#live")).to_have_text("Live")
    conversation_id = page.url.split("#")[-1].split("/")[-1]
    started = api(
        pages.base_url,
        STREAMED_START,
        input={
            "conversationId": conversation_id,
            "message": {"role": "ASSISTANT", "content": "", "status": "IN_PROGRESS"},
        },
    )
    answer = started["addMessage"]["message"]["id"]
    expect(message(page, 1)).to_contain_text("writing…")
    # when deltas arrive, they show up in the message as they come, without a reload
    for index, delta in enumerate(["Once ", "upon ", "a time."]):
        api(
            pages.base_url,
            APPEND_MESSAGE_CONTENT,
            input={"messageId": answer, "delta": delta, "index": index},
        )
        expected = "".join(["Once ", "upon ", "a time."][: index + 1])
        expect(contents(page).nth(1)).to_have_text(expected.strip())
    # and once it is finished it reads as a whole message
    api(pages.base_url, FINISH_MESSAGE, input={"messageId": answer, "status": "COMPLETE"})
    expect(message(page, 1)).not_to_contain_text("writing…")
    expect(contents(page)).to_have_text(["Tell me a story.", "Once upon a time."])

// The conversation page: the conversations list, one conversation's current branch with
// its sibling switchers, the whole tree, and live updates from other tabs and clients.
import {
  ApiError,
  request,
  resetSockets,
  setToken,
  succeeded,
  token,
  onLive,
  watch,
  type Watch,
} from "./api";
import { byId, debounce, h, marked } from "./dom";
import {
  AddMessageDocument,
  ConversationEventsDocument,
  ConversationListDocument,
  ConversationsChangedDocument,
  ConversationViewDocument,
  CreateConversationDocument,
  DeleteBranchDocument,
  DeleteConversationDocument,
  DeleteMessageDocument,
  EarlierMessagesDocument,
  EditMessageDocument,
  MoreBranchesDocument,
  RenameBranchDocument,
  SearchMessagesDocument,
  SetCurrentBranchDocument,
  UpdateConversationDocument,
  type BranchFieldsFragment,
  type ConversationEventKind,
  type ConversationSummaryFragment,
  type MessageFieldsFragment,
  type Role,
} from "./generated/graphql";
import { Tree, type TreeNode } from "./tree";

const PAGE = 30;
const LIST_PAGE = 30;

interface View {
  conversation: ConversationSummaryFragment;
  branch: BranchFieldsFragment;
  branches: BranchFieldsFragment[];
  messages: MessageFieldsFragment[];
  earlierCursor: string | null;
}

const state = {
  conversationId: null as string | null,
  view: null as View | null,
  tree: null as Tree | null,
  showTree: false,
  replyTo: null as MessageFieldsFragment | null,
  editing: null as string | null,
  // The edit being written: a live update re-renders the list, and must not lose it.
  draft: "",
  listCursor: null as string | null,
  lastSequence: null as number | null,
  loadingEarlier: false,
};

let conversationWatch: Watch | null = null;
let listWatch: Watch | null = null;

// ---- status and errors ----

function say(text: string): void {
  byId("status").textContent = text;
}

function report(error: unknown): void {
  if (error instanceof ApiError && error.code === "UNAUTHENTICATED") {
    byId<HTMLDetailsElement>("token-panel").open = true;
    say(`This server needs a token: ${error.message}`);
    return;
  }
  say(error instanceof Error ? error.message : String(error));
}

async function attempt(action: () => Promise<void>): Promise<void> {
  try {
    await action();
  } catch (error) {
    report(error);
  }
}

// ---- the conversations list ----

function archivedFilter(): boolean | null {
  const value = byId<HTMLSelectElement>("archive-filter").value;
  return value === "all" ? null : value === "archived";
}

function conversationLabel(conversation: ConversationSummaryFragment): string {
  return conversation.title || "Untitled conversation";
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? "" : "s"}`;
}

function formatTime(iso: string): string {
  return new Date(iso).toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" });
}

function listItem(conversation: ConversationSummaryFragment, extra?: Node[]): HTMLLIElement {
  const current = conversation.id === state.conversationId;
  return h(
    "li",
    {},
    h(
      "a",
      {
        href: `#/c/${conversation.id}`,
        class: current ? "conversation current" : "conversation",
        "aria-current": current ? "page" : undefined,
      },
      h("span", { class: "title" }, conversationLabel(conversation)),
      ...(extra ?? []),
      h(
        "span",
        { class: "when" },
        `${plural(conversation.messageCount, "message")} · ${formatTime(conversation.createdAt)}`,
        conversation.archivedAt ? " · archived" : "",
      ),
    ),
  );
}

async function loadList(more = false): Promise<void> {
  const query = byId<HTMLInputElement>("search").value.trim();
  const list = byId("conversation-list");
  const moreButton = byId<HTMLButtonElement>("list-more");
  if (query) {
    const data = await request(SearchMessagesDocument, { query, first: LIST_PAGE });
    const items = data.searchMessages.nodes.map((hit) =>
      listItem(hit.conversation, [h("span", { class: "snippet" }, ...marked(hit.snippet))]),
    );
    for (const [i, hit] of data.searchMessages.nodes.entries()) {
      items[i].querySelector("a")?.addEventListener("click", (event) => {
        event.preventDefault();
        void attempt(() => openHit(hit.conversation.id, hit.branches.nodes[0]?.id ?? null));
      });
    }
    list.replaceChildren(...items);
    if (!items.length) list.append(h("li", { class: "empty" }, "No message matches."));
    moreButton.hidden = true;
    return;
  }
  const data = await request(ConversationListDocument, {
    filter: { archived: archivedFilter() },
    first: LIST_PAGE,
    after: more ? state.listCursor : null,
  });
  const items = data.conversations.nodes.map((conversation) => listItem(conversation));
  if (more) list.append(...items);
  else list.replaceChildren(...items);
  if (!list.children.length) list.append(h("li", { class: "empty" }, "No conversations yet."));
  state.listCursor = data.conversations.pageInfo.endCursor;
  moreButton.hidden = !data.conversations.pageInfo.hasNextPage;
}

const refreshList = debounce(() => void attempt(() => loadList()), 150);

async function openHit(conversationId: string, branchId: string | null): Promise<void> {
  if (branchId) {
    const result = await request(SetCurrentBranchDocument, { input: { conversationId, branchId } });
    succeeded(result.setCurrentBranch, "SetCurrentBranchSuccess");
  }
  if (location.hash === `#/c/${conversationId}`) await openConversation(conversationId);
  else location.hash = `#/c/${conversationId}`;
}

// ---- one conversation ----

async function readView(conversationId: string, shown: number): Promise<View | null> {
  const data = await request(ConversationViewDocument, {
    id: conversationId,
    last: Math.min(Math.max(shown, PAGE), 100),
  });
  const conversation = data.conversation;
  if (!conversation) return null;
  const branches = [...conversation.branches.nodes];
  let page = conversation.branches.pageInfo;
  while (page.hasNextPage && page.endCursor) {
    const more = await request(MoreBranchesDocument, { id: conversationId, after: page.endCursor });
    if (!more.conversation) break;
    branches.push(...more.conversation.branches.nodes);
    page = more.conversation.branches.pageInfo;
  }
  return {
    conversation,
    branch: conversation.currentBranch,
    branches,
    messages: conversation.messages.nodes,
    earlierCursor: conversation.messages.pageInfo.hasPreviousPage
      ? conversation.messages.pageInfo.startCursor
      : null,
  };
}

async function openConversation(conversationId: string | null): Promise<void> {
  if (conversationId !== state.conversationId) {
    conversationWatch?.stop();
    conversationWatch = null;
    delete byId("conversation").dataset.sequence;
    Object.assign(state, {
      conversationId,
      view: null,
      tree: null,
      replyTo: null,
      editing: null,
      lastSequence: null,
    });
  }
  document.body.classList.toggle("reading", conversationId !== null);
  if (conversationId === null) {
    renderConversation();
    return;
  }
  await reload({ scrollToEnd: true });
  if (state.view && !conversationWatch) watchConversation(conversationId);
  refreshList();
}

async function reload(options: { scrollToEnd?: boolean } = {}): Promise<void> {
  const conversationId = state.conversationId;
  if (!conversationId) return;
  const scroller = byId("messages");
  const nearEnd = scroller.scrollHeight - scroller.scrollTop - scroller.clientHeight < 80;
  const shown = state.view?.messages.length ?? 0;
  const view = await readView(conversationId, shown);
  if (conversationId !== state.conversationId) return;
  if (view && state.view && view.branch.id !== state.view.branch.id) state.replyTo = null;
  state.view = view;
  if (!view) say("This conversation does not exist, or you may not see it.");
  if (state.showTree && view) state.tree = await Tree.read(conversationId);
  renderConversation();
  if (options.scrollToEnd || nearEnd) scroller.scrollTop = scroller.scrollHeight;
}

// Reloads asked for since the page started; the messages stay aria-busy from the first ask
// until the reload that answers the latest one has finished.
let reloadsAsked = 0;
const reloadShortly = debounce(() => {
  const answering = reloadsAsked;
  void attempt(() => reload()).finally(() => {
    if (answering === reloadsAsked) byId("messages").removeAttribute("aria-busy");
  });
}, 100);

function reloadSoon(): void {
  reloadsAsked += 1;
  byId("messages").setAttribute("aria-busy", "true");
  reloadShortly();
}

async function loadEarlier(): Promise<void> {
  const view = state.view;
  if (!view || !view.earlierCursor || state.loadingEarlier) return;
  state.loadingEarlier = true;
  try {
    const data = await request(EarlierMessagesDocument, {
      id: view.conversation.id,
      branchId: view.branch.id,
      last: PAGE,
      before: view.earlierCursor,
    });
    const page = data.conversation?.messages;
    if (!page || state.view !== view) return;
    const scroller = byId("messages");
    const fromEnd = scroller.scrollHeight - scroller.scrollTop;
    view.messages = [...page.nodes, ...view.messages];
    view.earlierCursor = page.pageInfo.hasPreviousPage ? page.pageInfo.startCursor : null;
    renderMessages();
    // Keep the message the reader was looking at where it was.
    scroller.scrollTop = scroller.scrollHeight - fromEnd;
  } finally {
    state.loadingEarlier = false;
  }
}

function watchConversation(conversationId: string): void {
  conversationWatch = watch(
    ConversationEventsDocument,
    () => ({ conversationId, afterSequence: state.lastSequence }),
    (data) => onEvent(data.conversationEvents),
    (attempt) => {
      // Without a sequence to resume from, a gap may have hidden changes: read afresh.
      if (attempt > 0 && state.lastSequence === null) reloadSoon();
    },
  );
}

interface ConversationChangeEvent {
  sequence: number;
  kind: ConversationEventKind;
  messageId?: string | null;
  delta?: string | null;
  deltaIndex?: number | null;
}

function onEvent(event: ConversationChangeEvent): void {
  const { sequence, kind } = event;
  state.lastSequence = Math.max(state.lastSequence ?? 0, sequence);
  // Where a resumed subscription starts from, for a person (and a test) to see.
  byId("conversation").dataset.sequence = String(state.lastSequence);
  if (kind === "LIVE") return;
  if (kind === "MESSAGE_CONTENT_APPENDED" && growInPlace(event)) return;
  if (kind === "CONVERSATION_DELETED") {
    say("This conversation was deleted.");
    location.hash = "";
    return;
  }
  state.tree = null;
  reloadSoon();
  refreshList();
}

/** A streamed message grows by its delta where it is shown, without a reload: true if the
 * message is on screen and the delta is the next one it lacks (a delta it already holds is
 * skipped; a gap or an unknown message falls back to reading the page afresh). */
function growInPlace(event: ConversationChangeEvent): boolean {
  const shown = state.view?.messages.find((message) => message.id === event.messageId);
  if (!shown || event.delta == null || event.deltaIndex == null) return false;
  if (event.deltaIndex < shown.deltaCount) return true;
  if (event.deltaIndex > shown.deltaCount) return false;
  shown.content += event.delta;
  shown.deltaCount += 1;
  const element = document.querySelector(`[data-content-of="${shown.id}"]`);
  if (element) element.textContent = shown.content;
  return true;
}

function setLive(live: boolean): void {
  const indicator = byId("live");
  indicator.textContent = live ? "Live" : "Reconnecting…";
  indicator.className = live ? "live on" : "live off";
}

// ---- rendering a conversation ----

function branchLabel(branch: BranchFieldsFragment, branches: BranchFieldsFragment[]): string {
  return branch.name || `Branch ${branches.indexOf(branch) + 1}`;
}

function renderConversation(): void {
  const view = state.view;
  byId("conversation").hidden = !view;
  byId("empty-state").hidden = Boolean(view);
  if (!view) return;
  byId("conversation-title").textContent = conversationLabel(view.conversation);
  byId("archive").textContent = view.conversation.archivedAt ? "Unarchive" : "Archive";
  const select = byId<HTMLSelectElement>("branch-select");
  select.replaceChildren(
    ...view.branches.map((branch) =>
      h(
        "option",
        { value: branch.id, selected: branch.id === view.branch.id },
        `${branchLabel(branch, view.branches)} · ${plural(branch.messageCount, "message")}`,
      ),
    ),
  );
  byId<HTMLButtonElement>("delete-branch").disabled = view.branches.length < 2;
  byId("tree-toggle").setAttribute("aria-expanded", String(state.showTree));
  renderMessages();
  renderComposer();
  renderTree();
}

function renderMessages(): void {
  const view = state.view;
  if (!view) return;
  const list = byId("message-list");
  list.replaceChildren(...view.messages.map(renderMessage));
  byId("earlier").hidden = !view.earlierCursor;
  if (!view.messages.length) {
    list.append(h("li", { class: "empty" }, "No messages yet: write the first below."));
  }
}

const ROLE_NAMES: Record<string, string> = {
  USER: "User",
  ASSISTANT: "Assistant",
  SYSTEM: "System",
  DEVELOPER: "Developer",
  TOOL: "Tool",
  FUNCTION: "Function",
};

function renderMessage(message: MessageFieldsFragment): HTMLLIElement {
  const editing = state.editing === message.id;
  const switcher =
    message.siblingCount > 1
      ? h(
          "span",
          { class: "switcher", role: "group", "aria-label": "Versions of this message" },
          h(
            "button",
            {
              type: "button",
              "aria-label": "Previous version",
              disabled: message.siblingIndex === 0,
              onclick: () => void attempt(() => switchSibling(message, -1)),
            },
            "‹",
          ),
          h(
            "span",
            { class: "position" },
            `${message.siblingIndex + 1} / ${message.siblingCount}`,
          ),
          h(
            "button",
            {
              type: "button",
              "aria-label": "Next version",
              disabled: message.siblingIndex + 1 >= message.siblingCount,
              onclick: () => void attempt(() => switchSibling(message, 1)),
            },
            "›",
          ),
        )
      : null;
  // The form being written in stays the same element: a re-render keeps its focus and caret.
  const open = document.querySelector<HTMLFormElement>(`form.edit[data-edit-of="${message.id}"]`);
  const body = editing
    ? (open ?? editForm(message))
    : h(
        "div",
        {
          class: "content",
          "data-content-of": message.id,
          "aria-busy": message.status === "IN_PROGRESS" ? "true" : undefined,
        },
        message.content,
      );
  const actions = editing
    ? null
    : h(
        "div",
        { class: "actions" },
        h("button", { type: "button", onclick: () => startEdit(message) }, "Edit"),
        h("button", { type: "button", onclick: () => startReply(message) }, "Reply"),
        h(
          "button",
          {
            type: "button",
            class: "danger",
            onclick: () => void attempt(() => deleteMessage(message)),
          },
          "Delete",
        ),
      );
  return h(
    "li",
    {
      class: `message role-${message.role.toLowerCase()}`,
      "data-message-id": message.id,
    },
    h(
      "div",
      { class: "meta" },
      h("span", { class: "role" }, ROLE_NAMES[message.role] ?? message.role),
      message.editOf ? h("span", { class: "edited" }, "edited") : null,
      message.status === "IN_PROGRESS" ? h("span", { class: "status" }, "writing…") : null,
      message.status === "FAILED" ? h("span", { class: "status failed" }, "incomplete") : null,
      switcher,
    ),
    body,
    actions,
  );
}

function editForm(message: MessageFieldsFragment): HTMLFormElement {
  const text = h("textarea", { "aria-label": "Edited message", rows: 3 }) as HTMLTextAreaElement;
  text.value = state.draft;
  text.addEventListener("input", () => {
    state.draft = text.value;
  });
  queueMicrotask(() => text.focus());
  return h(
    "form",
    {
      class: "edit",
      "data-edit-of": message.id,
      onsubmit: (event: Event) => {
        event.preventDefault();
        void attempt(() => saveEdit(message, text.value));
      },
    },
    text,
    h(
      "div",
      { class: "actions" },
      h("button", { type: "submit" }, "Save as new version"),
      h("button", { type: "button", onclick: cancelEdit }, "Cancel"),
    ),
  );
}

function renderComposer(): void {
  const note = byId("reply-note");
  const reply = state.replyTo;
  note.hidden = !reply;
  byId("reply-text").textContent = reply ? reply.content.slice(0, 80) : "";
}

function renderTree(): void {
  const panel = byId("tree");
  panel.hidden = !state.showTree;
  const view = state.view;
  if (!state.showTree || !view) return;
  const tree = state.tree;
  const body = byId("tree-body");
  if (!tree) {
    body.replaceChildren(h("p", {}, "Reading the tree…"));
    void attempt(async () => {
      state.tree = await Tree.read(view.conversation.id);
      renderTree();
    });
    return;
  }
  const onBranch = tree.pathTo(view.branch.tip?.id);
  const tipNames = new Map<string, string[]>();
  for (const branch of view.branches) {
    if (!branch.tip) continue;
    tipNames.set(branch.tip.id, [
      ...(tipNames.get(branch.tip.id) ?? []),
      branchLabel(branch, view.branches),
    ]);
  }
  const renderNode = (node: TreeNode): HTMLLIElement => {
    const current = onBranch.has(node.id);
    const names = tipNames.get(node.id);
    return h(
      "li",
      {},
      h(
        "button",
        {
          type: "button",
          class: current ? "node on-branch" : "node",
          "data-tree-node": node.id,
          "aria-current": current ? "true" : undefined,
          onclick: () => void attempt(() => switchThrough(node.id)),
        },
        h("span", { class: "role" }, ROLE_NAMES[node.role] ?? node.role),
        " ",
        node.content.slice(0, 70) || "(empty)",
        names ? h("span", { class: "tip" }, names.join(", ")) : null,
      ),
      node.children.length ? h("ul", {}, ...node.children.map(renderNode)) : null,
    );
  };
  body.replaceChildren(
    h(
      "p",
      { class: "legend" },
      `${plural(tree.nodes.size, "message")}; the current branch is highlighted.`,
    ),
    h("ul", { class: "tree-root" }, ...tree.roots.map(renderNode)),
  );
}

// ---- actions ----

async function switchSibling(message: MessageFieldsFragment, step: number): Promise<void> {
  const view = state.view;
  if (!view) return;
  const tree = state.tree ?? (state.tree = await Tree.read(view.conversation.id));
  const target = tree.siblingsOf(message.id)[message.siblingIndex + step];
  if (!target) return;
  await switchThrough(target.id);
}

async function switchThrough(messageId: string): Promise<void> {
  const view = state.view;
  if (!view) return;
  const tree = state.tree ?? (state.tree = await Tree.read(view.conversation.id));
  const branch = tree.branchThrough(messageId, view.branches);
  if (!branch) throw new ApiError("No branch holds that message any more.", null);
  await setBranch(branch.id);
}

async function setBranch(branchId: string): Promise<void> {
  const view = state.view;
  if (!view) return;
  // The server keeps the current branch, so a reload (or another tab) shows the same one.
  const result = await request(SetCurrentBranchDocument, {
    input: { conversationId: view.conversation.id, branchId },
  });
  succeeded(result.setCurrentBranch, "SetCurrentBranchSuccess");
  await reload({ scrollToEnd: true });
}

function startEdit(message: MessageFieldsFragment): void {
  state.editing = message.id;
  state.draft = message.content;
  renderMessages();
}

function cancelEdit(): void {
  state.editing = null;
  renderMessages();
}

async function saveEdit(message: MessageFieldsFragment, content: string): Promise<void> {
  const result = await request(EditMessageDocument, {
    input: { messageId: message.id, message: { role: message.role, content } },
  });
  succeeded(result.updateMessage, "UpdateMessageSuccess");
  state.editing = null;
  state.tree = null;
  await reload({ scrollToEnd: true });
  say("Saved as a new version; the original stays reachable with ‹ ›.");
}

function startReply(message: MessageFieldsFragment): void {
  state.replyTo = message;
  renderComposer();
  byId<HTMLTextAreaElement>("composer-text").focus();
}

async function deleteMessage(message: MessageFieldsFragment): Promise<void> {
  if (!confirm("Delete this message and every reply under it?")) return;
  const result = await request(DeleteMessageDocument, { input: { messageId: message.id } });
  const deleted = succeeded(result.deleteMessage, "DeleteMessageSuccess");
  state.tree = null;
  await reload();
  say(`Deleted ${plural(deleted.deletedMessageCount, "message")}.`);
}

async function send(event: Event): Promise<void> {
  event.preventDefault();
  const view = state.view;
  const text = byId<HTMLTextAreaElement>("composer-text");
  if (!view || !text.value.trim()) return;
  const role = byId<HTMLSelectElement>("composer-role").value as Role;
  const content = text.value;
  // The branch on screen, not whatever another tab made current meanwhile.
  const target = state.replyTo ? { parentId: state.replyTo.id } : { branchId: view.branch.id };
  const result = await request(AddMessageDocument, {
    input: { conversationId: view.conversation.id, message: { role, content }, ...target },
  });
  succeeded(result.addMessage, "AddMessageSuccess");
  text.value = "";
  state.replyTo = null;
  if (!view.conversation.title) {
    // A list of "Untitled" helps nobody: the first words name it, as chat apps do.
    await request(UpdateConversationDocument, {
      input: { conversationId: view.conversation.id, title: content.trim().slice(0, 60) },
    });
  }
  state.tree = null;
  await reload({ scrollToEnd: true });
}

async function createConversation(): Promise<void> {
  const result = await request(CreateConversationDocument, { input: {} });
  const created = succeeded(result.createConversation, "CreateConversationSuccess");
  location.hash = `#/c/${created.conversation.id}`;
  byId<HTMLTextAreaElement>("composer-text").focus();
}

async function renameConversation(): Promise<void> {
  const view = state.view;
  if (!view) return;
  const title = prompt("Title of the conversation", view.conversation.title ?? "");
  if (title === null) return;
  const result = await request(UpdateConversationDocument, {
    input: { conversationId: view.conversation.id, title: title.trim() || null },
  });
  succeeded(result.updateConversation, "UpdateConversationSuccess");
  await reload();
  refreshList();
}

async function toggleArchive(): Promise<void> {
  const view = state.view;
  if (!view) return;
  const result = await request(UpdateConversationDocument, {
    input: { conversationId: view.conversation.id, archived: !view.conversation.archivedAt },
  });
  succeeded(result.updateConversation, "UpdateConversationSuccess");
  await reload();
  refreshList();
}

async function deleteConversation(): Promise<void> {
  const view = state.view;
  if (!view) return;
  if (!confirm(`Delete “${conversationLabel(view.conversation)}” with every message?`)) return;
  const result = await request(DeleteConversationDocument, {
    input: { conversationId: view.conversation.id },
  });
  succeeded(result.deleteConversation, "DeleteConversationSuccess");
  location.hash = "";
  refreshList();
}

async function renameBranch(): Promise<void> {
  const view = state.view;
  if (!view) return;
  const name = prompt("Name of this branch (empty: no name)", view.branch.name ?? "");
  if (name === null) return;
  const result = await request(RenameBranchDocument, {
    input: { branchId: view.branch.id, name: name.trim() || null },
  });
  succeeded(result.renameBranch, "RenameBranchSuccess");
  await reload();
}

async function deleteBranch(): Promise<void> {
  const view = state.view;
  if (!view) return;
  const label = branchLabel(view.branch, view.branches);
  if (!confirm(`Delete ${label} and the messages no other branch holds?`)) return;
  const result = await request(DeleteBranchDocument, { input: { branchId: view.branch.id } });
  const deleted = succeeded(result.deleteBranch, "DeleteBranchSuccess");
  state.tree = null;
  await reload({ scrollToEnd: true });
  say(`Deleted ${label} (${plural(deleted.deletedMessageCount, "message")}).`);
}

// ---- start ----

function route(): void {
  const match = /^#\/c\/([0-9a-f-]{36})$/i.exec(location.hash);
  void attempt(() => openConversation(match ? match[1] : null));
}

function startListWatch(): void {
  listWatch?.stop();
  let resumed = false;
  listWatch = watch(
    ConversationsChangedDocument,
    () => ({}),
    (data) => {
      // Changes made while the socket was down have no replay here: once live again (the
      // first item, LIVE), read the list afresh. The first LIVE needs no read: the page's
      // first list is read as it starts.
      if (data.conversationsChanged.kind !== "LIVE" || resumed) refreshList();
    },
    (attempt) => {
      resumed = attempt > 0;
    },
  );
}

function start(): void {
  byId("new-conversation").addEventListener("click", () => void attempt(createConversation));
  byId("search").addEventListener("input", debounce(refreshList, 250));
  byId("archive-filter").addEventListener("change", refreshList);
  byId("list-more").addEventListener("click", () => void attempt(() => loadList(true)));
  byId("composer").addEventListener("submit", (event) => void attempt(() => send(event)));
  byId("composer-text").addEventListener("keydown", (event) => {
    const key = event as KeyboardEvent;
    if (key.key === "Enter" && (key.ctrlKey || key.metaKey)) {
      byId<HTMLFormElement>("composer").requestSubmit();
    }
  });
  byId("cancel-reply").addEventListener("click", () => {
    state.replyTo = null;
    renderComposer();
  });
  byId("rename-conversation").addEventListener("click", () => void attempt(renameConversation));
  byId("archive").addEventListener("click", () => void attempt(toggleArchive));
  byId("delete-conversation").addEventListener("click", () => void attempt(deleteConversation));
  byId("rename-branch").addEventListener("click", () => void attempt(renameBranch));
  byId("delete-branch").addEventListener("click", () => void attempt(deleteBranch));
  byId("branch-select").addEventListener("change", (event) => {
    void attempt(() => setBranch((event.target as HTMLSelectElement).value));
  });
  byId("tree-toggle").addEventListener("click", () => {
    state.showTree = !state.showTree;
    renderConversation();
  });
  byId("back").addEventListener("click", () => {
    location.hash = "";
  });
  byId("earlier").addEventListener("click", () => void attempt(loadEarlier));
  // Scrolling up to the first message on screen reads the page before it.
  new IntersectionObserver((entries) => {
    if (entries.some((entry) => entry.isIntersecting)) void attempt(loadEarlier);
  }).observe(byId("earlier"));

  const tokenInput = byId<HTMLInputElement>("token");
  tokenInput.value = token();
  byId("token-form").addEventListener("submit", (event) => {
    event.preventDefault();
    setToken(tokenInput.value.trim());
    resetSockets();
    byId<HTMLDetailsElement>("token-panel").open = false;
    say(tokenInput.value ? "Token saved." : "Token removed.");
    conversationWatch?.stop();
    conversationWatch = null;
    startListWatch();
    const current = state.conversationId;
    state.conversationId = null;
    void attempt(() => openConversation(current));
    refreshList();
  });

  window.addEventListener("hashchange", route);
  onLive(setLive);
  startListWatch();
  route();
  // The first list on screen is when the page is usable: measured through the Performance API.
  void attempt(async () => {
    await loadList();
    performance.mark("convograph:interactive");
  });
}

start();

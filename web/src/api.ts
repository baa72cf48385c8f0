// How the page talks to the server: GraphQL over HTTP POST, subscriptions over
// graphql-transport-ws, both with the bearer token when the user has given one.
import { createClient, type Client } from "graphql-ws";
import type { TypedDocumentString } from "./generated/graphql";

const TOKEN_KEY = "convograph.token";

export class ApiError extends Error {
  constructor(
    message: string,
    readonly code: string | null,
  ) {
    super(message);
  }
}

export interface UserError {
  __typename: string;
  code?: string;
  detail?: string;
  field?: string | null;
}

export function token(): string {
  return localStorage.getItem(TOKEN_KEY) ?? "";
}

export function setToken(value: string): void {
  if (value) localStorage.setItem(TOKEN_KEY, value);
  else localStorage.removeItem(TOKEN_KEY);
}

function authorization(): Record<string, string> {
  const value = token().trim();
  if (!value) return {};
  return { authorization: /^bearer /i.test(value) ? value : `Bearer ${value}` };
}

// The page is served next to /graphql: relative URLs keep working behind a path prefix.
const endpoint = new URL("graphql", document.baseURI);

export async function request<R, V>(document: TypedDocumentString<R, V>, variables: V): Promise<R> {
  let response: Response;
  try {
    response = await fetch(endpoint, {
      method: "POST",
      headers: { "content-type": "application/json", ...authorization() },
      body: JSON.stringify({ query: document.toString(), variables }),
    });
  } catch {
    throw new ApiError("The server cannot be reached.", "NETWORK");
  }
  let body: { data?: R | null; errors?: { message: string; extensions?: { code?: string } }[] };
  try {
    body = await response.json();
  } catch {
    throw new ApiError(`The server answered ${response.status} without a GraphQL body.`, null);
  }
  const error = body.errors?.[0];
  if (error) throw new ApiError(error.message, error.extensions?.code ?? null);
  if (body.data == null) throw new ApiError("The server sent no data.", null);
  return body.data;
}

/** The success member of a mutation's result union, or an ApiError with the UserError's text. */
export function succeeded<T extends UserError, S extends string>(
  result: T,
  success: S,
): Extract<T, { __typename: S }> {
  if (result.__typename !== success) {
    throw new ApiError(result.detail ?? result.__typename, result.code ?? null);
  }
  return result as Extract<T, { __typename: S }>;
}

let socket: Client | null = null;
const liveListeners: ((live: boolean) => void)[] = [];

/** Calls `listener` with true each time the WebSocket is up, false each time it closes. */
export function onLive(listener: (live: boolean) => void): void {
  liveListeners.push(listener);
}

function tell(live: boolean): void {
  for (const listener of liveListeners) listener(live);
}

/** One WebSocket for every subscription; callers resubscribe themselves after a drop. */
export function sockets(): Client {
  if (socket === null) {
    const url = new URL(endpoint);
    url.protocol = url.protocol === "https:" ? "wss:" : "ws:";
    socket = createClient({
      url: url.toString(),
      // Browsers cannot set headers on a WebSocket: the token goes in connection_init.
      connectionParams: () => authorization(),
      // Each subscription resumes on its own (conversationEvents with afterSequence).
      retryAttempts: 0,
      lazyCloseTimeout: 1000,
      on: { connected: () => tell(true), closed: () => tell(false) },
    });
  }
  return socket;
}

export function resetSockets(): void {
  void socket?.dispose();
  socket = null;
}

export interface Watch {
  stop(): void;
}

/** Keeps a subscription open across dropped sockets: `variables()` is asked again at each
 * (re)subscription, and `onStart` runs each time one starts, so a caller can fetch what a
 * gap may have hidden. */
export function watch<R, V>(
  document: TypedDocumentString<R, V>,
  variables: () => V,
  onData: (data: R) => void,
  onStart: (attempt: number) => void,
): Watch {
  let stopped = false;
  let attempt = 0;
  let unsubscribe: (() => void) | null = null;
  let timer: number | undefined;
  const retry = (): void => {
    if (stopped) return;
    const delay = Math.min(500 * 2 ** Math.min(attempt, 5), 15000);
    timer = window.setTimeout(start, delay);
  };
  const start = (): void => {
    if (stopped) return;
    onStart(attempt);
    attempt += 1;
    unsubscribe = sockets().subscribe<R>(
      { query: document.toString(), variables: variables() as Record<string, unknown> },
      {
        next: (message) => {
          attempt = 1;
          if (message.data) onData(message.data);
        },
        error: retry,
        // The server ends a conversation's stream only when it is deleted: nothing to resume.
        complete: () => undefined,
      },
    );
  };
  start();
  return {
    stop() {
      stopped = true;
      window.clearTimeout(timer);
      unsubscribe?.();
    },
  };
}

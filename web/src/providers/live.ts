// Refine's live provider over Server-Sent Events (GET /api/v1/events). One EventSource serves
// every subscription of the page, opened with the first and closed with the last, because
// browsers allow only a few connections per origin. The server names each event by its type
// (`event: lead.created`) and an EventSource hears only the names it listens for, so each
// subscription to `resources/<resource>` listens for `<prefix>.created|updated|deleted`, the
// prefix being the resource's singular (`leads` -> `lead`) unless `prefixes` says otherwise.
// Refine receives `created`, `updated` or `deleted`, and refetches. A resource may name other
// event types that change what its lists show (`outreach.mailbox.tested`, `email.sent` on
// `resources/outreach_messages`): its subscribers hear those as `updated`.
//
// A subscription may also name server event types in full (`node.status` on `projects/<id>`,
// `report.upserted` on `resources/reports`): those are listened for as they are, on any
// channel, and delivered with their full type, so a screen can tell `node.status` from
// `cost.updated` (both would otherwise reach it as `updated`, or not at all).
//
// EventSource reconnects by itself after a dropped connection, resuming with Last-Event-ID.
// When the server refuses the stream instead (an expired session), the browser gives up; the
// provider then asks `canReconnect` (which may refresh the session) and opens a new stream,
// backing off up to a minute, that resumes after the last event seen (`?last_event_id=`).
import type { LiveEvent, LiveProvider } from "@refinedev/core";

import type { Timers } from "../api/session";

export const EVENTS_URL = "/api/v1/events";
const ACTIONS = ["created", "updated", "deleted"] as const;
const MAX_BACKOFF_MS = 60_000;

export interface EventStream {
  readonly readyState: number;
  onopen: ((event: Event) => void) | null;
  onerror: ((event: Event) => void) | null;
  addEventListener(type: string, listener: (event: MessageEvent<string>) => void): void;
  removeEventListener(type: string, listener: (event: MessageEvent<string>) => void): void;
  close(): void;
}

export interface LiveOptions {
  /** Whether a refused stream may be opened again (checks, and renews, the session); rejects
   * when that cannot be known now. */
  canReconnect: () => Promise<boolean>;
  /** Event-type prefixes of resources whose singular is not the name less its final `s`. */
  prefixes?: Record<string, string>;
  /** Further event types of a resource, beyond `<prefix>.created|updated|deleted`, delivered
   * to its subscribers as `updated`. */
  updates?: Record<string, readonly string[]>;
  open?: (url: string) => EventStream;
  timers?: Pick<Timers, "setTimeout" | "clearTimeout">;
}

interface Subscription {
  channel: string;
  types: string[];
  names: string[];
  callback: (event: LiveEvent) => void;
}

interface ServerEvent {
  channel: string;
  type: string;
  payload: LiveEvent["payload"];
  date: string;
}

const CLOSED = 2;

/** The Refine type of a server event type: `lead.created` -> `created`; others unchanged. */
export function refineType(serverType: string): string {
  const action = serverType.slice(serverType.lastIndexOf(".") + 1);
  return (ACTIONS as readonly string[]).includes(action) ? action : serverType;
}

/** A server event type named in full (`node.status`), as opposed to a Refine action or `*`. */
function isServerType(type: string): boolean {
  return type.includes(".");
}

export function createLiveProvider({
  canReconnect,
  prefixes = {},
  updates = {},
  open = (url) => new EventSource(url, { withCredentials: true }),
  timers = globalThis,
}: LiveOptions): LiveProvider {
  const subscriptions = new Set<Subscription>();
  const listening = new Map<string, number>();
  let stream: EventStream | null = null;
  let lastEventId = "";
  let backoffMs = 1_000;
  let retryTimer: unknown = null;

  /** The type a subscriber hears: its own full type, a Refine action, or as it came. */
  const typeFor = (sub: Subscription, event: ServerEvent) => {
    if (sub.types.includes(event.type)) return event.type;
    const resource = event.channel.startsWith("resources/") ? event.channel.slice("resources/".length) : "";
    return updates[resource]?.includes(event.type) ? "updated" : refineType(event.type);
  };

  const deliver = (message: MessageEvent<string>) => {
    if (message.lastEventId) lastEventId = message.lastEventId;
    let event: ServerEvent;
    try {
      event = JSON.parse(message.data) as ServerEvent;
    } catch {
      return;
    }
    for (const sub of subscriptions) {
      if (sub.channel !== event.channel) continue;
      const type = typeFor(sub, event);
      if (!sub.types.includes("*") && !sub.types.includes(type)) continue;
      sub.callback({ channel: event.channel, type, payload: event.payload, date: new Date(event.date) });
    }
  };

  const connect = () => {
    const next = open(lastEventId ? `${EVENTS_URL}?last_event_id=${encodeURIComponent(lastEventId)}` : EVENTS_URL);
    next.onopen = () => {
      backoffMs = 1_000;
    };
    next.onerror = () => {
      if (next.readyState === CLOSED) reconnectLater();
    };
    for (const name of listening.keys()) next.addEventListener(name, deliver);
    stream = next;
  };

  const reconnectLater = () => {
    stream?.close();
    stream = null;
    retryTimer = timers.setTimeout(async () => {
      retryTimer = null;
      if (subscriptions.size === 0) return;
      // No answer at all (offline, server restarting) says nothing of the session: ask later.
      const allowed = await canReconnect().catch(() => undefined);
      if (allowed === undefined) reconnectLater();
      else if (allowed) connect();
    }, backoffMs);
    backoffMs = Math.min(backoffMs * 2, MAX_BACKOFF_MS);
  };

  // With no subscriber left, lists mounted later fetch afresh: no need to resume.
  const disconnect = () => {
    stream?.close();
    stream = null;
    lastEventId = "";
    if (retryTimer !== null) timers.clearTimeout(retryTimer);
    retryTimer = null;
  };

  const eventNames = (channel: string, types: string[]) => {
    const full = types.filter(isServerType);
    if (!channel.startsWith("resources/")) return full;
    const resource = channel.slice("resources/".length);
    const prefix = prefixes[resource] ?? resource.replace(/s$/, "");
    const actions = types.includes("*") ? ACTIONS : ACTIONS.filter((a) => types.includes(a));
    const others = actions.includes("updated") ? (updates[resource] ?? []) : [];
    return [...new Set([...actions.map((action) => `${prefix}.${action}`), ...others, ...full])];
  };

  return {
    subscribe({ channel, types, callback }) {
      const sub: Subscription = { channel, types, names: eventNames(channel, types), callback };
      subscriptions.add(sub);
      for (const name of sub.names) {
        const count = listening.get(name) ?? 0;
        listening.set(name, count + 1);
        if (count === 0) stream?.addEventListener(name, deliver);
      }
      if (!stream && retryTimer === null) connect();
      return sub;
    },

    unsubscribe(sub: Subscription) {
      if (!subscriptions.delete(sub)) return;
      for (const name of sub.names) {
        const count = (listening.get(name) ?? 1) - 1;
        if (count > 0) {
          listening.set(name, count);
        } else {
          listening.delete(name);
          stream?.removeEventListener(name, deliver);
        }
      }
      if (subscriptions.size === 0) disconnect();
    },
  };
}

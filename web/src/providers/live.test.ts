import type { LiveEvent } from "@refinedev/core";
import { describe, expect, it } from "vitest";

import { manualTimers } from "../test/fake-api";
import { createLiveProvider, EVENTS_URL, refineType, type EventStream, type LiveOptions } from "./live";

type Listener = (event: MessageEvent<string>) => void;

class FakeStream implements EventStream {
  readyState = 0;
  onopen: ((event: Event) => void) | null = null;
  onerror: ((event: Event) => void) | null = null;
  closed = false;
  readonly listeners = new Map<string, Set<Listener>>();

  constructor(readonly url: string) {}

  addEventListener(type: string, listener: Listener) {
    if (!this.listeners.has(type)) this.listeners.set(type, new Set());
    this.listeners.get(type)!.add(listener);
  }

  removeEventListener(type: string, listener: Listener) {
    this.listeners.get(type)?.delete(listener);
    if (this.listeners.get(type)?.size === 0) this.listeners.delete(type);
  }

  close() {
    this.closed = true;
    this.readyState = 2;
  }

  /** What the server sends: `id: <seq>`, `event: <type>` and the JSON data line. */
  emit(type: string, data: object, id = "") {
    for (const listener of this.listeners.get(type) ?? []) {
      listener(new MessageEvent(type, { data: JSON.stringify(data), lastEventId: id }));
    }
  }

  accept() {
    this.readyState = 1;
    this.onopen?.(new Event("open"));
  }

  refuse() {
    this.readyState = 2;
    this.onerror?.(new Event("error"));
  }
}

function setup(canReconnect: () => Promise<boolean> = async () => true, options: Pick<LiveOptions, "prefixes" | "updates"> = {}) {
  const streams: FakeStream[] = [];
  const clock = manualTimers();
  const live = createLiveProvider({
    canReconnect,
    prefixes: { "api-keys": "api_key" },
    ...options,
    open: (url) => {
      const stream = new FakeStream(url);
      streams.push(stream);
      return stream;
    },
    timers: clock.timers,
  });
  const received: LiveEvent[] = [];
  const subscribe = (channel: string, types: string[] = ["*"]) =>
    live.subscribe({ channel, types, callback: (event) => received.push(event) });
  return { live, streams, clock, received, subscribe, latest: () => streams[streams.length - 1]! };
}

const leadEvent = (type: string, ids: string[]) => ({
  channel: "resources/leads",
  type,
  payload: { ids },
  date: "2026-11-21T10:15:00Z",
});

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

describe("live provider", () => {
  it("maps server event types to Refine's", () => {
    expect(refineType("lead.created")).toBe("created");
    expect(refineType("api_key.updated")).toBe("updated");
    expect(refineType("lead.deleted")).toBe("deleted");
    expect(refineType("lead.moved")).toBe("lead.moved");
  });

  it("delivers a resource's events to its subscribers as created/updated/deleted", () => {
    const { subscribe, latest, received } = setup();
    subscribe("resources/leads");

    latest().emit("lead.created", leadEvent("lead.created", ["7"]));
    latest().emit("lead.deleted", leadEvent("lead.deleted", ["8"]));

    expect(latest().url).toBe(EVENTS_URL);
    expect(received).toEqual([
      { channel: "resources/leads", type: "created", payload: { ids: ["7"] }, date: new Date("2026-11-21T10:15:00Z") },
      { channel: "resources/leads", type: "deleted", payload: { ids: ["8"] }, date: new Date("2026-11-21T10:15:00Z") },
    ]);
  });

  it("listens for the resource's singular, or the configured prefix", () => {
    const { subscribe, latest } = setup();
    subscribe("resources/leads");
    subscribe("resources/api-keys", ["updated"]);

    expect([...latest().listeners.keys()].sort()).toEqual([
      "api_key.updated",
      "lead.created",
      "lead.deleted",
      "lead.updated",
    ]);
  });

  it("keeps other channels' events and unwanted types away from a subscriber", () => {
    const { subscribe, latest, received } = setup();
    subscribe("resources/leads", ["updated"]);
    subscribe("resources/pipelines", ["*"]);

    latest().emit("lead.updated", { ...leadEvent("lead.updated", ["1"]), channel: "resources/other" });
    latest().emit("lead.created", leadEvent("lead.created", ["2"]));
    latest().emit("lead.updated", leadEvent("lead.updated", ["3"]));

    expect(received.map((e) => e.payload.ids)).toEqual([["3"]]);
  });

  it("delivers server event types named in full, on any channel, with their full type", () => {
    const { subscribe, latest, received } = setup();
    subscribe("projects/42", ["node.status", "cost.updated"]);
    subscribe("resources/reports", ["report.upserted"]);
    const at = "2026-11-21T10:15:00Z";

    expect([...latest().listeners.keys()].sort()).toEqual(["cost.updated", "node.status", "report.upserted"]);
    latest().emit("node.status", { channel: "projects/42", type: "node.status", payload: { nodeId: "a" }, date: at });
    latest().emit("node.status", { channel: "projects/7", type: "node.status", payload: { nodeId: "b" }, date: at });
    latest().emit("cost.updated", { channel: "projects/42", type: "cost.updated", payload: { amount: "1.00" }, date: at });
    latest().emit("report.upserted", { channel: "resources/reports", type: "report.upserted", payload: { ids: ["r"] }, date: at });

    expect(received.map((e) => [e.channel, e.type])).toEqual([
      ["projects/42", "node.status"],
      ["projects/42", "cost.updated"],
      ["resources/reports", "report.upserted"],
    ]);
  });

  it("keeps delivering a resource's actions to a subscriber that also names a full type", () => {
    const { subscribe, latest, received } = setup();
    subscribe("resources/leads", ["updated", "lead.merged"]);

    latest().emit("lead.updated", leadEvent("lead.updated", ["1"]));
    latest().emit("lead.merged", leadEvent("lead.merged", ["2"]));

    expect(received.map((e) => e.type)).toEqual(["updated", "lead.merged"]);
  });

  it("delivers a resource's further event types as updated", () => {
    const { subscribe, latest, received } = setup(undefined, {
      prefixes: { outreach_messages: "outreach.message" },
      updates: { outreach_messages: ["email.sent"] },
    });
    subscribe("resources/outreach_messages");
    subscribe("resources/outreach_messages", ["created"]);
    const at = "2026-11-21T10:15:00Z";

    expect([...latest().listeners.keys()].sort()).toEqual([
      "email.sent",
      "outreach.message.created",
      "outreach.message.deleted",
      "outreach.message.updated",
    ]);
    latest().emit("email.sent", { channel: "resources/outreach_messages", type: "email.sent", payload: { ids: ["m"] }, date: at });
    latest().emit("email.sent", { channel: "resources/leads", type: "email.sent", payload: { ids: ["l"] }, date: at });

    expect(received.map((e) => [e.channel, e.type])).toEqual([["resources/outreach_messages", "updated"]]);
  });

  it("shares one stream and closes it with the last subscription", () => {
    const { live, subscribe, streams } = setup();
    const a = subscribe("resources/leads");
    const b = subscribe("resources/leads", ["created"]);
    streams[0]!.emit("lead.created", leadEvent("lead.created", ["1"]), "7");

    live.unsubscribe(a);
    expect(streams[0]!.closed).toBe(false);
    expect(streams[0]!.listeners.has("lead.created")).toBe(true);
    expect(streams[0]!.listeners.has("lead.updated")).toBe(false);

    live.unsubscribe(b);
    expect(streams).toHaveLength(1);
    expect(streams[0]!.closed).toBe(true);

    subscribe("resources/leads");
    expect(streams[1]!.url).toBe(EVENTS_URL);
  });

  it("opens a new stream after a refusal once the session is good, resuming after the last event", async () => {
    const { subscribe, streams, clock, received } = setup();
    subscribe("resources/leads");
    streams[0]!.accept();
    streams[0]!.emit("lead.created", leadEvent("lead.created", ["1"]), "41");

    streams[0]!.refuse();
    clock.advance(1_000);
    await settle();

    expect(streams).toHaveLength(2);
    expect(streams[1]!.url).toBe(`${EVENTS_URL}?last_event_id=41`);
    streams[1]!.emit("lead.updated", leadEvent("lead.updated", ["1"]), "42");
    expect(received.map((e) => e.type)).toEqual(["created", "updated"]);
  });

  it("keeps trying while the server does not answer at all", async () => {
    const { subscribe, streams, clock } = setup(() => Promise.reject(new TypeError("fetch failed")));
    subscribe("resources/leads");

    streams[0]!.refuse();
    clock.advance(1_000);
    await settle();

    expect(streams).toHaveLength(1);
    expect(clock.pendingDelays()).toEqual([2_000]);
  });

  it("backs off between refusals and stays closed when the session is gone", async () => {
    let sessionGood = true;
    const { subscribe, streams, clock } = setup(async () => sessionGood);
    subscribe("resources/leads");

    streams[0]!.refuse();
    expect(clock.pendingDelays()).toEqual([1_000]);
    clock.advance(1_000);
    await settle();
    streams[1]!.refuse();
    expect(clock.pendingDelays()).toEqual([2_000]);

    sessionGood = false;
    clock.advance(2_000);
    await settle();
    expect(streams).toHaveLength(2);
  });
});

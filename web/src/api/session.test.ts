import { describe, expect, it } from "vitest";

import { manualTimers } from "../test/fake-api";
import { createSession, renewalDelay } from "./session";

const MINUTE = 60_000;

function setup(answers: (Date | null)[]) {
  const clock = manualTimers(0);
  let calls = 0;
  const session = createSession(async () => {
    calls++;
    return answers.shift() ?? null;
  }, clock.timers);
  return { clock, session, calls: () => calls };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

describe("silent refresh", () => {
  it("renews a minute before a 15-minute cookie expires, and a fifth early for short ones", () => {
    expect(renewalDelay(new Date(15 * MINUTE), 0)).toBe(14 * MINUTE);
    expect(renewalDelay(new Date(MINUTE), 0)).toBe(48_000);
    expect(renewalDelay(new Date(0), 1_000)).toBe(0);
  });

  it("learns the expiry with one refresh, then renews before each expiry", async () => {
    const { clock, session, calls } = setup([new Date(15 * MINUTE), new Date(29 * MINUTE)]);

    session.keepAlive();
    await settle();

    expect(calls()).toBe(1);
    expect(clock.pendingDelays()).toEqual([14 * MINUTE]);

    clock.advance(14 * MINUTE);
    await settle();

    expect(calls()).toBe(2);
    expect(clock.pendingDelays()).toEqual([14 * MINUTE]);
  });

  it("keeps alive only once however often it is asked", async () => {
    const { session, calls } = setup([new Date(15 * MINUTE)]);

    session.keepAlive();
    session.keepAlive();
    await settle();
    session.keepAlive();

    expect(calls()).toBe(1);
  });

  it("shares one refresh between concurrent callers", async () => {
    const { session, calls } = setup([new Date(15 * MINUTE)]);

    const results = await Promise.all([session.refresh(), session.refresh(), session.refresh()]);

    expect(results).toEqual([true, true, true]);
    expect(calls()).toBe(1);
  });

  it("stops when the refresh is refused, and after sign-out", async () => {
    const refused = setup([null]);
    refused.session.keepAlive();
    await settle();
    expect(refused.clock.pendingDelays()).toEqual([]);

    const signedOut = setup([new Date(15 * MINUTE)]);
    signedOut.session.keepAlive();
    await settle();
    signedOut.session.end();
    expect(signedOut.clock.pendingDelays()).toEqual([]);
  });

  it("does not schedule renewals for a one-off refresh (a retried 401)", async () => {
    const { clock, session } = setup([new Date(15 * MINUTE)]);

    expect(await session.refresh()).toBe(true);
    expect(clock.pendingDelays()).toEqual([]);
  });
});

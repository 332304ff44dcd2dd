// A fake API for provider tests: answers requests from a table of handlers keyed by
// "METHOD /path" and records every request it saw, so tests assert on the real wire format.
import { createApi } from "../api/client";
import type { Timers } from "../api/session";

export type Handler = (request: Request) => Response | Promise<Response>;

export function json(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { "content-type": "application/json", ...headers },
  });
}

export function problem(status: number, code: string, detail: string, errors?: Record<string, string[]>) {
  return new Response(
    JSON.stringify({ type: `https://datafortress.dev/problems/${code}`, title: "x", status, code, detail, errors }),
    { status, headers: { "content-type": "application/problem+json" } },
  );
}

/** Timers that only run when the test says so. */
export function manualTimers(start = 0) {
  let now = start;
  const pending = new Map<number, { at: number; run: () => void }>();
  let nextId = 1;
  const timers: Timers = {
    now: () => now,
    setTimeout(run, ms) {
      const id = nextId++;
      pending.set(id, { at: now + ms, run });
      return id;
    },
    clearTimeout(handle) {
      pending.delete(handle as number);
    },
  };
  return {
    timers,
    /** Delays of the timers still pending, from now. */
    pendingDelays: () => [...pending.values()].map((t) => t.at - now),
    /** Moves the clock on and runs the timers that became due. */
    advance(ms: number) {
      now += ms;
      for (const [id, timer] of [...pending]) {
        if (timer.at <= now) {
          pending.delete(id);
          timer.run();
        }
      }
    },
  };
}

export function fakeApi(handlers: Record<string, Handler>, timers?: Timers) {
  const requests: Request[] = [];
  const fetch = async (request: Request) => {
    requests.push(request.clone());
    const url = new URL(request.url);
    const handler = handlers[`${request.method} ${url.pathname}`];
    if (!handler) return problem(404, "route_not_found", `no fake for ${request.method} ${url.pathname}`);
    return handler(request);
  };
  const { api, session } = createApi({ baseUrl: "http://fortress.test", fetch, timers });
  /** The paths requested so far, as "METHOD /path". */
  const calls = () => requests.map((r) => `${r.method} ${new URL(r.url).pathname}`);
  return { api, session, requests, calls };
}

/** The decoded query string of a request, brackets and all. */
export function decodedQuery(request: Request): string {
  return decodeURIComponent(new URL(request.url).search.slice(1));
}

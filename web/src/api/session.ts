// Silent refresh. The access cookie is short-lived and HttpOnly, so the page cannot read when
// it expires; the refresh answer says so (`access_expires_at`). Keeping a session alive
// therefore starts with one refresh, then renews a little before each expiry. Concurrent
// callers (several 401s at once, the timer) share one refresh request.

/** Renews the session; resolves to the new access cookie's expiry, or null when refused. */
export type RefreshCall = () => Promise<Date | null>;

export interface Timers {
  now(): number;
  setTimeout(run: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export interface Session {
  /** Renews the session now; true when it was renewed. */
  refresh(): Promise<boolean>;
  /** Keeps the session alive from now on (no-op when already doing so). */
  keepAlive(): void;
  /** Stops renewing, after sign-out or once the session is refused. */
  end(): void;
}

/** Renew when a fifth of the remaining lifetime is left, at most a minute before expiry. */
export function renewalDelay(expiresAt: Date, now: number): number {
  const remaining = expiresAt.getTime() - now;
  return Math.max(0, remaining - Math.min(60_000, remaining / 5));
}

const browserTimers: Timers = {
  now: () => Date.now(),
  setTimeout: (run, ms) => globalThis.setTimeout(run, ms),
  clearTimeout: (handle) => globalThis.clearTimeout(handle as ReturnType<typeof setTimeout>),
};

export function createSession(call: RefreshCall, timers: Timers = browserTimers): Session {
  let inFlight: Promise<boolean> | null = null;
  let timer: unknown = null;
  let alive = false;

  const clearTimer = () => {
    if (timer !== null) timers.clearTimeout(timer);
    timer = null;
  };

  const renew = async (): Promise<boolean> => {
    const expiresAt = await call().catch(() => null);
    clearTimer();
    if (expiresAt === null) {
      alive = false;
      return false;
    }
    if (alive) timer = timers.setTimeout(() => void refresh(), renewalDelay(expiresAt, timers.now()));
    return true;
  };

  const refresh = (): Promise<boolean> => {
    inFlight ??= renew().finally(() => {
      inFlight = null;
    });
    return inFlight;
  };

  return {
    refresh,
    keepAlive() {
      if (alive) return;
      alive = true;
      void refresh();
    },
    end() {
      alive = false;
      clearTimer();
    },
  };
}

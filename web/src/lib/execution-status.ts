// How an execution and each of its states look: one colour per status, shared by the badges,
// the state graph, its legend and the side panel (the same values as a lineage node's, so
// blue, green, amber and red mean the same on every screen). Colours are values, not
// classes: the graph draws them inline and the browser test reads them back.

export const EXECUTION_STATUSES = ["RUNNING", "SUCCEEDED", "FAILED", "TIMED_OUT", "ABORTED"] as const;
export type ExecutionStatus = (typeof EXECUTION_STATUSES)[number];

/** A state's progress as the API gives it, and `not_entered` for a state never reached. */
export const STATE_PROGRESS = ["not_entered", "running", "waiting", "retrying", "succeeded", "failed", "caught"] as const;
export type StateProgress = (typeof STATE_PROGRESS)[number];

export interface Look {
  label: string;
  colour: string;
  /** Work is under way. */
  pulse: boolean;
}

const GREY = "#94a3b8";
const DARK_GREY = "#64748b";
const BLUE = "#2563eb";
const GREEN = "#16a34a";
const AMBER = "#d97706";
const RED = "#dc2626";

const EXECUTION_LOOKS: Record<ExecutionStatus, Look> = {
  RUNNING: { label: "Running", colour: BLUE, pulse: true },
  SUCCEEDED: { label: "Succeeded", colour: GREEN, pulse: false },
  FAILED: { label: "Failed", colour: RED, pulse: false },
  TIMED_OUT: { label: "Timed out", colour: RED, pulse: false },
  ABORTED: { label: "Aborted", colour: DARK_GREY, pulse: false },
};

const STATE_LOOKS: Record<StateProgress, Look> = {
  not_entered: { label: "Not entered", colour: GREY, pulse: false },
  running: { label: "Running", colour: BLUE, pulse: true },
  waiting: { label: "Waiting", colour: BLUE, pulse: true },
  retrying: { label: "Retrying", colour: BLUE, pulse: true },
  succeeded: { label: "Succeeded", colour: GREEN, pulse: false },
  failed: { label: "Failed", colour: RED, pulse: false },
  caught: { label: "Caught", colour: AMBER, pulse: false },
};

const isOneOf = <T extends string>(values: readonly T[], value: unknown): value is T =>
  typeof value === "string" && (values as readonly string[]).includes(value);

/** An execution's look; a status the UI does not know yet shows grey, under its own name. */
export function executionLook(status: string): Look {
  return isOneOf(EXECUTION_STATUSES, status) ? EXECUTION_LOOKS[status] : { label: status, colour: GREY, pulse: false };
}

export function stateLook(progress: string): Look {
  return isOneOf(STATE_PROGRESS, progress) ? STATE_LOOKS[progress] : { label: progress, colour: GREY, pulse: false };
}

/** Whether an execution can still change: stopping it makes sense. */
export const isRunning = (status: string) => status === "RUNNING";
/** Whether an execution can be redriven from where it stopped. */
export const canRedrive = (status: string) => status === "FAILED" || status === "TIMED_OUT" || status === "ABORTED";

/**
 * Where a state got in an execution. A state still "in progress" once the execution has
 * stopped is the one it ended in: a Succeed state (the server records no exit for it) has
 * succeeded with the execution; in a failed, timed-out or aborted execution it is where the
 * execution failed.
 */
export function stateProgress(
  states: Record<string, { status: string } | undefined>,
  name: string,
  executionStatus: string,
): StateProgress {
  const status = states[name]?.status;
  if (!isOneOf(STATE_PROGRESS, status)) return status === undefined ? "not_entered" : "running";
  const inProgress = status === "running" || status === "waiting" || status === "retrying";
  if (!inProgress || isRunning(executionStatus)) return status;
  return executionStatus === "SUCCEEDED" ? "succeeded" : "failed";
}

/** From start to stop, or to now while it runs; null when a time cannot be read. */
export function executionDurationMs(startedAt: string, stoppedAt: string | null | undefined, now: number): number | null {
  const start = Date.parse(startedAt);
  const end = stoppedAt ? Date.parse(stoppedAt) : now;
  return Number.isFinite(start) && Number.isFinite(end) ? Math.max(end - start, 0) : null;
}

/** Whether a live event's payload (`{ids: [...]}`) is about this record. */
export function mentions(payload: unknown, id: string): boolean {
  const ids = (payload as { ids?: unknown } | null | undefined)?.ids;
  return Array.isArray(ids) && ids.includes(id);
}

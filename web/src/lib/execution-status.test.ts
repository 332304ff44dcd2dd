import { describe, expect, it } from "vitest";

import {
  canRedrive,
  EXECUTION_STATUSES,
  executionDurationMs,
  executionLook,
  isRunning,
  mentions,
  STATE_PROGRESS,
  stateLook,
  stateProgress,
} from "./execution-status";

describe("executionLook", () => {
  it("colours RUNNING blue, SUCCEEDED green, FAILED and TIMED_OUT red, ABORTED grey", () => {
    expect(EXECUTION_STATUSES.map((s) => [s, executionLook(s).colour, executionLook(s).pulse])).toEqual([
      ["RUNNING", "#2563eb", true],
      ["SUCCEEDED", "#16a34a", false],
      ["FAILED", "#dc2626", false],
      ["TIMED_OUT", "#dc2626", false],
      ["ABORTED", "#64748b", false],
    ]);
    expect(executionLook("TIMED_OUT").label).toBe("Timed out");
  });

  it("shows an unknown status grey, under its own name", () => {
    expect(executionLook("PENDING")).toEqual({ label: "PENDING", colour: "#94a3b8", pulse: false });
  });
});

describe("stateLook", () => {
  it("colours not entered grey, running/waiting/retrying blue (pulsing), succeeded green, failed red, caught amber", () => {
    expect(STATE_PROGRESS.map((s) => [s, stateLook(s).colour, stateLook(s).pulse])).toEqual([
      ["not_entered", "#94a3b8", false],
      ["running", "#2563eb", true],
      ["waiting", "#2563eb", true],
      ["retrying", "#2563eb", true],
      ["succeeded", "#16a34a", false],
      ["failed", "#dc2626", false],
      ["caught", "#d97706", false],
    ]);
    expect(new Set(STATE_PROGRESS.map((s) => stateLook(s).label)).size).toBe(STATE_PROGRESS.length);
  });
});

describe("stateProgress", () => {
  const states = {
    Start: { status: "succeeded" },
    Wait: { status: "waiting" },
    Load: { status: "caught" },
    Odd: { status: "paused" },
  };

  it("gives the state's own progress while the execution runs, and not_entered when never reached", () => {
    expect(stateProgress(states, "Start", "RUNNING")).toBe("succeeded");
    expect(stateProgress(states, "Wait", "RUNNING")).toBe("waiting");
    expect(stateProgress(states, "Load", "RUNNING")).toBe("caught");
    expect(stateProgress(states, "Never", "RUNNING")).toBe("not_entered");
    expect(stateProgress(states, "Odd", "RUNNING")).toBe("running");
  });

  it("settles the state an execution stopped in: succeeded with it, else failed", () => {
    const ended = { Start: { status: "succeeded" }, Done: { status: "running" } };
    expect(stateProgress(ended, "Done", "SUCCEEDED")).toBe("succeeded");
    expect(stateProgress(ended, "Done", "FAILED")).toBe("failed");
    expect(stateProgress(ended, "Done", "ABORTED")).toBe("failed");
    expect(stateProgress(ended, "Start", "FAILED")).toBe("succeeded");
  });
});

describe("the actions an execution offers", () => {
  it("stops only a running one, redrives a failed, timed-out or aborted one", () => {
    expect(EXECUTION_STATUSES.filter(isRunning)).toEqual(["RUNNING"]);
    expect(EXECUTION_STATUSES.filter(canRedrive)).toEqual(["FAILED", "TIMED_OUT", "ABORTED"]);
  });
});

describe("executionDurationMs", () => {
  it("measures to the stop, or to now while running", () => {
    expect(executionDurationMs("2026-01-01T00:00:00Z", "2026-01-01T00:01:30.5Z", 0)).toBe(90_500);
    expect(executionDurationMs("2026-01-01T00:00:00Z", null, Date.parse("2026-01-01T00:00:02Z"))).toBe(2_000);
    expect(executionDurationMs("yesterday", null, 0)).toBeNull();
  });
});

describe("mentions", () => {
  it("tells whether a live event's ids include the record", () => {
    expect(mentions({ ids: ["a", "b"] }, "b")).toBe(true);
    expect(mentions({ ids: ["a"] }, "b")).toBe(false);
    expect(mentions(undefined, "b")).toBe(false);
    expect(mentions({ ids: "b" }, "b")).toBe(false);
  });
});

import { describe, expect, it } from "vitest";

import { NODE_STATUSES, statusLook } from "./node-status";

describe("statusLook", () => {
  it("gives each status its colour: grey, blue (pulsing), green, amber, red", () => {
    expect(NODE_STATUSES.map((s) => [s, statusLook(s).colour, statusLook(s).pulse])).toEqual([
      ["IDLE", "#94a3b8", false],
      ["RUNNING", "#2563eb", true],
      ["GREEN", "#16a34a", false],
      ["YELLOW", "#d97706", false],
      ["RED", "#dc2626", false],
    ]);
  });

  it("names every status in words, all different", () => {
    const labels = NODE_STATUSES.map((s) => statusLook(s).label);
    expect(new Set(labels).size).toBe(NODE_STATUSES.length);
    expect(statusLook("RED").label).toBe("Failed");
  });

  it("shows an unknown status grey, under its own name", () => {
    expect(statusLook("QUEUED")).toEqual({ label: "QUEUED", colour: "#94a3b8", pulse: false });
  });
});

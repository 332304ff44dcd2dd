import { describe, expect, it } from "vitest";

import {
  allNodes,
  applyCost,
  applyNodeStatus,
  readBudgetAlert,
  readCost,
  readNodeStatus,
  type ProjectState,
  type StateNode,
} from "./project-state";

const node = (id: string, layer: string, status = "IDLE"): StateNode => ({
  id,
  layer,
  kind: "table",
  name: id,
  status,
  error: null,
  last_run_at: null,
  metrics: { rows: null, bytes: null, duration_ms: null },
});

const state: ProjectState = {
  project: { id: "p", name: "Shop", slug: "shop", client_name: "", status: "active", timezone: "UTC" },
  version: 5,
  trees: {
    bronze: [node("orders_raw", "bronze")],
    silver: [node("orders", "silver", "GREEN")],
    gold: [],
    destination: [node("crm", "destination")],
  },
  edges: [{ from: "orders_raw", to: "orders" }],
  active_jobs: [],
  billing_mtd: {
    month: "2026-12",
    currency: "USD",
    amount: "4.00",
    budget: "10.00",
    budget_used_percent: 40,
    by_provider: [{ provider: "e2b", amount: "4.00" }],
  },
};

describe("reading the project channel's events", () => {
  it("reads a node's new status", () => {
    expect(readNodeStatus({ nodeId: "orders", newStatus: "RED", error: "boom", version: 6 })).toEqual({
      nodeId: "orders",
      newStatus: "RED",
      error: "boom",
      version: 6,
    });
    expect(readNodeStatus({ nodeId: "orders", newStatus: "GREEN" })).toEqual({
      nodeId: "orders",
      newStatus: "GREEN",
      error: null,
      version: null,
    });
  });

  it("ignores what it cannot read", () => {
    expect(readNodeStatus({ nodeId: "orders", newStatus: "PURPLE" })).toBeNull();
    expect(readNodeStatus(undefined)).toBeNull();
    expect(readCost({ amount: 3 })).toBeNull();
    expect(readBudgetAlert({ threshold: "80" })).toBeNull();
  });

  it("reads a cost change and a budget alert", () => {
    expect(readCost({ projectId: "p", month: "2026-12", amount: "8.10", currency: "USD" })).toEqual({
      month: "2026-12",
      amount: "8.10",
      currency: "USD",
    });
    expect(readBudgetAlert({ threshold: 80, amount: "8.10", budget: "10.00", currency: "USD", month: "2026-12" })).toEqual({
      threshold: 80,
      amount: "8.10",
      budget: "10.00",
      currency: "USD",
      month: "2026-12",
    });
  });
});

describe("applyNodeStatus", () => {
  it("changes the node's status and error, and nothing else", () => {
    const next = applyNodeStatus(state, { nodeId: "orders", newStatus: "RED", error: "column missing", version: 6 });
    expect(allNodes(next).map((n) => [n.id, n.status, n.error])).toEqual([
      ["orders_raw", "IDLE", null],
      ["orders", "RED", "column missing"],
      ["crm", "IDLE", null],
    ]);
    expect(next.version).toBe(5);
    expect(next.billing_mtd).toBe(state.billing_mtd);
    expect(state.trees.silver[0]!.status).toBe("GREEN");
  });

  it("leaves a document that already has the change, or not the node, as it is", () => {
    expect(applyNodeStatus(state, { nodeId: "orders", newStatus: "RED", error: null, version: 5 })).toBe(state);
    expect(applyNodeStatus(state, { nodeId: "ghost", newStatus: "RED", error: null, version: 9 })).toBe(state);
  });
});

describe("applyCost", () => {
  it("shows the month's new total and its share of the budget", () => {
    const next = applyCost(state, { month: "2026-12", amount: "8.50", currency: "USD" });
    expect(next.billing_mtd).toEqual({ ...state.billing_mtd, amount: "8.50", budget_used_percent: 85 });
  });

  it("starts a new month without the old month's provider split", () => {
    const next = applyCost(state, { month: "2027-01", amount: "0.05", currency: "USD" });
    expect(next.billing_mtd).toMatchObject({ month: "2027-01", amount: "0.05", by_provider: [] });
  });
});

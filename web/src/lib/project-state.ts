// A project's state document (GET /api/v1/projects/{id}/state) and the live events of its
// channel `projects/<id>` applied to it. A node's new status and the month's new cost are
// shown from the event at once; the document is fetched again behind them (it carries what
// the event does not: a run's metrics, the per-provider split), so these only need to be right
// until then.
import type { components } from "../api/schema";
import { LAYERS } from "./lineage";
import { usedPercent } from "./money";
import { isNodeStatus, type NodeStatus } from "./node-status";

export type ProjectState = components["schemas"]["ProjectState"];
export type StateNode = components["schemas"]["StateNode"];

/** The event types of a project's live channel that the project page follows. */
export const PROJECT_EVENTS = [
  "node.status",
  "node.updated",
  "tree.updated",
  "run.updated",
  "cost.updated",
  "project.budget_alert",
] as const;

export const projectChannel = (projectId: string) => `projects/${projectId}`;

export interface NodeStatusEvent {
  nodeId: string;
  newStatus: NodeStatus;
  error: string | null;
  /** The state version this change made. */
  version: number | null;
}

export interface CostEvent {
  month: string;
  amount: string;
  currency: string;
}

export interface BudgetAlertEvent {
  threshold: number;
  amount: string;
  budget: string;
  currency: string;
  month: string;
}

type Payload = Record<string, unknown> | null | undefined;

export function readNodeStatus(payload: Payload): NodeStatusEvent | null {
  const { nodeId, newStatus, error, version } = payload ?? {};
  if (typeof nodeId !== "string" || !isNodeStatus(newStatus)) return null;
  return {
    nodeId,
    newStatus,
    error: typeof error === "string" ? error : null,
    version: typeof version === "number" ? version : null,
  };
}

export function readCost(payload: Payload): CostEvent | null {
  const { month, amount, currency } = payload ?? {};
  if (typeof month !== "string" || typeof amount !== "string" || typeof currency !== "string") return null;
  return { month, amount, currency };
}

export function readBudgetAlert(payload: Payload): BudgetAlertEvent | null {
  const { threshold, amount, budget, currency, month } = payload ?? {};
  if (typeof threshold !== "number" || typeof amount !== "string" || typeof budget !== "string") return null;
  return { threshold, amount, budget, currency: String(currency ?? ""), month: String(month ?? "") };
}

/** Every node of the document, bronze first. */
export function allNodes(state: ProjectState): StateNode[] {
  return LAYERS.flatMap((layer) => state.trees[layer] ?? []);
}

/** The document with a node's new status (and error); unchanged when the document already
 * includes the change (its version is as new) or does not have the node. */
export function applyNodeStatus(state: ProjectState, event: NodeStatusEvent): ProjectState {
  if (event.version !== null && state.version >= event.version) return state;
  if (!allNodes(state).some((n) => n.id === event.nodeId)) return state;
  const change = (node: StateNode): StateNode =>
    node.id === event.nodeId ? { ...node, status: event.newStatus, error: event.error } : node;
  const trees = Object.fromEntries(LAYERS.map((l) => [l, (state.trees[l] ?? []).map(change)])) as ProjectState["trees"];
  return { ...state, trees };
}

/** The document with the month's new total (and budget share); a new month's total replaces
 * the old month's, its provider split waiting for the document to be fetched again. */
export function applyCost(state: ProjectState, event: CostEvent): ProjectState {
  const billing = state.billing_mtd;
  return {
    ...state,
    billing_mtd: {
      ...billing,
      month: event.month,
      amount: event.amount,
      currency: event.currency,
      budget_used_percent: usedPercent(event.amount, billing.budget),
      by_provider: event.month === billing.month ? billing.by_provider : [],
    },
  };
}

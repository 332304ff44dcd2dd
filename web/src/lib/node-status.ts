// How a lineage node's status looks: one colour per status, shared by the graph, its legend
// and the side panel, so that "red" means the same thing everywhere on the page. The colours
// are given as values (not classes) because the graph draws them inline, and the browser
// test reads them back.
export const NODE_STATUSES = ["IDLE", "RUNNING", "GREEN", "YELLOW", "RED"] as const;

export type NodeStatus = (typeof NODE_STATUSES)[number];

export interface StatusLook {
  /** What the status means, in words (the colour alone says nothing to a screen reader). */
  label: string;
  /** Border and badge colour. */
  colour: string;
  /** Whether the node pulses: work is under way. */
  pulse: boolean;
}

const LOOKS: Record<NodeStatus, StatusLook> = {
  IDLE: { label: "Idle", colour: "#94a3b8", pulse: false },
  RUNNING: { label: "Running", colour: "#2563eb", pulse: true },
  GREEN: { label: "Succeeded", colour: "#16a34a", pulse: false },
  YELLOW: { label: "Warnings", colour: "#d97706", pulse: false },
  RED: { label: "Failed", colour: "#dc2626", pulse: false },
};

export function isNodeStatus(value: unknown): value is NodeStatus {
  return typeof value === "string" && (NODE_STATUSES as readonly string[]).includes(value);
}

/** The look of a status; one the UI does not know yet shows grey, under its own name. */
export function statusLook(status: string): StatusLook {
  return isNodeStatus(status) ? LOOKS[status] : { label: status, colour: LOOKS.IDLE.colour, pulse: false };
}

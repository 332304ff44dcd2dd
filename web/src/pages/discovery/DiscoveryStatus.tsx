// A discovery's or a proposal's status as a coloured pill.
import { StatusPill } from "../../components/StatusPill";

const COLOURS: Record<string, string> = {
  queued: "#64748b",
  profiling: "#2563eb",
  proposing: "#2563eb",
  validating: "#2563eb",
  ready: "#16a34a",
  failed: "#dc2626",
  pending: "#64748b",
  valid: "#16a34a",
  rejected: "#dc2626",
  accepted: "#4f46e5",
  dismissed: "#64748b",
};

export function DiscoveryStatus({ status }: { status: string }) {
  return <StatusPill status={status} colour={COLOURS[status] ?? "#64748b"} />;
}

export const isRunning = (status: string) => ["queued", "profiling", "proposing", "validating"].includes(status);

// A discovery's or a proposal's status as a coloured pill.
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
  const colour = COLOURS[status] ?? "#64748b";
  return (
    <span
      data-status={status}
      className="inline-flex items-center rounded-full border px-2 py-0.5 text-xs font-medium"
      style={{ borderColor: colour, color: colour }}
    >
      {status}
    </span>
  );
}

export const isRunning = (status: string) => ["queued", "profiling", "proposing", "validating"].includes(status);

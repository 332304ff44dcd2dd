import { executionLook } from "../../lib/execution-status";

/** An execution's status as a coloured pill: RUNNING blue (pulsing), SUCCEEDED green, FAILED
 * and TIMED_OUT red, ABORTED grey. */
export function ExecutionStatusBadge({ status }: { status: string }) {
  const look = executionLook(status);
  return (
    <span
      data-status={status}
      className="inline-flex items-center gap-1.5 rounded-full border px-2 py-0.5 text-xs font-medium whitespace-nowrap"
      style={{ borderColor: look.colour, color: look.colour }}
    >
      <span
        aria-hidden="true"
        className={`h-2 w-2 rounded-full ${look.pulse ? "motion-safe:animate-pulse" : ""}`}
        style={{ backgroundColor: look.colour }}
      />
      {look.label}
    </span>
  );
}

/** A status word in a pill of its colour (`data-status` carries the status for tests). */
export function StatusPill({ status, colour }: { status: string; colour: string }) {
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

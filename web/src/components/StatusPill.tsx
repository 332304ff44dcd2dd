/** A status word in a pill of its colour (`data-status` carries the status for tests); `label`
 * shows it in other words ("Auto-reply" for `auto_reply`). */
export function StatusPill({ status, colour, label = status }: { status: string; colour: string; label?: string }) {
  return (
    <span
      data-status={status}
      className="inline-flex items-center rounded-full border px-2 py-0.5 text-xs font-medium whitespace-nowrap"
      style={{ borderColor: colour, color: colour }}
    >
      {label}
    </span>
  );
}

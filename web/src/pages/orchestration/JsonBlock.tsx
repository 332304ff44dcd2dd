import { prettyJson } from "../../lib/flows";

/** A JSON value as indented text (an input, an output, an event's details). */
export function JsonBlock({ value, label }: { value: unknown; label: string }) {
  return (
    <pre
      aria-label={label}
      className="max-h-80 overflow-auto rounded-md border border-slate-200 bg-slate-50 p-2 font-mono text-xs whitespace-pre-wrap break-all"
    >
      {value === undefined ? "—" : prettyJson(value)}
    </pre>
  );
}

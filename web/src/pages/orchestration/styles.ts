// The form controls' classes shared by the orchestration screens.
export const CONTROL = "rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm shadow-xs aria-invalid:border-red-600";
/** A JSON editor: a textarea in a monospace font. */
export const CODE = `${CONTROL} font-mono text-xs leading-5`;

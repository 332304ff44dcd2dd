// The classes and the date format shared by the outreach screens.
export const CONTROL = "rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm shadow-xs aria-invalid:border-red-600";
export const PRIMARY_LINK = "rounded-md bg-indigo-600 px-3 py-1.5 text-sm font-medium text-white shadow-xs hover:bg-indigo-700";
export const SECONDARY_LINK =
  "rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm font-medium shadow-xs hover:bg-slate-100";
/** A panel of a page: a titled white card. */
export const PANEL = "flex flex-col gap-3 rounded-lg border border-slate-200 bg-white p-4";

export const when = (value: string | null | undefined) => (value ? new Date(value).toLocaleString() : "—");

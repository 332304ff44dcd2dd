// SQL with its keywords, strings, numbers and comments in colour (tokens from `lib/sql`).
import { Fragment } from "react";

import { sqlTokens, type SqlKind } from "../../lib/sql";

const LOOK: Record<SqlKind, string> = {
  keyword: "font-semibold text-indigo-700",
  string: "text-emerald-700",
  number: "text-amber-700",
  comment: "italic text-slate-500",
  ident: "text-sky-800",
  plain: "",
};

export function SqlBlock({ sql, label }: { sql: string; label: string }) {
  return (
    <pre
      aria-label={label}
      className="max-h-96 overflow-auto rounded-md border border-slate-200 bg-slate-50 p-2 font-mono text-xs whitespace-pre-wrap"
    >
      {sqlTokens(sql).map((t, i) =>
        t.kind === "plain" ? <Fragment key={i}>{t.text}</Fragment> : <span key={i} className={LOOK[t.kind]}>{t.text}</span>,
      )}
    </pre>
  );
}

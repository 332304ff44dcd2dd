// SQL split into tokens told apart by kind (keywords, strings, quoted names, numbers,
// comments), for colouring. A proposal's SQL is a few lines of one dialect: a small tokenizer
// does, no editor library needed.

const KEYWORDS = new Set(
  (
    "select from where group by order having limit offset join left right inner outer full cross on as and or not " +
    "create replace table view with distinct case when then else end is null in like between union all any cast " +
    "try_cast interval filter over partition asc desc coalesce nullif count sum min max avg true false"
  ).split(" "),
);

export type SqlKind = "keyword" | "string" | "number" | "comment" | "ident" | "plain";

const TOKEN = /(--[^\n]*)|('(?:[^']|'')*')|("(?:[^"]|"")*")|(\b\d+(?:\.\d+)?\b)|([A-Za-z_][A-Za-z0-9_]*)|(\s+|.)/gs;

export function sqlTokens(sql: string): { text: string; kind: SqlKind }[] {
  const found: { text: string; kind: SqlKind }[] = [];
  for (const m of sql.matchAll(TOKEN)) {
    const [text, comment, string, quoted, number, word] = m;
    const kind: SqlKind = comment
      ? "comment"
      : string
        ? "string"
        : quoted
          ? "ident"
          : number
            ? "number"
            : word && KEYWORDS.has(word.toLowerCase())
              ? "keyword"
              : "plain";
    found.push({ text, kind });
  }
  return found;
}


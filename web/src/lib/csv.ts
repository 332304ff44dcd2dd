// The CSV import wizard reads only the header row in the browser, to offer the mapping; the
// server parses the whole file.
import { importableLeadFieldValues, type components } from "../api/schema";

/** A lead field a CSV column can feed, as the API declares it (`ImportableLeadField`). */
export type ImportableLeadField = components["schemas"]["ImportableLeadField"];

/** The lead fields a CSV column can feed (besides `custom.<key>`), from the generated client:
 * the server's field registry (crates/leads/src/registry.rs) declares them. */
export const IMPORTABLE_FIELDS: readonly ImportableLeadField[] = importableLeadFieldValues;

/** The fields of the first record of a CSV text (RFC 4180 quoting, comma-separated). */
export function csvHeader(text: string): string[] {
  const fields: string[] = [];
  let field = "";
  let quoted = false;
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  for (; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else {
          quoted = false;
        }
      } else {
        field += c;
      }
    } else if (c === '"') {
      quoted = true;
    } else if (c === ",") {
      fields.push(field);
      field = "";
    } else if (c === "\n" || c === "\r") {
      break;
    } else {
      field += c;
    }
  }
  fields.push(field);
  return fields.length === 1 && fields[0] === "" ? [] : fields;
}

/** The field a column feeds by default: its name as a field (`First Name` -> `first_name`),
 * as the server guesses without a mapping; "" for none. */
export function guessField(column: string): ImportableLeadField | "" {
  const name = column.trim().toLowerCase().replace(/[ -]/g, "_");
  return IMPORTABLE_FIELDS.find((field) => field === name) ?? "";
}

/** The mapping sent with the upload: column -> field, for the columns that feed one. */
export function mappingJson(mapping: Record<string, string>): string {
  return JSON.stringify(Object.fromEntries(Object.entries(mapping).filter(([, field]) => field !== "")));
}

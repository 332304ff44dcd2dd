// Flows and executions as the screens handle them: the API's types, the JSON typed into the
// definition editor and the input box read as an object (or the reason it is not one), and
// the errors of a refused definition, each with the state it is in.
import { isApiError } from "../api/problem";
import type { components } from "../api/schema";

export type Flow = components["schemas"]["Flow"];
export type FlowDetail = components["schemas"]["FlowDetail"];
export type FlowVersion = components["schemas"]["FlowVersion"];
export type FlowTemplate = components["schemas"]["Template"];
export type Execution = components["schemas"]["Execution"];
export type ExecutionDetail = components["schemas"]["ExecutionDetail"];
export type HistoryEvent = components["schemas"]["HistoryEvent"];
export type DefinitionError = components["schemas"]["DefinitionError"];
export type JsonObject = Record<string, unknown>;

/** A JSON object as the generated client types a free-form `object` of the API (openapi-
 * typescript makes it `Record<string, never>`, which no real object is). */
export const asApiObject = (value: JsonObject) => value as Record<string, never>;

/** What a new flow starts from when no template is chosen. */
export const STARTER_DEFINITION: JsonObject = {
  Comment: "A first flow: replace it with yours.",
  StartAt: "Hello",
  States: { Hello: { Type: "Pass", Result: { hello: "world" }, End: true } },
};

export const prettyJson = (value: unknown) => JSON.stringify(value, null, 2);

export type Parsed = { ok: true; value: JsonObject } | { ok: false; message: string };

/** The text as a JSON object; an empty text is `empty` when given (an execution's input
 * defaults to `{}`), else refused. */
export function parseJsonObject(text: string, empty?: JsonObject): Parsed {
  if (text.trim() === "") {
    return empty ? { ok: true, value: empty } : { ok: false, message: "Enter a JSON object." };
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { ok: false, message: `Not valid JSON: ${error instanceof Error ? error.message : String(error)}` };
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    return { ok: false, message: `Must be a JSON object ({…}), not ${Array.isArray(value) ? "an array" : value === null ? "null" : typeof value}.` };
  }
  return { ok: true, value: value as JsonObject };
}

const DEFINITION_FIELD = "definition";

/** The innermost state a JSON pointer into a definition is in (`/States/Par/Branches/0/States/
 * Load/Next` -> `Load`), or null for the definition's own fields. */
export function stateOfPath(path: string): string | null {
  const segments = path
    .split("/")
    .slice(1)
    .map((s) => s.replaceAll("~1", "/").replaceAll("~0", "~"));
  let state: string | null = null;
  for (let i = 0; i + 1 < segments.length; i++) if (segments[i] === "States") state = segments[i + 1] ?? null;
  return state;
}

/**
 * The errors of a definition the server refused (422), from its field errors keyed
 * `definition/States/<State>/<Field>`: each with its JSON pointer and state, as
 * `POST /flows/validate` lists them. Empty for any other failure.
 */
export function definitionErrorsOf(error: unknown): DefinitionError[] {
  if (!isApiError(error) || !error.errors) return [];
  const found: DefinitionError[] = [];
  for (const [field, messages] of Object.entries(error.errors)) {
    if (field !== DEFINITION_FIELD && !field.startsWith(`${DEFINITION_FIELD}/`)) continue;
    const path = field.slice(DEFINITION_FIELD.length) || "/";
    const list = Array.isArray(messages) ? messages : [String(messages)];
    for (const message of list) found.push({ path, state: stateOfPath(path), message: String(message) });
  }
  return found;
}

/** The states named by errors, to highlight in the graph. */
export const statesInError = (errors: DefinitionError[]) =>
  new Set(errors.map((e) => e.state).filter((s): s is string => typeof s === "string"));

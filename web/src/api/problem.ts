// Turns the API's problem+json answers (docs/API.md, "Errors") into Refine's HttpError, so
// that notifications show `detail` and forms put each `errors` entry next to its field.
import type { HttpError } from "@refinedev/core";

import type { components } from "./schema";

export type Problem = components["schemas"]["Problem"];

/** An HttpError that also keeps the problem's stable `code` and its `request_id`. */
export interface ApiError extends HttpError {
  code?: string;
  requestId?: string;
}

export function isApiError(value: unknown): value is ApiError {
  return (
    typeof value === "object" &&
    value !== null &&
    typeof (value as ApiError).statusCode === "number" &&
    typeof (value as ApiError).message === "string"
  );
}

/** The error for a non-2xx answer; `body` is its parsed JSON, or undefined when it had none. */
export function toHttpError(status: number, body: unknown): ApiError {
  const problem = isProblem(body) ? body : undefined;
  return {
    statusCode: status,
    message: problem?.detail ?? problem?.title ?? `The server answered ${status}.`,
    errors: problem?.errors ?? undefined,
    code: problem?.code,
    requestId: problem?.request_id ?? undefined,
  };
}

/** The error for a request that got no answer at all (offline, server down, aborted). */
export function networkError(cause: unknown): ApiError {
  const reason = cause instanceof Error ? cause.message : String(cause);
  return { statusCode: 0, message: `The server could not be reached (${reason}).` };
}

function isProblem(body: unknown): body is Problem {
  return (
    typeof body === "object" &&
    body !== null &&
    typeof (body as Problem).status === "number" &&
    typeof (body as Problem).code === "string"
  );
}

/** Whether a failed read may succeed if tried again: no answer or a 5xx, never a 4xx. */
export function isTransient(error: unknown): boolean {
  return !isApiError(error) || error.statusCode === 0 || error.statusCode >= 500;
}

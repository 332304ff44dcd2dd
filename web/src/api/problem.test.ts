import { describe, expect, it } from "vitest";

import { isTransient, networkError, toHttpError } from "./problem";

describe("problems", () => {
  it("keeps the detail, code, request id and field errors of a problem document", () => {
    const error = toHttpError(422, {
      type: "https://datafortress.dev/problems/validation_failed",
      title: "Unprocessable Entity",
      status: 422,
      code: "validation_failed",
      detail: "The request is not valid.",
      request_id: "req-1",
      errors: { email: ["must be a valid email address"] },
    });

    expect(error).toEqual({
      statusCode: 422,
      message: "The request is not valid.",
      code: "validation_failed",
      requestId: "req-1",
      errors: { email: ["must be a valid email address"] },
    });
  });

  it("retries only what a retry can fix: no answer, or a server error", () => {
    expect(isTransient(networkError(new TypeError("fetch failed")))).toBe(true);
    expect(isTransient(toHttpError(503, null))).toBe(true);
    expect(isTransient(new Error("boom"))).toBe(true);
    expect(isTransient(toHttpError(403, null))).toBe(false);
    expect(isTransient(toHttpError(404, null))).toBe(false);
  });
});

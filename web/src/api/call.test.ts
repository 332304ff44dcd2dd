import { describe, expect, it } from "vitest";

import { unwrap } from "./call";

describe("unwrap", () => {
  it("gives the data of a 2xx", async () => {
    await expect(unwrap(Promise.resolve({ data: { id: 1 }, response: new Response(null, { status: 200 }) }))).resolves.toEqual({
      id: 1,
    });
  });

  it("throws a problem as an HttpError with its field errors", async () => {
    const error = { status: 422, code: "validation_failed", detail: "bad", errors: { body: ["must not be empty"] } };
    await expect(unwrap(Promise.resolve({ error, response: new Response(null, { status: 422 }) }))).rejects.toMatchObject({
      statusCode: 422,
      message: "bad",
      code: "validation_failed",
      errors: { body: ["must not be empty"] },
    });
  });

  it("throws a network failure as status 0", async () => {
    await expect(unwrap(Promise.reject(new TypeError("Failed to fetch")))).rejects.toMatchObject({ statusCode: 0 });
  });
});

import { describe, expect, it } from "vitest";

import { unwrap, unwrapOptional } from "./call";

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

describe("unwrapOptional", () => {
  const notFound = { status: 404, code: "not_found", detail: "Inbox not found." };

  it("gives the data of a 2xx, and null for a 404", async () => {
    await expect(unwrapOptional(Promise.resolve({ data: { id: 1 }, response: new Response(null, { status: 200 }) }))).resolves.toEqual({
      id: 1,
    });
    await expect(unwrapOptional(Promise.resolve({ error: notFound, response: new Response(null, { status: 404 }) }))).resolves.toBeNull();
  });

  it("throws any other failure", async () => {
    const error = { status: 403, code: "forbidden", detail: "no" };
    await expect(unwrapOptional(Promise.resolve({ error, response: new Response(null, { status: 403 }) }))).rejects.toMatchObject({
      statusCode: 403,
    });
  });
});

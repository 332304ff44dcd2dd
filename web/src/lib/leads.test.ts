import { describe, expect, it } from "vitest";

import { exportUrl, formToPayload, isStaleWrite, leadName } from "./leads";

describe("leadName", () => {
  const none = { first_name: null, last_name: null, company: null, email: null, phone: null };
  it("prefers the name, then company, email and phone", () => {
    expect(leadName({ ...none, first_name: "Ada", last_name: "Lovelace", company: "Acme" })).toBe("Ada Lovelace");
    expect(leadName({ ...none, company: "Acme", email: "a@b.c" })).toBe("Acme");
    expect(leadName({ ...none, phone: "+40722123456" })).toBe("+40722123456");
    expect(leadName(none)).toBe("(no name)");
  });
});

describe("formToPayload", () => {
  it("sends empty text as null, trims, and reads the score as a number", () => {
    expect(formToPayload({ first_name: " Ada ", email: "", score: "42", version: 3 })).toEqual({
      first_name: "Ada",
      email: null,
      score: 42,
      version: 3,
    });
  });
});

describe("isStaleWrite", () => {
  it("is a 409 version_conflict or a 412, not another conflict", () => {
    expect(isStaleWrite({ statusCode: 409, message: "x", code: "version_conflict" })).toBe(true);
    expect(isStaleWrite({ statusCode: 412, message: "x", code: "precondition_failed" })).toBe(true);
    expect(isStaleWrite({ statusCode: 409, message: "x", code: "duplicate_email" })).toBe(false);
    expect(isStaleWrite(new Error("boom"))).toBe(false);
  });
});

describe("exportUrl", () => {
  it("carries the filters, search and sort, without paging", () => {
    const url = exportUrl(
      [
        { field: "status", operator: "eq", value: "New" },
        { field: "q", operator: "eq", value: "acme" },
      ],
      [{ field: "created_at", order: "desc" }],
    );
    const params = new URL(url, "http://x").searchParams;
    expect(url.startsWith("/api/v1/leads/export.csv?")).toBe(true);
    expect(params.get("filters[0][field]")).toBe("status");
    expect(params.get("filters[0][value]")).toBe("New");
    expect(params.get("q")).toBe("acme");
    expect(params.get("sorters[0][order]")).toBe("desc");
    expect([...params.keys()].some((k) => k.startsWith("pagination"))).toBe(false);
  });

  it("is the bare export without any", () => {
    expect(exportUrl([], [])).toBe("/api/v1/leads/export.csv");
  });
});

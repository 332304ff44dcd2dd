import { describe, expect, it } from "vitest";

import { exportUrl, formToPayload, isStaleWrite, leadName, leadsListQuery } from "./leads";

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

describe("leadsListQuery", () => {
  it("is the list's filters and search as the list sends them, without paging or sort", () => {
    const query = leadsListQuery([
      { field: "status", operator: "eq", value: "new" },
      { field: "score", operator: "gte", value: "50" },
      { field: "q", operator: "eq", value: "acme & co" },
    ]);
    expect(query).toBe(
      "filters[0][field]=status&filters[0][operator]=eq&filters[0][value]=new" +
        "&filters[1][field]=score&filters[1][operator]=gte&filters[1][value]=50&q=acme%20%26%20co",
    );
  });

  it("keeps nested groups and array values in the list's bracket encoding", () => {
    const params = new URLSearchParams(
      leadsListQuery([
        {
          operator: "or",
          key: "any",
          value: [
            { field: "status", operator: "in", value: ["new", "won"] },
            { field: "owner_id", operator: "null", value: true },
          ],
        },
      ]),
    );
    expect(params.get("filters[0][operator]")).toBe("or");
    expect(params.get("filters[0][value][0][value][1]")).toBe("won");
    expect(params.get("filters[0][value][1][operator]")).toBe("null");
    expect(params.has("filters[0][value][1][value]")).toBe(false);
    expect(params.has("filters[0][key]")).toBe(false);
  });

  it("is only the search when nothing else is set, and empty without either", () => {
    expect(leadsListQuery([{ field: "q", operator: "eq", value: "Octavia" }])).toBe("q=Octavia");
    expect(leadsListQuery([{ field: "q", operator: "eq", value: "" }])).toBe("");
    expect(leadsListQuery([])).toBe("");
  });
});

import { describe, expect, it } from "vitest";

import { csvHeader, guessField, IMPORTABLE_FIELDS, mappingJson } from "./csv";

describe("IMPORTABLE_FIELDS", () => {
  it("are the lead fields the API declares importable", () => {
    expect(IMPORTABLE_FIELDS).toContain("email");
    expect(IMPORTABLE_FIELDS).toContain("tags");
    // Read-only and placement fields are not fed by a column.
    expect(IMPORTABLE_FIELDS).not.toContain("id");
    expect(IMPORTABLE_FIELDS).not.toContain("stage_id");
  });
});

describe("csvHeader", () => {
  it("reads the first record, with quotes, a BOM and CRLF", () => {
    expect(csvHeader('\uFEFFFirst Name,"Email, work","say ""hi"""\r\nAda,a@b.c,x\r\n')).toEqual([
      "First Name",
      "Email, work",
      'say "hi"',
    ]);
    expect(csvHeader("a,b")).toEqual(["a", "b"]);
    expect(csvHeader("")).toEqual([]);
  });
});

describe("guessField", () => {
  it("matches columns named like fields, as the server does", () => {
    expect(guessField("First Name")).toBe("first_name");
    expect(guessField(" email ")).toBe("email");
    expect(guessField("last-name")).toBe("last_name");
    expect(guessField("Favourite colour")).toBe("");
  });
});

describe("mappingJson", () => {
  it("leaves out the columns not imported", () => {
    expect(JSON.parse(mappingJson({ "First Name": "first_name", Notes: "", Mail: "email" }))).toEqual({
      "First Name": "first_name",
      Mail: "email",
    });
  });
});

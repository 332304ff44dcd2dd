import { describe, expect, it } from "vitest";

import { sqlTokens } from "./sql";

describe("sqlTokens", () => {
  it("tells keywords, strings, quoted names, numbers and comments apart and keeps every character", () => {
    const sql = `SELECT "order", 'it''s' AS x -- note\nFROM silver.orders WHERE n > 2.5`;
    const found = sqlTokens(sql);
    expect(found.map((t) => t.text).join("")).toBe(sql);
    const kind = (text: string) => found.find((t) => t.text === text)?.kind;
    expect(kind("SELECT")).toBe("keyword");
    expect(kind(`"order"`)).toBe("ident");
    expect(kind(`'it''s'`)).toBe("string");
    expect(kind("-- note")).toBe("comment");
    expect(kind("2.5")).toBe("number");
    expect(kind("orders")).toBe("plain");
  });
});

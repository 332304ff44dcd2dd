import { describe, expect, it } from "vitest";

import { toHttpError } from "../api/problem";
import { definitionErrorsOf, parseJsonObject, stateOfPath, statesInError } from "./flows";

describe("parseJsonObject", () => {
  it("reads a JSON object", () => {
    expect(parseJsonObject('{"n": 3, "tags": ["a"]}')).toEqual({ ok: true, value: { n: 3, tags: ["a"] } });
  });

  it("refuses what is not JSON, or not an object, saying why", () => {
    const bad = parseJsonObject("{n: 3}");
    expect(bad.ok).toBe(false);
    expect(!bad.ok && bad.message).toMatch(/^Not valid JSON/);
    expect(parseJsonObject("[1]")).toEqual({ ok: false, message: "Must be a JSON object ({…}), not an array." });
    expect(parseJsonObject("null")).toEqual({ ok: false, message: "Must be a JSON object ({…}), not null." });
    expect(parseJsonObject('"x"')).toEqual({ ok: false, message: "Must be a JSON object ({…}), not string." });
  });

  it("takes an empty text as the default given, or refuses it", () => {
    expect(parseJsonObject("  ", {})).toEqual({ ok: true, value: {} });
    expect(parseJsonObject("")).toEqual({ ok: false, message: "Enter a JSON object." });
  });
});

describe("stateOfPath", () => {
  it("names the innermost state of a JSON pointer", () => {
    expect(stateOfPath("/States/Load/Next")).toBe("Load");
    expect(stateOfPath("/States/Load")).toBe("Load");
    expect(stateOfPath("/States/Fan/Branches/0/States/Inner/Retry/0/BackoffRate")).toBe("Inner");
    expect(stateOfPath("/States/a~1b/Next")).toBe("a/b");
    expect(stateOfPath("/StartAt")).toBeNull();
    expect(stateOfPath("/States")).toBeNull();
  });
});

describe("definitionErrorsOf", () => {
  it("lists a refused definition's errors with their path and state", () => {
    const error = toHttpError(422, {
      status: 422,
      code: "validation_failed",
      title: "Validation failed",
      errors: {
        name: ["is used by another flow"],
        "definition/StartAt": ['StartAt "Nope" is not a state of this scope'],
        "definition/States/A/Next": ['"Missing" is not a state of this scope', "and another"],
      },
    });
    const found = definitionErrorsOf(error);
    expect(found).toEqual([
      { path: "/StartAt", state: null, message: 'StartAt "Nope" is not a state of this scope' },
      { path: "/States/A/Next", state: "A", message: '"Missing" is not a state of this scope' },
      { path: "/States/A/Next", state: "A", message: "and another" },
    ]);
    expect([...statesInError(found)]).toEqual(["A"]);
  });

  it("finds none in another failure", () => {
    expect(definitionErrorsOf(toHttpError(500, null))).toEqual([]);
    expect(definitionErrorsOf(new Error("boom"))).toEqual([]);
  });
});

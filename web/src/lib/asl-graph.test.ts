import { describe, expect, it } from "vitest";

import { aslGraph, describeRule, layoutAsl, STATE_WIDTH, stateHeight } from "./asl-graph";

/** Every kind of way out: Next, Choice rules and Default, Catch; a Parallel and a Map. */
const PIPELINE = {
  StartAt: "Ingest",
  States: {
    Ingest: {
      Type: "Task",
      Resource: "airbyte:sync",
      Catch: [{ ErrorEquals: ["States.Timeout", "States.TaskFailed"], Next: "Failed" }],
      Next: "HasData",
    },
    HasData: {
      Type: "Choice",
      Choices: [
        { Variable: "$.rows", NumericGreaterThan: 0, Next: "Fan" },
        { Variable: "$.retry", BooleanEquals: true, Next: "Ingest" },
      ],
      Default: "NoData",
    },
    Fan: {
      Type: "Parallel",
      Branches: [
        { StartAt: "A", States: { A: { Type: "Pass", End: true } } },
        { StartAt: "B1", States: { B1: { Type: "Pass", Next: "B2" }, B2: { Type: "Pass", End: true } } },
      ],
      Next: "Each",
    },
    Each: {
      Type: "Map",
      ItemProcessor: { StartAt: "Score", States: { Score: { Type: "Task", Resource: "x", End: true } } },
      End: true,
    },
    NoData: { Type: "Succeed" },
    Failed: { Type: "Fail", Error: "Pipeline.Failed" },
  },
};

const edgesOf = (definition: unknown) =>
  aslGraph(definition).edges.map((e) => [e.source, e.target, e.kind, e.label]);

describe("aslGraph", () => {
  it("makes a node per top-level state, with its type, the start and the ends", () => {
    const { states } = aslGraph(PIPELINE);
    expect(states.map((s) => [s.name, s.type, s.start, s.end])).toEqual([
      ["Ingest", "Task", true, false],
      ["HasData", "Choice", false, false],
      ["Fan", "Parallel", false, false],
      ["Each", "Map", false, true],
      ["NoData", "Succeed", false, true],
      ["Failed", "Fail", false, true],
    ]);
  });

  it("draws Next, each Choice rule with its condition, Default and Catch with its errors", () => {
    expect(edgesOf(PIPELINE)).toEqual([
      ["Ingest", "HasData", "next", null],
      ["Ingest", "Failed", "catch", "Catch States.Timeout, States.TaskFailed"],
      ["HasData", "Fan", "choice", "$.rows > 0"],
      ["HasData", "Ingest", "choice", "$.retry == true"],
      ["HasData", "NoData", "default", "Default"],
      ["Fan", "Each", "next", null],
    ]);
  });

  it("lists a Parallel's branches and a Map's item states inside their node", () => {
    const { states } = aslGraph(PIPELINE);
    expect(states.find((s) => s.name === "Fan")?.nested).toEqual([
      { title: "Branch 1", states: ["A"] },
      { title: "Branch 2", states: ["B1", "B2"] },
    ]);
    expect(states.find((s) => s.name === "Each")?.nested).toEqual([{ title: "Each item", states: ["Score"] }]);
    // The older Iterator field is read too.
    const legacy = aslGraph({ StartAt: "M", States: { M: { Type: "Map", Iterator: { States: { X: { Type: "Pass" } } } } } });
    expect(legacy.states[0]?.nested).toEqual([{ title: "Each item", states: ["X"] }]);
  });

  it("keeps ids unique when two ways out lead to the same state", () => {
    const { edges } = aslGraph({
      StartAt: "C",
      States: { C: { Type: "Choice", Choices: [{ Variable: "$.a", IsPresent: true, Next: "E" }], Default: "E" }, E: { Type: "Succeed" } },
    });
    expect(edges).toHaveLength(2);
    expect(new Set(edges.map((e) => e.id)).size).toBe(2);
  });

  it("leaves out what an invalid definition cannot say, without throwing", () => {
    expect(aslGraph(null)).toEqual({ states: [], edges: [] });
    expect(aslGraph({ States: [] })).toEqual({ states: [], edges: [] });
    const broken = aslGraph({ StartAt: "A", States: { A: { Type: "Pass", Next: "Missing" }, B: "not a state" } });
    expect(broken.states.map((s) => s.name)).toEqual(["A"]);
    expect(broken.edges).toEqual([]);
  });
});

describe("describeRule", () => {
  it("says comparisons, paths, type tests, And/Or/Not and JSONata conditions in words", () => {
    expect(describeRule({ Variable: "$.n", NumericLessThanEquals: 3 })).toBe("$.n <= 3");
    expect(describeRule({ Variable: "$.s", StringEquals: "ok" })).toBe('$.s == "ok"');
    expect(describeRule({ Variable: "$.a", NumericGreaterThanPath: "$.b" })).toBe("$.a > $.b");
    expect(describeRule({ Variable: "$.name", StringMatches: "log-*" })).toBe('$.name matches "log-*"');
    expect(describeRule({ Variable: "$.x", IsPresent: false })).toBe("$.x is absent");
    expect(
      describeRule({
        And: [{ Variable: "$.a", IsNull: false }, { Not: { Variable: "$.b", TimestampLessThan: "2026-01-01T00:00:00Z" } }],
      }),
    ).toBe('$.a is not null and not ($.b < "2026-01-01T00:00:00Z")');
    expect(describeRule({ Or: [{ Variable: "$.a", BooleanEquals: true }, { Variable: "$.b", BooleanEquals: false }] })).toBe(
      "$.a == true or $.b == false",
    );
    expect(describeRule({ Condition: "{% $states.input.n > 1 %}" })).toBe("{% $states.input.n > 1 %}");
  });

  it("shortens a long label on the edge", () => {
    const [edge] = aslGraph({
      StartAt: "C",
      States: {
        C: { Type: "Choice", Choices: [{ Variable: "$.a.very.long.path.into.the.input", StringEquals: "a long value", Next: "E" }] },
        E: { Type: "Succeed" },
      },
    }).edges;
    expect(edge?.label).toHaveLength(40);
    expect(edge?.label?.endsWith("…")).toBe(true);
  });
});

describe("layoutAsl", () => {
  it("lays the states out top to bottom along their edges, without overlaps", () => {
    const layout = layoutAsl(aslGraph(PIPELINE));
    const at = Object.fromEntries(layout.states.map((p) => [p.state.name, p]));
    expect(at.Ingest!.y).toBeLessThan(at.HasData!.y);
    expect(at.HasData!.y).toBeLessThan(at.Fan!.y);
    expect(at.Fan!.y).toBeLessThan(at.Each!.y);
    for (const a of layout.states) {
      for (const b of layout.states) {
        if (a === b) continue;
        const apart = a.x + a.width <= b.x || b.x + b.width <= a.x || a.y + a.height <= b.y || b.y + b.height <= a.y;
        expect(apart, `${a.state.name} overlaps ${b.state.name}`).toBe(true);
      }
    }
    expect(layout.width).toBeGreaterThanOrEqual(STATE_WIDTH);
  });

  it("makes a Parallel's node taller for its listed states", () => {
    const { states } = aslGraph(PIPELINE);
    const fan = states.find((s) => s.name === "Fan")!;
    const pass = states.find((s) => s.name === "NoData")!;
    // Two titles and three states.
    expect(stateHeight(fan) - stateHeight(pass)).toBe(5 * 16);
  });

  it("lays out nothing for an empty definition", () => {
    expect(layoutAsl(aslGraph({}))).toEqual({ states: [], edges: [], width: 0, height: 0 });
  });
});

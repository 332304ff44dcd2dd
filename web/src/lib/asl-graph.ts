// An Amazon States Language definition as a graph of its top-level states, laid out top to
// bottom by dagre as the Step Functions console draws it: one node per state (its name and
// type; a Parallel's branches and a Map's item states listed inside it), and an edge for each
// way out: `Next`, a Choice rule (labelled with its condition), a Choice's `Default`, a
// `Catch` (labelled with the errors it catches). A definition being edited may be invalid:
// whatever cannot be read is left out (the server's validation names it), never thrown.
import dagre from "@dagrejs/dagre";

export type EdgeKind = "next" | "choice" | "default" | "catch";

export interface NestedStates {
  /** "Branch 1", "Each item". */
  title: string;
  states: string[];
}

export interface AslState {
  name: string;
  type: string;
  /** The definition's `StartAt`. */
  start: boolean;
  /** Ends the execution: `End: true`, or a Succeed or Fail state. */
  end: boolean;
  /** A Parallel's branches, a Map's item processor. */
  nested: NestedStates[];
}

export interface AslEdge {
  id: string;
  source: string;
  target: string;
  kind: EdgeKind;
  label: string | null;
}

export interface AslGraph {
  states: AslState[];
  edges: AslEdge[];
}

const LABEL_MAX = 40;

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json => typeof value === "object" && value !== null && !Array.isArray(value);
const str = (value: unknown) => (typeof value === "string" ? value : null);

/** The definition's `States`, in order, as name -> state object (non-objects dropped). */
function statesOf(scope: unknown): [string, Json][] {
  if (!isObject(scope) || !isObject(scope.States)) return [];
  return Object.entries(scope.States).filter((entry): entry is [string, Json] => isObject(entry[1]));
}

function nestedOf(state: Json): NestedStates[] {
  if (state.Type === "Parallel" && Array.isArray(state.Branches)) {
    return state.Branches.map((branch, i) => ({ title: `Branch ${i + 1}`, states: statesOf(branch).map(([n]) => n) }));
  }
  if (state.Type === "Map") {
    // ItemProcessor since 2022; Iterator before.
    const processor = state.ItemProcessor ?? state.Iterator;
    return [{ title: "Each item", states: statesOf(processor).map(([n]) => n) }];
  }
  return [];
}

export function aslGraph(definition: unknown): AslGraph {
  const entries = statesOf(definition);
  const names = new Set(entries.map(([name]) => name));
  const startAt = isObject(definition) ? str(definition.StartAt) : null;
  const states: AslState[] = entries.map(([name, state]) => {
    const type = str(state.Type) ?? "?";
    return {
      name,
      type,
      start: name === startAt,
      end: state.End === true || type === "Succeed" || type === "Fail",
      nested: nestedOf(state),
    };
  });

  const edges: AslEdge[] = [];
  const add = (source: string, target: unknown, kind: EdgeKind, label: string | null) => {
    if (typeof target !== "string" || !names.has(target)) return;
    edges.push({ id: `${source}->${target}#${kind}${edges.length}`, source, target, kind, label });
  };
  for (const [name, state] of entries) {
    add(name, state.Next, "next", null);
    if (Array.isArray(state.Choices)) {
      for (const rule of state.Choices) if (isObject(rule)) add(name, rule.Next, "choice", shorten(describeRule(rule)));
    }
    add(name, state.Default, "default", "Default");
    if (Array.isArray(state.Catch)) {
      for (const catcher of state.Catch) {
        if (!isObject(catcher)) continue;
        const errors = Array.isArray(catcher.ErrorEquals) ? catcher.ErrorEquals.filter((e) => typeof e === "string") : [];
        add(name, catcher.Next, "catch", shorten(`Catch ${errors.join(", ") || "?"}`));
      }
    }
  }
  return { states, edges };
}

function shorten(text: string): string {
  return text.length > LABEL_MAX ? `${text.slice(0, LABEL_MAX - 1)}…` : text;
}

const COMPARISONS: [suffix: string, symbol: string][] = [
  ["GreaterThanEquals", ">="],
  ["LessThanEquals", "<="],
  ["GreaterThan", ">"],
  ["LessThan", "<"],
  ["Equals", "=="],
  ["Matches", "matches"],
];
const TYPE_TESTS: Record<string, [string, string]> = {
  IsPresent: ["is present", "is absent"],
  IsNull: ["is null", "is not null"],
  IsString: ["is a string", "is not a string"],
  IsNumeric: ["is a number", "is not a number"],
  IsBoolean: ["is a boolean", "is not a boolean"],
  IsTimestamp: ["is a timestamp", "is not a timestamp"],
};

/** A Choice rule in words: `$.n > 1`, `$.a == "x" and not ($.b is present)`, or its JSONata
 * `Condition`. */
export function describeRule(rule: Json): string {
  if (typeof rule.Condition === "string") return rule.Condition;
  if (Array.isArray(rule.And)) return rule.And.filter(isObject).map(describeRule).join(" and ");
  if (Array.isArray(rule.Or)) return rule.Or.filter(isObject).map(describeRule).join(" or ");
  if (isObject(rule.Not)) return `not (${describeRule(rule.Not)})`;
  const variable = str(rule.Variable) ?? "?";
  for (const [key, value] of Object.entries(rule)) {
    const test = TYPE_TESTS[key];
    if (test) return `${variable} ${value === false ? test[1] : test[0]}`;
    const byPath = key.endsWith("Path");
    const operator = byPath ? key.slice(0, -"Path".length) : key;
    const comparison = COMPARISONS.find(([suffix]) => operator.endsWith(suffix));
    if (!comparison || !/^(String|Numeric|Boolean|Timestamp)/.test(operator)) continue;
    const operand = byPath ? String(value) : JSON.stringify(value);
    return `${variable} ${comparison[1]} ${operand}`;
  }
  return "rule";
}

export const STATE_WIDTH = 200;
const STATE_HEIGHT = 56;
const NESTED_LINE = 16;
const RANK_GAP = 56;
const NODE_GAP = 40;

export interface PlacedState {
  state: AslState;
  /** Top-left corner, as React Flow places nodes. */
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface AslLayout {
  states: PlacedState[];
  edges: AslEdge[];
  width: number;
  height: number;
}

/** A node's height: a Parallel or Map grows with the list of its nested states. */
export function stateHeight(state: AslState): number {
  const lines = state.nested.reduce((sum, group) => sum + 1 + group.states.length, 0);
  return STATE_HEIGHT + lines * NESTED_LINE;
}

export function layoutAsl({ states, edges }: AslGraph): AslLayout {
  const graph = new dagre.graphlib.Graph();
  graph.setGraph({ rankdir: "TB", nodesep: NODE_GAP, ranksep: RANK_GAP });
  graph.setDefaultEdgeLabel(() => ({}));
  for (const state of states) graph.setNode(state.name, { width: STATE_WIDTH, height: stateHeight(state) });
  // One edge a pair is enough to rank them; a loop back to itself does not rank anything.
  for (const edge of edges) if (edge.source !== edge.target) graph.setEdge(edge.source, edge.target);
  dagre.layout(graph);

  const placed = states.map((state) => {
    const { x, y, width, height } = graph.node(state.name) as { x: number; y: number; width: number; height: number };
    return { state, x: x - width / 2, y: y - height / 2, width, height };
  });
  const width = placed.length === 0 ? 0 : Math.max(...placed.map((p) => p.x + p.width));
  const height = placed.length === 0 ? 0 : Math.max(...placed.map((p) => p.y + p.height));
  return { states: placed, edges, width, height };
}

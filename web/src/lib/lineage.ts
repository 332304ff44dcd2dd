// The lineage graph of a project laid out left to right. dagre ranks the nodes along their
// edges and orders each rank so that edges cross as little as possible; each layer then gets
// its own band of columns, bronze -> silver -> gold -> destination, so that a silver table
// with no upstream yet still sits right of bronze, and a chain inside one layer (silver feeding
// silver) spreads over that layer's columns. No position is placed by hand.
import dagre from "@dagrejs/dagre";

export const LAYERS = ["bronze", "silver", "gold", "destination"] as const;
export type Layer = (typeof LAYERS)[number];

export const NODE_WIDTH = 208;
export const NODE_HEIGHT = 64;
const COLUMN_GAP = 72;
const ROW_GAP = 20;

export interface LineageInput<N> {
  trees: Record<Layer, N[]>;
  edges: { from: string; to: string }[];
}

export interface PlacedNode<N> {
  id: string;
  layer: Layer;
  /** Top-left corner, as React Flow places nodes. */
  x: number;
  y: number;
  node: N;
}

export interface LineageLayout<N> {
  nodes: PlacedNode<N>[];
  /** The edges between known nodes, each once, with a stable id. */
  edges: { id: string; source: string; target: string }[];
  /** Where each layer's band of columns starts and how wide it is, for the headings. */
  bands: { layer: Layer; x: number; width: number }[];
  /** From the top of the highest node to the bottom of the lowest. */
  height: number;
}

export function layoutLineage<N extends { id: string }>({ trees, edges }: LineageInput<N>): LineageLayout<N> {
  const byId = new Map<string, { layer: Layer; node: N }>();
  for (const layer of LAYERS) {
    for (const node of trees[layer] ?? []) if (!byId.has(node.id)) byId.set(node.id, { layer, node });
  }
  const links = new Map<string, { id: string; source: string; target: string }>();
  for (const { from, to } of edges) {
    const id = `${from}->${to}`;
    if (from !== to && byId.has(from) && byId.has(to) && !links.has(id)) links.set(id, { id, source: from, target: to });
  }

  const graph = new dagre.graphlib.Graph();
  graph.setGraph({ rankdir: "LR", nodesep: ROW_GAP, ranksep: COLUMN_GAP });
  graph.setDefaultEdgeLabel(() => ({}));
  for (const id of byId.keys()) graph.setNode(id, { width: NODE_WIDTH, height: NODE_HEIGHT });
  for (const { source, target } of links.values()) graph.setEdge(source, target);
  dagre.layout(graph);

  // dagre's rank of a node shows as its x (ranks are columns in a left-to-right layout).
  const centre = (id: string) => graph.node(id) as { x: number; y: number };
  const rankXs = [...new Set([...byId.keys()].map((id) => centre(id).x))].sort((a, b) => a - b);
  const rankOf = (id: string) => rankXs.indexOf(centre(id).x);

  const column = new Map<string, number>();
  const bands: LineageLayout<N>["bands"] = [];
  let next = 0;
  for (const layer of LAYERS) {
    const ids = [...byId].filter(([, v]) => v.layer === layer).map(([id]) => id);
    const ranks = [...new Set(ids.map(rankOf))].sort((a, b) => a - b);
    for (const id of ids) column.set(id, next + ranks.indexOf(rankOf(id)));
    // An empty layer keeps one column, so the flow always reads bronze to destination.
    const width = Math.max(ranks.length, 1);
    bands.push({ layer, x: next * (NODE_WIDTH + COLUMN_GAP), width: width * NODE_WIDTH + (width - 1) * COLUMN_GAP });
    next += width;
  }

  const top = Math.min(...[...byId.keys()].map((id) => centre(id).y));
  const nodes = [...byId].map(([id, { layer, node }]) => ({
    id,
    layer,
    x: (column.get(id) ?? 0) * (NODE_WIDTH + COLUMN_GAP),
    y: centre(id).y - top,
    node,
  }));
  const height = nodes.length === 0 ? 0 : Math.max(...nodes.map((n) => n.y)) + NODE_HEIGHT;
  return { nodes, edges: [...links.values()], bands, height };
}

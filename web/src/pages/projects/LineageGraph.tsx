// The project's three trees (bronze, silver, gold) and its destinations drawn as one lineage
// graph with React Flow, laid out by dagre (src/lib/lineage.ts). Each node is a button in its
// status colour (legend below); it opens the node's side panel. Nodes are not dragged or
// connected here: the tree is written through the API (PUT /tree).
import {
  Background,
  Controls,
  Handle,
  Position,
  ReactFlow,
  useReactFlow,
  useStore,
  type Edge,
  type Node,
  type NodeProps,
  type NodeTypes,
} from "@xyflow/react";
import "@xyflow/react/dist/style.css";
import { useEffect, useMemo } from "react";

import { layoutLineage, NODE_HEIGHT, NODE_WIDTH, type Layer } from "../../lib/lineage";
import { NODE_STATUSES, statusLook } from "../../lib/node-status";
import type { ProjectState, StateNode } from "../../lib/project-state";

type LineageNode = Node<{ node: StateNode; selected: boolean }, "lineage">;
type BandNode = Node<{ layer: Layer }, "band">;

const BAND_HEADING_OFFSET = 40;
const LAYER_NAMES: Record<Layer, string> = { bronze: "Bronze", silver: "Silver", gold: "Gold", destination: "Destination" };

/** `Orders clean (silver table): Failed`: what the node is and how it stands, for everyone. */
function nodeLabel(node: StateNode): string {
  return `${node.name} (${node.layer} ${node.kind}): ${statusLook(node.status).label}`;
}

// The node is a button for the keyboard and screen readers; its click (a pointer's, or Enter
// and Space on the button) reaches React Flow's onNodeClick, which opens the panel. React Flow
// lets pointer events through to nodes only when it has a click handler for them.
function LineageNodeView({ data: { node, selected } }: NodeProps<LineageNode>) {
  const look = statusLook(node.status);
  return (
    <>
      <Handle type="target" position={Position.Left} isConnectable={false} className="!border-0 !bg-slate-300" />
      <button
        type="button"
        aria-label={nodeLabel(node)}
        aria-expanded={selected}
        aria-controls={selected ? "node-panel" : undefined}
        data-status={node.status}
        style={{ borderColor: look.colour, width: NODE_WIDTH, height: NODE_HEIGHT }}
        className={`flex flex-col justify-center gap-0.5 rounded-lg border-2 bg-white px-3 text-left shadow-sm hover:bg-slate-50 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600 ${
          selected ? "ring-2 ring-indigo-300" : ""
        }`}
      >
        <span className="flex items-center gap-2">
          <span
            aria-hidden="true"
            className={`h-2.5 w-2.5 shrink-0 rounded-full ${look.pulse ? "motion-safe:animate-pulse" : ""}`}
            style={{ backgroundColor: look.colour }}
          />
          <span className="truncate text-sm font-medium">{node.name}</span>
        </span>
        <span className="truncate text-xs text-slate-500" aria-hidden="true">
          {node.kind} · <span style={{ color: look.colour }}>{look.label}</span>
        </span>
      </button>
      <Handle type="source" position={Position.Right} isConnectable={false} className="!border-0 !bg-slate-300" />
    </>
  );
}

function BandView({ data: { layer } }: NodeProps<BandNode>) {
  return (
    <p className="text-xs font-semibold tracking-wide text-slate-500 uppercase" aria-hidden="true">
      {LAYER_NAMES[layer]}
    </p>
  );
}

const nodeTypes: NodeTypes = { lineage: LineageNodeView, band: BandView };

// Framed with some room, never enlarged past its natural size (a small tree stays legible
// without filling the screen).
const FIT = { padding: 0.15, maxZoom: 1 };
const MIN_HEIGHT = 256;
const MAX_HEIGHT = 640;

/** Frames the whole tree again when the graph's box changes size (the side panel opens
 * beside it, the window is resized), so no layer ends up outside the view. */
function KeepInView() {
  const width = useStore((s) => s.width);
  const height = useStore((s) => s.height);
  const { fitView } = useReactFlow();
  useEffect(() => {
    if (width > 0 && height > 0) void fitView(FIT);
  }, [width, height, fitView]);
  return null;
}

interface LineageGraphProps {
  state: ProjectState;
  selected: string | null;
  onOpen: (nodeId: string) => void;
}

export function LineageGraph({ state, selected, onOpen }: LineageGraphProps) {
  const layout = useMemo(() => layoutLineage({ trees: state.trees, edges: state.edges }), [state.trees, state.edges]);
  const status = useMemo(() => new Map(layout.nodes.map((n) => [n.id, n.node.status])), [layout]);

  const nodes = useMemo<(LineageNode | BandNode)[]>(
    () => [
      ...layout.bands.map(
        (band): BandNode => ({
          id: `band:${band.layer}`,
          type: "band",
          position: { x: band.x, y: -BAND_HEADING_OFFSET },
          data: { layer: band.layer },
          selectable: false,
          focusable: false,
          width: band.width,
        }),
      ),
      ...layout.nodes.map(
        (placed): LineageNode => ({
          id: placed.id,
          type: "lineage",
          position: { x: placed.x, y: placed.y },
          data: { node: placed.node, selected: placed.id === selected },
          focusable: false,
          width: NODE_WIDTH,
          height: NODE_HEIGHT,
        }),
      ),
    ],
    [layout, selected],
  );
  const edges = useMemo<Edge[]>(
    () =>
      layout.edges.map((e) => ({
        ...e,
        // Data flows out of a running node.
        animated: status.get(e.source) === "RUNNING",
        focusable: false,
        style: { stroke: "#94a3b8", strokeWidth: 1.5 },
      })),
    [layout, status],
  );
  // A new shape of the tree is framed afresh; a status change keeps the user's zoom.
  const shape = layout.nodes.map((n) => n.id).join(",");
  // As tall as the tree (with its headings and the controls), within bounds.
  const height = Math.min(Math.max(layout.height + BAND_HEADING_OFFSET + 80, MIN_HEIGHT), MAX_HEIGHT);

  return (
    <div className="flex flex-col gap-2">
      <div
        role="group"
        aria-label="Lineage graph"
        className="overflow-hidden rounded-lg border border-slate-200 bg-slate-50"
        style={{ height }}
      >
        {layout.nodes.length === 0 ? (
          <p className="p-6 text-sm text-slate-500">
            This project has no tree yet. It is written through the API: <code>PUT /api/v1/projects/{"{id}"}/tree</code>.
          </p>
        ) : (
          <ReactFlow
            key={shape}
            nodes={nodes}
            edges={edges}
            nodeTypes={nodeTypes}
            onNodeClick={(_, clicked) => {
              if (clicked.type === "lineage") onOpen(clicked.id);
            }}
            fitView
            fitViewOptions={FIT}
            minZoom={0.2}
            nodesDraggable={false}
            nodesConnectable={false}
            nodesFocusable={false}
            edgesFocusable={false}
            elementsSelectable={false}
            panOnScroll
            zoomOnScroll={false}
          >
            <Background gap={24} color="#e2e8f0" />
            <Controls showInteractive={false} />
            <KeepInView />
          </ReactFlow>
        )}
      </div>
      <Legend />
    </div>
  );
}

function Legend() {
  return (
    <ul aria-label="Node status colours" className="flex flex-wrap gap-4 text-xs text-slate-600">
      {NODE_STATUSES.map((s) => {
        const look = statusLook(s);
        return (
          <li key={s} className="flex items-center gap-1.5">
            <span
              aria-hidden="true"
              className={`h-2.5 w-2.5 rounded-full ${look.pulse ? "motion-safe:animate-pulse" : ""}`}
              style={{ backgroundColor: look.colour }}
            />
            {look.label}
            <span className="text-slate-400">({s})</span>
          </li>
        );
      })}
    </ul>
  );
}

// A flow's definition drawn as its states, top to bottom, with React Flow (laid out by dagre in
// src/lib/asl-graph.ts): a node per state, labelled with its name and type (a Parallel's
// branches and a Map's item states listed inside it), and an edge per way out, labelled with
// its Choice rule or the errors a Catch takes. On the flow page the states a validation names
// are marked; on an execution's page each state takes the colour of its progress (legend
// below) and is a button opening its side panel.
import {
  Background,
  Controls,
  Handle,
  MarkerType,
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

import { aslGraph, layoutAsl, type AslEdge, type AslState } from "../../lib/asl-graph";
import { STATE_PROGRESS, stateLook, type Look } from "../../lib/execution-status";

export interface StateMark {
  progress: string;
  look: Look;
}

interface StateData extends Record<string, unknown> {
  state: AslState;
  mark: StateMark | undefined;
  inError: boolean;
  selected: boolean;
  clickable: boolean;
}
type StateNode = Node<StateData, "state">;

const NEUTRAL = "#475569";
const ERROR = "#dc2626";

function describe({ state, mark, inError }: StateData): string {
  const parts = [`${state.name} (${state.type})`];
  if (mark) parts.push(`: ${mark.look.label}`);
  if (inError) parts.push(": has errors");
  return parts.join("");
}

function StateNodeView({ data }: NodeProps<StateNode>) {
  const { state, mark, inError, selected, clickable } = data;
  const colour = inError ? ERROR : (mark?.look.colour ?? NEUTRAL);
  const body = (
    <>
      <span className="flex items-center gap-2">
        {mark && (
          <span
            aria-hidden="true"
            className={`h-2.5 w-2.5 shrink-0 rounded-full ${mark.look.pulse ? "motion-safe:animate-pulse" : ""}`}
            style={{ backgroundColor: mark.look.colour }}
          />
        )}
        <span className="truncate text-sm font-medium">{state.name}</span>
      </span>
      <span className="truncate text-xs text-slate-500" aria-hidden="true">
        {state.type}
        {state.start && " · start"}
        {state.end && " · end"}
        {mark && (
          <>
            {" · "}
            <span style={{ color: mark.look.colour }}>{mark.look.label}</span>
          </>
        )}
      </span>
      {state.nested.map((group) => (
        <span key={group.title} className="block text-xs text-slate-600" aria-hidden="true">
          <span className="font-semibold">{group.title}:</span> {group.states.join(" → ") || "—"}
        </span>
      ))}
    </>
  );
  const className = `flex h-full w-full flex-col justify-center gap-0.5 overflow-hidden rounded-lg border-2 bg-white px-3 text-left shadow-sm ${
    inError ? "border-dashed" : ""
  } ${selected ? "ring-2 ring-indigo-300" : ""}`;
  return (
    <>
      <Handle type="target" position={Position.Top} isConnectable={false} className="!border-0 !bg-slate-300" />
      {clickable ? (
        <button
          type="button"
          aria-label={describe(data)}
          aria-expanded={selected}
          aria-controls={selected ? "state-panel" : undefined}
          data-status={mark?.progress}
          style={{ borderColor: colour }}
          className={`${className} hover:bg-slate-50 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600`}
        >
          {body}
        </button>
      ) : (
        <div role="img" aria-label={describe(data)} data-error={inError || undefined} style={{ borderColor: colour }} className={className}>
          {body}
        </div>
      )}
      <Handle type="source" position={Position.Bottom} isConnectable={false} className="!border-0 !bg-slate-300" />
    </>
  );
}

const nodeTypes: NodeTypes = { state: StateNodeView };

const EDGE_LOOKS: Record<AslEdge["kind"], { stroke: string; dashed: boolean }> = {
  next: { stroke: "#94a3b8", dashed: false },
  choice: { stroke: "#6366f1", dashed: false },
  default: { stroke: "#94a3b8", dashed: true },
  catch: { stroke: "#f87171", dashed: true },
};

const FIT = { padding: 0.15, maxZoom: 1 };
const MIN_HEIGHT = 240;
const MAX_HEIGHT = 720;

/** Frames the graph again when its box changes size (a side panel opens beside it). */
function KeepInView() {
  const width = useStore((s) => s.width);
  const height = useStore((s) => s.height);
  const { fitView } = useReactFlow();
  useEffect(() => {
    if (width > 0 && height > 0) void fitView(FIT);
  }, [width, height, fitView]);
  return null;
}

interface StateGraphProps {
  definition: unknown;
  /** Each state's progress in an execution (colours the nodes); none on a flow's page. */
  markOf?: (stateName: string) => StateMark;
  /** States named by validation errors. */
  errors?: ReadonlySet<string>;
  selected?: string | null;
  onOpen?: (stateName: string) => void;
}

export function StateGraph({ definition, markOf, errors, selected = null, onOpen }: StateGraphProps) {
  const layout = useMemo(() => layoutAsl(aslGraph(definition)), [definition]);
  const nodes = useMemo<StateNode[]>(
    () =>
      layout.states.map((placed) => ({
        id: placed.state.name,
        type: "state",
        position: { x: placed.x, y: placed.y },
        data: {
          state: placed.state,
          mark: markOf?.(placed.state.name),
          inError: errors?.has(placed.state.name) ?? false,
          selected: placed.state.name === selected,
          clickable: Boolean(onOpen),
        },
        focusable: false,
        width: placed.width,
        height: placed.height,
      })),
    [layout, markOf, errors, selected, onOpen],
  );
  const edges = useMemo<Edge[]>(
    () =>
      layout.edges.map((e) => {
        const look = EDGE_LOOKS[e.kind];
        return {
          id: e.id,
          source: e.source,
          target: e.target,
          label: e.label ?? undefined,
          data: { kind: e.kind },
          className: `edge-${e.kind}`,
          focusable: false,
          markerEnd: { type: MarkerType.ArrowClosed, color: look.stroke },
          style: { stroke: look.stroke, strokeWidth: 1.5, ...(look.dashed && { strokeDasharray: "5 4" }) },
          labelStyle: { fontSize: 11, fill: "#334155" },
          labelBgStyle: { fill: "#f8fafc" },
        };
      }),
    [layout],
  );
  // A new shape is framed afresh; new colours keep the user's zoom.
  const shape = `${layout.states.map((s) => s.state.name).join(",")}|${layout.edges.length}`;
  const height = Math.min(Math.max(layout.height + 100, MIN_HEIGHT), MAX_HEIGHT);

  return (
    <div className="flex flex-col gap-2">
      <div
        role="group"
        aria-label="State graph"
        className="overflow-hidden rounded-lg border border-slate-200 bg-slate-50"
        style={{ height }}
      >
        {layout.states.length === 0 ? (
          <p className="p-6 text-sm text-slate-500">No states to draw: the definition has no readable `States`.</p>
        ) : (
          <ReactFlow
            key={shape}
            nodes={nodes}
            edges={edges}
            nodeTypes={nodeTypes}
            onNodeClick={onOpen ? (_, clicked) => onOpen(clicked.id) : undefined}
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
      {markOf && <Legend />}
    </div>
  );
}

function Legend() {
  return (
    <ul aria-label="State status colours" className="flex flex-wrap gap-4 text-xs text-slate-600">
      {STATE_PROGRESS.map((p) => {
        const look = stateLook(p);
        return (
          <li key={p} className="flex items-center gap-1.5">
            <span
              aria-hidden="true"
              className={`h-2.5 w-2.5 rounded-full ${look.pulse ? "motion-safe:animate-pulse" : ""}`}
              style={{ backgroundColor: look.colour }}
            />
            {look.label}
          </li>
        );
      })}
    </ul>
  );
}

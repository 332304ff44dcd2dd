// The pipeline as a kanban board: one column per stage, a card per lead. Dragging a card to
// another stage (pointer or keyboard, @dnd-kit) moves it at once on the screen, calls
// `POST /api/v1/leads/{id}/move`, and puts it back with a message if the server refuses.
import {
  DndContext,
  KeyboardSensor,
  PointerSensor,
  useDraggable,
  useDroppable,
  useSensor,
  useSensors,
  type DragEndEvent,
} from "@dnd-kit/core";
import { useGetIdentity, useInvalidate, useList, useNotification } from "@refinedev/core";
import { useState } from "react";
import { Link, useSearchParams } from "react-router";

import { unwrap } from "../../api/call";
import { api } from "../../api/instance";
import type { components } from "../../api/schema";
import { Alert } from "../../components/Alert";
import { Page } from "../../components/Page";
import { columns, moveRequest } from "../../lib/board";
import { leadName, type Lead } from "../../lib/leads";
import { holds } from "../../lib/scopes";
import type { Identity } from "../../providers/auth";
import { CreatePipelineForm } from "./CreatePipelineForm";

type Pipeline = components["schemas"]["Pipeline"];
type Stage = components["schemas"]["Stage"];

const BOARD_SIZE = 200;

export default function KanbanPage() {
  const { data: identity } = useGetIdentity<Identity>();
  const canWrite = holds(identity, "leads:write");
  const [params, setParams] = useSearchParams();
  const pipelines = useList<Pipeline>({
    resource: "pipelines",
    pagination: { mode: "off" },
    sorters: [{ field: "created_at", order: "asc" }],
  });
  const all = pipelines.result.data;
  const pipeline = all.find((p) => p.id === params.get("pipeline")) ?? all[0];

  return (
    <Page
      title="Pipeline"
      actions={
        all.length > 1 && (
          <label className="flex items-center gap-2 text-sm font-medium">
            Pipeline
            <select
              className="rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm"
              value={pipeline?.id ?? ""}
              onChange={(e) => setParams({ pipeline: e.target.value })}
            >
              {all.map((p) => (
                <option key={p.id} value={p.id}>
                  {p.name}
                </option>
              ))}
            </select>
          </label>
        )
      }
    >
      {pipelines.query.error && <Alert tone="error">{pipelines.query.error.message}</Alert>}
      {pipeline ? (
        <Board pipeline={pipeline} canWrite={canWrite} />
      ) : (
        !pipelines.query.isLoading && (
          <>
            <p className="text-sm text-slate-600">No pipeline yet.</p>
            {canWrite && <CreatePipelineForm />}
          </>
        )
      )}
    </Page>
  );
}

function Board({ pipeline, canWrite }: { pipeline: Pipeline; canWrite: boolean }) {
  const invalidate = useInvalidate();
  const { open } = useNotification();
  // Moves sent and not yet confirmed: lead id -> the stage it shows in meanwhile.
  const [pending, setPending] = useState<Record<string, string>>({});
  const leads = useList<Lead>({
    resource: "leads",
    pagination: { currentPage: 1, pageSize: BOARD_SIZE },
    filters: [{ field: "pipeline_id", operator: "eq", value: pipeline.id }],
    sorters: [{ field: "rank", order: "asc" }],
  });
  const sensors = useSensors(
    useSensor(PointerSensor, { activationConstraint: { distance: 5 } }),
    useSensor(KeyboardSensor),
  );
  const stages = [...pipeline.stages].sort((a, b) => a.position - b.position);
  const board = columns(leads.result.data, stages.map((s) => s.id), pending);
  const byId = new Map(leads.result.data.map((lead) => [lead.id, lead]));

  const settle = (leadId: string) =>
    setPending((current) => Object.fromEntries(Object.entries(current).filter(([id]) => id !== leadId)));

  const move = async (lead: Lead, stageId: string) => {
    const body = moveRequest(lead, stageId);
    if (!body || pending[lead.id]) return;
    setPending((p) => ({ ...p, [lead.id]: stageId }));
    try {
      await unwrap(api.POST("/api/v1/leads/{id}/move", { params: { path: { id: lead.id } }, body }));
      await invalidate({ resource: "leads", invalidates: ["list", "detail"], id: lead.id });
    } catch (error) {
      const stage = stages.find((s) => s.id === stageId)?.name ?? "that stage";
      open?.({
        type: "error",
        message: `${leadName(lead)} could not be moved to ${stage}: ${(error as Error).message}`,
        key: `move-${lead.id}`,
      });
    } finally {
      settle(lead.id);
    }
  };

  const onDragEnd = ({ active, over }: DragEndEvent) => {
    const lead = byId.get(String(active.id));
    if (lead && over) void move(lead, String(over.id));
  };

  const total = leads.result.total ?? 0;
  return (
    <>
      {leads.query.error && <Alert tone="error">{leads.query.error.message}</Alert>}
      {total > BOARD_SIZE && (
        <p className="text-sm text-slate-600">
          Showing the first {BOARD_SIZE} of {total} leads in this pipeline.
        </p>
      )}
      <DndContext sensors={sensors} onDragEnd={onDragEnd} accessibility={{ screenReaderInstructions: INSTRUCTIONS }}>
        <div className="flex gap-3 overflow-x-auto pb-2" aria-busy={leads.query.isLoading}>
          {stages.map((stage) => (
            <Column key={stage.id} stage={stage} leads={board.get(stage.id) ?? []} stages={stages} canWrite={canWrite} onMove={move} pending={pending} />
          ))}
        </div>
      </DndContext>
    </>
  );
}

const INSTRUCTIONS = {
  draggable:
    "To move a lead, press space or enter to pick it up, the arrow keys to carry it over another stage, space or enter to drop it there, or escape to cancel.",
};

interface ColumnProps {
  stage: Stage;
  stages: Stage[];
  leads: Lead[];
  canWrite: boolean;
  pending: Record<string, string>;
  onMove: (lead: Lead, stageId: string) => void;
}

function Column({ stage, stages, leads, canWrite, pending, onMove }: ColumnProps) {
  const { setNodeRef, isOver } = useDroppable({ id: stage.id });
  return (
    <section
      ref={setNodeRef}
      aria-label={`Stage ${stage.name}`}
      data-testid={`stage-${stage.name}`}
      className={`flex w-64 shrink-0 flex-col gap-2 rounded-lg border p-2 ${isOver ? "border-indigo-400 bg-indigo-50" : "border-slate-200 bg-slate-50"}`}
    >
      <h2 className="flex items-center justify-between px-1 text-sm font-semibold">
        {stage.name}
        <span className="text-xs font-normal text-slate-500">{leads.length}</span>
      </h2>
      <ul className="flex min-h-16 flex-col gap-2">
        {leads.map((lead) => (
          <Card key={lead.id} lead={lead} stages={stages} canWrite={canWrite} moving={pending[lead.id] !== undefined} onMove={onMove} />
        ))}
      </ul>
    </section>
  );
}

interface CardProps {
  lead: Lead;
  stages: Stage[];
  canWrite: boolean;
  moving: boolean;
  onMove: (lead: Lead, stageId: string) => void;
}

function Card({ lead, stages, canWrite, moving, onMove }: CardProps) {
  const { attributes, listeners, setNodeRef, transform, isDragging } = useDraggable({
    id: lead.id,
    disabled: !canWrite || moving,
  });
  const style = transform ? { transform: `translate3d(${transform.x}px, ${transform.y}px, 0)` } : undefined;
  const name = leadName(lead);
  return (
    <li
      ref={setNodeRef}
      style={style}
      aria-label={`Lead ${name}`}
      className={`flex gap-2 rounded-md border border-slate-200 bg-white p-2 text-sm shadow-xs ${isDragging ? "z-10 shadow-lg" : ""} ${moving ? "opacity-60" : ""}`}
    >
      {canWrite && (
        <button
          type="button"
          className="cursor-grab touch-none self-start rounded px-1 text-slate-400 hover:bg-slate-100 hover:text-slate-700"
          {...listeners}
          {...attributes}
          aria-label={`Drag ${name}`}
        >
          <span aria-hidden="true">⠿</span>
        </button>
      )}
      <div className="min-w-0 flex-1">
        <Link to={`/leads/${lead.id}`} className="font-medium text-indigo-700 hover:underline">
          {name}
        </Link>
        {lead.company && <p className="text-xs text-slate-600">{lead.company}</p>}
        {canWrite && (
          // The same move without dragging, for anyone who prefers a menu.
          <label className="mt-1 flex items-center gap-1 text-xs text-slate-600">
            <span className="sr-only">Move {name} to</span>
            <select
              className="rounded border border-slate-200 bg-white px-1 py-0.5 text-xs"
              value={lead.stage_id ?? ""}
              disabled={moving}
              onChange={(e) => onMove(lead, e.target.value)}
            >
              {stages.map((s) => (
                <option key={s.id} value={s.id}>
                  {s.name}
                </option>
              ))}
            </select>
          </label>
        )}
      </div>
    </li>
  );
}

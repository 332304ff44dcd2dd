// One execution (`/executions/:id`, lazy-loaded with React Flow and dagre), as the Step
// Functions console shows one: its status, flow and version, times, transitions, cost and
// redrives; "Stop" while it runs, "Redrive" once it failed, timed out or was aborted; the
// definition's graph with each state in the colour of its progress (a state opens its side
// panel); the input and output; the Parallel branches' and Map items' runs; the event history.
//
// It follows `execution.updated` on `resources/executions`. The server announces an
// execution's start, stop and end there, not each step it takes (those happen in the worker):
// while it runs, the page also polls, as the webhook log and the import progress do.
import { useGetIdentity, useNotification, useSubscription } from "@refinedev/core";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useCallback, useEffect, useMemo, useState, type ReactNode } from "react";
import { Link, useParams } from "react-router";

import { unwrap } from "../../api/call";
import { api } from "../../api/instance";
import { Alert } from "../../components/Alert";
import { Button } from "../../components/Button";
import { ConfirmButton } from "../../components/ConfirmButton";
import { Page } from "../../components/Page";
import { aslGraph } from "../../lib/asl-graph";
import {
  canRedrive,
  executionDurationMs,
  isRunning,
  mentions,
  stateLook,
  stateProgress,
} from "../../lib/execution-status";
import type { ExecutionDetail } from "../../lib/flows";
import { formatDuration } from "../../lib/measures";
import { holds } from "../../lib/scopes";
import type { Identity } from "../../providers/auth";
import { ExecutionStatusBadge } from "./ExecutionStatusBadge";
import { when } from "./ExecutionsTable";
import { HistoryTable, historyKey } from "./HistoryTable";
import { JsonBlock } from "./JsonBlock";
import { StateGraph, type StateMark } from "./StateGraph";
import { StatePanel } from "./StatePanel";

const POLL_MS = 2_000;
const executionKey = (id: string) => ["execution", id] as const;

export default function ExecutionPage() {
  const { id = "" } = useParams();
  return <ExecutionScreen key={id} executionId={id} />;
}

function useExecution(executionId: string) {
  const queryClient = useQueryClient();
  const query = useQuery({
    queryKey: executionKey(executionId),
    queryFn: () => unwrap(api.GET("/api/v1/orchestration/executions/{id}", { params: { path: { id: executionId } } })),
    refetchInterval: (q) => (q.state.data && isRunning(q.state.data.status) ? POLL_MS : false),
  });
  // Subscribed once for the page's life (Refine keeps the first callback): it reads only the
  // execution's id and the query client.
  useSubscription({
    channel: "resources/executions",
    types: ["execution.updated"],
    onLiveEvent: (event) => {
      if (mentions(event.payload, executionId)) void queryClient.invalidateQueries({ queryKey: executionKey(executionId) });
    },
  });
  // The history follows the execution: read again whenever it has moved.
  const moved = query.data && `${query.data.status}/${query.data.transitions}/${query.data.redrive_count}`;
  useEffect(() => {
    if (moved) void queryClient.invalidateQueries({ queryKey: historyKey(executionId) });
  }, [moved, executionId, queryClient]);
  return query;
}

function ExecutionScreen({ executionId }: { executionId: string }) {
  const { data: identity } = useGetIdentity<Identity>();
  const canWrite = holds(identity, "projects:write");
  const query = useExecution(executionId);
  const execution = query.data;
  const [selected, setSelected] = useState<string | null>(null);

  if (!execution) {
    if (!query.error) return <p className="text-slate-500">Loading…</p>;
    return (
      <Page title="Execution">
        <Alert tone="error">{query.error.message}</Alert>
      </Page>
    );
  }

  return (
    <Page title={execution.name} wide actions={canWrite && <Actions execution={execution} />}>
      {query.error && <Alert tone="error">{query.error.message}</Alert>}
      <Facts execution={execution} />
      {(execution.error || execution.cause) && (
        <Alert tone="error">
          <span className="font-medium">{execution.error ?? "Error"}</span>
          {execution.cause && <span className="block break-words whitespace-pre-wrap">{execution.cause}</span>}
        </Alert>
      )}
      <Graph execution={execution} selected={selected} onSelect={setSelected} />
      <div className="grid gap-4 lg:grid-cols-2">
        <section aria-label="Input" className="flex flex-col gap-2">
          <h2 className="font-semibold">Input</h2>
          <JsonBlock value={execution.input} label="Execution input" />
        </section>
        <section aria-label="Output" className="flex flex-col gap-2">
          <h2 className="font-semibold">Output</h2>
          <JsonBlock value={execution.output ?? undefined} label="Execution output" />
        </section>
      </div>
      {execution.children.length > 0 && <Children execution={execution} />}
      <section aria-label="Event history" className="flex flex-col gap-2">
        <h2 className="font-semibold">Event history</h2>
        <HistoryTable executionId={execution.id} startedAt={execution.started_at} />
      </section>
    </Page>
  );
}

function Actions({ execution }: { execution: ExecutionDetail }) {
  const queryClient = useQueryClient();
  const { open } = useNotification();
  const settled = (message: string) => {
    open?.({ type: "success", key: `execution-${execution.id}`, message });
    void queryClient.invalidateQueries({ queryKey: executionKey(execution.id) });
  };
  const failed = (error: Error) => open?.({ type: "error", key: `execution-${execution.id}`, message: error.message });
  const stop = useMutation({
    mutationFn: () =>
      unwrap(
        api.POST("/api/v1/orchestration/executions/{id}/cancel", {
          params: { path: { id: execution.id } },
          body: { error: "Stopped", cause: "Stopped from the admin UI." },
        }),
      ),
    onSuccess: () => settled("Execution stopped."),
    onError: failed,
  });
  const redrive = useMutation({
    mutationFn: () => unwrap(api.POST("/api/v1/orchestration/executions/{id}/redrive", { params: { path: { id: execution.id } } })),
    onSuccess: () => settled("Execution redriven."),
    onError: failed,
  });
  if (isRunning(execution.status)) {
    return <ConfirmButton label="Stop" subject={`the execution ${execution.name}`} disabled={stop.isPending} onConfirm={() => stop.mutate()} />;
  }
  if (canRedrive(execution.status)) {
    return (
      <Button onClick={() => redrive.mutate()} disabled={redrive.isPending}>
        Redrive
      </Button>
    );
  }
  return null;
}

function Facts({ execution }: { execution: ExecutionDetail }) {
  const [now] = useState(() => Date.now());
  const facts: [string, ReactNode][] = [
    ["Status", <ExecutionStatusBadge key="status" status={execution.status} />],
    [
      "Flow",
      <Link key="flow" to={`/flows/${execution.flow_id}`} className="text-indigo-700 hover:underline">
        {execution.flow_name ?? "flow"} v{execution.flow_version}
      </Link>,
    ],
    ["Started", when(execution.started_at)],
    ["Stopped", when(execution.stopped_at)],
    ["Duration", execution.stopped_at ? formatDuration(executionDurationMs(execution.started_at, execution.stopped_at, now)) : "running"],
    ["Transitions", String(execution.transitions)],
    ["Cost", execution.cost],
    ["Redrives", String(execution.redrive_count)],
  ];
  return (
    <dl className="grid grid-cols-2 gap-x-6 gap-y-3 rounded-lg border border-slate-200 bg-white p-4 text-sm sm:grid-cols-4" data-testid="execution-facts">
      {facts.map(([label, value]) => (
        <div key={label}>
          <dt className="text-xs font-semibold tracking-wide text-slate-500 uppercase">{label}</dt>
          <dd className="break-all">{value}</dd>
        </div>
      ))}
    </dl>
  );
}

function Graph({
  execution,
  selected,
  onSelect,
}: {
  execution: ExecutionDetail;
  selected: string | null;
  onSelect: (name: string | null) => void;
}) {
  const { states, status, definition } = execution;
  const markOf = useCallback(
    (name: string): StateMark => {
      const progress = stateProgress(states, name, status);
      return { progress, look: stateLook(progress) };
    },
    [states, status],
  );
  const types = useMemo(() => new Map(aslGraph(definition).states.map((s) => [s.name, s.type])), [definition]);
  const open = useCallback((name: string) => onSelect(name), [onSelect]);
  return (
    <div className="flex flex-col gap-4 lg:flex-row lg:items-start">
      <div className="min-w-0 flex-1">
        <StateGraph definition={definition} markOf={markOf} selected={selected} onOpen={open} />
      </div>
      {selected && types.has(selected) && (
        <StatePanel
          name={selected}
          type={types.get(selected) ?? ""}
          progress={markOf(selected).progress}
          detail={states[selected]}
          onClose={() => onSelect(null)}
        />
      )}
    </div>
  );
}

function Children({ execution }: { execution: ExecutionDetail }) {
  return (
    <section aria-label="Branches and items" className="flex flex-col gap-2">
      <h2 className="font-semibold">Branches and items</h2>
      <ul className="divide-y divide-slate-100 rounded-lg border border-slate-200 bg-white text-sm">
        {execution.children.map((child, i) => (
          <li key={child.id} className="flex flex-wrap items-center gap-3 px-4 py-2">
            <Link to={`/executions/${child.id}`} className="text-indigo-700 hover:underline">
              #{i + 1}
            </Link>
            <ExecutionStatusBadge status={child.status} />
            {child.current_state && <span className="text-slate-600">at {child.current_state}</span>}
            {child.error && <span className="text-red-700">{child.error}</span>}
          </li>
        ))}
      </ul>
    </section>
  );
}

// The side panel of one lineage node: its status and last error, its metrics, what feeds it
// and what it feeds, and its last 50 runs (GET /api/v1/projects/{id}/nodes/{node_id}). It is
// refetched when the node's live events arrive (./useProjectState).
import { useQuery } from "@tanstack/react-query";

import { unwrap } from "../../api/call";
import { api } from "../../api/instance";
import { Button } from "../../components/Button";
import { formatBytes, formatCount, formatDuration } from "../../lib/measures";
import { statusLook } from "../../lib/node-status";
import type { StateNode } from "../../lib/project-state";
import { nodeKey } from "./useProjectState";

const when = (value: string | null | undefined) => (value ? new Date(value).toLocaleString() : "—");

function StatusBadge({ status }: { status: string }) {
  const look = statusLook(status);
  return (
    <span className="inline-flex items-center gap-1.5 text-sm" data-status={status}>
      <span aria-hidden="true" className="h-2.5 w-2.5 rounded-full" style={{ backgroundColor: look.colour }} />
      {look.label}
    </span>
  );
}

interface NodePanelProps {
  projectId: string;
  /** The node as the state document has it: shown at once, and while the detail loads. */
  node: StateNode;
  onClose: () => void;
  onOpen: (nodeId: string) => void;
}

export function NodePanel({ projectId, node, onClose, onOpen }: NodePanelProps) {
  const detail = useQuery({
    queryKey: nodeKey(projectId, node.id),
    queryFn: () =>
      unwrap(api.GET("/api/v1/projects/{id}/nodes/{node_id}", { params: { path: { id: projectId, node_id: node.id } } })),
    // Refine's default keeps the last key's data while a new key loads: another node's runs
    // must not show under this one.
    placeholderData: undefined,
  });
  const d = detail.data;
  // The live document is newer than a detail fetched before the last event.
  const status = node.status;
  const error = node.error ?? null;
  const facts: [string, string][] = [
    ["Layer", node.layer],
    ["Kind", node.kind],
    ["Rows", formatCount(d ? d.rows : node.metrics.rows)],
    ["Size", formatBytes(d ? d.bytes : node.metrics.bytes)],
    ["Duration", formatDuration(d ? d.duration_ms : node.metrics.duration_ms)],
    ["Last run", when(d ? d.last_run_at : node.last_run_at)],
  ];

  return (
    <aside
      id="node-panel"
      aria-labelledby="node-panel-title"
      className="flex w-full flex-col gap-4 rounded-lg border border-slate-200 bg-white p-4 lg:w-96 lg:shrink-0"
    >
      <div className="flex items-start justify-between gap-2">
        <div>
          <h3 id="node-panel-title" className="text-lg font-semibold break-all">
            {node.name}
          </h3>
          <code className="text-xs text-slate-500">{node.id}</code>
        </div>
        <Button variant="secondary" onClick={onClose} aria-label={`Close the panel of ${node.name}`}>
          Close
        </Button>
      </div>
      <p data-testid="node-panel-status">
        <StatusBadge status={status} />
      </p>
      {error && (
        <div className="rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-800">
          <p className="font-medium">Last error</p>
          <p className="break-words whitespace-pre-wrap" data-testid="node-panel-error">
            {error}
          </p>
        </div>
      )}
      <dl className="grid grid-cols-2 gap-x-4 gap-y-2 text-sm">
        {facts.map(([label, value]) => (
          <div key={label}>
            <dt className="text-xs font-semibold tracking-wide text-slate-500 uppercase">{label}</dt>
            <dd>{value}</dd>
          </div>
        ))}
      </dl>
      {d && (d.upstream.length > 0 || d.downstream.length > 0) && (
        <div className="grid grid-cols-2 gap-4 text-sm">
          <NodeLinks title="Fed by" ids={d.upstream} onOpen={onOpen} />
          <NodeLinks title="Feeds" ids={d.downstream} onOpen={onOpen} />
        </div>
      )}
      <div className="flex flex-col gap-2">
        <h4 className="font-semibold">Runs</h4>
        {detail.error && (
          <p role="alert" className="text-sm text-red-700">
            {detail.error.message}
          </p>
        )}
        <div className="max-h-80 overflow-y-auto">
          <table className="w-full text-sm">
            <caption className="sr-only">Runs of {node.name}</caption>
            <thead className="text-left text-xs text-slate-600 uppercase">
              <tr>
                <th scope="col" className="py-1 pr-2">
                  Started
                </th>
                <th scope="col" className="py-1 pr-2">
                  Status
                </th>
                <th scope="col" className="py-1 pr-2 text-right">
                  Rows
                </th>
                <th scope="col" className="py-1 text-right">
                  Time
                </th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {d?.runs.map((run) => (
                <tr key={run.id} className="align-top">
                  <td className="py-1 pr-2">
                    {when(run.started_at)}
                    {run.error && <p className="text-xs break-words text-red-700">{run.error}</p>}
                  </td>
                  <td className="py-1 pr-2">
                    <StatusBadge status={run.status} />
                  </td>
                  <td className="py-1 pr-2 text-right tabular-nums">{formatCount(run.rows)}</td>
                  <td className="py-1 text-right whitespace-nowrap tabular-nums">{formatDuration(run.duration_ms)}</td>
                </tr>
              ))}
              {d?.runs.length === 0 && (
                <tr>
                  <td colSpan={4} className="py-2 text-slate-500">
                    Never run.
                  </td>
                </tr>
              )}
              {!d && detail.isLoading && (
                <tr>
                  <td colSpan={4} className="py-2 text-slate-500">
                    Loading…
                  </td>
                </tr>
              )}
            </tbody>
          </table>
        </div>
      </div>
    </aside>
  );
}

function NodeLinks({ title, ids, onOpen }: { title: string; ids: string[]; onOpen: (id: string) => void }) {
  return (
    <div>
      <p className="text-xs font-semibold tracking-wide text-slate-500 uppercase">{title}</p>
      <ul>
        {ids.map((id) => (
          <li key={id}>
            <Button variant="link" onClick={() => onOpen(id)}>
              {id}
            </Button>
          </li>
        ))}
        {ids.length === 0 && <li className="text-slate-500">—</li>}
      </ul>
    </div>
  );
}

// Automation runs (`/automation-runs`): ActivePieces flows (offline, the agency's own flows)
// started through the API with a correlation id; newest first, a status filter kept in the URL,
// refreshed live by `automation_run.*` events. A row opens its input, output or error below.
import { type CrudFilter, type LogicalFilter } from "@refinedev/core";
import { useTable } from "@refinedev/react-table";
import type { ColumnDef } from "@tanstack/react-table";
import { useMemo, useState } from "react";
import { Link } from "react-router";

import { DataTable } from "../../components/DataTable";
import { Page } from "../../components/Page";
import { StatusPill } from "../../components/StatusPill";
import type { components } from "../../api/schema";
import { when } from "./ExecutionsTable";
import { JsonBlock } from "./JsonBlock";

type AutomationRun = components["schemas"]["AutomationRun"];

const CONTROL = "rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm shadow-xs";
const STATUSES = ["queued", "running", "succeeded", "failed"] as const;
const COLOURS: Record<string, string> = {
  queued: "#64748b",
  running: "#2563eb",
  succeeded: "#16a34a",
  failed: "#dc2626",
};

function statusFilter(filters: CrudFilter[]): string {
  const found = filters.find((f): f is LogicalFilter => "field" in f && f.field === "status");
  return found?.value == null ? "" : String(found.value);
}

function RunStatus({ status }: { status: string }) {
  return <StatusPill status={status} colour={COLOURS[status] ?? "#64748b"} />;
}

export default function AutomationRunsPage() {
  const [open, setOpen] = useState<AutomationRun | null>(null);
  const columns = useMemo<ColumnDef<AutomationRun>[]>(
    () => [
      {
        accessorKey: "correlation_id",
        header: "Correlation id",
        cell: ({ row: { original: r } }) => (
          <button type="button" className="font-medium break-all text-indigo-700 hover:underline" onClick={() => setOpen(r)}>
            {r.correlation_id}
          </button>
        ),
      },
      { accessorKey: "flow", header: "Flow" },
      { accessorKey: "status", header: "Status", cell: ({ getValue }) => <RunStatus status={getValue<string>()} /> },
      { accessorKey: "provider", header: "Provider", enableSorting: false },
      { accessorKey: "attempts", header: "Attempts", enableSorting: false },
      { accessorKey: "created_at", header: "Started", cell: ({ getValue }) => when(getValue<string>()) },
      { accessorKey: "finished_at", header: "Finished", cell: ({ getValue }) => when(getValue<string | null>()) },
    ],
    [],
  );
  const { reactTable, refineCore } = useTable<AutomationRun>({
    columns,
    refineCoreProps: {
      resource: "automation-runs",
      pagination: { pageSize: 25 },
      sorters: { initial: [{ field: "created_at", order: "desc" }] },
      syncWithLocation: true,
    },
  });
  const { filters, setFilters, tableQuery } = refineCore;
  const total = tableQuery.data?.total;
  // The open run as the list has it now (live updates replace the rows).
  const current = open ? (tableQuery.data?.data.find((r) => r.id === open.id) ?? open) : null;
  return (
    <Page title="Automation runs">
      <form role="search" aria-label="Filter automation runs" className="flex flex-wrap items-end gap-3" onSubmit={(e) => e.preventDefault()}>
        <label className="flex flex-col gap-1 text-sm font-medium text-slate-700">
          Status
          <select
            className={CONTROL}
            value={statusFilter(filters)}
            onChange={(e) => setFilters([{ field: "status", operator: "eq", value: e.target.value || undefined }])}
          >
            <option value="">Any</option>
            {STATUSES.map((status) => (
              <option key={status} value={status}>
                {status}
              </option>
            ))}
          </select>
        </label>
        <p className="ml-auto text-sm text-slate-600" aria-live="polite">
          {total === undefined ? "" : `${total} run${total === 1 ? "" : "s"}`}
        </p>
      </form>
      <DataTable
        table={reactTable}
        caption="Automation runs"
        loading={tableQuery.isLoading}
        error={tableQuery.error?.message}
        empty="No automation runs yet: start one with POST /api/v1/automation-runs."
      />
      {current && (
        <section aria-label={`Automation run ${current.correlation_id}`} className="flex flex-col gap-3 rounded-md border border-slate-200 p-4">
          <div className="flex items-center justify-between">
            <h2 className="text-lg font-semibold">
              {current.correlation_id} <RunStatus status={current.status} />
            </h2>
            <button type="button" className="text-sm text-slate-600 hover:underline" onClick={() => setOpen(null)}>
              Close
            </button>
          </div>
          <dl className="grid grid-cols-[max-content_1fr] gap-x-4 gap-y-1 text-sm">
            <dt className="text-slate-500">Provider run</dt>
            <dd className="break-all">
              {current.execution_id ? (
                <Link to={`/executions/${current.execution_id}`} className="text-indigo-700 hover:underline">
                  execution {current.provider_run_id}
                </Link>
              ) : (
                (current.provider_run_id ?? "—")
              )}
            </dd>
            <dt className="text-slate-500">Next try</dt>
            <dd>{when(current.next_attempt_at)}</dd>
          </dl>
          {current.error && (
            <p role="alert" className="rounded-md bg-red-50 p-2 text-sm text-red-800">
              {current.error}
            </p>
          )}
          <h3 className="text-sm font-medium">Input</h3>
          <JsonBlock value={current.input} label="Input" />
          <h3 className="text-sm font-medium">Output</h3>
          <JsonBlock value={current.output ?? undefined} label="Output" />
        </section>
      )}
    </Page>
  );
}

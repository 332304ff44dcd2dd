// Executions, newest first, paged on the server, with a status filter and the `q` search
// (names); refreshed live by `execution.updated` on `resources/executions`. The executions
// list shows them all (its filters kept in the URL); a flow's page shows that flow's.
import { useOne, type CrudFilter, type LogicalFilter } from "@refinedev/core";
import { useTable } from "@refinedev/react-table";
import type { ColumnDef } from "@tanstack/react-table";
import { useEffect, useMemo, useState } from "react";
import { Link } from "react-router";

import { DataTable } from "../../components/DataTable";
import { EXECUTION_STATUSES, executionDurationMs, executionLook } from "../../lib/execution-status";
import type { Execution, Flow } from "../../lib/flows";
import { formatDuration } from "../../lib/measures";
import { SEARCH_FIELD } from "../../providers/list-query";
import { ExecutionStatusBadge } from "./ExecutionStatusBadge";

const CONTROL = "rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm shadow-xs";

export const when = (value: string | null | undefined) => (value ? new Date(value).toLocaleString() : "—");

function filterValue(filters: CrudFilter[], field: string): string {
  const found = filters.find((f): f is LogicalFilter => "field" in f && f.field === field);
  return found?.value == null ? "" : String(found.value);
}

interface ExecutionsTableProps {
  /** Only this flow's executions (on its page): the filters then stay out of the URL. */
  flowId?: string;
}

export function ExecutionsTable({ flowId }: ExecutionsTableProps) {
  const { reactTable, refineCore } = useTable<Execution>({
    columns: useColumns(flowId === undefined),
    refineCoreProps: {
      resource: "executions",
      pagination: { pageSize: 25 },
      sorters: { initial: [{ field: "started_at", order: "desc" }] },
      filters: flowId ? { permanent: [{ field: "flow_id", operator: "eq", value: flowId }] } : undefined,
      syncWithLocation: flowId === undefined,
    },
  });
  const { filters, setFilters, tableQuery } = refineCore;

  // The search box writes `q` a moment after typing stops; the filters are its source of truth.
  const appliedSearch = filterValue(filters, SEARCH_FIELD);
  const [search, setSearch] = useState(appliedSearch);
  const [seenSearch, setSeenSearch] = useState(appliedSearch);
  if (seenSearch !== appliedSearch) {
    setSeenSearch(appliedSearch);
    setSearch(appliedSearch);
  }
  useEffect(() => {
    if (search === appliedSearch) return;
    const timer = setTimeout(() => setFilters([{ field: SEARCH_FIELD, operator: "eq", value: search || undefined }]), 300);
    return () => clearTimeout(timer);
  }, [search, appliedSearch, setFilters]);

  const total = tableQuery.data?.total;
  return (
    <div className="flex flex-col gap-4">
      <form role="search" aria-label="Filter executions" className="flex flex-wrap items-end gap-3" onSubmit={(e) => e.preventDefault()}>
        <label className="flex flex-col gap-1 text-sm font-medium text-slate-700">
          Search
          <input type="search" className={CONTROL} placeholder="Execution name" value={search} onChange={(e) => setSearch(e.target.value)} />
        </label>
        <label className="flex flex-col gap-1 text-sm font-medium text-slate-700">
          Status
          <select
            className={CONTROL}
            value={filterValue(filters, "status")}
            onChange={(e) => setFilters([{ field: "status", operator: "eq", value: e.target.value || undefined }])}
          >
            <option value="">Any</option>
            {EXECUTION_STATUSES.map((status) => (
              <option key={status} value={status}>
                {executionLook(status).label}
              </option>
            ))}
          </select>
        </label>
        <p className="ml-auto text-sm text-slate-600" aria-live="polite">
          {total === undefined ? "" : `${total} execution${total === 1 ? "" : "s"}`}
        </p>
      </form>
      <DataTable
        table={reactTable}
        caption="Executions"
        loading={tableQuery.isLoading}
        error={tableQuery.error?.message}
        empty="No executions match."
      />
    </div>
  );
}

/** The flow an execution runs, by name (one request per flow: rows of one flow share it). */
function FlowName({ execution }: { execution: Execution }) {
  const { result: flow } = useOne<Flow>({ resource: "flows", id: execution.flow_id, liveMode: "off" });
  return (
    <Link to={`/flows/${execution.flow_id}`} className="text-indigo-700 hover:underline">
      {flow?.name ?? "flow"} <span className="text-xs text-slate-500">v{execution.flow_version}</span>
    </Link>
  );
}

function useColumns(showFlow: boolean): ColumnDef<Execution>[] {
  const [now] = useState(() => Date.now());
  return useMemo<ColumnDef<Execution>[]>(
    () => [
      {
        accessorKey: "name",
        header: "Name",
        cell: ({ row: { original: e } }) => (
          <Link to={`/executions/${e.id}`} className="font-medium break-all text-indigo-700 hover:underline">
            {e.name}
          </Link>
        ),
      },
      ...(showFlow
        ? [
            {
              id: "flow",
              header: "Flow",
              enableSorting: false,
              cell: ({ row: { original: e } }) => <FlowName execution={e} />,
            } satisfies ColumnDef<Execution>,
          ]
        : []),
      { accessorKey: "status", header: "Status", cell: ({ getValue }) => <ExecutionStatusBadge status={getValue<string>()} /> },
      { accessorKey: "started_at", header: "Started", cell: ({ getValue }) => when(getValue<string>()) },
      {
        id: "duration",
        header: "Duration",
        enableSorting: false,
        cell: ({ row: { original: e } }) => (
          <span className="tabular-nums">
            {e.stopped_at ? formatDuration(executionDurationMs(e.started_at, e.stopped_at, now)) : "running"}
          </span>
        ),
      },
      {
        accessorKey: "cost",
        header: "Cost",
        enableSorting: false,
        cell: ({ getValue }) => <span className="tabular-nums">{getValue<string>()}</span>,
      },
    ],
    [showFlow, now],
  );
}

// The leads list: server-side paging, sorting, filters and `q` search, all kept in the URL
// (Refine's syncWithLocation), refreshed live when a lead changes (liveMode "auto"). What it
// shows can be exported as CSV, or enrolled in an outreach campaign.
import { useGetIdentity, type CrudFilter, type LogicalFilter } from "@refinedev/core";
import { useTable } from "@refinedev/react-table";
import type { ColumnDef } from "@tanstack/react-table";
import { useEffect, useMemo, useState } from "react";
import { Link } from "react-router";

import { DataTable } from "../../components/DataTable";
import { Page } from "../../components/Page";
import { exportUrl, leadName, type Lead } from "../../lib/leads";
import { holds } from "../../lib/scopes";
import { useLeadStatuses } from "../../lib/statuses";
import { SEARCH_FIELD } from "../../providers/list-query";
import type { Identity } from "../../providers/auth";
import { EnrollInCampaignDialog } from "./EnrollInCampaignDialog";

const CONTROL = "rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm shadow-xs";
const LINK_BUTTON =
  "rounded-md px-3 py-1.5 text-sm font-medium shadow-xs border border-slate-300 bg-white text-slate-800 hover:bg-slate-100";

const when = (value: string) => new Date(value).toLocaleDateString();

function filterValue(filters: CrudFilter[], field: string): string {
  const found = filters.find((f): f is LogicalFilter => "field" in f && f.field === field);
  return found?.value == null ? "" : String(found.value);
}

export function LeadsListPage() {
  const { data: identity } = useGetIdentity<Identity>();
  const canWrite = holds(identity, "leads:write");
  const canEnroll = holds(identity, "outreach:write");
  const statuses = useLeadStatuses();

  const columns = useMemo<ColumnDef<Lead>[]>(
    () => [
      {
        id: "first_name",
        accessorKey: "first_name",
        header: "Name",
        cell: ({ row: { original: lead } }) => (
          <Link to={`/leads/${lead.id}`} className="font-medium text-indigo-700 hover:underline">
            {leadName(lead)}
          </Link>
        ),
      },
      { accessorKey: "email", header: "Email", cell: ({ getValue }) => getValue<string | null>() ?? "—" },
      { accessorKey: "company", header: "Company", cell: ({ getValue }) => getValue<string | null>() ?? "—" },
      { accessorKey: "status", header: "Status" },
      { accessorKey: "score", header: "Score" },
      { accessorKey: "source", header: "Source", cell: ({ getValue }) => getValue<string | null>() ?? "—" },
      { accessorKey: "created_at", header: "Created", cell: ({ getValue }) => when(getValue<string>()) },
      {
        id: "actions",
        header: () => <span className="sr-only">Actions</span>,
        enableSorting: false,
        cell: ({ row: { original: lead } }) =>
          canWrite && (
            <Link to={`/leads/${lead.id}/edit`} className="text-indigo-700 hover:underline" aria-label={`Edit ${leadName(lead)}`}>
              Edit
            </Link>
          ),
      },
    ],
    [canWrite],
  );

  const { reactTable, refineCore } = useTable<Lead>({
    columns,
    refineCoreProps: {
      resource: "leads",
      pagination: { pageSize: 50 },
      sorters: { initial: [{ field: "created_at", order: "desc" }] },
    },
  });
  const { filters, sorters, setFilters, tableQuery } = refineCore;

  // The search box writes `q` a moment after typing stops; the URL is its source of truth.
  const urlSearch = filterValue(filters, SEARCH_FIELD);
  const [search, setSearch] = useState(urlSearch);
  const [seenUrlSearch, setSeenUrlSearch] = useState(urlSearch);
  if (seenUrlSearch !== urlSearch) {
    // The URL changed (back button, a link): the box follows it.
    setSeenUrlSearch(urlSearch);
    setSearch(urlSearch);
  }
  useEffect(() => {
    if (search === urlSearch) return;
    const timer = setTimeout(
      () => setFilters([{ field: SEARCH_FIELD, operator: "eq", value: search || undefined }]),
      300,
    );
    return () => clearTimeout(timer);
  }, [search, urlSearch, setFilters]);

  const setFilter = (field: string, operator: "eq" | "contains" | "gte", value: string) =>
    setFilters([{ field, operator, value: value === "" ? undefined : value }]);

  const total = tableQuery.data?.total;

  return (
    <Page
      title="Leads"
      actions={
        <div className="flex gap-2">
          <a className={LINK_BUTTON} href={exportUrl(filters, sorters)} download>
            Export CSV
          </a>
          {canEnroll && (
            // While the list loads other filters, the total shown is still the previous one's.
            <EnrollInCampaignDialog filters={filters} total={tableQuery.isPlaceholderData ? undefined : total} />
          )}
          {canWrite && (
            <>
              <Link className={LINK_BUTTON} to="/imports">
                Import CSV
              </Link>
              <Link
                className="rounded-md bg-indigo-600 px-3 py-1.5 text-sm font-medium text-white shadow-xs hover:bg-indigo-700"
                to="/leads/create"
              >
                New lead
              </Link>
            </>
          )}
        </div>
      }
    >
      <form role="search" aria-label="Filter leads" className="flex flex-wrap items-end gap-3" onSubmit={(e) => e.preventDefault()}>
        <label className="flex flex-col gap-1 text-sm font-medium text-slate-700">
          Search
          <input
            type="search"
            className={CONTROL}
            placeholder="Name, email or company"
            value={search}
            onChange={(e) => setSearch(e.target.value)}
          />
        </label>
        <label className="flex flex-col gap-1 text-sm font-medium text-slate-700">
          Status
          <select className={CONTROL} value={filterValue(filters, "status")} onChange={(e) => setFilter("status", "eq", e.target.value)}>
            <option value="">Any</option>
            {statuses.map((status) => (
              <option key={status} value={status}>
                {status}
              </option>
            ))}
          </select>
        </label>
        <label className="flex flex-col gap-1 text-sm font-medium text-slate-700">
          Source
          <input
            className={CONTROL}
            value={filterValue(filters, "source")}
            onChange={(e) => setFilter("source", "eq", e.target.value)}
          />
        </label>
        <label className="flex flex-col gap-1 text-sm font-medium text-slate-700">
          Company contains
          <input
            className={CONTROL}
            value={filterValue(filters, "company")}
            onChange={(e) => setFilter("company", "contains", e.target.value)}
          />
        </label>
        <label className="flex flex-col gap-1 text-sm font-medium text-slate-700">
          Min. score
          <input
            type="number"
            min={0}
            max={100}
            className={`${CONTROL} w-24`}
            value={filterValue(filters, "score")}
            onChange={(e) => setFilter("score", "gte", e.target.value)}
          />
        </label>
        <p className="ml-auto text-sm text-slate-600" aria-live="polite">
          {total === undefined ? "" : `${total} lead${total === 1 ? "" : "s"}`}
        </p>
      </form>
      <DataTable
        table={reactTable}
        caption="Leads of this agency"
        loading={tableQuery.isLoading}
        error={tableQuery.error?.message}
        empty="No leads match."
      />
    </Page>
  );
}

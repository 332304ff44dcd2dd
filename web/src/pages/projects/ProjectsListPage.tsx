// The projects list: server-side paging and sorting, a status filter and the `q` search
// (name, client, slug), kept in the URL; refreshed live when a project changes anywhere.
import { useGetIdentity, type CrudFilter, type LogicalFilter } from "@refinedev/core";
import { useTable } from "@refinedev/react-table";
import type { ColumnDef } from "@tanstack/react-table";
import { useEffect, useMemo, useState } from "react";
import { Link } from "react-router";

import { DataTable } from "../../components/DataTable";
import { Page } from "../../components/Page";
import { formatMoney } from "../../lib/money";
import { PROJECT_STATUSES, type Project } from "../../lib/projects";
import { holds } from "../../lib/scopes";
import type { Identity } from "../../providers/auth";
import { SEARCH_FIELD } from "../../providers/list-query";

const CONTROL = "rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm shadow-xs";

const when = (value: string) => new Date(value).toLocaleDateString();

function filterValue(filters: CrudFilter[], field: string): string {
  const found = filters.find((f): f is LogicalFilter => "field" in f && f.field === field);
  return found?.value == null ? "" : String(found.value);
}

export function ProjectsListPage() {
  const { data: identity } = useGetIdentity<Identity>();
  const canWrite = holds(identity, "projects:write");

  const columns = useMemo<ColumnDef<Project>[]>(
    () => [
      {
        accessorKey: "name",
        header: "Name",
        cell: ({ row: { original: p } }) => (
          <Link to={`/projects/${p.id}`} className="font-medium text-indigo-700 hover:underline">
            {p.name}
          </Link>
        ),
      },
      { accessorKey: "client_name", header: "Client", cell: ({ getValue }) => getValue<string>() || "—" },
      { accessorKey: "slug", header: "Slug", cell: ({ getValue }) => <code className="text-xs">{getValue<string>()}</code> },
      { accessorKey: "status", header: "Status" },
      {
        accessorKey: "budget_amount",
        header: "Monthly budget",
        enableSorting: false,
        cell: ({ row: { original: p } }) => (p.budget_amount ? formatMoney(p.budget_amount, p.budget_currency) : "—"),
      },
      { accessorKey: "updated_at", header: "Updated", cell: ({ getValue }) => when(getValue<string>()) },
      {
        id: "actions",
        header: () => <span className="sr-only">Actions</span>,
        enableSorting: false,
        cell: ({ row: { original: p } }) =>
          canWrite && (
            <Link to={`/projects/${p.id}/edit`} className="text-indigo-700 hover:underline" aria-label={`Edit ${p.name}`}>
              Edit
            </Link>
          ),
      },
    ],
    [canWrite],
  );

  const { reactTable, refineCore } = useTable<Project>({
    columns,
    refineCoreProps: {
      resource: "projects",
      pagination: { pageSize: 25 },
      sorters: { initial: [{ field: "updated_at", order: "desc" }] },
    },
  });
  const { filters, setFilters, tableQuery } = refineCore;

  // The search box writes `q` a moment after typing stops; the URL is its source of truth.
  const urlSearch = filterValue(filters, SEARCH_FIELD);
  const [search, setSearch] = useState(urlSearch);
  const [seenUrlSearch, setSeenUrlSearch] = useState(urlSearch);
  if (seenUrlSearch !== urlSearch) {
    setSeenUrlSearch(urlSearch);
    setSearch(urlSearch);
  }
  useEffect(() => {
    if (search === urlSearch) return;
    const timer = setTimeout(() => setFilters([{ field: SEARCH_FIELD, operator: "eq", value: search || undefined }]), 300);
    return () => clearTimeout(timer);
  }, [search, urlSearch, setFilters]);

  const total = tableQuery.data?.total;

  return (
    <Page
      title="Projects"
      actions={
        canWrite && (
          <Link
            className="rounded-md bg-indigo-600 px-3 py-1.5 text-sm font-medium text-white shadow-xs hover:bg-indigo-700"
            to="/projects/create"
          >
            New project
          </Link>
        )
      }
    >
      <form role="search" aria-label="Filter projects" className="flex flex-wrap items-end gap-3" onSubmit={(e) => e.preventDefault()}>
        <label className="flex flex-col gap-1 text-sm font-medium text-slate-700">
          Search
          <input
            type="search"
            className={CONTROL}
            placeholder="Name, client or slug"
            value={search}
            onChange={(e) => setSearch(e.target.value)}
          />
        </label>
        <label className="flex flex-col gap-1 text-sm font-medium text-slate-700">
          Status
          <select
            className={CONTROL}
            value={filterValue(filters, "status")}
            onChange={(e) => setFilters([{ field: "status", operator: "eq", value: e.target.value || undefined }])}
          >
            <option value="">Any</option>
            {PROJECT_STATUSES.map((status) => (
              <option key={status} value={status}>
                {status}
              </option>
            ))}
          </select>
        </label>
        <p className="ml-auto text-sm text-slate-600" aria-live="polite">
          {total === undefined ? "" : `${total} project${total === 1 ? "" : "s"}`}
        </p>
      </form>
      <DataTable
        table={reactTable}
        caption="Projects of this agency"
        loading={tableQuery.isLoading}
        error={tableQuery.error?.message}
        empty="No projects match."
      />
    </Page>
  );
}

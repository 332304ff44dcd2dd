// The flows (`/flows`): name, project, current version, last change; the `q` search (names)
// kept in the URL; refreshed live on `flow.created|updated|deleted`. A new flow starts blank
// or from one of the built-in templates (GET /orchestration/templates).
import { useGetIdentity, useOne, type CrudFilter, type LogicalFilter } from "@refinedev/core";
import { useTable } from "@refinedev/react-table";
import type { ColumnDef } from "@tanstack/react-table";
import { useEffect, useMemo, useState } from "react";
import { Link } from "react-router";

import { DataTable } from "../../components/DataTable";
import { Page } from "../../components/Page";
import type { Flow } from "../../lib/flows";
import type { Project } from "../../lib/projects";
import { holds } from "../../lib/scopes";
import type { Identity } from "../../providers/auth";
import { SEARCH_FIELD } from "../../providers/list-query";
import { useTemplates } from "./useTemplates";

const CONTROL = "rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm shadow-xs";
const PRIMARY_LINK = "rounded-md bg-indigo-600 px-3 py-1.5 text-sm font-medium text-white shadow-xs hover:bg-indigo-700";

const when = (value: string) => new Date(value).toLocaleString();

function filterValue(filters: CrudFilter[], field: string): string {
  const found = filters.find((f): f is LogicalFilter => "field" in f && f.field === field);
  return found?.value == null ? "" : String(found.value);
}

function ProjectName({ id }: { id: string }) {
  const { result: project } = useOne<Project>({ resource: "projects", id, liveMode: "off" });
  return (
    <Link to={`/projects/${id}`} className="text-indigo-700 hover:underline">
      {project?.name ?? "project"}
    </Link>
  );
}

export default function FlowsListPage() {
  const { data: identity } = useGetIdentity<Identity>();
  const canWrite = holds(identity, "projects:write");

  const columns = useMemo<ColumnDef<Flow>[]>(
    () => [
      {
        accessorKey: "name",
        header: "Name",
        cell: ({ row: { original: f } }) => (
          <div>
            <Link to={`/flows/${f.id}`} className="font-medium text-indigo-700 hover:underline">
              {f.name}
            </Link>
            {f.description && <p className="max-w-md truncate text-xs text-slate-500">{f.description}</p>}
          </div>
        ),
      },
      {
        accessorKey: "project_id",
        header: "Project",
        enableSorting: false,
        cell: ({ row: { original: f } }) => (f.project_id ? <ProjectName id={f.project_id} /> : "—"),
      },
      {
        accessorKey: "current_version",
        header: "Version",
        enableSorting: false,
        cell: ({ getValue }) => <span className="tabular-nums">v{getValue<number>()}</span>,
      },
      { accessorKey: "updated_at", header: "Updated", cell: ({ getValue }) => when(getValue<string>()) },
    ],
    [],
  );

  const { reactTable, refineCore } = useTable<Flow>({
    columns,
    refineCoreProps: {
      resource: "flows",
      pagination: { pageSize: 25 },
      sorters: { initial: [{ field: "updated_at", order: "desc" }] },
    },
  });
  const { filters, setFilters, tableQuery } = refineCore;

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
      title="Flows"
      actions={
        canWrite && (
          <div className="flex items-start gap-2">
            <TemplateMenu />
            <Link className={PRIMARY_LINK} to="/flows/create">
              New flow
            </Link>
          </div>
        )
      }
    >
      <form role="search" aria-label="Filter flows" className="flex flex-wrap items-end gap-3" onSubmit={(e) => e.preventDefault()}>
        <label className="flex flex-col gap-1 text-sm font-medium text-slate-700">
          Search
          <input type="search" className={CONTROL} placeholder="Flow name" value={search} onChange={(e) => setSearch(e.target.value)} />
        </label>
        <p className="ml-auto text-sm text-slate-600" aria-live="polite">
          {total === undefined ? "" : `${total} flow${total === 1 ? "" : "s"}`}
        </p>
      </form>
      <DataTable
        table={reactTable}
        caption="Flows of this agency"
        loading={tableQuery.isLoading}
        error={tableQuery.error?.message}
        empty="No flows match."
      />
    </Page>
  );
}

/** "New from template": the templates as links to the create form, prefilled. */
function TemplateMenu() {
  const templates = useTemplates();
  return (
    <details className="relative">
      <summary className="cursor-pointer list-none rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm font-medium shadow-xs hover:bg-slate-100">
        New from template
      </summary>
      <ul
        aria-label="Templates"
        className="absolute right-0 z-10 mt-1 flex w-80 flex-col gap-1 rounded-md border border-slate-200 bg-white p-2 text-sm shadow-md"
      >
        {templates.error && (
          <li role="alert" className="text-red-700">
            {templates.error.message}
          </li>
        )}
        {templates.isLoading && <li className="text-slate-500">Loading…</li>}
        {templates.data?.map((t) => (
          <li key={t.name}>
            <Link to={`/flows/create?template=${encodeURIComponent(t.name)}`} className="block rounded px-2 py-1 hover:bg-slate-100">
              <span className="font-medium text-indigo-700">{t.name}</span>
              <span className="block text-xs text-slate-500">{t.description}</span>
            </Link>
          </li>
        ))}
      </ul>
    </details>
  );
}

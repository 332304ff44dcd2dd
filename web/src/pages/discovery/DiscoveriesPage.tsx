// AI logic discovery (`/discoveries`): start one on a project (its bronze tables are profiled,
// the model proposes silver tables and gold models, the sandbox validates each), and the
// tenant's discoveries, newest first, refreshed live by `discovery.*` events.
import { useGo, useList, useNotification } from "@refinedev/core";
import { useTable } from "@refinedev/react-table";
import { useMutation } from "@tanstack/react-query";
import type { ColumnDef } from "@tanstack/react-table";
import { useMemo, useState, type FormEvent } from "react";
import { Link } from "react-router";

import { unwrap } from "../../api/call";
import { api } from "../../api/instance";
import type { components } from "../../api/schema";
import { Button } from "../../components/Button";
import { DataTable } from "../../components/DataTable";
import { Page } from "../../components/Page";
import { when } from "../orchestration/ExecutionsTable";
import { DiscoveryStatus } from "./DiscoveryStatus";

type Discovery = components["schemas"]["Discovery"];
type Project = components["schemas"]["Project"];

const CONTROL = "rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm shadow-xs";

function StartForm({ projects }: { projects: Project[] }) {
  const go = useGo();
  const { open } = useNotification();
  const [project, setProject] = useState("");
  const [allowSamples, setAllowSamples] = useState(false);
  const [maxProposals, setMaxProposals] = useState(12);
  const start = useMutation({
    mutationFn: () =>
      unwrap(
        api.POST("/api/v1/projects/{id}/discoveries", {
          params: { path: { id: project } },
          body: { allow_samples: allowSamples, max_proposals: maxProposals },
        }),
      ),
    onSuccess: (discovery) => go({ to: `/discoveries/${discovery.id}` }),
    onError: (error: Error) => open?.({ type: "error", key: "discovery-start", message: error.message }),
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (project) start.mutate();
  };
  return (
    <form aria-label="Start a discovery" className="flex flex-wrap items-end gap-3 rounded-md border border-slate-200 p-3" onSubmit={submit}>
      <label className="flex flex-col gap-1 text-sm font-medium text-slate-700">
        Project
        <select className={CONTROL} value={project} onChange={(e) => setProject(e.target.value)} required>
          <option value="">Choose a project</option>
          {projects.map((p) => (
            <option key={p.id} value={p.id}>
              {p.name}
            </option>
          ))}
        </select>
      </label>
      <label className="flex flex-col gap-1 text-sm font-medium text-slate-700">
        Proposals at most
        <input
          type="number"
          min={1}
          max={50}
          className={`${CONTROL} w-24`}
          value={maxProposals}
          onChange={(e) => setMaxProposals(Number(e.target.value))}
        />
      </label>
      <label className="flex items-center gap-2 text-sm text-slate-700">
        <input type="checkbox" checked={allowSamples} onChange={(e) => setAllowSamples(e.target.checked)} />
        Let sample values of personal data reach the model
      </label>
      <Button type="submit" disabled={!project || start.isPending}>
        Start discovery
      </Button>
    </form>
  );
}

export default function DiscoveriesPage() {
  const projects = useList<Project>({ resource: "projects", pagination: { pageSize: 200 }, sorters: [{ field: "name", order: "asc" }] });
  const projectList = useMemo(() => projects.result.data ?? [], [projects.result.data]);
  const names = useMemo(() => new Map(projectList.map((p) => [p.id, p.name])), [projectList]);
  const columns = useMemo<ColumnDef<Discovery>[]>(
    () => [
      {
        accessorKey: "created_at",
        header: "Started",
        cell: ({ row: { original: d } }) => (
          <Link to={`/discoveries/${d.id}`} className="font-medium text-indigo-700 hover:underline">
            {when(d.created_at)}
          </Link>
        ),
      },
      { accessorKey: "project_id", header: "Project", enableSorting: false, cell: ({ getValue }) => names.get(getValue<string>()) ?? "—" },
      { accessorKey: "status", header: "Status", cell: ({ getValue }) => <DiscoveryStatus status={getValue<string>()} /> },
      { accessorKey: "progress", header: "Progress", enableSorting: false },
      { accessorKey: "provider", header: "Model", enableSorting: false, cell: ({ row: { original: d } }) => d.model ?? "—" },
      {
        id: "tokens",
        header: "Tokens",
        enableSorting: false,
        cell: ({ row: { original: d } }) => (d.prompt_tokens + d.completion_tokens).toLocaleString(),
      },
    ],
    [names],
  );
  const { reactTable, refineCore } = useTable<Discovery>({
    columns,
    refineCoreProps: {
      resource: "discoveries",
      pagination: { pageSize: 25 },
      sorters: { initial: [{ field: "created_at", order: "desc" }] },
      syncWithLocation: true,
    },
  });
  const { tableQuery } = refineCore;
  return (
    <Page title="Discoveries">
      <StartForm projects={projectList} />
      <DataTable
        table={reactTable}
        caption="Discoveries"
        loading={tableQuery.isLoading}
        error={tableQuery.error?.message}
        empty="No discoveries yet: start one on a project with bronze files."
      />
    </Page>
  );
}

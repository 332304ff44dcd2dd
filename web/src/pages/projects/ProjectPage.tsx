// One project (lazy-loaded: React Flow and dagre stay out of the initial JavaScript): its
// facts, this month's cost, the runs under way, its flows (with "Run pipeline"), and its
// sections as tabs kept in the URL (`?tab=layers`): the lineage graph with a node's side
// panel, the layers browser, the scripts, the reports and the connectors. The page follows
// the project's live channel (./useProjectState), so node colours and the cost move without
// a reload.
import { useDelete, useGetIdentity, useGo, useShow } from "@refinedev/core";
import { useCallback, useState } from "react";
import { Link, useParams, useSearchParams } from "react-router";

import { Alert } from "../../components/Alert";
import { ConfirmButton } from "../../components/ConfirmButton";
import { Page } from "../../components/Page";
import { Tabs } from "../../components/Tabs";
import { formatMoney } from "../../lib/money";
import { allNodes, type ProjectState } from "../../lib/project-state";
import type { Project } from "../../lib/projects";
import { holds } from "../../lib/scopes";
import type { Identity } from "../../providers/auth";
import { ConnectorHealth } from "./ConnectorHealth";
import { CostWidget } from "./CostWidget";
import { LayersBrowser } from "./LayersBrowser";
import { LineageGraph } from "./LineageGraph";
import { NodePanel } from "./NodePanel";
import { ProjectFlows } from "./ProjectFlows";
import { ReportsTable } from "./ReportsTable";
import { ScriptViewer } from "./ScriptViewer";
import { useProjectState } from "./useProjectState";

export default function ProjectPage() {
  const { id = "" } = useParams();
  // A page per project: its live subscription is made for the project it opened with.
  return <ProjectScreen key={id} projectId={id} />;
}

function ProjectScreen({ projectId }: { projectId: string }) {
  const { data: identity } = useGetIdentity<Identity>();
  const canWrite = holds(identity, "projects:write");
  const { query } = useShow<Project>({ resource: "projects", id: projectId });
  const state = useProjectState(projectId);
  const { mutate: remove } = useDelete();
  const go = useGo();
  const [params, setParams] = useSearchParams();
  const tab = params.get("tab") ?? "lineage";
  const selectTab = (next: string) =>
    setParams(
      (current) => {
        current.set("tab", next);
        return current;
      },
      { replace: true },
    );

  const project = query.data?.data;
  const error = query.error ?? state.error;
  if (!project || !state.data) {
    if (!error) return <p className="text-slate-500">Loading…</p>;
    return (
      <Page title="Project">
        <Alert tone="error">{error.message}</Alert>
      </Page>
    );
  }

  return (
    <Page
      title={project.name}
      wide
      actions={
        canWrite && (
          <div className="flex gap-2">
            <ConfirmButton
              label="Delete"
              subject={`the project ${project.name}`}
              onConfirm={() => remove({ resource: "projects", id: project.id }, { onSuccess: () => go({ to: "/projects" }) })}
            />
            <Link
              to={`/projects/${project.id}/edit`}
              className="rounded-md bg-indigo-600 px-3 py-1.5 text-sm font-medium text-white shadow-xs hover:bg-indigo-700"
            >
              Edit
            </Link>
          </div>
        )
      }
    >
      {/* A refetch that failed leaves the last good state on screen, with the reason. */}
      {error && <Alert tone="error">{error.message}</Alert>}
      <div className="grid gap-4 lg:grid-cols-3">
        <Facts project={project} />
        <CostWidget billing={state.data.billing_mtd} />
      </div>
      <ActiveRuns jobs={state.data.active_jobs} />
      <ProjectFlows projectId={projectId} canWrite={canWrite} />
      <Tabs
        label="Project sections"
        selected={tab}
        onSelect={selectTab}
        tabs={[
          { id: "lineage", label: "Lineage", panel: () => <Lineage projectId={projectId} state={state.data} /> },
          { id: "layers", label: "Layers", panel: () => <LayersBrowser projectId={projectId} canWrite={canWrite} /> },
          { id: "scripts", label: "Scripts", panel: () => <ScriptViewer projectId={projectId} /> },
          { id: "reports", label: "Reports", panel: () => <ReportsTable projectId={projectId} /> },
          { id: "connectors", label: "Connectors", panel: () => <ConnectorHealth projectId={projectId} /> },
        ]}
      />
    </Page>
  );
}

function Facts({ project }: { project: Project }) {
  const facts: [string, string][] = [
    ["Client", project.client_name || "—"],
    ["Slug", project.slug],
    ["Status", project.status],
    ["Time zone", project.timezone],
    ["Monthly budget", project.budget_amount ? formatMoney(project.budget_amount, project.budget_currency) : "none"],
  ];
  return (
    <div className="flex flex-col gap-3 rounded-lg border border-slate-200 bg-white p-4 lg:col-span-2">
      {project.description && <p className="text-sm text-slate-700">{project.description}</p>}
      <dl className="grid grid-cols-2 gap-x-6 gap-y-2 text-sm sm:grid-cols-3">
        {facts.map(([label, value]) => (
          <div key={label}>
            <dt className="text-xs font-semibold tracking-wide text-slate-500 uppercase">{label}</dt>
            <dd>{value}</dd>
          </div>
        ))}
      </dl>
    </div>
  );
}

function ActiveRuns({ jobs }: { jobs: ProjectState["active_jobs"] }) {
  if (jobs.length === 0) return null;
  return (
    <section aria-label="Runs under way" className="flex flex-wrap items-center gap-2 text-sm">
      <span className="font-medium">Running now:</span>
      {jobs.map((job) => (
        <span key={job.id} className="rounded-full bg-blue-50 px-2.5 py-0.5 text-blue-800">
          {job.name} <span className="text-xs text-blue-600">since {new Date(job.started_at).toLocaleTimeString()}</span>
        </span>
      ))}
    </section>
  );
}

function Lineage({ projectId, state }: { projectId: string; state: ProjectState }) {
  const [selected, setSelected] = useState<string | null>(null);
  const open = useCallback((nodeId: string) => setSelected(nodeId), []);
  const node = selected ? allNodes(state).find((n) => n.id === selected) : undefined;
  return (
    <div className="flex flex-col gap-4 lg:flex-row lg:items-start">
      <div className="min-w-0 flex-1">
        <LineageGraph state={state} selected={node ? node.id : null} onOpen={open} />
      </div>
      {node && <NodePanel projectId={projectId} node={node} onOpen={open} onClose={() => setSelected(null)} />}
    </div>
  );
}

// One flow (`/flows/:id`, lazy-loaded with React Flow and dagre): its facts, "Start execution",
// and tabs kept in the URL (`?tab=`): **Definition**, the state graph of the definition being
// edited beside its JSON, with "Validate" and "Save as new version" (the errors of either
// listed by state and path, those states marked in the graph); **Executions**, this flow's,
// live; **Versions**, each saved definition, which can be opened in the editor.
import { useDelete, useGetIdentity, useGo, useInvalidate, useNotification, useOne, useShow } from "@refinedev/core";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useMemo, useState } from "react";
import { Link, useParams, useSearchParams } from "react-router";

import { unwrap } from "../../api/call";
import { api } from "../../api/instance";
import { Alert } from "../../components/Alert";
import { Button } from "../../components/Button";
import { ConfirmButton } from "../../components/ConfirmButton";
import { Page } from "../../components/Page";
import { Tabs } from "../../components/Tabs";
import {
  asApiObject,
  definitionErrorsOf,
  parseJsonObject,
  prettyJson,
  statesInError,
  type DefinitionError,
  type FlowDetail,
  type FlowVersion,
  type JsonObject,
} from "../../lib/flows";
import type { Project } from "../../lib/projects";
import { holds } from "../../lib/scopes";
import type { Identity } from "../../providers/auth";
import { DefinitionErrors } from "./DefinitionErrors";
import { ExecutionsTable, when } from "./ExecutionsTable";
import { StartExecutionDialog } from "./StartExecutionDialog";
import { StateGraph } from "./StateGraph";
import { CODE } from "./styles";

const versionsKey = (flowId: string) => ["flow-versions", flowId] as const;

export default function FlowPage() {
  const { id = "" } = useParams();
  return <FlowScreen key={id} flowId={id} />;
}

/** What the last Validate or Save found. */
type Check = { kind: "valid" } | { kind: "errors"; title: string; errors: DefinitionError[] } | { kind: "failed"; message: string };

function FlowScreen({ flowId }: { flowId: string }) {
  const { data: identity } = useGetIdentity<Identity>();
  const canWrite = holds(identity, "projects:write");
  const { query } = useShow<FlowDetail>({ resource: "flows", id: flowId });
  const { mutate: remove } = useDelete();
  const go = useGo();
  const [params, setParams] = useSearchParams();
  const tab = params.get("tab") ?? "definition";
  const selectTab = (next: string) =>
    setParams(
      (current) => {
        current.set("tab", next);
        return current;
      },
      { replace: true },
    );

  const flow = query.data?.data;
  const [draft, setDraft] = useState<string | null>(null);

  if (!flow) {
    if (!query.error) return <p className="text-slate-500">Loading…</p>;
    return (
      <Page title="Flow">
        <Alert tone="error">{query.error.message}</Alert>
      </Page>
    );
  }

  return (
    <Page
      title={flow.name}
      wide
      actions={
        canWrite && (
          <div className="flex gap-2">
            <ConfirmButton
              label="Delete"
              subject={`the flow ${flow.name}`}
              onConfirm={() => remove({ resource: "flows", id: flow.id }, { onSuccess: () => go({ to: "/flows" }) })}
            />
            <StartExecutionDialog flowId={flow.id} flowName={flow.name} />
          </div>
        )
      }
    >
      {query.error && <Alert tone="error">{query.error.message}</Alert>}
      <Facts flow={flow} />
      <Tabs
        label="Flow sections"
        selected={tab}
        onSelect={selectTab}
        tabs={[
          {
            id: "definition",
            label: "Definition",
            panel: () => <DefinitionWorkspace flow={flow} canWrite={canWrite} draft={draft} onDraft={setDraft} />,
          },
          { id: "executions", label: "Executions", panel: () => <ExecutionsTable flowId={flow.id} /> },
          {
            id: "versions",
            label: "Versions",
            panel: () => (
              <Versions
                flow={flow}
                onOpen={(version) => {
                  setDraft(prettyJson(version.definition));
                  selectTab("definition");
                }}
              />
            ),
          },
        ]}
      />
    </Page>
  );
}

function ProjectLink({ id }: { id: string }) {
  const { result: project } = useOne<Project>({ resource: "projects", id, liveMode: "off" });
  return (
    <Link to={`/projects/${id}`} className="text-indigo-700 hover:underline">
      {project?.name ?? "project"}
    </Link>
  );
}

function Facts({ flow }: { flow: FlowDetail }) {
  return (
    <div className="flex flex-col gap-3 rounded-lg border border-slate-200 bg-white p-4">
      {flow.description && <p className="text-sm text-slate-700">{flow.description}</p>}
      <dl className="grid grid-cols-2 gap-x-6 gap-y-2 text-sm sm:grid-cols-4">
        <div>
          <dt className="text-xs font-semibold tracking-wide text-slate-500 uppercase">Version</dt>
          <dd data-testid="flow-version">v{flow.current_version}</dd>
        </div>
        <div>
          <dt className="text-xs font-semibold tracking-wide text-slate-500 uppercase">Project</dt>
          <dd>{flow.project_id ? <ProjectLink id={flow.project_id} /> : "none"}</dd>
        </div>
        <div>
          <dt className="text-xs font-semibold tracking-wide text-slate-500 uppercase">Created</dt>
          <dd>{when(flow.created_at)}</dd>
        </div>
        <div>
          <dt className="text-xs font-semibold tracking-wide text-slate-500 uppercase">Updated</dt>
          <dd>{when(flow.updated_at)}</dd>
        </div>
      </dl>
    </div>
  );
}

interface WorkspaceProps {
  flow: FlowDetail;
  canWrite: boolean;
  /** The text being edited; null: the current version's, unedited (it follows new versions). */
  draft: string | null;
  onDraft: (text: string | null) => void;
}

function DefinitionWorkspace({ flow, canWrite, draft, onDraft }: WorkspaceProps) {
  const queryClient = useQueryClient();
  const invalidate = useInvalidate();
  const { open } = useNotification();
  const saved = useMemo(() => prettyJson(flow.definition), [flow.definition]);
  const text = draft ?? saved;
  const parsed = useMemo(() => parseJsonObject(text), [text]);
  const [check, setCheck] = useState<Check | null>(null);
  const marked = useMemo(() => statesInError(check?.kind === "errors" ? check.errors : []), [check]);

  const validate = useMutation({
    mutationFn: (definition: JsonObject) => unwrap(api.POST("/api/v1/orchestration/flows/validate", { body: { definition: asApiObject(definition) } })),
    onSuccess: (result) =>
      setCheck(result.valid ? { kind: "valid" } : { kind: "errors", title: "The definition has errors", errors: result.errors }),
    onError: (error) => setCheck({ kind: "failed", message: error.message }),
  });
  const save = useMutation({
    mutationFn: (definition: JsonObject) =>
      unwrap(
        api.PUT("/api/v1/orchestration/flows/{id}/definition", {
          params: { path: { id: flow.id } },
          body: { definition: asApiObject(definition), nodes: flow.nodes as Record<string, string> },
        }),
      ),
    onSuccess: (detail) => {
      setCheck(null);
      onDraft(null);
      void invalidate({ resource: "flows", id: flow.id, invalidates: ["detail", "list"] });
      void queryClient.invalidateQueries({ queryKey: versionsKey(flow.id) });
      open?.({ type: "success", key: `flow-saved-${flow.id}`, message: `Saved as version ${detail.current_version}.` });
    },
    onError: (error) => {
      const errors = definitionErrorsOf(error);
      setCheck(
        errors.length > 0 ? { kind: "errors", title: "The server refused the definition", errors } : { kind: "failed", message: error.message },
      );
    },
  });

  const run = (action: typeof validate | typeof save) => {
    if (!parsed.ok) {
      setCheck({ kind: "failed", message: parsed.message });
      return;
    }
    action.mutate(parsed.value);
  };

  return (
    <div className="grid gap-6 lg:grid-cols-2">
      <section aria-label="Graph" className="flex flex-col gap-2">
        <StateGraph definition={parsed.ok ? parsed.value : flow.definition} errors={marked} />
        {!parsed.ok && <p className="text-sm text-slate-500">The text is not a JSON object: the saved version is drawn.</p>}
      </section>
      <section aria-label="Definition" className="flex flex-col gap-3">
        <label className="flex flex-col gap-1 text-sm font-medium text-slate-700">
          Definition (JSON)
          <textarea
            rows={24}
            spellCheck={false}
            className={CODE}
            value={text}
            readOnly={!canWrite}
            aria-invalid={check !== null && check.kind !== "valid"}
            onChange={(e) => {
              setCheck(null);
              onDraft(e.target.value === saved ? null : e.target.value);
            }}
          />
        </label>
        {draft !== null && <p className="text-xs text-slate-500">Edited: not saved yet.</p>}
        <div className="flex flex-wrap gap-2">
          <Button variant="secondary" onClick={() => run(validate)} disabled={validate.isPending}>
            Validate
          </Button>
          {canWrite && (
            <Button onClick={() => run(save)} disabled={save.isPending || draft === null}>
              Save as new version
            </Button>
          )}
          {draft !== null && (
            <Button
              variant="link"
              onClick={() => {
                setCheck(null);
                onDraft(null);
              }}
            >
              Discard edits
            </Button>
          )}
        </div>
        {check?.kind === "valid" && <Alert tone="success">The definition is valid.</Alert>}
        {check?.kind === "failed" && <Alert tone="error">{check.message}</Alert>}
        {check?.kind === "errors" && <DefinitionErrors title={check.title} errors={check.errors} />}
      </section>
    </div>
  );
}

function Versions({ flow, onOpen }: { flow: FlowDetail; onOpen: (version: FlowVersion) => void }) {
  const versions = useQuery({
    queryKey: [...versionsKey(flow.id), flow.current_version],
    queryFn: () => unwrap(api.GET("/api/v1/orchestration/flows/{id}/versions", { params: { path: { id: flow.id } } })),
  });
  const sorted = [...(versions.data ?? [])].sort((a, b) => b.version - a.version);
  return (
    <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
      <table className="min-w-full divide-y divide-slate-200 text-sm">
        <caption className="sr-only">Versions of {flow.name}</caption>
        <thead className="bg-slate-50 text-left text-xs font-semibold tracking-wide text-slate-600 uppercase">
          <tr>
            <th scope="col" className="px-4 py-2">
              Version
            </th>
            <th scope="col" className="px-4 py-2">
              Saved
            </th>
            <th scope="col" className="px-4 py-2">
              States
            </th>
            <th scope="col" className="px-4 py-2">
              <span className="sr-only">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {sorted.map((v) => (
            <tr key={v.version}>
              <td className="px-4 py-2 tabular-nums">
                v{v.version} {v.version === flow.current_version && <span className="text-xs text-green-700">(current)</span>}
              </td>
              <td className="px-4 py-2">{when(v.created_at)}</td>
              <td className="px-4 py-2 tabular-nums">{Object.keys((v.definition as { States?: object }).States ?? {}).length}</td>
              <td className="px-4 py-2 text-right">
                <Button variant="link" onClick={() => onOpen(v)} aria-label={`Open version ${v.version} in the editor`}>
                  Open in editor
                </Button>
              </td>
            </tr>
          ))}
          {versions.error && (
            <tr>
              <td colSpan={4} role="alert" className="px-4 py-6 text-center text-red-700">
                {versions.error.message}
              </td>
            </tr>
          )}
          {versions.isLoading && (
            <tr>
              <td colSpan={4} className="px-4 py-6 text-center text-slate-500">
                Loading…
              </td>
            </tr>
          )}
        </tbody>
      </table>
    </div>
  );
}

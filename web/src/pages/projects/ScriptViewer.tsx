// A project's SQL scripts: the latest version of each, a chosen script's versions, and the
// chosen version's text. The text is read through a short-lived signed link
// (GET /api/v1/layers/scripts?key=…), as any reader of the object store would; a version never
// changes, so its text is fetched once. A script saved elsewhere shows up live.
import { useSubscription } from "@refinedev/core";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useId, useState } from "react";

import { unwrap } from "../../api/call";
import { api } from "../../api/instance";
import { networkError, toHttpError } from "../../api/problem";
import type { components } from "../../api/schema";
import { Alert } from "../../components/Alert";
import { formatBytes } from "../../lib/measures";

type ScriptVersion = components["schemas"]["ScriptVersion"];

const when = (value: string) => new Date(value).toLocaleString();

async function readScript(key: string): Promise<string> {
  const link = await unwrap(api.GET("/api/v1/layers/scripts", { params: { query: { key } } }));
  // The link carries its own signature: no cookie needed (nor sent across origins).
  const response = await fetch(link.url, { credentials: "same-origin" }).catch((cause: unknown) => {
    throw networkError(cause);
  });
  if (!response.ok) throw toHttpError(response.status, await response.json().catch(() => undefined));
  return response.text();
}

export function ScriptViewer({ projectId }: { projectId: string }) {
  const queryClient = useQueryClient();
  const [chosen, setChosen] = useState<{ name: string; version: number | null } | null>(null);
  const scripts = useQuery({
    queryKey: ["project-scripts", projectId],
    queryFn: () => unwrap(api.GET("/api/v1/projects/{id}/scripts", { params: { path: { id: projectId } } })),
  });
  useSubscription({
    channel: "resources/project-scripts",
    types: ["script.saved"],
    onLiveEvent: (event) => {
      const ids = (event.payload as { ids?: unknown[] } | undefined)?.ids;
      if (!Array.isArray(ids) || ids.includes(projectId)) {
        void queryClient.invalidateQueries({ queryKey: ["project-scripts", projectId] });
      }
    },
  });

  return (
    <section aria-labelledby="scripts-title" className="flex flex-col gap-4">
      <h2 id="scripts-title" className="text-lg font-semibold">
        Scripts
      </h2>
      {scripts.error && <Alert tone="error">{scripts.error.message}</Alert>}
      <div className="flex flex-col gap-4 lg:flex-row">
        <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white lg:w-96 lg:shrink-0">
          <table className="min-w-full divide-y divide-slate-200 text-sm">
            <caption className="sr-only">Scripts of this project</caption>
            <thead className="bg-slate-50 text-left text-xs font-semibold tracking-wide text-slate-600 uppercase">
              <tr>
                <th scope="col" className="px-3 py-2">
                  Script
                </th>
                <th scope="col" className="px-3 py-2">
                  Writes
                </th>
                <th scope="col" className="px-3 py-2">
                  Latest
                </th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {scripts.data?.map((s) => (
                <tr key={s.name} className={chosen?.name === s.name ? "bg-indigo-50" : ""}>
                  <td className="px-3 py-2">
                    <button
                      type="button"
                      className="font-medium text-indigo-700 hover:underline"
                      aria-pressed={chosen?.name === s.name}
                      onClick={() => setChosen({ name: s.name, version: null })}
                    >
                      {s.name}
                    </button>
                  </td>
                  <td className="px-3 py-2">{s.layer}</td>
                  <td className="px-3 py-2">v{s.version}</td>
                </tr>
              ))}
              {scripts.data?.length === 0 && (
                <tr>
                  <td colSpan={3} className="px-3 py-6 text-center text-slate-500">
                    No scripts yet. They are saved through the API: <code>PUT …/scripts/{"{name}"}</code>.
                  </td>
                </tr>
              )}
            </tbody>
          </table>
        </div>
        {chosen && (
          <ScriptVersions
            projectId={projectId}
            name={chosen.name}
            version={chosen.version}
            onVersion={(version) => setChosen({ name: chosen.name, version })}
          />
        )}
      </div>
    </section>
  );
}

interface ScriptVersionsProps {
  projectId: string;
  name: string;
  /** The version shown; null for the latest. */
  version: number | null;
  onVersion: (version: number) => void;
}

function ScriptVersions({ projectId, name, version, onVersion }: ScriptVersionsProps) {
  const versionId = useId();
  const versions = useQuery({
    // Under the scripts' key, so that a script saved elsewhere refreshes its versions too.
    queryKey: ["project-scripts", projectId, name],
    queryFn: () =>
      unwrap(api.GET("/api/v1/projects/{id}/scripts/{name}/versions", { params: { path: { id: projectId, name } } })),
    // Refine's default keeps the last key's data while a new key loads: not another script's
    // versions, nor below another version's text.
    placeholderData: undefined,
  });
  const shown: ScriptVersion | undefined =
    versions.data?.find((v) => v.version === version) ?? (version === null ? versions.data?.[0] : undefined);
  const sql = useQuery({
    queryKey: ["script-text", shown?.key],
    queryFn: () => readScript(shown?.key ?? ""),
    enabled: shown !== undefined,
    staleTime: Infinity,
    placeholderData: undefined,
  });

  return (
    <section aria-label={`Script ${name}`} className="flex min-w-0 flex-1 flex-col gap-3 rounded-lg border border-slate-200 bg-white p-4">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <h3 className="font-semibold">
          <code>{name}</code>
          {shown && <span className="ml-2 text-sm font-normal text-slate-500">version {shown.version}</span>}
        </h3>
        <span className="flex items-center gap-2 text-sm">
          <label htmlFor={versionId}>Version</label>
          <select
            id={versionId}
            className="rounded-md border border-slate-300 bg-white px-2 py-1 text-sm"
            value={shown?.version ?? ""}
            onChange={(e) => onVersion(Number(e.target.value))}
          >
            {versions.data?.map((v) => (
              <option key={v.version} value={v.version}>
                v{v.version} — {when(v.created_at)}
              </option>
            ))}
          </select>
        </span>
      </div>
      {versions.error && <Alert tone="error">{versions.error.message}</Alert>}
      {shown && (
        <p className="text-xs text-slate-500">
          Writes {shown.layer} · {formatBytes(shown.size)} · saved {when(shown.created_at)} ·{" "}
          <span title="SHA-256 of the text">sha256 {shown.sha256.slice(0, 12)}…</span>
        </p>
      )}
      {sql.error && <Alert tone="error">{sql.error.message}</Alert>}
      <pre
        aria-label={shown ? `SQL of ${name} version ${shown.version}` : `SQL of ${name}`}
        aria-busy={sql.isLoading}
        className="max-h-[28rem] overflow-auto rounded-md bg-slate-900 p-3 text-xs leading-relaxed text-slate-100"
      >
        <code>{sql.data ?? (sql.isLoading || versions.isLoading ? "Loading…" : "")}</code>
      </pre>
    </section>
  );
}

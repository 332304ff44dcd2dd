// A project's files, layer by layer: the list (name, format, size, modified), download,
// delete, a preview of the first rows (CSV, JSON lines, Parquet), and the upload into bronze, with
// its progress and the server's refusal (a file of the wrong type is a 415) shown in place.
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";

import { unwrap } from "../../api/call";
import { api, session } from "../../api/instance";
import { isApiError } from "../../api/problem";
import type { components } from "../../api/schema";
import { upload } from "../../api/upload";
import { Alert } from "../../components/Alert";
import { Button } from "../../components/Button";
import { ConfirmButton } from "../../components/ConfirmButton";
import { LAYERS, type Layer } from "../../lib/lineage";
import { formatBytes } from "../../lib/measures";

type LayerObject = components["schemas"]["LayerObject"];

const UPLOAD_TYPES = ".csv,.jsonl,.ndjson,.parquet";
const PREVIEW_ROWS = 20;

const objectsUrl = (projectId: string, layer: Layer) =>
  `/api/v1/projects/${encodeURIComponent(projectId)}/layers/${layer}/objects`;
const objectUrl = (projectId: string, layer: Layer, name: string) =>
  `${objectsUrl(projectId, layer)}/${encodeURIComponent(name)}`;

export function LayersBrowser({ projectId, canWrite }: { projectId: string; canWrite: boolean }) {
  const queryClient = useQueryClient();
  const [layer, setLayer] = useState<Layer>("bronze");
  const [previewed, setPreviewed] = useState<string | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const key = ["layer-objects", projectId, layer];
  const objects = useQuery({
    queryKey: key,
    queryFn: () =>
      unwrap(api.GET("/api/v1/projects/{id}/layers/{layer}/objects", { params: { path: { id: projectId, layer } } })),
    // Refine's default keeps the last key's data while a new key loads: bronze's files must
    // not show as silver's.
    placeholderData: undefined,
  });
  const refresh = () => queryClient.invalidateQueries({ queryKey: key });

  const remove = async (object: LayerObject) => {
    setFailure(null);
    try {
      await unwrap(
        api.DELETE("/api/v1/projects/{id}/layers/{layer}/objects/{name}", {
          params: { path: { id: projectId, layer, name: object.name } },
        }),
      );
      if (previewed === object.name) setPreviewed(null);
    } catch (error) {
      setFailure(isApiError(error) ? error.message : String(error));
    }
    await refresh();
  };

  const choose = (next: Layer) => {
    setLayer(next);
    setPreviewed(null);
    setFailure(null);
  };

  return (
    <section aria-labelledby="layers-title" className="flex flex-col gap-4">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <h2 id="layers-title" className="text-lg font-semibold">
          Layers
        </h2>
        <div role="radiogroup" aria-label="Layer" className="inline-flex overflow-hidden rounded-md border border-slate-300">
          {LAYERS.map((l) => (
            <label
              key={l}
              className="relative px-3 py-1.5 text-sm capitalize has-checked:bg-indigo-600 has-checked:text-white has-focus-visible:outline-2 has-focus-visible:outline-indigo-600"
            >
              {/* The radio covers its label, unseen: a click lands on it, the label shows the state. */}
              <input
                type="radio"
                name="layer"
                value={l}
                checked={layer === l}
                onChange={() => choose(l)}
                className="absolute inset-0 cursor-pointer appearance-none opacity-0"
              />
              {l}
            </label>
          ))}
        </div>
      </div>
      {layer === "bronze" && canWrite && <UploadForm projectId={projectId} onUploaded={refresh} />}
      {failure && <Alert tone="error">{failure}</Alert>}
      <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
        <table className="min-w-full divide-y divide-slate-200 text-sm" aria-busy={objects.isLoading}>
          <caption className="sr-only">Files in {layer}</caption>
          <thead className="bg-slate-50 text-left text-xs font-semibold tracking-wide text-slate-600 uppercase">
            <tr>
              <th scope="col" className="px-4 py-2">
                Name
              </th>
              <th scope="col" className="px-4 py-2">
                Format
              </th>
              <th scope="col" className="px-4 py-2">
                Size
              </th>
              <th scope="col" className="px-4 py-2">
                Modified
              </th>
              <th scope="col" className="px-4 py-2">
                <span className="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {objects.data?.map((o) => (
              <tr key={o.key}>
                <td className="px-4 py-2">
                  <a href={objectUrl(projectId, layer, o.name)} download={o.name} className="text-indigo-700 hover:underline">
                    {o.name}
                  </a>
                </td>
                <td className="px-4 py-2">{o.format ?? "—"}</td>
                <td className="px-4 py-2 tabular-nums">{formatBytes(o.size)}</td>
                <td className="px-4 py-2">{new Date(o.last_modified).toLocaleString()}</td>
                <td className="px-4 py-2">
                  <span className="flex justify-end gap-1">
                    {o.format && (
                      <Button variant="secondary" aria-label={`Preview ${o.name}`} onClick={() => setPreviewed(o.name)}>
                        Preview
                      </Button>
                    )}
                    {canWrite && <ConfirmButton label="Delete" subject={o.name} onConfirm={() => void remove(o)} />}
                  </span>
                </td>
              </tr>
            ))}
            {!objects.data?.length && (
              <tr>
                {objects.error ? (
                  <td colSpan={5} role="alert" className="px-4 py-6 text-center text-red-700">
                    {objects.error.message}
                  </td>
                ) : (
                  <td colSpan={5} className="px-4 py-6 text-center text-slate-500">
                    {objects.isLoading ? "Loading…" : `No files in ${layer} yet.`}
                  </td>
                )}
              </tr>
            )}
          </tbody>
        </table>
      </div>
      {previewed && (
        <Preview projectId={projectId} layer={layer} name={previewed} onClose={() => setPreviewed(null)} />
      )}
    </section>
  );
}

function UploadForm({ projectId, onUploaded }: { projectId: string; onUploaded: () => void }) {
  const [file, setFile] = useState<File | null>(null);
  const [progress, setProgress] = useState<{ sent: number; total: number } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [inputKey, setInputKey] = useState(0);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!file) return;
    const form = new FormData();
    form.append("file", file);
    setError(null);
    setDone(null);
    setProgress({ sent: 0, total: file.size });
    try {
      const stored = await upload<LayerObject>(`${objectsUrl(projectId, "bronze")}`, form, {
        onProgress: (sent, total) => setProgress({ sent, total }),
        refresh: () => session.refresh(),
      });
      setDone(`${stored.name} uploaded (${formatBytes(stored.size)}).`);
      setFile(null);
      // A new input: the chosen file is forgotten.
      setInputKey((k) => k + 1);
      onUploaded();
    } catch (failure) {
      setError(isApiError(failure) ? failure.message : String(failure));
    } finally {
      setProgress(null);
    }
  };

  return (
    <form
      aria-label="Upload to bronze"
      className="flex flex-col gap-3 rounded-lg border border-slate-200 bg-white p-4"
      onSubmit={submit}
    >
      <div className="flex flex-wrap items-end gap-3">
        <label className="flex flex-col gap-1 text-sm font-medium text-slate-700">
          File to upload
          <input
            key={inputKey}
            type="file"
            accept={UPLOAD_TYPES}
            className="text-sm"
            onChange={(e) => {
              setFile(e.target.files?.[0] ?? null);
              setError(null);
              setDone(null);
            }}
          />
        </label>
        <Button type="submit" disabled={!file || progress !== null}>
          {progress ? "Uploading…" : "Upload"}
        </Button>
      </div>
      <p className="text-xs text-slate-500">CSV, JSON lines (.jsonl, .ndjson) or Parquet; a file of the same name is replaced.</p>
      {progress && (
        <progress aria-label="Upload progress" className="w-full" value={progress.sent} max={progress.total || 1} />
      )}
      {error && <Alert tone="error">{error}</Alert>}
      {done && <Alert tone="success">{done}</Alert>}
    </form>
  );
}

function Preview({ projectId, layer, name, onClose }: { projectId: string; layer: Layer; name: string; onClose: () => void }) {
  const preview = useQuery({
    queryKey: ["layer-preview", projectId, layer, name],
    queryFn: () =>
      unwrap(
        api.GET("/api/v1/projects/{id}/layers/{layer}/objects/{name}/preview", {
          params: { path: { id: projectId, layer, name }, query: { limit: PREVIEW_ROWS } },
        }),
      ),
    // Not the previous file's rows under this file's name (Refine keeps them by default).
    placeholderData: undefined,
  });
  const p = preview.data;
  return (
    <section aria-label={`Preview of ${name}`} className="flex flex-col gap-2 rounded-lg border border-slate-200 bg-white p-4">
      <div className="flex items-center justify-between">
        <h3 className="font-semibold">
          Preview of <code>{name}</code>
        </h3>
        <Button variant="secondary" onClick={onClose}>
          Close preview
        </Button>
      </div>
      {preview.error && <Alert tone="error">{preview.error.message}</Alert>}
      {preview.isLoading && <p className="text-sm text-slate-500">Loading…</p>}
      {p && (
        <>
          <div className="overflow-x-auto">
            <table className="min-w-full text-sm">
              <caption className="sr-only">First rows of {name}</caption>
              <thead className="bg-slate-50 text-left text-xs text-slate-600">
                <tr>
                  {p.columns.map((c) => (
                    <th key={c} scope="col" className="px-2 py-1 font-semibold">
                      {c}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100 font-mono text-xs">
                {p.rows.map((row, i) => (
                  <tr key={i}>
                    {row.map((value, j) => (
                      <td key={j} className="px-2 py-1 whitespace-nowrap">
                        {value ?? <span className="text-slate-400">null</span>}
                      </td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <p className="text-xs text-slate-500">
            {p.rows.length} row{p.rows.length === 1 ? "" : "s"} shown{p.truncated ? "; the file has more." : "."}
          </p>
        </>
      )}
    </section>
  );
}

// The CSV import wizard: choose a file, map its columns to lead fields and pick what to do
// with duplicates, upload (a job imports it), follow its progress, and read the result.
import { useInvalidate } from "@refinedev/core";
import { useQuery } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { Link } from "react-router";

import { unwrap } from "../../api/call";
import { api } from "../../api/instance";
import { isApiError } from "../../api/problem";
import type { components } from "../../api/schema";
import { Alert } from "../../components/Alert";
import { Button } from "../../components/Button";
import { Page } from "../../components/Page";
import { csvHeader, guessField, IMPORTABLE_FIELDS, mappingJson } from "../../lib/csv";

type LeadImport = components["schemas"]["LeadImport"];

const POLICIES = [
  ["skip", "Skip the row (keep the existing lead)"],
  ["update", "Update the existing lead"],
  ["create", "Fail the row (report it)"],
] as const;

const POLL_MS = 500;
const CONTROL = "rounded-md border border-slate-300 bg-white px-2 py-1 text-sm";

export default function ImportWizardPage() {
  const [file, setFile] = useState<File | null>(null);
  const [columns, setColumns] = useState<string[]>([]);
  const [mapping, setMapping] = useState<Record<string, string>>({});
  const [policy, setPolicy] = useState("skip");
  const [uploading, setUploading] = useState(false);
  const [error, setError] = useState<{ message: string; errors?: Record<string, unknown> } | null>(null);
  const [importId, setImportId] = useState<string | null>(null);

  const choose = async (chosen: File | null) => {
    setFile(chosen);
    setError(null);
    if (!chosen) return setColumns([]);
    // The header is in the first few kilobytes.
    const header = csvHeader(await chosen.slice(0, 64 * 1024).text());
    setColumns(header);
    setMapping(Object.fromEntries(header.map((column) => [column, guessField(column)])));
  };

  const upload = async (e: FormEvent) => {
    e.preventDefault();
    if (!file) return;
    const form = new FormData();
    form.append("file", file);
    form.append("mapping", mappingJson(mapping));
    form.append("on_duplicate", policy);
    setUploading(true);
    setError(null);
    try {
      const created = await unwrap(
        api.POST("/api/v1/leads/imports", {
          body: form as never,
          // Sent as multipart as it is; the browser sets the boundary.
          bodySerializer: (body: unknown) => body as FormData,
        }),
      );
      setImportId(created.id);
    } catch (failure) {
      setError(isApiError(failure) ? { message: failure.message, errors: failure.errors ?? {} } : { message: String(failure) });
    } finally {
      setUploading(false);
    }
  };

  if (importId) {
    return (
      <Page title="Import leads">
        <Progress id={importId} />
      </Page>
    );
  }

  const used = Object.values(mapping).filter(Boolean);
  return (
    <Page title="Import leads">
      <form aria-label="Import a CSV file" className="flex max-w-3xl flex-col gap-6" onSubmit={upload}>
        <fieldset className="flex flex-col gap-2">
          <legend className="mb-1 font-semibold">1. File</legend>
          <label className="flex flex-col gap-1 text-sm font-medium text-slate-700">
            CSV file
            <input type="file" accept=".csv,text/csv" onChange={(e) => void choose(e.target.files?.[0] ?? null)} />
          </label>
          <p className="text-xs text-slate-500">UTF-8, comma-separated, with a header row; up to 50 MB.</p>
        </fieldset>

        {columns.length > 0 && (
          <fieldset>
            <legend className="mb-2 font-semibold">2. Columns</legend>
            <table className="min-w-full text-sm">
              <thead className="text-left text-xs text-slate-600 uppercase">
                <tr>
                  <th scope="col" className="py-1">Column in the file</th>
                  <th scope="col" className="py-1">Lead field</th>
                </tr>
              </thead>
              <tbody>
                {columns.map((column) => (
                  <tr key={column}>
                    <td className="py-1 pr-4">
                      <code>{column}</code>
                    </td>
                    <td className="py-1">
                      <select
                        aria-label={`Field for column ${column}`}
                        className={CONTROL}
                        value={mapping[column] ?? ""}
                        onChange={(e) => setMapping((m) => ({ ...m, [column]: e.target.value }))}
                      >
                        <option value="">— do not import —</option>
                        {IMPORTABLE_FIELDS.map((field) => (
                          <option key={field} value={field} disabled={field !== mapping[column] && used.includes(field)}>
                            {field}
                          </option>
                        ))}
                      </select>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </fieldset>
        )}

        {columns.length > 0 && (
          <fieldset className="flex flex-col gap-1">
            <legend className="mb-1 font-semibold">3. When a row's email belongs to an existing lead</legend>
            {POLICIES.map(([value, label]) => (
              <label key={value} className="flex items-center gap-2 text-sm">
                <input type="radio" name="on_duplicate" value={value} checked={policy === value} onChange={() => setPolicy(value)} />
                {label}
              </label>
            ))}
          </fieldset>
        )}

        {error && (
          <Alert tone="error">
            {error.message}
            {Object.entries(error.errors ?? {}).map(([field, messages]) => (
              <span key={field} className="block">
                {field}: {Array.isArray(messages) ? messages.join(" ") : String(messages)}
              </span>
            ))}
          </Alert>
        )}
        <div>
          <Button type="submit" disabled={!file || used.length === 0 || uploading}>
            {uploading ? "Uploading…" : "Import"}
          </Button>
        </div>
      </form>
    </Page>
  );
}

function Progress({ id }: { id: string }) {
  const invalidate = useInvalidate();
  const done = (state?: string) => state === "succeeded" || state === "failed";
  const job = useQuery({
    queryKey: ["lead-import", id],
    queryFn: async () => {
      const found = await unwrap(api.GET("/api/v1/leads/imports/{id}", { params: { path: { id } } }));
      if (done(found.state)) void invalidate({ resource: "leads", invalidates: ["list"] });
      return found;
    },
    refetchInterval: (query) => (done(query.state.data?.state) ? false : POLL_MS),
  });
  const run: LeadImport | undefined = job.data;
  if (job.error) return <Alert tone="error">{job.error.message}</Alert>;
  if (!run) return <p className="text-slate-500">Starting…</p>;

  const total = run.total_rows ?? undefined;
  const finished = done(run.state);
  return (
    <section aria-labelledby="import-title" className="flex max-w-3xl flex-col gap-4">
      <h2 id="import-title" className="text-lg font-semibold">
        {run.filename}
      </h2>
      <div className="flex flex-col gap-1">
        <progress
          aria-label="Import progress"
          className="h-3 w-full"
          value={finished ? 1 : total ? run.processed : undefined}
          max={finished ? 1 : total}
        />
        <p className="text-sm text-slate-600" data-testid="import-state" aria-live="polite">
          {run.state === "queued" && "Waiting to start…"}
          {run.state === "running" && `${run.processed}${total ? ` of ${total}` : ""} rows…`}
          {run.state === "succeeded" && `Done: ${run.processed} rows.`}
          {run.state === "failed" && `The import failed: ${run.error ?? "the file could not be read"}.`}
        </p>
      </div>
      {finished && (
        <>
          <dl aria-label="Import result" className="grid grid-cols-4 gap-3 text-center">
            {(
              [
                ["Created", run.created],
                ["Updated", run.updated],
                ["Skipped", run.skipped],
                ["Failed", run.failed],
              ] as const
            ).map(([label, count]) => (
              <div key={label} className="rounded-lg border border-slate-200 bg-white p-3">
                <dt className="text-xs font-semibold text-slate-500 uppercase">{label}</dt>
                <dd className="text-2xl font-semibold" data-testid={`import-${label.toLowerCase()}`}>
                  {count}
                </dd>
              </div>
            ))}
          </dl>
          {run.failures.length > 0 && (
            <table className="min-w-full text-sm">
              <caption className="mb-1 text-left font-semibold">Rejected rows</caption>
              <thead className="text-left text-xs text-slate-600 uppercase">
                <tr>
                  <th scope="col">Row</th>
                  <th scope="col">Why</th>
                </tr>
              </thead>
              <tbody>
                {run.failures.map((failure) => (
                  <tr key={failure.row}>
                    <td className="pr-4">{failure.row}</td>
                    <td>{failure.reason}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          <Link to="/leads" className="text-indigo-700 hover:underline">
            See the leads
          </Link>
        </>
      )}
    </section>
  );
}

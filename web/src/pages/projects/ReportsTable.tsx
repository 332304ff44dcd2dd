// A project's reports, the latest revision of each (GET /api/v1/reports/latest): title, kind,
// revision and when it was written, with its data on demand. Reports are written in batches by
// the project's flows (POST /api/v1/reports); a batch written elsewhere shows up live.
import { useSubscription } from "@refinedev/core";
import { useQuery, useQueryClient } from "@tanstack/react-query";

import { unwrap } from "../../api/call";
import { api } from "../../api/instance";
import { Alert } from "../../components/Alert";

const when = (value: string) => new Date(value).toLocaleString();

export function ReportsTable({ projectId }: { projectId: string }) {
  const queryClient = useQueryClient();
  const key = ["project-reports", projectId];
  const reports = useQuery({
    queryKey: key,
    queryFn: () => unwrap(api.GET("/api/v1/reports/latest", { params: { query: { project: projectId } } })),
  });
  // The event names the reports, not their project: any batch refreshes the list.
  useSubscription({
    channel: "resources/reports",
    types: ["report.upserted"],
    onLiveEvent: () => void queryClient.invalidateQueries({ queryKey: ["project-reports", projectId] }),
  });

  return (
    <section aria-labelledby="reports-title" className="flex flex-col gap-4">
      <h2 id="reports-title" className="text-lg font-semibold">
        Reports
      </h2>
      {reports.error && <Alert tone="error">{reports.error.message}</Alert>}
      <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
        <table className="min-w-full divide-y divide-slate-200 text-sm" aria-busy={reports.isLoading}>
          <caption className="sr-only">Reports of this project</caption>
          <thead className="bg-slate-50 text-left text-xs font-semibold tracking-wide text-slate-600 uppercase">
            <tr>
              <th scope="col" className="px-4 py-2">
                Title
              </th>
              <th scope="col" className="px-4 py-2">
                Kind
              </th>
              <th scope="col" className="px-4 py-2">
                Revision
              </th>
              <th scope="col" className="px-4 py-2">
                Updated
              </th>
              <th scope="col" className="px-4 py-2">
                Data
              </th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {reports.data?.map((r) => (
              <tr key={r.id} className="align-top">
                <td className="px-4 py-2">
                  <span className="font-medium">{r.title}</span>
                  <code className="block text-xs text-slate-500">{r.slug}</code>
                </td>
                <td className="px-4 py-2">{r.kind}</td>
                <td className="px-4 py-2 tabular-nums">{r.revision}</td>
                <td className="px-4 py-2">{when(r.updated_at)}</td>
                <td className="px-4 py-2">
                  <details>
                    <summary className="cursor-pointer text-indigo-700">Show</summary>
                    <pre className="mt-1 max-h-64 max-w-md overflow-auto rounded bg-slate-50 p-2 text-xs">
                      {JSON.stringify(r.data, null, 2)}
                    </pre>
                  </details>
                </td>
              </tr>
            ))}
            {reports.data?.length === 0 && (
              <tr>
                <td colSpan={5} className="px-4 py-6 text-center text-slate-500">
                  No reports yet.
                </td>
              </tr>
            )}
            {reports.isLoading && (
              <tr>
                <td colSpan={5} className="px-4 py-6 text-center text-slate-500">
                  Loading…
                </td>
              </tr>
            )}
          </tbody>
        </table>
      </div>
    </section>
  );
}

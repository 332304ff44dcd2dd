// Whether the systems a project depends on answer now (GET /api/v1/layers/health/connectors):
// the object store, mail, and the project's own connectors, each checked when asked.
import { useQuery } from "@tanstack/react-query";

import { unwrap } from "../../api/call";
import { api } from "../../api/instance";
import { Alert } from "../../components/Alert";
import { Button } from "../../components/Button";

const TONE: Record<string, string> = { up: "text-green-700", down: "text-red-700", timeout: "text-amber-700" };

export function ConnectorHealth({ projectId }: { projectId: string }) {
  const health = useQuery({
    queryKey: ["connector-health", projectId],
    queryFn: () => unwrap(api.GET("/api/v1/layers/health/connectors", { params: { query: { project: projectId } } })),
    // Each answer is a fresh round of checks: not repeated on every focus of the window.
    staleTime: 60_000,
  });

  return (
    <section aria-labelledby="connectors-title" className="flex flex-col gap-4">
      <div className="flex items-center justify-between">
        <h2 id="connectors-title" className="text-lg font-semibold">
          Connectors
        </h2>
        <Button variant="secondary" disabled={health.isFetching} onClick={() => void health.refetch()}>
          {health.isFetching ? "Checking…" : "Check again"}
        </Button>
      </div>
      {health.error && <Alert tone="error">{health.error.message}</Alert>}
      <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
        <table className="min-w-full divide-y divide-slate-200 text-sm" aria-busy={health.isFetching}>
          <caption className="sr-only">Connector health</caption>
          <thead className="bg-slate-50 text-left text-xs font-semibold tracking-wide text-slate-600 uppercase">
            <tr>
              <th scope="col" className="px-4 py-2">
                Name
              </th>
              <th scope="col" className="px-4 py-2">
                Kind
              </th>
              <th scope="col" className="px-4 py-2">
                Status
              </th>
              <th scope="col" className="px-4 py-2">
                Latency
              </th>
              <th scope="col" className="px-4 py-2">
                Checked
              </th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {health.data?.map((c) => (
              <tr key={c.name}>
                <td className="px-4 py-2 font-medium">{c.name}</td>
                <td className="px-4 py-2">{c.kind}</td>
                <td className={`px-4 py-2 ${TONE[c.status] ?? ""}`}>
                  {c.status}
                  {c.error && <span className="block text-xs">{c.error}</span>}
                </td>
                <td className="px-4 py-2 tabular-nums">{c.latency_ms} ms</td>
                <td className="px-4 py-2">{new Date(c.checked_at).toLocaleTimeString()}</td>
              </tr>
            ))}
            {health.isLoading && (
              <tr>
                <td colSpan={5} className="px-4 py-6 text-center text-slate-500">
                  Checking…
                </td>
              </tr>
            )}
          </tbody>
        </table>
      </div>
    </section>
  );
}

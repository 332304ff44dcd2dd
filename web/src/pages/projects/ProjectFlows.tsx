// The project's flows (GET /orchestration/flows?project_id=…), each linking to its page, and
// "Run pipeline": starts the first of them (POST /orchestration/run-flow) and opens the new
// execution.
import { useGo, useList, useNotification } from "@refinedev/core";
import { useMutation } from "@tanstack/react-query";
import { Link } from "react-router";

import { unwrap } from "../../api/call";
import { api } from "../../api/instance";
import { Button } from "../../components/Button";
import type { Flow } from "../../lib/flows";

export function ProjectFlows({ projectId, canWrite }: { projectId: string; canWrite: boolean }) {
  const go = useGo();
  const { open } = useNotification();
  const { result, query } = useList<Flow>({
    resource: "flows",
    filters: [{ field: "project_id", operator: "eq", value: projectId }],
    sorters: [{ field: "name", order: "asc" }],
    pagination: { pageSize: 10 },
  });
  const flows = result.data;
  const pipeline = flows[0];
  const run = useMutation({
    mutationFn: (flowId: string) => unwrap(api.POST("/api/v1/orchestration/run-flow", { body: { flow_id: flowId } })),
    onSuccess: (execution) => go({ to: `/executions/${execution.id}` }),
    onError: (error) => open?.({ type: "error", key: `run-${projectId}`, message: error.message }),
  });

  return (
    <section aria-label="Flows" className="flex flex-wrap items-center gap-3 text-sm">
      <h2 className="font-medium">Flows:</h2>
      {query.error && <span className="text-red-700">{query.error.message}</span>}
      {flows.map((flow) => (
        <Link key={flow.id} to={`/flows/${flow.id}`} className="text-indigo-700 hover:underline">
          {flow.name}
        </Link>
      ))}
      {!query.isLoading && flows.length === 0 && (
        <span className="text-slate-500">
          none yet (<Link to="/flows/create?template=data-pipeline" className="text-indigo-700 hover:underline">start from the pipeline template</Link>)
        </span>
      )}
      {canWrite && pipeline && (
        <Button variant="secondary" onClick={() => run.mutate(pipeline.id)} disabled={run.isPending} aria-label={`Run pipeline ${pipeline.name}`}>
          Run pipeline
        </Button>
      )}
    </section>
  );
}

// One discovery (`/discoveries/:id`): its status and progress (live on `resources/discoveries`,
// polled while it runs), the bronze profile it started from, and its proposals side by side:
// each one's SQL (as validated, after repairs), validation verdict, the problems of each round
// and sample rows of its result. Accepting a valid proposal puts its script and node in the
// project (linked); dismissing leaves the project as it is.
import { useGetIdentity, useNotification, useSubscription } from "@refinedev/core";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Link, useParams } from "react-router";

import { unwrap } from "../../api/call";
import { api } from "../../api/instance";
import type { components } from "../../api/schema";
import { Alert } from "../../components/Alert";
import { Button } from "../../components/Button";
import { Page } from "../../components/Page";
import { mentions } from "../../lib/execution-status";
import { holds } from "../../lib/scopes";
import type { Identity } from "../../providers/auth";
import { when } from "../orchestration/ExecutionsTable";
import { DiscoveryStatus, isRunning } from "./DiscoveryStatus";
import { ScriptDiff } from "./ScriptDiff";
import { SqlBlock } from "./SqlBlock";

type Detail = components["schemas"]["DiscoveryDetail"];
type Proposal = components["schemas"]["ProposalDetail"];
type Profile = components["schemas"]["Profile"];

interface Validation {
  verdict: "valid" | "rejected";
  sql: string;
  repairs: number;
  rows?: number | null;
  columns: { name: string; type: string }[];
  sample: Record<string, unknown>[];
  problems: string[];
  reason?: string | null;
}

const POLL_MS = 1_500;
const key = (id: string) => ["discovery", id] as const;

export default function DiscoveryPage() {
  const { id = "" } = useParams();
  const queryClient = useQueryClient();
  const query = useQuery({
    queryKey: key(id),
    queryFn: () => unwrap(api.GET("/api/v1/discoveries/{id}", { params: { path: { id } } })),
    refetchInterval: (q) => (q.state.data && isRunning(q.state.data.status) ? POLL_MS : false),
  });
  useSubscription({
    channel: "resources/discoveries",
    types: ["discovery.updated"],
    onLiveEvent: (event) => {
      if (mentions(event.payload, id)) void queryClient.invalidateQueries({ queryKey: key(id) });
    },
  });
  const detail = query.data;
  if (!detail) {
    if (!query.error) return <p className="text-slate-500">Loading…</p>;
    return (
      <Page title="Discovery">
        <Alert tone="error">{query.error.message}</Alert>
      </Page>
    );
  }
  return (
    <Page title={`Discovery of ${when(detail.created_at)}`} wide>
      <Facts detail={detail} />
      {detail.error && <Alert tone="error">{detail.error}</Alert>}
      {detail.profile && <ProfileTable profile={detail.profile} />}
      <section aria-label="Proposals" className="flex flex-col gap-3">
        <h2 className="text-lg font-semibold">Proposals</h2>
        {detail.proposals.length === 0 && <p className="text-sm text-slate-500">None yet.</p>}
        <div className="grid gap-4 xl:grid-cols-2">
          {detail.proposals.map((p) => (
            <ProposalCard key={p.id} discoveryId={detail.id} projectId={detail.project_id} proposal={p} />
          ))}
        </div>
      </section>
    </Page>
  );
}

function Facts({ detail }: { detail: Detail }) {
  return (
    <dl className="grid grid-cols-[max-content_1fr] gap-x-4 gap-y-1 text-sm">
      <dt className="text-slate-500">Status</dt>
      <dd>
        <DiscoveryStatus status={detail.status} /> <span aria-live="polite">{detail.progress}</span>
      </dd>
      <dt className="text-slate-500">Model</dt>
      <dd>{detail.model ? `${detail.model} (${detail.provider})` : "—"}</dd>
      <dt className="text-slate-500">Tokens</dt>
      <dd>
        {detail.prompt_tokens.toLocaleString()} in, {detail.completion_tokens.toLocaleString()} out
        {detail.cost ? ` · cost ${detail.cost}` : ""}
      </dd>
      <dt className="text-slate-500">Samples to the model</dt>
      <dd>{detail.allow_samples ? "unmasked" : "personal data masked"}</dd>
    </dl>
  );
}

function ProfileTable({ profile }: { profile: Profile }) {
  return (
    <section aria-label="Bronze profile" className="flex flex-col gap-2">
      <h2 className="text-lg font-semibold">Bronze profile</h2>
      <div className="grid gap-3 lg:grid-cols-3">
        {profile.tables.map((t) => (
          <div key={t.name} className="overflow-x-auto rounded-md border border-slate-200 p-2 text-sm">
            <h3 className="font-medium">
              bronze.{t.name} <span className="text-slate-500">· {t.rows.toLocaleString()} rows</span>
            </h3>
            <table className="mt-1 min-w-full text-xs">
              <caption className="sr-only">Columns of bronze.{t.name}</caption>
              <thead className="text-left text-slate-500">
                <tr>
                  <th scope="col">Column</th>
                  <th scope="col">Type</th>
                  <th scope="col">Nulls</th>
                  <th scope="col">Distinct</th>
                </tr>
              </thead>
              <tbody>
                {t.columns.map((c) => (
                  <tr key={c.name}>
                    <td>
                      {c.name}
                      {t.keys[0] === c.name && <span className="ml-1 text-slate-500">(key)</span>}
                      {c.sensitive && <span className="ml-1 text-amber-700">({c.sensitive}, masked)</span>}
                    </td>
                    <td className="font-mono">{c.type}</td>
                    <td>{Math.round(c.null_rate * 100)}%</td>
                    <td>{c.distinct.toLocaleString()}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ))}
      </div>
      {profile.joins.length > 0 && (
        <p className="text-sm text-slate-600">
          Join keys:{" "}
          {profile.joins.map((j) => `${j.from_table}.${j.from_column} → ${j.to_table}.${j.to_column}`).join(", ")}
        </p>
      )}
    </section>
  );
}

function Decide({ discoveryId, proposal }: { discoveryId: string; proposal: Proposal }) {
  const queryClient = useQueryClient();
  const { open } = useNotification();
  const { data: identity } = useGetIdentity<Identity>();
  const decide = useMutation({
    mutationFn: (what: "accept" | "dismiss") => {
      const params = { path: { id: discoveryId, proposal_id: proposal.id } };
      return unwrap(
        what === "accept"
          ? api.POST("/api/v1/discoveries/{id}/proposals/{proposal_id}/accept", { params })
          : api.POST("/api/v1/discoveries/{id}/proposals/{proposal_id}/dismiss", { params }),
      );
    },
    onSuccess: (decided) => {
      const message = decided.adopted
        ? `${proposal.layer}.${proposal.name} added to the project as ${decided.adopted.node} (script v${decided.adopted.script_version}).`
        : `${proposal.layer}.${proposal.name} dismissed.`;
      open?.({ type: "success", key: `proposal-${proposal.id}`, message });
      void queryClient.invalidateQueries({ queryKey: key(discoveryId) });
    },
    onError: (error: Error) => open?.({ type: "error", key: `proposal-${proposal.id}`, message: error.message }),
  });
  if (!holds(identity, "projects:write") || !["valid", "rejected"].includes(proposal.status)) return null;
  return (
    <div className="flex gap-2">
      {proposal.status === "valid" && (
        <Button onClick={() => decide.mutate("accept")} disabled={decide.isPending}>
          Accept
        </Button>
      )}
      <Button variant="secondary" onClick={() => decide.mutate("dismiss")} disabled={decide.isPending}>
        Dismiss
      </Button>
    </div>
  );
}

function ProposalCard({ discoveryId, projectId, proposal }: { discoveryId: string; projectId: string; proposal: Proposal }) {
  const validation = proposal.validation as Validation | null | undefined;
  const sample = validation?.sample ?? [];
  // In the table's own column order (a row's keys come back sorted).
  const columns = validation?.columns.length ? validation.columns.map((c) => c.name) : Object.keys(sample[0] ?? {});
  return (
    <article aria-label={`${proposal.layer}.${proposal.name}`} className="flex flex-col gap-2 rounded-md border border-slate-200 p-3">
      <header className="flex items-center justify-between gap-2">
        <h3 className="font-mono font-semibold">
          {proposal.layer}.{proposal.name}
        </h3>
        <DiscoveryStatus status={proposal.status} />
      </header>
      <p className="text-sm text-slate-700">{proposal.description}</p>
      <SqlBlock sql={validation?.sql ?? proposal.sql} label={`SQL of ${proposal.layer}.${proposal.name}`} />
      {proposal.existing && (
        <details className="text-sm">
          <summary>
            Changes against the project's script {proposal.existing.name} v{proposal.existing.version}
          </summary>
          <ScriptDiff
            before={proposal.existing.sql}
            after={validation?.sql ?? proposal.sql}
            label={`Diff of ${proposal.layer}.${proposal.name} against ${proposal.existing.name} v${proposal.existing.version}`}
          />
        </details>
      )}
      {validation && (
        <p className="text-xs text-slate-600">
          {validation.rows != null ? `${validation.rows.toLocaleString()} rows` : "not run"}
          {validation.repairs > 0 ? ` · repaired ${validation.repairs}×` : ""}
        </p>
      )}
      {validation?.reason && <Alert tone="error">{validation.reason}</Alert>}
      {validation && validation.problems.length > 0 && validation.verdict === "valid" && (
        <details className="text-xs text-slate-600">
          <summary>Problems repaired</summary>
          <ol className="list-decimal pl-5">
            {validation.problems.map((p, i) => (
              <li key={i} className="break-words">
                {p}
              </li>
            ))}
          </ol>
        </details>
      )}
      <Decide discoveryId={discoveryId} proposal={proposal} />
      {proposal.status === "accepted" && (
        <p className="text-sm">
          In the project:{" "}
          <Link to={`/projects/${projectId}`} className="text-indigo-700 hover:underline">
            see its tree
          </Link>
        </p>
      )}
      {sample.length > 0 && (
        <div className="overflow-x-auto">
          <table className="min-w-full text-xs">
            <caption className="sr-only">Sample rows of {proposal.name}</caption>
            <thead className="text-left text-slate-500">
              <tr>
                {columns.map((c) => (
                  <th key={c} scope="col" className="pr-3">
                    {c}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {sample.slice(0, 5).map((row, i) => (
                <tr key={i}>
                  {columns.map((c) => (
                    <td key={c} className="pr-3 font-mono">
                      {row[c] == null ? "∅" : String(row[c])}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </article>
  );
}

// One lead: its fields and its timeline (notes, tasks with a due date and done, and the
// system's entries), where a note or a task is added.
import { useDelete, useGetIdentity, useGo, useNotification, useShow, useSubscription } from "@refinedev/core";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { Link, useParams } from "react-router";

import { unwrap } from "../../api/call";
import { api } from "../../api/instance";
import type { components } from "../../api/schema";
import { Alert } from "../../components/Alert";
import { Button } from "../../components/Button";
import { ConfirmButton } from "../../components/ConfirmButton";
import { TextField } from "../../components/Field";
import { Page } from "../../components/Page";
import { fieldError } from "../../lib/field-errors";
import { leadName, type Lead } from "../../lib/leads";
import { holds } from "../../lib/scopes";
import type { Identity } from "../../providers/auth";

type Entry = components["schemas"]["TimelineEntry"];

const when = (value: string | null | undefined) => (value ? new Date(value).toLocaleString() : "—");

export function LeadShowPage() {
  const { id = "" } = useParams();
  const { data: identity } = useGetIdentity<Identity>();
  const canWrite = holds(identity, "leads:write");
  const { query } = useShow<Lead>({ resource: "leads", id });
  const { mutate: remove } = useDelete();
  const go = useGo();
  const lead = query.data?.data;

  if (query.error) {
    return (
      <Page title="Lead">
        <Alert tone="error">{query.error.message}</Alert>
      </Page>
    );
  }
  if (!lead) return <p className="text-slate-500">Loading…</p>;

  const facts: [string, string | number | null | undefined][] = [
    ["Email", lead.email],
    ["Phone", lead.phone],
    ["Company", lead.company],
    ["Job title", lead.title],
    ["Website", lead.website],
    ["Source", lead.source],
    ["Status", lead.status],
    ["Score", lead.score],
    ["Tags", lead.tags.join(", ")],
    ["Created", when(lead.created_at)],
    ["Updated", when(lead.updated_at)],
    ["Version", lead.version],
  ];

  return (
    <Page
      title={leadName(lead)}
      actions={
        canWrite && (
          <div className="flex gap-2">
            <ConfirmButton
              label="Move to trash"
              subject={leadName(lead)}
              onConfirm={() =>
                remove({ resource: "leads", id: lead.id }, { onSuccess: () => go({ to: "/leads" }) })
              }
            />
            <Link
              to={`/leads/${lead.id}/edit`}
              className="rounded-md bg-indigo-600 px-3 py-1.5 text-sm font-medium text-white shadow-xs hover:bg-indigo-700"
            >
              Edit
            </Link>
          </div>
        )
      }
    >
      <dl className="grid grid-cols-2 gap-x-6 gap-y-2 rounded-lg border border-slate-200 bg-white p-4 text-sm sm:grid-cols-3">
        {facts.map(([label, value]) => (
          <div key={label}>
            <dt className="text-xs font-semibold tracking-wide text-slate-500 uppercase">{label}</dt>
            <dd>{value === null || value === undefined || value === "" ? "—" : value}</dd>
          </div>
        ))}
      </dl>
      <Timeline leadId={lead.id} canWrite={canWrite} />
    </Page>
  );
}

function Timeline({ leadId, canWrite }: { leadId: string; canWrite: boolean }) {
  const queryClient = useQueryClient();
  const { open } = useNotification();
  const key = ["lead-timeline", leadId];
  const timeline = useQuery({
    queryKey: key,
    queryFn: () =>
      unwrap(api.GET("/api/v1/leads/{id}/timeline", { params: { path: { id: leadId }, query: { limit: 100 } } })),
  });
  const refresh = () => queryClient.invalidateQueries({ queryKey: key });
  // Entries written elsewhere (a note by a colleague, the system's entry for a change).
  const concerns = (payload: unknown) => {
    const { ids, leadId: lead } = (payload ?? {}) as { ids?: unknown[]; leadId?: unknown };
    return lead === leadId || (Array.isArray(ids) && ids.includes(leadId));
  };
  useSubscription({
    channel: "resources/lead-timeline",
    types: ["*"],
    onLiveEvent: (event) => {
      if (concerns(event.payload)) void refresh();
    },
  });
  useSubscription({
    channel: "resources/leads",
    types: ["updated"],
    onLiveEvent: (event) => {
      if (concerns(event.payload)) void refresh();
    },
  });
  const failed = (error: Error) => open?.({ type: "error", message: error.message, key: "timeline" });

  const toggle = useMutation({
    mutationFn: (entry: Entry) =>
      unwrap(
        api.PATCH("/api/v1/leads/{id}/tasks/{entry_id}", {
          params: { path: { id: leadId, entry_id: entry.id } },
          body: { done: !entry.done },
        }),
      ),
    onSuccess: refresh,
    onError: failed,
  });

  return (
    <section aria-labelledby="timeline-title" className="flex flex-col gap-4">
      <h2 id="timeline-title" className="text-lg font-semibold">
        Timeline
      </h2>
      {canWrite && (
        <div className="grid gap-4 md:grid-cols-2">
          <AddNote leadId={leadId} onAdded={refresh} />
          <AddTask leadId={leadId} onAdded={refresh} />
        </div>
      )}
      {timeline.error && <Alert tone="error">{timeline.error.message}</Alert>}
      <ol className="flex flex-col gap-2" aria-label="Timeline entries" aria-busy={timeline.isLoading}>
        {timeline.data?.items.map((entry) => (
          <li key={entry.id} className="rounded-md border border-slate-200 bg-white px-4 py-2 text-sm">
            <div className="flex items-center justify-between gap-2 text-xs text-slate-500">
              <span className="font-semibold tracking-wide uppercase">{entry.kind}</span>
              <time dateTime={entry.created_at}>{when(entry.created_at)}</time>
            </div>
            {entry.kind === "task" ? (
              <div className="mt-1 flex flex-wrap items-center gap-3">
                <label className="flex items-center gap-2">
                  <input
                    type="checkbox"
                    checked={entry.done}
                    disabled={!canWrite || toggle.isPending}
                    onChange={() => toggle.mutate(entry)}
                  />
                  <span className={entry.done ? "text-slate-500 line-through" : ""}>{entry.body}</span>
                </label>
                {entry.due_at && <span className="text-xs text-slate-600">due {when(entry.due_at)}</span>}
                {entry.done_at && <span className="text-xs text-green-700">done {when(entry.done_at)}</span>}
              </div>
            ) : (
              <p className={`mt-1 whitespace-pre-wrap ${entry.kind === "system" ? "text-slate-600 italic" : ""}`}>
                {entry.body}
              </p>
            )}
          </li>
        ))}
        {timeline.data?.items.length === 0 && <li className="text-sm text-slate-500">Nothing yet.</li>}
      </ol>
    </section>
  );
}

function AddNote({ leadId, onAdded }: { leadId: string; onAdded: () => void }) {
  const [body, setBody] = useState("");
  const add = useMutation({
    mutationFn: () => unwrap(api.POST("/api/v1/leads/{id}/notes", { params: { path: { id: leadId } }, body: { body } })),
    onSuccess: () => {
      setBody("");
      onAdded();
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    add.mutate();
  };
  const error = fieldError(add.error, "body") ?? add.error?.message;
  return (
    <form aria-label="Add a note" className="flex flex-col gap-2 rounded-lg border border-slate-200 bg-white p-4" onSubmit={submit}>
      <TextField label="Note" value={body} onChange={(e) => setBody(e.target.value)} error={error} />
      <div>
        <Button type="submit" disabled={add.isPending || body.trim() === ""}>
          Add note
        </Button>
      </div>
    </form>
  );
}

function AddTask({ leadId, onAdded }: { leadId: string; onAdded: () => void }) {
  const [body, setBody] = useState("");
  const [due, setDue] = useState("");
  const add = useMutation({
    mutationFn: () =>
      unwrap(
        api.POST("/api/v1/leads/{id}/tasks", {
          params: { path: { id: leadId } },
          // The input gives local time without a zone; the API wants RFC 3339.
          body: { body, due_at: due ? new Date(due).toISOString() : null },
        }),
      ),
    onSuccess: () => {
      setBody("");
      setDue("");
      onAdded();
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    add.mutate();
  };
  return (
    <form aria-label="Add a task" className="flex flex-col gap-2 rounded-lg border border-slate-200 bg-white p-4" onSubmit={submit}>
      <TextField label="Task" value={body} onChange={(e) => setBody(e.target.value)} error={fieldError(add.error, "body")} />
      <TextField
        label="Due"
        type="datetime-local"
        value={due}
        onChange={(e) => setDue(e.target.value)}
        error={fieldError(add.error, "due_at")}
      />
      {add.error && !fieldError(add.error, "body") && !fieldError(add.error, "due_at") && (
        <Alert tone="error">{add.error.message}</Alert>
      )}
      <div>
        <Button type="submit" disabled={add.isPending || body.trim() === ""}>
          Add task
        </Button>
      </div>
    </form>
  );
}

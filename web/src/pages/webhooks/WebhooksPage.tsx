// Webhook endpoints: list, register (the signing secret shown once), enable or disable,
// rotate the secret, and each endpoint's deliveries and attempts, with redelivery.
import { useDelete, useGetIdentity, useList, useNotification, useUpdate, type HttpError } from "@refinedev/core";
import { useForm } from "@refinedev/react-hook-form";
import { useTable } from "@refinedev/react-table";
import { useMutation } from "@tanstack/react-query";
import type { ColumnDef } from "@tanstack/react-table";
import { useMemo, useState } from "react";

import { unwrap } from "../../api/call";
import { api } from "../../api/instance";
import type { components } from "../../api/schema";
import { Button } from "../../components/Button";
import { ConfirmButton } from "../../components/ConfirmButton";
import { DataTable } from "../../components/DataTable";
import { TextField } from "../../components/Field";
import { Page } from "../../components/Page";
import { SecretShownOnce } from "../../components/SecretShownOnce";
import { holds } from "../../lib/scopes";
import type { Identity } from "../../providers/auth";

type Endpoint = components["schemas"]["Endpoint"];
type EndpointWithSecret = components["schemas"]["EndpointWithSecret"];
type Delivery = components["schemas"]["Delivery"];
type Attempt = components["schemas"]["Attempt"];

const LOG_POLL_MS = 2_000;

const when = (value: string | null | undefined) => (value ? new Date(value).toLocaleString() : "—");

export default function WebhooksPage() {
  const { data: identity } = useGetIdentity<Identity>();
  const canManage = holds(identity, "webhooks:write");
  const [secret, setSecret] = useState<{ title: string; secret: string } | null>(null);
  const [selected, setSelected] = useState<Endpoint | null>(null);
  const { mutate: update } = useUpdate<Endpoint>();
  const { mutate: remove } = useDelete();
  const { open } = useNotification();

  const rotate = useMutation({
    mutationFn: (endpoint: Endpoint) =>
      unwrap(api.POST("/api/v1/webhook-endpoints/{id}/rotate-secret", { params: { path: { id: endpoint.id } } })),
    onSuccess: (rotated, endpoint) =>
      setSecret({ title: `New secret for ${endpoint.url}`, secret: rotated.secret }),
    onError: (error) => open?.({ type: "error", message: error.message, key: "rotate" }),
  });

  const columns = useMemo<ColumnDef<Endpoint>[]>(
    () => [
      { accessorKey: "url", header: "URL", cell: ({ getValue }) => <code className="text-xs">{getValue<string>()}</code> },
      { accessorKey: "description", header: "Description" },
      {
        accessorKey: "event_types",
        header: "Events",
        enableSorting: false,
        cell: ({ getValue }) => <span className="text-xs">{getValue<string[]>().join(", ") || "all"}</span>,
      },
      {
        accessorKey: "enabled",
        header: "State",
        cell: ({ row: { original: e } }) =>
          e.enabled ? "enabled" : <span title={e.disabled_reason ?? undefined}>disabled{e.disabled_reason ? ` (${e.disabled_reason})` : ""}</span>,
      },
      {
        id: "actions",
        header: () => <span className="sr-only">Actions</span>,
        enableSorting: false,
        cell: ({ row: { original: e } }) => (
          <span className="flex flex-wrap gap-1">
            <Button variant="secondary" aria-label={`Deliveries of ${e.url}`} onClick={() => setSelected(e)}>
              Deliveries
            </Button>
            {canManage && (
              <>
                <Button
                  variant="secondary"
                  aria-label={`${e.enabled ? "Disable" : "Enable"} ${e.url}`}
                  onClick={() => update({ resource: "webhook-endpoints", id: e.id, values: { enabled: !e.enabled } })}
                >
                  {e.enabled ? "Disable" : "Enable"}
                </Button>
                <ConfirmButton label="Rotate secret" subject={`of ${e.url}`} onConfirm={() => rotate.mutate(e)} />
                <ConfirmButton label="Delete" subject={e.url} onConfirm={() => remove({ resource: "webhook-endpoints", id: e.id })} />
              </>
            )}
          </span>
        ),
      },
    ],
    [canManage, update, remove, rotate],
  );

  const { reactTable, refineCore } = useTable<Endpoint>({
    columns,
    refineCoreProps: { resource: "webhook-endpoints", syncWithLocation: false },
  });

  return (
    <Page title="Webhooks">
      <p className="text-sm text-slate-600">
        Events are POSTed to each endpoint, signed with its secret (Standard Webhooks), and retried for up to a day and a half.
      </p>
      {secret && (
        <SecretShownOnce
          title={secret.title}
          secret={secret.secret}
          note="Copy the signing secret now: it will not be shown again."
          testId="webhook-secret"
          onDone={() => setSecret(null)}
        />
      )}
      <DataTable
        table={reactTable}
        caption="Webhook endpoints of this agency"
        loading={refineCore.tableQuery.isLoading}
        error={refineCore.tableQuery.error?.message}
        empty="No webhook endpoints yet."
      />
      {selected && <DeliveryLog endpoint={selected} canManage={canManage} onClose={() => setSelected(null)} />}
      {canManage && (
        <CreateEndpointForm onCreated={(e) => setSecret({ title: `Endpoint ${e.url} created`, secret: e.secret })} />
      )}
    </Page>
  );
}

interface EndpointForm {
  url: string;
  description: string;
  event_types: string;
}

function CreateEndpointForm({ onCreated }: { onCreated: (endpoint: EndpointWithSecret) => void }) {
  const {
    register,
    handleSubmit,
    reset,
    formState: { errors },
    refineCore: { onFinish, formLoading },
  } = useForm<EndpointWithSecret, HttpError, EndpointForm>({
    defaultValues: { url: "", description: "", event_types: "" },
    refineCoreProps: {
      resource: "webhook-endpoints",
      action: "create",
      redirect: false,
      successNotification: false,
      onMutationSuccess: ({ data }) => {
        reset();
        onCreated(data);
      },
    },
  });
  const submit = (values: EndpointForm) =>
    onFinish({
      url: values.url.trim(),
      description: values.description.trim(),
      event_types: values.event_types.split(",").map((t) => t.trim()).filter(Boolean),
    } as unknown as EndpointForm).catch(() => undefined);

  return (
    <section aria-labelledby="create-endpoint-title" className="rounded-lg border border-slate-200 bg-white p-4">
      <h2 id="create-endpoint-title" className="mb-3 text-lg font-semibold">
        Add an endpoint
      </h2>
      <form className="flex flex-col gap-4" onSubmit={handleSubmit(submit)} noValidate>
        <TextField label="URL" type="url" hint="https://…" error={errors.url?.message} {...register("url", { required: "Give the URL." })} />
        <TextField label="Description" error={errors.description?.message} {...register("description")} />
        <TextField
          label="Event types"
          hint="Separated by commas, e.g. lead.created, lead.updated; empty for every type."
          error={errors.event_types?.message}
          {...register("event_types")}
        />
        <div>
          <Button type="submit" disabled={formLoading}>
            Add endpoint
          </Button>
        </div>
      </form>
    </section>
  );
}

function DeliveryLog({ endpoint, canManage, onClose }: { endpoint: Endpoint; canManage: boolean; onClose: () => void }) {
  const { open } = useNotification();
  const base = `webhook-endpoints/${endpoint.id}`;
  const deliveries = useList<Delivery>({
    resource: `${base}/deliveries`,
    pagination: { currentPage: 1, pageSize: 50 },
    liveMode: "off",
    // Deliveries and retries happen in the worker, unannounced: the open log polls.
    queryOptions: { refetchInterval: LOG_POLL_MS },
  });
  const attempts = useList<Attempt>({
    resource: `${base}/attempts`,
    pagination: { currentPage: 1, pageSize: 50 },
    liveMode: "off",
    // Deliveries and retries happen in the worker, unannounced: the open log polls.
    queryOptions: { refetchInterval: LOG_POLL_MS },
  });
  const redeliver = useMutation({
    mutationFn: (delivery: Delivery) =>
      unwrap(
        api.POST("/api/v1/webhook-endpoints/{id}/deliveries/{delivery_id}/redeliver", {
          params: { path: { id: endpoint.id, delivery_id: delivery.id } },
        }),
      ),
    onSuccess: () => {
      open?.({ type: "success", message: "Sent again.", key: "redeliver" });
      void deliveries.query.refetch();
      void attempts.query.refetch();
    },
    onError: (error) => open?.({ type: "error", message: error.message, key: "redeliver" }),
  });

  return (
    <section aria-labelledby="log-title" className="flex flex-col gap-3 rounded-lg border border-slate-200 bg-white p-4">
      <div className="flex items-center justify-between">
        <h2 id="log-title" className="text-lg font-semibold">
          Deliveries to <code className="text-base">{endpoint.url}</code>
        </h2>
        <Button variant="secondary" onClick={onClose}>
          Close
        </Button>
      </div>
      <table className="min-w-full text-sm">
        <caption className="sr-only">Deliveries</caption>
        <thead className="text-left text-xs text-slate-600 uppercase">
          <tr>
            <th scope="col">Event</th>
            <th scope="col">State</th>
            <th scope="col">Attempts</th>
            <th scope="col">Last status</th>
            <th scope="col">Next attempt</th>
            <th scope="col">Created</th>
            <th scope="col">
              <span className="sr-only">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {deliveries.result.data.map((d) => (
            <tr key={d.id}>
              <td>
                <code className="text-xs">{d.event_type}</code>
              </td>
              <td>{d.state}</td>
              <td>{d.attempts}</td>
              <td>{d.last_status ?? "—"}</td>
              <td>{when(d.next_attempt_at)}</td>
              <td>{when(d.created_at)}</td>
              <td>
                {canManage && (
                  <Button variant="link" disabled={redeliver.isPending} onClick={() => redeliver.mutate(d)}>
                    Redeliver
                  </Button>
                )}
              </td>
            </tr>
          ))}
          {deliveries.result.data.length === 0 && (
            <tr>
              <td colSpan={7} className="py-2 text-slate-500">
                {deliveries.query.isLoading ? "Loading…" : (deliveries.query.error?.message ?? "No deliveries yet.")}
              </td>
            </tr>
          )}
        </tbody>
      </table>
      <h3 className="font-semibold">Attempts</h3>
      <table className="min-w-full text-sm">
        <caption className="sr-only">Attempts</caption>
        <thead className="text-left text-xs text-slate-600 uppercase">
          <tr>
            <th scope="col">When</th>
            <th scope="col">Attempt</th>
            <th scope="col">Status</th>
            <th scope="col">Time</th>
            <th scope="col">Error or response</th>
          </tr>
        </thead>
        <tbody>
          {attempts.result.data.map((a) => (
            <tr key={`${a.delivery_id}-${a.attempt}`}>
              <td>{when(a.created_at)}</td>
              <td>{a.attempt}</td>
              <td>{a.status ?? "—"}</td>
              <td>{a.duration_ms} ms</td>
              <td className="max-w-md truncate text-xs" title={a.error ?? a.response_body ?? ""}>
                {a.error ?? a.response_body ?? ""}
              </td>
            </tr>
          ))}
          {attempts.result.data.length === 0 && (
            <tr>
              <td colSpan={5} className="py-2 text-slate-500">
                {attempts.query.isLoading ? "Loading…" : "No attempts yet."}
              </td>
            </tr>
          )}
        </tbody>
      </table>
    </section>
  );
}

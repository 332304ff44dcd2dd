// The suppression list (`/outreach/suppressions`): addresses nothing is sent to (unsubscribed,
// bounced, complained, or added by hand), with the `q` search in the URL, live on
// `resources/outreach_suppressions`. Addresses are added pasted one a line; adding one stops
// its active sequences. Removing one lets it be written to again.
import { useDelete, useGetIdentity, useInvalidate } from "@refinedev/core";
import { useTable } from "@refinedev/react-table";
import { useMutation } from "@tanstack/react-query";
import type { ColumnDef } from "@tanstack/react-table";
import { useMemo, useState, type FormEvent } from "react";

import { unwrap } from "../../api/call";
import { api } from "../../api/instance";
import { isApiError } from "../../api/problem";
import { Alert } from "../../components/Alert";
import { Button } from "../../components/Button";
import { ConfirmButton } from "../../components/ConfirmButton";
import { DataTable } from "../../components/DataTable";
import { Field } from "../../components/Field";
import { Page } from "../../components/Page";
import { parseEmails, type Suppression } from "../../lib/outreach";
import { holds } from "../../lib/scopes";
import type { Identity } from "../../providers/auth";
import { CONTROL, PANEL, when } from "./styles";
import { useSearchFilter } from "./useSearchFilter";

export default function SuppressionsPage() {
  const { data: identity } = useGetIdentity<Identity>();
  const canWrite = holds(identity, "outreach:write");
  const { mutate: remove } = useDelete();

  const columns = useMemo<ColumnDef<Suppression>[]>(
    () => [
      { accessorKey: "email", header: "Address", cell: ({ getValue }) => <code className="text-xs">{getValue<string>()}</code> },
      { accessorKey: "reason", header: "Reason" },
      { accessorKey: "created_at", header: "Added", cell: ({ getValue }) => when(getValue<string>()) },
      {
        id: "actions",
        header: () => <span className="sr-only">Actions</span>,
        enableSorting: false,
        cell: ({ row: { original: s } }) =>
          canWrite && (
            <ConfirmButton
              label="Remove"
              subject={s.email}
              onConfirm={() => remove({ resource: "outreach_suppressions", id: s.email, successNotification: false })}
            />
          ),
      },
    ],
    [canWrite, remove],
  );

  const { reactTable, refineCore } = useTable<Suppression>({
    columns,
    refineCoreProps: {
      resource: "outreach_suppressions",
      pagination: { pageSize: 50 },
      sorters: { initial: [{ field: "created_at", order: "desc" }] },
    },
  });
  const { filters, setFilters, tableQuery } = refineCore;
  const [search, setSearch] = useSearchFilter(filters, setFilters);
  const total = tableQuery.data?.total;

  return (
    <Page title="Suppression list">
      <p className="text-sm text-slate-600">
        Nothing is sent to these addresses. Unsubscribes and bounces are added on their own; add others by hand.
      </p>
      {canWrite && <AddSuppressions />}
      <form role="search" aria-label="Filter the suppression list" className="flex flex-wrap items-end gap-3" onSubmit={(e) => e.preventDefault()}>
        <label className="flex flex-col gap-1 text-sm font-medium text-slate-700">
          Search
          <input type="search" className={CONTROL} placeholder="Address" value={search} onChange={(e) => setSearch(e.target.value)} />
        </label>
        <p className="ml-auto text-sm text-slate-600" aria-live="polite">
          {total === undefined ? "" : `${total} address${total === 1 ? "" : "es"}`}
        </p>
      </form>
      <DataTable
        table={reactTable}
        caption="Suppressed addresses"
        loading={tableQuery.isLoading}
        error={tableQuery.error?.message}
        empty="No suppressed addresses match."
      />
    </Page>
  );
}

function AddSuppressions() {
  const invalidate = useInvalidate();
  const [text, setText] = useState("");
  const add = useMutation({
    mutationFn: (emails: string[]) => unwrap(api.POST("/api/v1/outreach/suppressions", { body: { emails } })),
    onSuccess: () => {
      setText("");
      void invalidate({ resource: "outreach_suppressions", invalidates: ["list"] });
    },
  });
  const emails = parseEmails(text);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (emails.length > 0) add.mutate(emails);
  };
  // A refused address is named by its index (`emails[3]`): say which one it is.
  const refused =
    add.error && isApiError(add.error) && add.error.errors
      ? Object.entries(add.error.errors).map(([field, messages]) => {
          const index = Number(/\[(\d+)\]/.exec(field)?.[1]);
          const address = add.variables?.[index] ?? field;
          return `${address}: ${Array.isArray(messages) ? messages.join(" ") : String(messages)}`;
        })
      : [];

  return (
    <section aria-labelledby="add-suppressions-title" className={PANEL}>
      <h2 id="add-suppressions-title" className="text-lg font-semibold">
        Add addresses
      </h2>
      <form className="flex flex-col gap-2" onSubmit={submit}>
        <Field label="Addresses" hint="One a line. Their active sequences stop.">
          {(control) => <textarea rows={4} className={`${CONTROL} font-mono text-xs`} value={text} onChange={(e) => setText(e.target.value)} {...control} />}
        </Field>
        <div>
          <Button type="submit" disabled={emails.length === 0 || add.isPending}>
            Add {emails.length || ""} address{emails.length === 1 ? "" : "es"}
          </Button>
        </div>
      </form>
      {add.error && (
        <Alert tone="error">
          {refused.length > 0 ? refused.join("; ") : add.error.message}
        </Alert>
      )}
      {add.data && (
        <Alert tone="success">
          Added {add.data.added} address{add.data.added === 1 ? "" : "es"}
          {add.variables && add.variables.length > add.data.added ? ` (${add.variables.length - add.data.added} already listed)` : ""}.
        </Alert>
      )}
    </section>
  );
}

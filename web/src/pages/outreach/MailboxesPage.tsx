// The outreach mailboxes (`/outreach/mailboxes`): where messages are sent from, with their
// SMTP server, daily cap, warm-up and the last connection test; the `q` search (name and
// address) kept in the URL; live on `resources/outreach_mailboxes`. A connection test runs on
// demand and its answer is shown above the list.
import { useDelete, useGetIdentity, useInvalidate, useNotification } from "@refinedev/core";
import { useTable } from "@refinedev/react-table";
import { useMutation } from "@tanstack/react-query";
import type { ColumnDef } from "@tanstack/react-table";
import { useMemo, useState } from "react";
import { Link } from "react-router";

import { unwrap } from "../../api/call";
import { api } from "../../api/instance";
import { Alert } from "../../components/Alert";
import { Button } from "../../components/Button";
import { ConfirmButton } from "../../components/ConfirmButton";
import { DataTable } from "../../components/DataTable";
import { Page } from "../../components/Page";
import { warmupSummary, type Mailbox, type MailboxTest } from "../../lib/mailboxes";
import { pausedNote } from "../../lib/outreach";
import { holds } from "../../lib/scopes";
import type { Identity } from "../../providers/auth";
import { OutreachStatus } from "./OutreachStatus";
import { CONTROL, PRIMARY_LINK, when } from "./styles";
import { useSearchFilter } from "./useSearchFilter";

function LastTest({ mailbox }: { mailbox: Mailbox }) {
  if (!mailbox.last_tested_at) return <span className="text-slate-500">never</span>;
  return mailbox.last_test_error ? (
    <span className="text-red-700" title={mailbox.last_test_error}>
      failed {when(mailbox.last_tested_at)}
    </span>
  ) : (
    <span className="text-green-700">ok {when(mailbox.last_tested_at)}</span>
  );
}

export default function MailboxesPage() {
  const { data: identity } = useGetIdentity<Identity>();
  const canWrite = holds(identity, "outreach:write");
  const { mutate: remove } = useDelete();
  const { open } = useNotification();
  const invalidate = useInvalidate();
  const [tested, setTested] = useState<{ mailbox: Mailbox; result: MailboxTest } | null>(null);

  const test = useMutation({
    mutationFn: (mailbox: Mailbox) =>
      unwrap(api.POST("/api/v1/outreach/mailboxes/{id}/test", { params: { path: { id: mailbox.id } } })),
    onMutate: () => setTested(null),
    onSuccess: (result, mailbox) => {
      setTested({ mailbox, result });
      // The result is kept on the mailbox (its last test).
      void invalidate({ resource: "outreach_mailboxes", invalidates: ["list"] });
    },
    onError: (error) => open?.({ type: "error", key: "mailbox-test", message: error.message }),
  });

  const columns = useMemo<ColumnDef<Mailbox>[]>(
    () => [
      {
        accessorKey: "name",
        header: "Name",
        cell: ({ row: { original: m } }) =>
          canWrite ? (
            <Link to={`/outreach/mailboxes/${m.id}/edit`} className="font-medium text-indigo-700 hover:underline">
              {m.name}
            </Link>
          ) : (
            <span className="font-medium">{m.name}</span>
          ),
      },
      {
        accessorKey: "from_address",
        header: "From",
        cell: ({ row: { original: m } }) => (
          <span>
            {m.from_name && <span className="block">{m.from_name}</span>}
            <code className="text-xs">{m.from_address}</code>
          </span>
        ),
      },
      {
        id: "smtp",
        header: "SMTP server",
        enableSorting: false,
        cell: ({ row: { original: m } }) => (
          <code className="text-xs">
            {m.smtp_host}:{m.smtp_port}
          </code>
        ),
      },
      { accessorKey: "smtp_security", header: "Security", enableSorting: false },
      { accessorKey: "daily_cap", header: "Daily cap", enableSorting: false, cell: ({ getValue }) => <span className="tabular-nums">{getValue<number>()}</span> },
      { id: "warmup", header: "Warm-up", enableSorting: false, cell: ({ row: { original: m } }) => warmupSummary(m) },
      {
        accessorKey: "status",
        header: "Status",
        cell: ({ row: { original: m } }) => {
          const note = pausedNote(m.status, m.paused_reason);
          return (
            <span className="flex flex-col items-start gap-0.5">
              <OutreachStatus status={m.status} />
              {note && <span className="max-w-xs text-xs text-amber-800">{note}</span>}
            </span>
          );
        },
      },
      { id: "last_test", header: "Last test", enableSorting: false, cell: ({ row: { original: m } }) => <LastTest mailbox={m} /> },
      {
        id: "actions",
        header: () => <span className="sr-only">Actions</span>,
        enableSorting: false,
        cell: ({ row: { original: m } }) =>
          canWrite && (
            <span className="flex flex-wrap gap-1">
              <Button
                variant="secondary"
                aria-label={`Test the connection of ${m.name}`}
                disabled={test.isPending}
                onClick={() => test.mutate(m)}
              >
                {test.isPending && test.variables?.id === m.id ? "Testing…" : "Test connection"}
              </Button>
              <ConfirmButton label="Delete" subject={m.name} onConfirm={() => remove({ resource: "outreach_mailboxes", id: m.id })} />
            </span>
          ),
      },
    ],
    [canWrite, remove, test],
  );

  const { reactTable, refineCore } = useTable<Mailbox>({
    columns,
    refineCoreProps: {
      resource: "outreach_mailboxes",
      pagination: { pageSize: 25 },
      sorters: { initial: [{ field: "created_at", order: "desc" }] },
    },
  });
  const { filters, setFilters, tableQuery } = refineCore;
  const [search, setSearch] = useSearchFilter(filters, setFilters);

  return (
    <Page
      title="Mailboxes"
      actions={
        canWrite && (
          <Link className={PRIMARY_LINK} to="/outreach/mailboxes/create">
            New mailbox
          </Link>
        )
      }
    >
      <p className="text-sm text-slate-600">
        Campaigns send from these mailboxes, each at most its daily cap (ramped up by the warm-up), with a random pause between two
        messages.
      </p>
      {tested && (
        <Alert tone={tested.result.ok ? "success" : "error"}>
          <span className="font-medium">
            {tested.mailbox.name}: {tested.result.ok ? "connection OK" : "connection failed"}.
          </span>{" "}
          <span className="break-words">{tested.result.detail}</span>
        </Alert>
      )}
      <form role="search" aria-label="Filter mailboxes" className="flex flex-wrap items-end gap-3" onSubmit={(e) => e.preventDefault()}>
        <label className="flex flex-col gap-1 text-sm font-medium text-slate-700">
          Search
          <input type="search" className={CONTROL} placeholder="Name or address" value={search} onChange={(e) => setSearch(e.target.value)} />
        </label>
      </form>
      <DataTable
        table={reactTable}
        caption="Mailboxes of this agency"
        loading={tableQuery.isLoading}
        error={tableQuery.error?.message}
        empty="No mailboxes yet."
      />
    </Page>
  );
}

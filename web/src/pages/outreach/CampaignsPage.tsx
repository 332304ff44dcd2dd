// The outreach campaigns (`/outreach/campaigns`): name, status (and why, when it paused by
// itself), steps and when each was made;
// a status filter and the `q` search (names) kept in the URL; live on
// `resources/outreach_campaigns`.
import { useGetIdentity } from "@refinedev/core";
import { useTable } from "@refinedev/react-table";
import type { ColumnDef } from "@tanstack/react-table";
import { useMemo } from "react";
import { Link } from "react-router";

import { DataTable } from "../../components/DataTable";
import { Page } from "../../components/Page";
import { CAMPAIGN_STATUSES, type Campaign } from "../../lib/campaigns";
import { pausedNote } from "../../lib/outreach";
import { holds } from "../../lib/scopes";
import type { Identity } from "../../providers/auth";
import { OutreachStatus } from "./OutreachStatus";
import { CONTROL, PRIMARY_LINK, when } from "./styles";
import { filterValue, useSearchFilter } from "./useSearchFilter";

export default function CampaignsPage() {
  const { data: identity } = useGetIdentity<Identity>();
  const canWrite = holds(identity, "outreach:write");

  const columns = useMemo<ColumnDef<Campaign>[]>(
    () => [
      {
        accessorKey: "name",
        header: "Name",
        cell: ({ row: { original: c } }) => (
          <Link to={`/outreach/campaigns/${c.id}`} className="font-medium text-indigo-700 hover:underline">
            {c.name}
          </Link>
        ),
      },
      {
        accessorKey: "status",
        header: "Status",
        cell: ({ row: { original: c } }) => {
          const note = pausedNote(c.status, c.paused_reason);
          return (
            <span className="flex flex-col items-start gap-0.5">
              <OutreachStatus status={c.status} />
              {note && <span className="max-w-xs text-xs text-amber-800">{note}</span>}
            </span>
          );
        },
      },
      {
        id: "steps",
        header: "Steps",
        enableSorting: false,
        cell: ({ row: { original: c } }) => <span className="tabular-nums">{c.steps.length}</span>,
      },
      {
        id: "mailboxes",
        header: "Mailboxes",
        enableSorting: false,
        cell: ({ row: { original: c } }) => <span className="tabular-nums">{c.mailbox_ids.length}</span>,
      },
      { accessorKey: "created_at", header: "Created", cell: ({ getValue }) => when(getValue<string>()) },
      {
        id: "actions",
        header: () => <span className="sr-only">Actions</span>,
        enableSorting: false,
        cell: ({ row: { original: c } }) =>
          canWrite && (
            <Link to={`/outreach/campaigns/${c.id}/edit`} className="text-indigo-700 hover:underline" aria-label={`Edit ${c.name}`}>
              Edit
            </Link>
          ),
      },
    ],
    [canWrite],
  );

  const { reactTable, refineCore } = useTable<Campaign>({
    columns,
    refineCoreProps: {
      resource: "outreach_campaigns",
      pagination: { pageSize: 25 },
      sorters: { initial: [{ field: "created_at", order: "desc" }] },
    },
  });
  const { filters, setFilters, tableQuery } = refineCore;
  const [search, setSearch] = useSearchFilter(filters, setFilters);
  const total = tableQuery.data?.total;

  return (
    <Page
      title="Campaigns"
      actions={
        canWrite && (
          <Link className={PRIMARY_LINK} to="/outreach/campaigns/create">
            New campaign
          </Link>
        )
      }
    >
      <form role="search" aria-label="Filter campaigns" className="flex flex-wrap items-end gap-3" onSubmit={(e) => e.preventDefault()}>
        <label className="flex flex-col gap-1 text-sm font-medium text-slate-700">
          Search
          <input type="search" className={CONTROL} placeholder="Campaign name" value={search} onChange={(e) => setSearch(e.target.value)} />
        </label>
        <label className="flex flex-col gap-1 text-sm font-medium text-slate-700">
          Status
          <select
            className={CONTROL}
            value={filterValue(filters, "status")}
            onChange={(e) => setFilters([{ field: "status", operator: "eq", value: e.target.value || undefined }])}
          >
            <option value="">Any</option>
            {CAMPAIGN_STATUSES.map((status) => (
              <option key={status} value={status}>
                {status}
              </option>
            ))}
          </select>
        </label>
        <p className="ml-auto text-sm text-slate-600" aria-live="polite">
          {total === undefined ? "" : `${total} campaign${total === 1 ? "" : "s"}`}
        </p>
      </form>
      <DataTable
        table={reactTable}
        caption="Campaigns of this agency"
        loading={tableQuery.isLoading}
        error={tableQuery.error?.message}
        empty="No campaigns match."
      />
    </Page>
  );
}

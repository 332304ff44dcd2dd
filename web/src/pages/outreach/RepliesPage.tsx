// The inbox (`/outreach/replies`): what came back for our messages, newest first: replies and
// automatic replies read from the mailboxes' inboxes, bounces and complaints (from bounce
// reports, or from the providers' notifications), each opening its lead and its campaign. The kind
// filter and the `q` search (sender, subject, text) are kept in the URL; live on
// `resources/outreach_replies` (`outreach.reply.created`).
import { useList } from "@refinedev/core";
import { useTable } from "@refinedev/react-table";
import type { ColumnDef } from "@tanstack/react-table";
import { useMemo } from "react";
import { Link } from "react-router";

import { DataTable } from "../../components/DataTable";
import { Page } from "../../components/Page";
import { StatusPill } from "../../components/StatusPill";
import type { Campaign } from "../../lib/campaigns";
import { outreachColour, REPLY_KINDS, replyKindLabel, showsDetail, type OutreachReply } from "../../lib/outreach";
import { SEARCH_FIELD } from "../../providers/list-query";
import { CONTROL, when } from "./styles";
import { filterValue, useSearchFilter } from "./useSearchFilter";

const NOTHING_YET =
  "Nothing has come back yet. Replies and bounce reports appear here once a mailbox has an inbox set (on its edit page); " +
  "providers' bounces and complaints once they are set up under Deliverability.";

export default function RepliesPage() {
  const campaigns = useList<Campaign>({
    resource: "outreach_campaigns",
    pagination: { pageSize: 200 },
    sorters: [{ field: "name", order: "asc" }],
  });
  const names = useMemo(() => new Map((campaigns.result.data ?? []).map((c) => [c.id, c.name])), [campaigns.result.data]);

  const columns = useMemo<ColumnDef<OutreachReply>[]>(
    () => [
      { accessorKey: "received_at", header: "Received", cell: ({ getValue }) => when(getValue<string>()) },
      {
        accessorKey: "kind",
        header: "Kind",
        cell: ({ getValue }) => {
          const kind = getValue<string>();
          return <StatusPill status={kind} label={replyKindLabel(kind)} colour={outreachColour(kind)} />;
        },
      },
      {
        // Who wrote is the lead (for a bounce, the lead's address that failed): it opens the lead.
        accessorKey: "from_address",
        header: "From",
        cell: ({ row: { original: r } }) => (
          <Link to={`/leads/${r.lead_id}`} className="text-indigo-700 hover:underline" title="Open the lead">
            {r.from_address}
          </Link>
        ),
      },
      {
        id: "message",
        header: "Message",
        enableSorting: false,
        cell: ({ row: { original: r } }) => (
          <span className="flex max-w-sm flex-col gap-0.5">
            <span className="font-medium break-words">{r.subject || "(no subject)"}</span>
            {r.snippet && (
              <span className="truncate text-xs text-slate-600" title={r.snippet}>
                {r.snippet}
              </span>
            )}
            {showsDetail(r) && <span className="text-xs break-words text-red-700">{r.detail}</span>}
          </span>
        ),
      },
      {
        id: "campaign",
        header: "Campaign",
        enableSorting: false,
        cell: ({ row: { original: r } }) => (
          <Link to={`/outreach/campaigns/${r.campaign_id}`} className="text-indigo-700 hover:underline">
            {names.get(r.campaign_id) ?? "campaign"}
          </Link>
        ),
      },
    ],
    [names],
  );

  const { reactTable, refineCore } = useTable<OutreachReply>({
    columns,
    refineCoreProps: {
      resource: "outreach_replies",
      pagination: { pageSize: 25 },
      sorters: { initial: [{ field: "received_at", order: "desc" }] },
    },
  });
  const { filters, setFilters, tableQuery } = refineCore;
  const [search, setSearch] = useSearchFilter(filters, setFilters);
  const kind = filterValue(filters, "kind");
  const total = tableQuery.data?.total;

  return (
    <Page title="Inbox" wide>
      <p className="text-sm text-slate-600">
        What came back for the campaigns' messages. A reply stops the lead's sequence (an automatic one too, if the campaign says
        so); a bounce or a complaint also puts the address on the suppression list.
      </p>
      <form role="search" aria-label="Filter the inbox" className="flex flex-wrap items-end gap-3" onSubmit={(e) => e.preventDefault()}>
        <label className="flex flex-col gap-1 text-sm font-medium text-slate-700">
          Kind
          <select
            className={CONTROL}
            value={kind}
            onChange={(e) => setFilters([{ field: "kind", operator: "eq", value: e.target.value || undefined }])}
          >
            <option value="">All</option>
            {REPLY_KINDS.map((k) => (
              <option key={k.kind} value={k.kind}>
                {k.plural}
              </option>
            ))}
          </select>
        </label>
        <label className="flex flex-col gap-1 text-sm font-medium text-slate-700">
          Search
          <input
            type="search"
            className={CONTROL}
            placeholder="Sender, subject or text"
            value={search}
            onChange={(e) => setSearch(e.target.value)}
          />
        </label>
        <p className="ml-auto text-sm text-slate-600" aria-live="polite">
          {total === undefined ? "" : `${total} message${total === 1 ? "" : "s"}`}
        </p>
      </form>
      <DataTable
        table={reactTable}
        caption="Replies, bounces and complaints"
        loading={tableQuery.isLoading}
        error={tableQuery.error?.message}
        empty={kind || filterValue(filters, SEARCH_FIELD) ? "Nothing matches." : NOTHING_YET}
      />
    </Page>
  );
}

// The send log: every message planned or sent, newest first, with its state, when it was due
// and sent, how many tries it took and the server's last answer. The send log screen filters
// it by state and campaign (in the URL); a campaign's page shows that campaign's. Live on
// `resources/outreach_messages` (planned, sent, bounced, failed…).
import { useList } from "@refinedev/core";
import { useTable } from "@refinedev/react-table";
import type { ColumnDef } from "@tanstack/react-table";
import { useMemo } from "react";
import { Link } from "react-router";

import { DataTable } from "../../components/DataTable";
import type { Campaign } from "../../lib/campaigns";
import { MESSAGE_STATES, stepLabel, type OutreachMessage } from "../../lib/outreach";
import { OutreachStatus } from "./OutreachStatus";
import { CONTROL, when } from "./styles";
import { filterValue } from "./useSearchFilter";

export function MessagesTable({ campaignId }: { campaignId?: string }) {
  const everyCampaign = campaignId === undefined;
  const campaigns = useList<Campaign>({
    resource: "outreach_campaigns",
    pagination: { pageSize: 200 },
    sorters: [{ field: "name", order: "asc" }],
    queryOptions: { enabled: everyCampaign },
  });
  const campaignList = useMemo(() => (everyCampaign ? (campaigns.result.data ?? []) : []), [everyCampaign, campaigns.result.data]);
  const names = useMemo(() => new Map(campaignList.map((c) => [c.id, c.name])), [campaignList]);

  const columns = useMemo<ColumnDef<OutreachMessage>[]>(
    () => [
      {
        accessorKey: "to_address",
        header: "To",
        cell: ({ row: { original: m } }) => (
          <Link to={`/leads/${m.lead_id}`} className="text-indigo-700 hover:underline">
            {m.to_address}
          </Link>
        ),
      },
      ...(everyCampaign
        ? [
            {
              accessorKey: "campaign_id",
              header: "Campaign",
              enableSorting: false,
              cell: ({ row: { original: m } }) => (
                <Link to={`/outreach/campaigns/${m.campaign_id}`} className="text-indigo-700 hover:underline">
                  {names.get(m.campaign_id) ?? "campaign"}
                </Link>
              ),
            } satisfies ColumnDef<OutreachMessage>,
          ]
        : []),
      { accessorKey: "subject", header: "Subject", enableSorting: false, cell: ({ getValue }) => <span className="break-words">{getValue<string>()}</span> },
      {
        id: "step",
        header: "Step",
        enableSorting: false,
        cell: ({ row: { original: m } }) => <span className="whitespace-nowrap">{stepLabel(m.step, m.variant)}</span>,
      },
      {
        accessorKey: "state",
        header: "State",
        cell: ({ row: { original: m } }) => (
          <span className="flex flex-col items-start gap-0.5">
            <OutreachStatus status={m.state} />
            {m.unsubscribed_at && <span className="text-xs text-slate-500">unsubscribed</span>}
          </span>
        ),
      },
      { accessorKey: "scheduled_at", header: "Scheduled", cell: ({ getValue }) => when(getValue<string>()) },
      { accessorKey: "sent_at", header: "Sent", cell: ({ getValue }) => when(getValue<string | null>()) },
      {
        accessorKey: "attempts",
        header: "Attempts",
        enableSorting: false,
        cell: ({ getValue }) => <span className="tabular-nums">{getValue<number>()}</span>,
      },
      {
        accessorKey: "response",
        header: "Response",
        enableSorting: false,
        cell: ({ getValue }) => (
          <span className="block max-w-xs truncate text-xs" title={getValue<string | null>() ?? ""}>
            {getValue<string | null>() ?? "—"}
          </span>
        ),
      },
    ],
    [everyCampaign, names],
  );

  const { reactTable, refineCore } = useTable<OutreachMessage>({
    columns,
    refineCoreProps: {
      resource: "outreach_messages",
      pagination: { pageSize: 25 },
      sorters: { initial: [{ field: "created_at", order: "desc" }] },
      filters: campaignId ? { permanent: [{ field: "campaign_id", operator: "eq", value: campaignId }] } : undefined,
      syncWithLocation: everyCampaign,
    },
  });
  const { filters, setFilters, tableQuery } = refineCore;
  const total = tableQuery.data?.total;

  return (
    <div className="flex flex-col gap-3">
      <form role="search" aria-label="Filter the send log" className="flex flex-wrap items-end gap-3" onSubmit={(e) => e.preventDefault()}>
        <label className="flex flex-col gap-1 text-sm font-medium text-slate-700">
          State
          <select
            className={CONTROL}
            value={filterValue(filters, "state")}
            onChange={(e) => setFilters([{ field: "state", operator: "eq", value: e.target.value || undefined }])}
          >
            <option value="">Any</option>
            {MESSAGE_STATES.map((state) => (
              <option key={state} value={state}>
                {state}
              </option>
            ))}
          </select>
        </label>
        {everyCampaign && (
          <label className="flex flex-col gap-1 text-sm font-medium text-slate-700">
            Campaign
            <select
              className={CONTROL}
              value={filterValue(filters, "campaign_id")}
              onChange={(e) => setFilters([{ field: "campaign_id", operator: "eq", value: e.target.value || undefined }])}
            >
              <option value="">Any</option>
              {campaignList.map((c) => (
                <option key={c.id} value={c.id}>
                  {c.name}
                </option>
              ))}
            </select>
          </label>
        )}
        <p className="ml-auto text-sm text-slate-600" aria-live="polite">
          {total === undefined ? "" : `${total} message${total === 1 ? "" : "s"}`}
        </p>
      </form>
      <DataTable
        table={reactTable}
        caption={everyCampaign ? "Send log" : "Send log of this campaign"}
        loading={tableQuery.isLoading}
        error={tableQuery.error?.message}
        empty="No messages match."
      />
    </div>
  );
}

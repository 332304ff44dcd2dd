// A campaign's enrollments, newest first: each lead's address, where its sequence stands (the
// next step and when it is due, or why it stopped), and a Stop for an active one. Live on
// `resources/outreach_enrollments`, and on the send log's events (a sent step moves it on).
import { useInvalidate, useNotification, useSubscription } from "@refinedev/core";
import { useTable } from "@refinedev/react-table";
import { useMutation } from "@tanstack/react-query";
import type { ColumnDef } from "@tanstack/react-table";
import { useMemo } from "react";
import { Link } from "react-router";

import { unwrap } from "../../api/call";
import { api } from "../../api/instance";
import { ConfirmButton } from "../../components/ConfirmButton";
import { DataTable } from "../../components/DataTable";
import { ENROLLMENT_STATUSES, stepLabel, type Enrollment } from "../../lib/outreach";
import { OutreachStatus } from "./OutreachStatus";
import { CONTROL, when } from "./styles";
import { filterValue } from "./useSearchFilter";

export function EnrollmentsTable({ campaignId, canWrite }: { campaignId: string; canWrite: boolean }) {
  const invalidate = useInvalidate();
  const { open } = useNotification();
  const stop = useMutation({
    mutationFn: (enrollment: Enrollment) =>
      unwrap(api.POST("/api/v1/outreach/enrollments/{id}/stop", { params: { path: { id: enrollment.id } } })),
    onSuccess: () => {
      void invalidate({ resource: "outreach_enrollments", invalidates: ["list"] });
      void invalidate({ resource: "outreach_campaigns", id: campaignId, invalidates: ["detail"] });
    },
    onError: (error) => open?.({ type: "error", key: "enrollment-stop", message: error.message }),
  });

  const columns = useMemo<ColumnDef<Enrollment>[]>(
    () => [
      {
        accessorKey: "email",
        header: "Lead",
        cell: ({ row: { original: e } }) => (
          <Link to={`/leads/${e.lead_id}`} className="text-indigo-700 hover:underline">
            {e.email}
          </Link>
        ),
      },
      {
        accessorKey: "status",
        header: "Status",
        cell: ({ row: { original: e } }) => (
          <span className="flex flex-col items-start gap-0.5">
            <OutreachStatus status={e.status} />
            {e.stop_reason && <span className="text-xs text-slate-500">{e.stop_reason.replaceAll("_", " ")}</span>}
          </span>
        ),
      },
      {
        id: "next_step",
        header: "Next",
        enableSorting: false,
        cell: ({ row: { original: e } }) => (e.status === "active" ? stepLabel(e.next_step) : "—"),
      },
      { accessorKey: "next_at", header: "Due", cell: ({ getValue }) => when(getValue<string | null>()) },
      { accessorKey: "created_at", header: "Enrolled", cell: ({ getValue }) => when(getValue<string>()) },
      {
        id: "actions",
        header: () => <span className="sr-only">Actions</span>,
        enableSorting: false,
        cell: ({ row: { original: e } }) =>
          canWrite &&
          e.status === "active" && (
            <ConfirmButton label="Stop" subject={`the sequence of ${e.email}`} disabled={stop.isPending} onConfirm={() => stop.mutate(e)} />
          ),
      },
    ],
    [canWrite, stop],
  );

  const { reactTable, refineCore } = useTable<Enrollment>({
    columns,
    refineCoreProps: {
      resource: "outreach_enrollments",
      pagination: { pageSize: 25 },
      sorters: { initial: [{ field: "created_at", order: "desc" }] },
      filters: { permanent: [{ field: "campaign_id", operator: "eq", value: campaignId }] },
      // The campaign's page holds two tables: neither writes the URL.
      syncWithLocation: false,
    },
  });
  const { filters, setFilters, tableQuery } = refineCore;
  useSubscription({
    channel: "resources/outreach_messages",
    types: ["*"],
    onLiveEvent: () => void tableQuery.refetch(),
  });
  const total = tableQuery.data?.total;

  return (
    <section aria-labelledby="enrollments-title" className="flex flex-col gap-3">
      <div className="flex flex-wrap items-end justify-between gap-3">
        <h2 id="enrollments-title" className="text-lg font-semibold">
          Enrollments
        </h2>
        <label className="flex flex-col gap-1 text-sm font-medium text-slate-700">
          Status
          <select
            className={CONTROL}
            value={filterValue(filters, "status")}
            onChange={(e) => setFilters([{ field: "status", operator: "eq", value: e.target.value || undefined }])}
          >
            <option value="">Any</option>
            {ENROLLMENT_STATUSES.map((status) => (
              <option key={status} value={status}>
                {status}
              </option>
            ))}
          </select>
        </label>
      </div>
      <p className="text-sm text-slate-600" aria-live="polite">
        {total === undefined ? "" : `${total} enrollment${total === 1 ? "" : "s"}`}
      </p>
      <DataTable
        table={reactTable}
        caption="Enrollments of this campaign"
        loading={tableQuery.isLoading}
        error={tableQuery.error?.message}
        empty="No leads enrolled yet."
      />
    </section>
  );
}

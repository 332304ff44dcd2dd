// "Enroll in a campaign" on the leads list: a modal dialog that puts every lead the list shows
// for its current filters and search into a campaign (`POST …/campaigns/{id}/enrollments` with
// `{filter}`, the list's query string without paging or sort), so a segment of any size is
// enrolled without listing its ids. It says how many leads match before, and what the server
// did after (enrolled, and why the others were skipped), or why it refused.
import { useInvalidate, useList, type CrudFilter } from "@refinedev/core";
import { useMutation } from "@tanstack/react-query";
import { useId, useRef, useState, type FormEvent } from "react";
import { Link } from "react-router";

import { unwrap } from "../../api/call";
import { api } from "../../api/instance";
import { Alert } from "../../components/Alert";
import { Button } from "../../components/Button";
import { Field } from "../../components/Field";
import type { Campaign } from "../../lib/campaigns";
import { fieldError } from "../../lib/field-errors";
import { leadsListQuery } from "../../lib/leads";
import { enrollSummary } from "../../lib/outreach";

const CONTROL = "rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm shadow-xs";

interface Enroll {
  campaignId: string;
  filter: string;
}

/** `total` is how many leads the list shows for `filters`; undefined while it is counted. */
export function EnrollInCampaignDialog({ filters, total }: { filters: CrudFilter[]; total: number | undefined }) {
  const invalidate = useInvalidate();
  const dialog = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  // The campaigns are read once the dialog is first opened, not on every visit of the list.
  const [opened, setOpened] = useState(false);
  const [campaignId, setCampaignId] = useState("");

  const campaigns = useList<Campaign>({
    resource: "outreach_campaigns",
    pagination: { pageSize: 200 },
    sorters: [{ field: "name", order: "asc" }],
    filters: [{ field: "status", operator: "ne", value: "archived" }],
    queryOptions: { enabled: opened },
  });
  const enroll = useMutation({
    mutationFn: ({ campaignId, filter }: Enroll) =>
      unwrap(
        api.POST("/api/v1/outreach/campaigns/{id}/enrollments", {
          params: { path: { id: campaignId } },
          body: { filter },
        }),
      ),
    onSuccess: (_, { campaignId }) => {
      void invalidate({ resource: "outreach_enrollments", invalidates: ["list"] });
      void invalidate({ resource: "outreach_campaigns", id: campaignId, invalidates: ["detail"] });
    },
  });

  const open = () => {
    enroll.reset();
    setCampaignId("");
    setOpened(true);
    dialog.current?.showModal();
  };
  const close = () => dialog.current?.close();

  // The API refuses an empty filter: enrolling every lead of the agency is not offered here.
  const filter = leadsListQuery(filters);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (campaignId && filter) enroll.mutate({ campaignId, filter });
  };

  const list = campaigns.result.data ?? [];
  const result = enroll.data;
  const enrolledId = enroll.variables?.campaignId;
  const enrolledIn = list.find((c) => c.id === enrolledId);
  const leads = (n: number) => `${n} lead${n === 1 ? "" : "s"}`;
  return (
    <>
      <Button variant="secondary" onClick={open}>
        Enroll in a campaign
      </Button>
      <dialog
        ref={dialog}
        aria-labelledby={titleId}
        className="m-auto w-full max-w-lg rounded-lg border border-slate-200 p-0 shadow-xl backdrop:bg-slate-900/40"
      >
        <form className="flex flex-col gap-4 p-5" onSubmit={submit} noValidate>
          <h2 id={titleId} className="text-lg font-semibold">
            Enroll in a campaign
          </h2>
          <p className="text-sm text-slate-700" aria-live="polite">
            {!filter
              ? "Filter or search the list first: the leads it then shows are enrolled."
              : total === undefined
                ? "Counting the leads the list shows…"
                : `${leads(total)} ${total === 1 ? "matches" : "match"} the list's filters and search. Those without an email, already in the campaign or suppressed are left out.`}
          </p>
          <Field label="Campaign" hint="Not archived. A draft or paused campaign starts on them when it is activated.">
            {(control) => (
              <select
                className={CONTROL}
                value={campaignId}
                onChange={(e) => {
                  setCampaignId(e.target.value);
                  enroll.reset();
                }}
                {...control}
              >
                <option value="">{campaigns.query.isLoading ? "Loading…" : "Choose a campaign"}</option>
                {list.map((c) => (
                  <option key={c.id} value={c.id}>
                    {`${c.name} (${c.status})`}
                  </option>
                ))}
              </select>
            )}
          </Field>
          {campaigns.query.error && <Alert tone="error">{campaigns.query.error.message}</Alert>}
          {campaigns.query.isSuccess && list.length === 0 && (
            <p className="text-sm text-slate-600">
              No campaign to enroll in yet.{" "}
              <Link to="/outreach/campaigns/create" className="text-indigo-700 hover:underline" onClick={close}>
                Create one
              </Link>
            </p>
          )}
          {enroll.error && <Alert tone="error">{fieldError(enroll.error, "filter") ?? enroll.error.message}</Alert>}
          {result && enrolledId && (
            <div role="status" aria-label="Enrollment result" className="flex flex-col gap-1 text-sm">
              <p className="font-medium">{enrollSummary(result)}</p>
              <p>
                <Link
                  to={`/outreach/campaigns/${enrolledId}`}
                  className="text-indigo-700 hover:underline"
                  onClick={close}
                >
                  Open the campaign{enrolledIn ? ` ${enrolledIn.name}` : ""}
                </Link>
              </p>
            </div>
          )}
          <div className="flex justify-end gap-2">
            <Button variant="secondary" onClick={close}>
              Close
            </Button>
            <Button type="submit" disabled={!campaignId || !filter || !total || enroll.isPending}>
              Enroll {total === undefined ? "leads" : leads(total)}
            </Button>
          </div>
        </form>
      </dialog>
    </>
  );
}

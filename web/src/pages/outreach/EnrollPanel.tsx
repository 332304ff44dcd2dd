// Enrolling leads in a campaign (`POST …/campaigns/{id}/enrollments`): paste their ids, or
// search the leads and enroll all those shown. The answer says who was enrolled and, lead by
// lead, why the others were left out (no email, already in, suppressed…).
import { useInvalidate } from "@refinedev/core";
import { useMutation } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { Link } from "react-router";

import { unwrap } from "../../api/call";
import { api } from "../../api/instance";
import { Alert } from "../../components/Alert";
import { Button } from "../../components/Button";
import { Field } from "../../components/Field";
import type { Campaign } from "../../lib/campaigns";
import { leadName, type Lead } from "../../lib/leads";
import { parseLeadIds, skipReason } from "../../lib/outreach";
import { LeadLine, LeadSearchBox, useLeadSearch } from "./LeadSearch";
import { CONTROL, PANEL } from "./styles";

/** At most this many leads of a search are listed, and so enrolled at once. */
const SEARCH_PAGE = 100;

export function EnrollPanel({ campaign }: { campaign: Campaign }) {
  const invalidate = useInvalidate();
  const search = useLeadSearch(SEARCH_PAGE);
  const [pasted, setPasted] = useState("");
  // The names of the leads sent, to say who was skipped in words rather than ids.
  const [names, setNames] = useState<Map<string, string>>(new Map());
  const enroll = useMutation({
    mutationFn: (leadIds: string[]) =>
      unwrap(
        api.POST("/api/v1/outreach/campaigns/{id}/enrollments", {
          params: { path: { id: campaign.id } },
          body: { lead_ids: leadIds },
        }),
      ),
    onSuccess: () => {
      void invalidate({ resource: "outreach_enrollments", invalidates: ["list"] });
      void invalidate({ resource: "outreach_campaigns", id: campaign.id, invalidates: ["detail"] });
    },
  });

  const parsed = parseLeadIds(pasted);
  const enrollPasted = (e: FormEvent) => {
    e.preventDefault();
    if (parsed.ids.length === 0) return;
    setNames(new Map());
    enroll.mutate(parsed.ids);
  };
  const enrollShown = (leads: Lead[]) => {
    setNames(new Map(leads.map((l) => [l.id, leadName(l)])));
    enroll.mutate(leads.map((l) => l.id));
  };

  const result = enroll.data;
  return (
    <section aria-labelledby="enroll-title" className={PANEL}>
      <h2 id="enroll-title" className="text-lg font-semibold">
        Enroll leads
      </h2>
      <p className="text-sm text-slate-600">
        {campaign.status === "active"
          ? "They start at once, within the send window."
          : "They start when the campaign is activated."}{" "}
        Leads without an email, already in the campaign or on the suppression list are left out.
      </p>
      <form aria-label="Enroll lead ids" className="flex flex-col gap-2" onSubmit={enrollPasted}>
        <Field
          label="Lead ids"
          hint="One a line (or separated by commas)."
          error={parsed.invalid.length > 0 ? `Not lead ids: ${parsed.invalid.slice(0, 5).join(", ")}` : undefined}
        >
          {(control) => (
            <textarea rows={3} className={`${CONTROL} font-mono text-xs`} value={pasted} onChange={(e) => setPasted(e.target.value)} {...control} />
          )}
        </Field>
        <div>
          <Button type="submit" disabled={parsed.ids.length === 0 || enroll.isPending}>
            Enroll {parsed.ids.length || ""} lead{parsed.ids.length === 1 ? "" : "s"}
          </Button>
        </div>
      </form>
      <div className="flex flex-col gap-2 border-t border-slate-100 pt-3">
        <LeadSearchBox search={search} label="Or find leads" />
        {search.error && <Alert tone="error">{search.error}</Alert>}
        {search.leads.length > 0 && (
          <>
            <p className="text-sm text-slate-600" aria-live="polite">
              {search.total > search.leads.length
                ? `${search.leads.length} of ${search.total} matching leads shown.`
                : `${search.leads.length} matching lead${search.leads.length === 1 ? "" : "s"}.`}
            </p>
            <ul aria-label="Leads to enroll" className="max-h-48 overflow-y-auto text-sm">
              {search.leads.map((lead) => (
                <li key={lead.id}>
                  <LeadLine lead={lead} />
                </li>
              ))}
            </ul>
            <div>
              <Button disabled={enroll.isPending} onClick={() => enrollShown(search.leads)}>
                Enroll all {search.leads.length} shown
              </Button>
            </div>
          </>
        )}
        {search.search.trim() !== "" && !search.loading && !search.error && search.leads.length === 0 && (
          <p className="text-sm text-slate-500">No lead matches.</p>
        )}
      </div>
      {enroll.error && <Alert tone="error">{enroll.error.message}</Alert>}
      {result && (
        <div role="status" aria-label="Enrollment result" className="flex flex-col gap-1 text-sm">
          <p className="font-medium">
            Enrolled {result.enrolled.length} lead{result.enrolled.length === 1 ? "" : "s"}
            {result.skipped.length > 0 ? `; ${result.skipped.length} skipped:` : "."}
          </p>
          {result.skipped.length > 0 && (
            <ul className="list-disc pl-5 text-slate-700">
              {result.skipped.map((s) => (
                <li key={s.lead_id}>
                  <Link to={`/leads/${s.lead_id}`} className="text-indigo-700 hover:underline">
                    {names.get(s.lead_id) ?? <code className="text-xs">{s.lead_id}</code>}
                  </Link>
                  : {skipReason(s.reason)}
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
    </section>
  );
}

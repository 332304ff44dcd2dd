// A campaign step rendered for a real lead (`POST …/campaigns/{id}/preview`): pick the lead
// from a search (or paste its id), the step and the variant; see the address, subject and body
// as they would be sent, warned about the fields the lead lacks that have no fallback.
import { useMutation } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";

import { unwrap } from "../../api/call";
import { api } from "../../api/instance";
import { Alert } from "../../components/Alert";
import { Button } from "../../components/Button";
import { variantLetter, type Campaign } from "../../lib/campaigns";
import { leadName, type Lead } from "../../lib/leads";
import { parseLeadIds, stepLabel, type CampaignPreview } from "../../lib/outreach";
import { LeadLine, LeadSearchBox, useLeadSearch } from "./LeadSearch";
import { CONTROL, PANEL } from "./styles";

interface Target {
  leadId: string;
  step: number;
  variant: number;
}

export function PreviewPanel({ campaign }: { campaign: Campaign }) {
  const search = useLeadSearch(5);
  const [leadId, setLeadId] = useState("");
  const [picked, setPicked] = useState<Lead | null>(null);
  const [step, setStep] = useState(0);
  const [variant, setVariant] = useState(0);
  const preview = useMutation({
    mutationFn: async ({ leadId, step, variant }: Target): Promise<CampaignPreview> =>
      unwrap(
        api.POST("/api/v1/outreach/campaigns/{id}/preview", {
          params: { path: { id: campaign.id } },
          body: { lead_id: leadId, step, variant },
        }),
      ),
  });

  const variants = campaign.steps[step]?.variants ?? [];
  const validId = parseLeadIds(leadId).ids[0];
  const run = (target: Partial<Target> = {}) => {
    const next = { leadId: validId ?? "", step, variant, ...target };
    if (next.leadId && campaign.steps.length > 0) preview.mutate(next);
  };
  const pick = (lead: Lead) => {
    setPicked(lead);
    setLeadId(lead.id);
    run({ leadId: lead.id });
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    run();
  };

  const result = preview.data;
  return (
    <section aria-labelledby="preview-title" className={PANEL}>
      <h2 id="preview-title" className="text-lg font-semibold">
        Preview
      </h2>
      {campaign.steps.length === 0 ? (
        <p className="text-sm text-slate-500">The campaign has no steps yet.</p>
      ) : (
        <>
          <LeadSearchBox search={search} label="Find a lead" />
          {search.leads.length > 0 && (
            <ul aria-label="Leads found" className="flex flex-col gap-1 text-sm">
              {search.leads.map((lead) => (
                <li key={lead.id} className="flex items-center justify-between gap-2">
                  <LeadLine lead={lead} />
                  <Button variant="link" aria-label={`Preview for ${leadName(lead)}`} onClick={() => pick(lead)}>
                    Preview
                  </Button>
                </li>
              ))}
            </ul>
          )}
          {search.search.trim() !== "" && !search.loading && search.leads.length === 0 && (
            <p className="text-sm text-slate-500">{search.error ?? "No lead matches."}</p>
          )}
          <form aria-label="Preview a step" className="flex flex-wrap items-end gap-3" onSubmit={submit}>
            <label className="flex flex-col gap-1 text-sm font-medium text-slate-700">
              Lead id
              <input
                className={`${CONTROL} w-80 font-mono text-xs`}
                value={leadId}
                onChange={(e) => {
                  setLeadId(e.target.value.trim());
                  setPicked(null);
                }}
              />
            </label>
            <label className="flex flex-col gap-1 text-sm font-medium text-slate-700">
              Step
              <select
                className={CONTROL}
                value={step}
                onChange={(e) => {
                  setStep(Number(e.target.value));
                  setVariant(0);
                }}
              >
                {campaign.steps.map((_, i) => (
                  <option key={i} value={i}>
                    {stepLabel(i)}
                  </option>
                ))}
              </select>
            </label>
            <label className="flex flex-col gap-1 text-sm font-medium text-slate-700">
              Variant
              <select className={CONTROL} value={variant} onChange={(e) => setVariant(Number(e.target.value))}>
                {variants.map((_, i) => (
                  <option key={i} value={i}>
                    {variantLetter(i)}
                  </option>
                ))}
              </select>
            </label>
            <Button type="submit" disabled={!validId || preview.isPending}>
              Show preview
            </Button>
          </form>
          {preview.error && <Alert tone="error">{preview.error.message}</Alert>}
          {result && (
            <article aria-label="Rendered message" className="flex flex-col gap-2 rounded-md border border-slate-200 p-3 text-sm">
              {picked && <p className="text-xs text-slate-500">For {leadName(picked)}</p>}
              <dl className="grid grid-cols-[max-content_1fr] gap-x-3 gap-y-1">
                <dt className="text-slate-500">To</dt>
                <dd>{result.to ?? <span className="text-red-700">no email address</span>}</dd>
                <dt className="text-slate-500">Subject</dt>
                <dd className="font-medium" data-testid="preview-subject">
                  {result.subject}
                </dd>
              </dl>
              <pre data-testid="preview-body" className="rounded bg-slate-50 p-3 font-sans whitespace-pre-wrap">
                {result.body}
              </pre>
              {result.missing.length > 0 && (
                <Alert tone="warning">
                  Empty for this lead, with no fallback: {result.missing.join(", ")}. Add a fallback (
                  <code>{'{{field | "…"}}'}</code>) or fill the field.
                </Alert>
              )}
              {result.fell_back.length > 0 && (
                <p className="text-xs text-slate-600">The fallback stood in for: {result.fell_back.join(", ")}.</p>
              )}
            </article>
          )}
        </>
      )}
    </section>
  );
}

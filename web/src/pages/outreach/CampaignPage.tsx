// A campaign (`/outreach/campaigns/:id`): its status with Activate and Pause (and why it paused,
// when it paused by itself), how it is doing (enrolled, sent, bounced…), its settings and
// steps, the preview of a step for a real lead, enrolling leads, its enrollments and its send
// log. The stats follow the campaign's events
// and the send log's (a message planned, sent or bounced moves them).
import { useDelete, useGetIdentity, useGo, useInvalidate, useList, useOne, useSubscription } from "@refinedev/core";
import { useMutation } from "@tanstack/react-query";
import { Link, useParams } from "react-router";

import { unwrap } from "../../api/call";
import { api } from "../../api/instance";
import { Alert } from "../../components/Alert";
import { Button } from "../../components/Button";
import { ConfirmButton } from "../../components/ConfirmButton";
import { Page } from "../../components/Page";
import { describeDelay, hhmm, variantLetter, WEEKDAYS, type CampaignDetail, type CampaignStats } from "../../lib/campaigns";
import type { Mailbox } from "../../lib/mailboxes";
import { pausedNote } from "../../lib/outreach";
import { holds } from "../../lib/scopes";
import type { Identity } from "../../providers/auth";
import { EnrollmentsTable } from "./EnrollmentsTable";
import { EnrollPanel } from "./EnrollPanel";
import { MessagesTable } from "./MessagesTable";
import { OutreachStatus } from "./OutreachStatus";
import { PreviewPanel } from "./PreviewPanel";
import { SECONDARY_LINK } from "./styles";

const STATS: { key: keyof CampaignStats; label: string }[] = [
  { key: "enrolled", label: "Enrolled" },
  { key: "active", label: "Active" },
  { key: "finished", label: "Finished" },
  { key: "stopped", label: "Stopped" },
  { key: "queued", label: "Queued" },
  { key: "sent", label: "Sent" },
  { key: "bounced", label: "Bounced" },
  { key: "failed", label: "Failed" },
  { key: "unknown", label: "Unknown" },
  { key: "unsubscribed", label: "Unsubscribed" },
];

export default function CampaignPage() {
  const { id = "" } = useParams();
  const { data: identity } = useGetIdentity<Identity>();
  const canWrite = holds(identity, "outreach:write");
  const invalidate = useInvalidate();
  const { result: campaign, query } = useOne<CampaignDetail>({ resource: "outreach_campaigns", id });
  // The stats count messages and enrollments, which change without a campaign event.
  const refresh = () => void invalidate({ resource: "outreach_campaigns", id, invalidates: ["detail"] });
  useSubscription({ channel: "resources/outreach_messages", types: ["*"], onLiveEvent: refresh });
  useSubscription({ channel: "resources/outreach_enrollments", types: ["*"], onLiveEvent: refresh });

  if (!campaign) {
    if (!query.error) return <p className="text-slate-500">Loading…</p>;
    return (
      <Page title="Campaign">
        <Alert tone="error">{query.error.message}</Alert>
      </Page>
    );
  }
  const paused = pausedNote(campaign.status, campaign.paused_reason);
  return (
    <Page title={campaign.name} wide actions={<Actions campaign={campaign} canWrite={canWrite} />}>
      {paused && (
        <Alert tone="warning">
          {paused}. Fix the cause (the addresses, the mailboxes, the message), then activate it again.
        </Alert>
      )}
      <Stats stats={campaign.stats} />
      <Settings campaign={campaign} />
      <div className="grid gap-4 xl:grid-cols-2">
        <PreviewPanel campaign={campaign} />
        {canWrite && <EnrollPanel campaign={campaign} />}
      </div>
      <EnrollmentsTable campaignId={campaign.id} canWrite={canWrite} />
      <section aria-labelledby="send-log-title" className="flex flex-col gap-3">
        <h2 id="send-log-title" className="text-lg font-semibold">
          Send log
        </h2>
        <MessagesTable campaignId={campaign.id} />
      </section>
    </Page>
  );
}

function Actions({ campaign, canWrite }: { campaign: CampaignDetail; canWrite: boolean }) {
  const invalidate = useInvalidate();
  const go = useGo();
  const { mutate: remove } = useDelete();
  const setStatus = useMutation({
    mutationFn: (to: "activate" | "pause") => {
      const params = { path: { id: campaign.id } };
      return unwrap(
        to === "activate"
          ? api.POST("/api/v1/outreach/campaigns/{id}/activate", { params })
          : api.POST("/api/v1/outreach/campaigns/{id}/pause", { params }),
      );
    },
    onSuccess: () => void invalidate({ resource: "outreach_campaigns", id: campaign.id, invalidates: ["detail", "list"] }),
  });
  const sending = campaign.status === "active";
  return (
    <div className="flex flex-col items-end gap-2">
      <div className="flex flex-wrap items-center gap-2">
        <OutreachStatus status={campaign.status} />
        {canWrite && campaign.status !== "archived" && (
          <>
            {sending ? (
              <Button variant="secondary" disabled={setStatus.isPending} onClick={() => setStatus.mutate("pause")}>
                Pause
              </Button>
            ) : (
              <Button disabled={setStatus.isPending} onClick={() => setStatus.mutate("activate")}>
                Activate
              </Button>
            )}
            <Link to={`/outreach/campaigns/${campaign.id}/edit`} className={SECONDARY_LINK}>
              Edit
            </Link>
            <ConfirmButton
              label="Delete"
              subject={campaign.name}
              onConfirm={() =>
                remove({ resource: "outreach_campaigns", id: campaign.id }, { onSuccess: () => go({ to: "/outreach/campaigns" }) })
              }
            />
          </>
        )}
      </div>
      {setStatus.error && (
        <div className="max-w-md">
          <Alert tone="error">{setStatus.error.message}</Alert>
        </div>
      )}
    </div>
  );
}

function Stats({ stats }: { stats: CampaignStats }) {
  return (
    <section aria-label="Stats">
      <dl className="grid grid-cols-2 gap-3 sm:grid-cols-5">
        {STATS.map(({ key, label }) => (
          <div key={key} className="rounded-lg border border-slate-200 bg-white px-3 py-2">
            <dt className="text-xs font-medium tracking-wide text-slate-500 uppercase">{label}</dt>
            <dd className="text-2xl font-semibold tabular-nums" data-testid={`stat-${key}`}>
              {stats[key].toLocaleString()}
            </dd>
          </div>
        ))}
      </dl>
    </section>
  );
}

function Settings({ campaign }: { campaign: CampaignDetail }) {
  const mailboxes = useList<Mailbox>({ resource: "outreach_mailboxes", pagination: { pageSize: 200 } });
  const names = new Map((mailboxes.result.data ?? []).map((m) => [m.id, m]));
  const days = WEEKDAYS.filter((d) => campaign.window_days.includes(d.day))
    .map((d) => d.label)
    .join(", ");
  return (
    <section aria-label="Settings" className="grid gap-4 lg:grid-cols-2">
      <dl className="grid grid-cols-[max-content_1fr] content-start gap-x-4 gap-y-1 text-sm">
        <dt className="text-slate-500">Window</dt>
        <dd>
          {days}, {hhmm(campaign.window_start)}–{hhmm(campaign.window_end)} ({campaign.timezone})
        </dd>
        <dt className="text-slate-500">Sends from</dt>
        <dd>
          {campaign.mailbox_ids.length === 0
            ? "no mailbox yet"
            : campaign.mailbox_ids.map((mid) => {
                const m = names.get(mid);
                return (
                  <span key={mid} className="mr-2 inline-block">
                    {m ? `${m.name} <${m.from_address}>` : "mailbox"}
                    {m && m.status !== "active" && <span className="ml-1 text-xs text-amber-700">({m.status})</span>}
                  </span>
                );
              })}
        </dd>
        <dt className="text-slate-500">A reply stops</dt>
        <dd>
          the lead's sequence{campaign.stop_on_auto_reply ? ", automatic replies too" : ""}
          {campaign.stop_company_on_reply ? "; and the whole company's" : ""}
        </dd>
      </dl>
      <ol aria-label="Steps" className="flex flex-col gap-1 text-sm">
        {campaign.steps.length === 0 && <li className="text-slate-500">No steps yet.</li>}
        {campaign.steps.map((step, i) => (
          <li key={i}>
            <span className="font-medium">Step {i + 1}</span>{" "}
            <span className="text-slate-500">({describeDelay(step.delay_minutes, i === 0)})</span>
            <ul className="pl-4">
              {step.variants.map((v, j) => (
                <li key={j} className="truncate">
                  {step.variants.length > 1 && <span className="mr-1 text-slate-500">{variantLetter(j)}:</span>}
                  {v.subject}
                </li>
              ))}
            </ul>
          </li>
        ))}
      </ol>
    </section>
  );
}

// The screens, as Refine resources: each is a list route guarded by the scope that reading it
// needs (docs/permissions.md), and names the prefix of its live event types. The navigation
// shows them in this order, those of a `group` under its heading after the others.
import type { ResourceProps } from "@refinedev/core";

export interface ResourceMeta {
  label: string;
  scope: string;
  /** The prefix of the resource's live event types (`api_key` in `api_key.created`). */
  liveEvent: string;
  /** Where its API lives under /api/v1 when not at its name (its live channel keeps the name). */
  apiPath?: string;
  /** Further live event types that change its lists (heard as `updated`). */
  liveUpdates?: readonly string[];
  /** Its API replaces a record with PUT (the data provider patches otherwise). */
  updateMethod?: "put";
  /** The heading it is shown under in the navigation. */
  group?: string;
}

export const resources = [
  {
    name: "leads",
    list: "/leads",
    create: "/leads/create",
    show: "/leads/:id",
    edit: "/leads/:id/edit",
    meta: { label: "Leads", scope: "leads:read", liveEvent: "lead" },
  },
  { name: "pipelines", list: "/pipeline", meta: { label: "Pipeline", scope: "leads:read", liveEvent: "pipeline" } },
  {
    name: "lead-imports",
    list: "/imports",
    meta: { label: "Import leads", scope: "leads:write", liveEvent: "lead_import" },
  },
  {
    name: "projects",
    list: "/projects",
    create: "/projects/create",
    show: "/projects/:id",
    edit: "/projects/:id/edit",
    meta: { label: "Projects", scope: "projects:read", liveEvent: "project" },
  },
  {
    name: "flows",
    list: "/flows",
    create: "/flows/create",
    show: "/flows/:id",
    meta: { label: "Flows", scope: "projects:read", liveEvent: "flow", apiPath: "orchestration/flows" },
  },
  {
    name: "executions",
    list: "/executions",
    show: "/executions/:id",
    meta: { label: "Executions", scope: "projects:read", liveEvent: "execution", apiPath: "orchestration/executions" },
  },
  {
    name: "automation-runs",
    list: "/automation-runs",
    meta: { label: "Automation runs", scope: "projects:read", liveEvent: "automation_run" },
  },
  {
    name: "discoveries",
    list: "/discoveries",
    show: "/discoveries/:id",
    meta: { label: "Discoveries", scope: "projects:read", liveEvent: "discovery" },
  },
  { name: "members", list: "/members", meta: { label: "Members", scope: "members:read", liveEvent: "member" } },
  {
    name: "api-keys",
    list: "/api-keys",
    meta: { label: "API keys", scope: "api_keys:read", liveEvent: "api_key" },
  },
  {
    name: "webhook-endpoints",
    list: "/webhooks",
    meta: { label: "Webhooks", scope: "webhooks:read", liveEvent: "webhook_endpoint" },
  },
  {
    name: "outreach_mailboxes",
    list: "/outreach/mailboxes",
    create: "/outreach/mailboxes/create",
    edit: "/outreach/mailboxes/:id/edit",
    meta: {
      label: "Mailboxes",
      scope: "outreach:read",
      liveEvent: "outreach.mailbox",
      liveUpdates: ["outreach.mailbox.tested"],
      apiPath: "outreach/mailboxes",
      updateMethod: "put",
      group: "Outreach",
    },
  },
  {
    name: "outreach_campaigns",
    list: "/outreach/campaigns",
    create: "/outreach/campaigns/create",
    show: "/outreach/campaigns/:id",
    edit: "/outreach/campaigns/:id/edit",
    meta: {
      label: "Campaigns",
      scope: "outreach:read",
      liveEvent: "outreach.campaign",
      apiPath: "outreach/campaigns",
      updateMethod: "put",
      group: "Outreach",
    },
  },
  {
    name: "outreach_replies",
    list: "/outreach/replies",
    meta: {
      label: "Inbox",
      scope: "outreach:read",
      // `outreach.reply.created` when the inbox check or a provider's notification keeps one.
      liveEvent: "outreach.reply",
      apiPath: "outreach/replies",
      group: "Outreach",
    },
  },
  {
    name: "outreach_messages",
    list: "/outreach/messages",
    meta: {
      label: "Send log",
      scope: "outreach:read",
      liveEvent: "outreach.message",
      // Planned by the planner, then sent (or not) by the sender, each announcing it.
      liveUpdates: ["outreach.message.queued", "email.sent", "email.unknown", "email.bounced", "email.failed"],
      apiPath: "outreach/messages",
      group: "Outreach",
    },
  },
  {
    name: "outreach_suppressions",
    list: "/outreach/suppressions",
    meta: {
      label: "Suppressions",
      scope: "outreach:read",
      liveEvent: "outreach.suppression",
      apiPath: "outreach/suppressions",
      group: "Outreach",
    },
  },
  {
    // The auto-pause thresholds and the providers' notification sources: read and written by
    // the page itself (no list; no events).
    name: "outreach_settings",
    list: "/outreach/settings",
    meta: {
      label: "Deliverability",
      scope: "outreach:read",
      liveEvent: "outreach.settings",
      apiPath: "outreach/settings",
      group: "Outreach",
    },
  },
] satisfies (ResourceProps & { meta: ResourceMeta })[];

/** Resources read by the screens without a screen of their own: a campaign's enrollments. */
export const enrollmentsResource = {
  name: "outreach_enrollments",
  meta: {
    apiPath: "outreach/enrollments",
    liveEvent: "outreach.enrollment",
    liveUpdates: ["outreach.enrollment.stopped"],
  },
} as const;

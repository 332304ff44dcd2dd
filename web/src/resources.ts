// The screens, as Refine resources: each is a list route guarded by the scope that reading it
// needs (docs/permissions.md), and names the prefix of its live event types.
import type { ResourceProps } from "@refinedev/core";

export interface ResourceMeta {
  label: string;
  scope: string;
  /** The prefix of the resource's live event types (`api_key` in `api_key.created`). */
  liveEvent: string;
  /** Where its API lives under /api/v1 when not at its name (its live channel keeps the name). */
  apiPath?: string;
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
] satisfies (ResourceProps & { meta: ResourceMeta })[];

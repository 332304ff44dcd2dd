// The screens built so far, as Refine resources: each is a list route guarded by the scope
// that reading it needs (docs/permissions.md). Leads, pipeline, imports and webhooks join
// when their API exists.
import type { ResourceProps } from "@refinedev/core";

export interface ResourceMeta {
  label: string;
  scope: string;
  /** The prefix of the resource's live event types (`api_key` in `api_key.created`). */
  liveEvent: string;
}

export const resources = [
  { name: "members", list: "/members", meta: { label: "Members", scope: "members:read", liveEvent: "member" } },
  {
    name: "api-keys",
    list: "/api-keys",
    meta: { label: "API keys", scope: "api_keys:read", liveEvent: "api_key" },
  },
] satisfies (ResourceProps & { meta: ResourceMeta })[];

// What the outreach screens share: the send log, enrollments (and what enrolling did),
// suppressions and what came back (replies, bounces…), their status colours, why something
// paused by itself, and reading the lists a user pastes (lead ids, email addresses).
import type { components } from "../api/schema";
import { variantLetter } from "./campaigns";

export type Enrollment = components["schemas"]["Enrollment"];
export type OutreachMessage = components["schemas"]["Message"];
export type Suppression = components["schemas"]["Suppression"];
export type EnrollResult = components["schemas"]["EnrollResult"];
export type OutreachReply = components["schemas"]["OutreachReply"];

/** A step rendered for a lead (`POST …/campaigns/{id}/preview`). */
export type CampaignPreview = components["schemas"]["CampaignPreview"];

export const MESSAGE_STATES = ["queued", "sending", "sent", "bounced", "failed", "unknown", "cancelled"] as const;
export const ENROLLMENT_STATUSES = ["active", "finished", "stopped"] as const;

const GREY = "#64748b";
const BLUE = "#2563eb";
const GREEN = "#16a34a";
const AMBER = "#d97706";
const RED = "#dc2626";

/** One colour per status word across the outreach screens (campaigns, mailboxes,
 * enrollments, messages): blue waits or works, green went well, amber is unsure or held,
 * red went wrong, grey is over or not started. */
const COLOURS: Record<string, string> = {
  draft: GREY,
  active: GREEN,
  paused: AMBER,
  archived: GREY,
  finished: GREEN,
  stopped: GREY,
  queued: BLUE,
  sending: BLUE,
  sent: GREEN,
  bounced: RED,
  failed: RED,
  unknown: AMBER,
  cancelled: GREY,
  reply: GREEN,
  auto_reply: GREY,
  bounce: RED,
  complaint: RED,
};

export function outreachColour(status: string): string {
  return COLOURS[status] ?? GREY;
}

/** What comes back for a message, as the inbox names each kind (one and many). */
export const REPLY_KINDS = [
  { kind: "reply", label: "Reply", plural: "Replies" },
  { kind: "auto_reply", label: "Auto-reply", plural: "Auto-replies" },
  { kind: "bounce", label: "Bounce", plural: "Bounces" },
  { kind: "complaint", label: "Complaint", plural: "Complaints" },
] as const;

export function replyKindLabel(kind: string): string {
  return REPLY_KINDS.find((k) => k.kind === kind)?.label ?? kind;
}

/** Bounces and complaints say why (the server's status, the provider's words); a reply's
 * text is its snippet. */
export function showsDetail(reply: Pick<OutreachReply, "kind" | "detail">): boolean {
  return Boolean(reply.detail) && (reply.kind === "bounce" || reply.kind === "complaint");
}

/** Why a mailbox or campaign is paused, when it paused by itself (its bounce or complaint
 * rate passed the threshold); nothing for a pause by hand or once it runs again. */
export function pausedNote(status: string, reason: string | null | undefined): string | null {
  return status === "paused" && reason ? `Paused automatically: ${reason}` : null;
}

/** Why a lead was not enrolled, in words. */
const SKIP_REASONS: Record<string, string> = {
  not_found: "not a lead of this agency (or in the trash)",
  no_email: "has no email address",
  already_enrolled: "already in this campaign",
  unsubscribed: "unsubscribed",
  bounced: "bounced before",
  complaint: "complained",
  manual: "on the suppression list",
};

export function skipReason(reason: string): string {
  return SKIP_REASONS[reason] ?? reason;
}

/** How a summary counts the skipped leads: the suppression reasons together. */
const SKIP_GROUPS: readonly { label: string; reasons: readonly string[] }[] = [
  { label: "without an email", reasons: ["no_email"] },
  { label: "already in the campaign", reasons: ["already_enrolled"] },
  { label: "suppressed", reasons: ["unsubscribed", "bounced", "complaint", "manual"] },
  { label: "no longer found", reasons: ["not_found"] },
];

/** What enrolling did in one line: "12 enrolled; 3 skipped (1 without an email, 2 already in
 * the campaign)". A reason the UI does not know yet is counted under its own name. */
export function enrollSummary({ enrolled, skipped }: EnrollResult): string {
  if (skipped.length === 0) return `${enrolled.length} enrolled.`;
  const counts = new Map<string, number>(SKIP_GROUPS.map((g) => [g.label, 0]));
  for (const { reason } of skipped) {
    const label = SKIP_GROUPS.find((g) => g.reasons.includes(reason))?.label ?? reason;
    counts.set(label, (counts.get(label) ?? 0) + 1);
  }
  const why = [...counts].filter(([, n]) => n > 0).map(([label, n]) => `${n} ${label}`);
  return `${enrolled.length} enrolled; ${skipped.length} skipped (${why.join(", ")}).`;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Lead ids pasted one a line, or separated by commas or spaces: the ids (each once, in
 * order, lower case) and what is not an id. */
export function parseLeadIds(text: string): { ids: string[]; invalid: string[] } {
  const ids: string[] = [];
  const invalid: string[] = [];
  for (const token of text.split(/[\s,;]+/).filter(Boolean)) {
    if (!UUID.test(token)) invalid.push(token);
    else if (!ids.includes(token.toLowerCase())) ids.push(token.toLowerCase());
  }
  return { ids, invalid };
}

/** Addresses pasted one a line (commas and semicolons also separate): each once, in order. */
export function parseEmails(text: string): string[] {
  const emails: string[] = [];
  for (const token of text.split(/[\n,;]+/).map((t) => t.trim()).filter(Boolean)) {
    if (!emails.includes(token)) emails.push(token);
  }
  return emails;
}

/** "Step 2 · B": the 0-based step and variant of a message as people count them. */
export function stepLabel(step: number, variant?: number): string {
  return variant === undefined ? `Step ${step + 1}` : `Step ${step + 1} · ${variantLetter(variant)}`;
}

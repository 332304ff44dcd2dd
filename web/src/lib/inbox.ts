// A mailbox's inbox as its form edits it: where replies, auto-replies and bounce reports are
// read (IMAP), and what a check found, in words. The password is write-only, as the SMTP
// one: the form starts it empty, and only what the user asks for is sent.
import type { components } from "../api/schema";
import type { SmtpSecurity } from "./mailboxes";

export type MailboxInbox = components["schemas"]["MailboxInbox"];
export type InboxInput = components["schemas"]["InboxInput"];
export type CheckSummary = components["schemas"]["CheckSummary"];

/** Implicit TLS first: what IMAP servers offer on 993, the server's default. */
export const IMAP_SECURITIES = ["tls", "starttls", "none"] as const satisfies readonly SmtpSecurity[];

/** The form's values: each input's text, and the two password controls. */
export interface InboxForm {
  host: string;
  port: string;
  security: string;
  username: string;
  /** Typed anew; empty keeps the stored one (none stored: the SMTP password is used). */
  password: string;
  /** Removes the inbox's own password (sends `""`): the SMTP password is used again. */
  remove_password: boolean;
  folder: string;
  enabled: boolean;
}

/** A new inbox: the server's defaults, implicit TLS on 993, the INBOX folder, checked. */
export const EMPTY_INBOX_FORM: InboxForm = {
  host: "",
  port: "993",
  security: "tls",
  username: "",
  password: "",
  remove_password: false,
  folder: "INBOX",
  enabled: true,
};

export function inboxToForm(inbox: MailboxInbox | null | undefined): InboxForm {
  if (!inbox) return EMPTY_INBOX_FORM;
  return {
    host: inbox.host,
    port: String(inbox.port),
    security: inbox.security,
    username: inbox.username,
    password: "",
    remove_password: false,
    folder: inbox.folder,
    enabled: inbox.enabled,
  };
}

/**
 * The payload. What is left empty is the server's to choose (port 993, the mailbox's SMTP user
 * name or from address, `INBOX`); the password is sent only when typed (never trimmed), or as
 * `""` when the user asks to remove it.
 */
export function formToInbox(form: InboxForm): InboxInput {
  const input: InboxInput = {
    host: form.host.trim(),
    security: (IMAP_SECURITIES as readonly string[]).includes(form.security) ? (form.security as SmtpSecurity) : "tls",
    enabled: form.enabled,
  };
  const port = form.port.trim();
  if (port !== "") input.port = Number.isInteger(Number(port)) ? Number(port) : 0;
  if (form.username.trim()) input.username = form.username.trim();
  if (form.folder.trim()) input.folder = form.folder.trim();
  if (form.remove_password) input.password = "";
  else if (form.password) input.password = form.password;
  return input;
}

const count = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/** What a check found: "Read 3 new messages: 1 reply, 2 bounces.", or why it failed. */
export function describeCheck(summary: CheckSummary): string {
  if (summary.error) return `The check failed: ${summary.error}`;
  if (summary.read === 0) return "No new messages.";
  const found = [
    summary.replies > 0 && count(summary.replies, "reply", "replies"),
    summary.auto_replies > 0 && count(summary.auto_replies, "auto-reply", "auto-replies"),
    summary.bounces > 0 && count(summary.bounces, "bounce", "bounces"),
    summary.complaints > 0 && count(summary.complaints, "complaint", "complaints"),
  ].filter(Boolean);
  const read = `Read ${count(summary.read, "new message", "new messages")}`;
  return found.length === 0 ? `${read}, none about our messages.` : `${read}: ${found.join(", ")}.`;
}

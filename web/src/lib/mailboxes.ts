// Outreach mailboxes as the form edits them: each input's text turned into the API's
// MailboxInput, and a stored mailbox turned back into the form. The SMTP password is
// write-only: the form starts it empty, and only what the user asks for is sent.
import type { components } from "../api/schema";

export type Mailbox = components["schemas"]["Mailbox"];
export type MailboxInput = components["schemas"]["MailboxInput"];
export type MailboxTest = components["schemas"]["MailboxTest"];
export type SmtpSecurity = components["schemas"]["SmtpSecurity"];

export const SMTP_SECURITIES = ["starttls", "tls", "none"] as const satisfies readonly SmtpSecurity[];
export const MAILBOX_STATUSES = ["active", "paused"] as const;

/** The form's values: each input's text, and the two password controls. */
export interface MailboxForm {
  name: string;
  from_address: string;
  from_name: string;
  signature: string;
  smtp_host: string;
  smtp_port: string;
  smtp_security: string;
  smtp_username: string;
  /** Typed anew; empty keeps the stored password (on an edit) or sets none (on a create). */
  smtp_password: string;
  /** Removes the stored password (sends `""`). */
  remove_password: boolean;
  /** Whether the mailbox has a password stored: shown, never sent. */
  has_password: boolean;
  daily_cap: string;
  warmup_enabled: boolean;
  warmup_start: string;
  warmup_step: string;
  min_gap_seconds: string;
  max_gap_seconds: string;
  status: string;
}

/** A new mailbox's form: the server's defaults, STARTTLS on 587. */
export const EMPTY_MAILBOX_FORM: MailboxForm = {
  name: "",
  from_address: "",
  from_name: "",
  signature: "",
  smtp_host: "",
  smtp_port: "587",
  smtp_security: "starttls",
  smtp_username: "",
  smtp_password: "",
  remove_password: false,
  has_password: false,
  daily_cap: "50",
  warmup_enabled: true,
  warmup_start: "5",
  warmup_step: "2",
  min_gap_seconds: "30",
  max_gap_seconds: "90",
  status: "active",
};

/** A stored mailbox in the form (its password never comes back: the field starts empty). */
export function mailboxToForm(mailbox: Mailbox): MailboxForm {
  return {
    name: mailbox.name,
    from_address: mailbox.from_address,
    from_name: mailbox.from_name,
    signature: mailbox.signature,
    smtp_host: mailbox.smtp_host,
    smtp_port: String(mailbox.smtp_port),
    smtp_security: mailbox.smtp_security,
    smtp_username: mailbox.smtp_username ?? "",
    smtp_password: "",
    remove_password: false,
    has_password: mailbox.has_password,
    daily_cap: String(mailbox.daily_cap),
    warmup_enabled: mailbox.warmup_enabled,
    warmup_start: String(mailbox.warmup_start),
    warmup_step: String(mailbox.warmup_step),
    min_gap_seconds: String(mailbox.min_gap_seconds),
    max_gap_seconds: String(mailbox.max_gap_seconds),
    status: mailbox.status,
  };
}

/** A number typed in the form; empty or not a number is left to the server's default (or to
 * its 422 on a required field). */
function whole(text: string): number | undefined {
  const trimmed = text.trim();
  if (trimmed === "") return undefined;
  const value = Number(trimmed);
  return Number.isFinite(value) ? value : undefined;
}

/**
 * The create or update payload. The password is sent only when typed (it is never trimmed:
 * spaces may be part of it), or as `""` when the user asks to remove the stored one; left
 * out, the server keeps what it has. An empty user name means none.
 */
export function formToMailbox(form: MailboxForm): MailboxInput {
  const input: MailboxInput = {
    name: form.name.trim(),
    from_address: form.from_address.trim(),
    from_name: form.from_name.trim(),
    signature: form.signature,
    smtp_host: form.smtp_host.trim(),
    smtp_port: whole(form.smtp_port) ?? 0,
    smtp_security: (SMTP_SECURITIES as readonly string[]).includes(form.smtp_security)
      ? (form.smtp_security as SmtpSecurity)
      : "starttls",
    smtp_username: form.smtp_username.trim() || null,
    daily_cap: whole(form.daily_cap),
    warmup_enabled: form.warmup_enabled,
    warmup_start: whole(form.warmup_start),
    warmup_step: whole(form.warmup_step),
    min_gap_seconds: whole(form.min_gap_seconds),
    max_gap_seconds: whole(form.max_gap_seconds),
    status: form.status === "paused" ? "paused" : "active",
  };
  if (form.remove_password) input.smtp_password = "";
  else if (form.smtp_password) input.smtp_password = form.smtp_password;
  return input;
}

/** How a mailbox warms up: "5 +2/day since 2026-12-01", or "off". */
export function warmupSummary(mailbox: Pick<Mailbox, "warmup_enabled" | "warmup_start" | "warmup_step" | "warmup_started_on">): string {
  if (!mailbox.warmup_enabled) return "off";
  return `${mailbox.warmup_start} +${mailbox.warmup_step}/day since ${mailbox.warmup_started_on}`;
}

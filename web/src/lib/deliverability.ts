// Deliverability as the screens edit it: the auto-pause thresholds (fractions in the API,
// percentages on screen), the sending providers whose bounce and complaint notifications are
// taken, and a mailbox's DKIM key (made by the server, or a PEM the user brings).
import type { components } from "../api/schema";

export type DeliverySettings = components["schemas"]["DeliverySettings"];
export type FeedbackSource = components["schemas"]["FeedbackSource"];
export type FeedbackProvider = components["schemas"]["FeedbackProvider"];
export type Dkim = components["schemas"]["Dkim"];
export type DkimInput = components["schemas"]["DkimInput"];

/** A rate as the percentage shown and typed: 0.02 -> "2", 0.001 -> "0.1", 0.07 -> "7" (not
 * 7.000000000000001). */
export function fractionToPercent(fraction: number): string {
  return String(Number((fraction * 100).toPrecision(12)));
}

/** A typed percentage as the rate: "2" -> 0.02, "0,1 %" -> 0.001; undefined when it is not a
 * number. */
export function percentToFraction(text: string): number | undefined {
  const number = text.trim().replace(/%$/, "").trim().replace(",", ".");
  if (number === "") return undefined;
  const value = Number(number);
  return Number.isFinite(value) ? Number((value / 100).toPrecision(12)) : undefined;
}

/** Why a typed threshold is refused before it is sent, or true. */
export function checkPercent(text: string): string | true {
  const fraction = percentToFraction(text);
  if (fraction === undefined) return "Give a percentage, e.g. 2 or 0.1.";
  if (fraction <= 0 || fraction > 1) return "Give a percentage above 0 and at most 100.";
  return true;
}

/** The thresholds form: each input's text, named as the API names the fields (so its 422
 * errors land under them). */
export interface ThresholdsForm {
  bounce_pause_rate: string;
  complaint_pause_rate: string;
  pause_min_sent: string;
}

export function settingsToForm(settings: DeliverySettings): ThresholdsForm {
  return {
    bounce_pause_rate: fractionToPercent(settings.bounce_pause_rate),
    complaint_pause_rate: fractionToPercent(settings.complaint_pause_rate),
    pause_min_sent: String(settings.pause_min_sent),
  };
}

/** The payload; what is not a number goes as 0, for the server to refuse under its field. */
export function formToSettings(form: ThresholdsForm): DeliverySettings {
  const minSent = Number(form.pause_min_sent.trim());
  return {
    bounce_pause_rate: percentToFraction(form.bounce_pause_rate) ?? 0,
    complaint_pause_rate: percentToFraction(form.complaint_pause_rate) ?? 0,
    pause_min_sent: Number.isInteger(minSent) ? minSent : 0,
  };
}

/** The providers whose notifications are taken, in the order shown, with where their URL goes. */
export const FEEDBACK_PROVIDERS: readonly {
  provider: FeedbackProvider;
  name: string;
  /** Its deliveries are signed with a secret the user copies from its dashboard. */
  needsSecret: boolean;
  help: string;
}[] = [
  {
    provider: "ses",
    name: "Amazon SES",
    needsSecret: false,
    help:
      "In Amazon SNS, add an HTTPS subscription with this URL to the topic your SES identity or configuration set " +
      "sends its bounce and complaint notifications to. The subscription is confirmed by itself, and every " +
      "notification's SNS signature is checked.",
  },
  {
    provider: "resend",
    name: "Resend",
    needsSecret: true,
    help:
      "In Resend's Webhooks, add an endpoint with this URL for the email.bounced and email.complained events, " +
      "and paste its signing secret (whsec_…) here: deliveries without a valid signature are refused.",
  },
  {
    provider: "postmark",
    name: "Postmark",
    needsSecret: false,
    help:
      "In Postmark, open the message stream's Webhooks and add this URL for Bounce and Spam Complaint. " +
      "Postmark does not sign its webhooks: the URL's token is the secret, so keep it private.",
  },
];

/** What the DKIM form holds: the selector, and the domain and key when given. */
export interface DkimForm {
  selector: string;
  domain: string;
  private_key: string;
}

export const DEFAULT_SELECTOR = "df1";

/** A pasted private key (the form then says "Use this key" rather than "Generate key"). */
export function hasKey(form: Pick<DkimForm, "private_key">): boolean {
  return form.private_key.trim() !== "";
}

/** The payload: what is left empty is the server's to choose (`df1`, the from address's
 * domain, a new 2048-bit key). */
export function formToDkim(form: DkimForm): DkimInput {
  const input: DkimInput = {};
  if (form.selector.trim()) input.selector = form.selector.trim();
  if (form.domain.trim()) input.domain = form.domain.trim();
  if (hasKey(form)) input.private_key = form.private_key.trim();
  return input;
}

/** The domain a mailbox signs for unless told otherwise: its from address's. */
export function addressDomain(address: string): string {
  const at = address.lastIndexOf("@");
  return at < 0 ? "" : address.slice(at + 1).toLowerCase();
}

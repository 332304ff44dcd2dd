// Outreach campaigns as the builder edits them: the send window, the mailboxes, and the steps
// with their delays (typed as a number and a unit, sent as minutes) and their A/B variants.
import type { components } from "../api/schema";

export type Campaign = components["schemas"]["Campaign"];
export type CampaignDetail = components["schemas"]["CampaignDetail"];
export type CampaignStats = components["schemas"]["CampaignStats"];
export type CampaignInput = components["schemas"]["CampaignInput"];
export type Step = components["schemas"]["Step"];

export const CAMPAIGN_STATUSES = ["draft", "active", "paused", "archived"] as const;

/** ISO weekdays, Monday 1 to Sunday 7, as the window's checkboxes show them. */
export const WEEKDAYS = [
  { day: 1, label: "Mon" },
  { day: 2, label: "Tue" },
  { day: 3, label: "Wed" },
  { day: 4, label: "Thu" },
  { day: 5, label: "Fri" },
  { day: 6, label: "Sat" },
  { day: 7, label: "Sun" },
] as const;

export const MAX_STEPS = 20;
export const MAX_VARIANTS = 5;

export const DELAY_UNITS = ["minutes", "hours", "days"] as const;
export type DelayUnit = (typeof DELAY_UNITS)[number];
const UNIT_MINUTES: Record<DelayUnit, number> = { minutes: 1, hours: 60, days: 1440 };

/** A delay as the largest unit that counts it whole: 2880 -> 2 days, 90 -> 90 minutes. */
export function splitDelay(minutes: number): { amount: number; unit: DelayUnit } {
  for (const unit of ["days", "hours"] as const) {
    if (minutes > 0 && minutes % UNIT_MINUTES[unit] === 0) return { amount: minutes / UNIT_MINUTES[unit], unit };
  }
  return { amount: minutes, unit: "minutes" };
}

/** A typed delay in minutes (rounded: "1.5 hours" is 90); anything not a number is 0. */
export function delayMinutes(amount: string, unit: string): number {
  const value = Number(amount.trim() || "0");
  const per = UNIT_MINUTES[unit as DelayUnit] ?? 1;
  return Number.isFinite(value) ? Math.round(value * per) : 0;
}

/** "Right away", "after 2 days", "after 90 minutes". */
export function describeDelay(minutes: number, first: boolean): string {
  if (minutes === 0) return first ? "right after enrollment" : "right after the previous step";
  const { amount, unit } = splitDelay(minutes);
  const word = amount === 1 ? unit.replace(/s$/, "") : unit;
  return `${amount} ${word} after ${first ? "enrollment" : "the previous step"}`;
}

/** "09:00:00" -> "09:00": the time inputs show hours and minutes. */
export function hhmm(time: string): string {
  return time.slice(0, 5);
}

/** A variant's letter: 0 -> A. */
export function variantLetter(index: number): string {
  return String.fromCharCode(65 + index);
}

export interface VariantForm {
  subject: string;
  body: string;
  weight: string;
}

export interface StepForm {
  delay_amount: string;
  delay_unit: DelayUnit;
  variants: VariantForm[];
}

/** The builder's values. */
export interface CampaignForm {
  name: string;
  timezone: string;
  window_days: number[];
  window_start: string;
  window_end: string;
  mailbox_ids: string[];
  steps: StepForm[];
  stop_on_auto_reply: boolean;
  stop_company_on_reply: boolean;
}

export const EMPTY_VARIANT: VariantForm = { subject: "", body: "", weight: "1" };

/** A step added to the builder: two days after the previous one (the first: right away). */
export function newStep(first: boolean): StepForm {
  return { delay_amount: first ? "0" : "2", delay_unit: "days", variants: [{ ...EMPTY_VARIANT }] };
}

/** A new campaign: the server's defaults (UTC, Monday to Friday, 09:00 to 17:00) and one step. */
export const EMPTY_CAMPAIGN_FORM: CampaignForm = {
  name: "",
  timezone: "UTC",
  window_days: [1, 2, 3, 4, 5],
  window_start: "09:00",
  window_end: "17:00",
  mailbox_ids: [],
  steps: [newStep(true)],
  stop_on_auto_reply: false,
  stop_company_on_reply: false,
};

export function campaignToForm(campaign: Campaign): CampaignForm {
  return {
    name: campaign.name,
    timezone: campaign.timezone,
    window_days: [...campaign.window_days],
    window_start: hhmm(campaign.window_start),
    window_end: hhmm(campaign.window_end),
    mailbox_ids: [...campaign.mailbox_ids],
    steps: campaign.steps.map((step) => {
      const { amount, unit } = splitDelay(step.delay_minutes);
      return {
        delay_amount: String(amount),
        delay_unit: unit,
        variants: step.variants.map((v) => ({ subject: v.subject, body: v.body, weight: String(v.weight ?? 1) })),
      };
    }),
    stop_on_auto_reply: campaign.stop_on_auto_reply,
    stop_company_on_reply: campaign.stop_company_on_reply,
  };
}

/** The create or update payload; the server validates the templates, the zone and the times. */
export function formToCampaign(form: CampaignForm): CampaignInput {
  return {
    name: form.name.trim(),
    timezone: form.timezone.trim() || "UTC",
    window_days: [...form.window_days].sort((a, b) => a - b),
    window_start: form.window_start,
    window_end: form.window_end,
    mailbox_ids: form.mailbox_ids,
    steps: form.steps.map((step) => ({
      delay_minutes: delayMinutes(step.delay_amount, step.delay_unit),
      variants: step.variants.map((v) => ({
        subject: v.subject,
        body: v.body,
        weight: Math.round(Number(v.weight.trim() || "1")) || 1,
      })),
    })),
    stop_on_auto_reply: form.stop_on_auto_reply,
    stop_company_on_reply: form.stop_company_on_reply,
  };
}

/**
 * The server's field errors on the builder's fields: `steps[0].delay_minutes` is typed as
 * the step's delay amount; everything else keeps its path (react-hook-form reads
 * `steps[0].variants[1].subject` as it is).
 */
export function campaignErrorPath(field: string): string {
  return field.replace(/\.delay_minutes$/, ".delay_amount");
}

import { describe, expect, it } from "vitest";

import {
  campaignErrorPath,
  campaignToForm,
  delayMinutes,
  describeDelay,
  EMPTY_CAMPAIGN_FORM,
  formToCampaign,
  splitDelay,
  type Campaign,
} from "./campaigns";

const STORED: Campaign = {
  id: "0192f0c4-0000-7000-8000-000000000002",
  name: "Winter offer",
  status: "draft",
  timezone: "Europe/Bucharest",
  window_days: [1, 3, 5],
  window_start: "09:30:00",
  window_end: "17:00:00",
  mailbox_ids: ["0192f0c4-0000-7000-8000-000000000001"],
  steps: [
    { delay_minutes: 0, variants: [{ subject: '{Hi|Hello} {{first_name | "there"}}', body: "Body A", weight: 1 }] },
    {
      delay_minutes: 2880,
      variants: [
        { subject: "Follow-up", body: "Body B", weight: 3 },
        { subject: "Any news?", body: "Body C", weight: 1 },
      ],
    },
  ],
  stop_on_auto_reply: false,
  stop_company_on_reply: true,
  created_at: "2026-12-01T09:00:00Z",
  updated_at: "2026-12-01T09:00:00Z",
};

describe("delays", () => {
  it("shows minutes in the largest unit that counts them whole", () => {
    expect(splitDelay(0)).toEqual({ amount: 0, unit: "minutes" });
    expect(splitDelay(90)).toEqual({ amount: 90, unit: "minutes" });
    expect(splitDelay(120)).toEqual({ amount: 2, unit: "hours" });
    expect(splitDelay(2880)).toEqual({ amount: 2, unit: "days" });
  });

  it("turns a typed amount and unit into minutes", () => {
    expect(delayMinutes("2", "days")).toBe(2880);
    expect(delayMinutes("1.5", "hours")).toBe(90);
    expect(delayMinutes("45", "minutes")).toBe(45);
    expect(delayMinutes("", "days")).toBe(0);
    expect(delayMinutes("soon", "days")).toBe(0);
  });

  it("says when a step goes", () => {
    expect(describeDelay(0, true)).toBe("right after enrollment");
    expect(describeDelay(1440, false)).toBe("1 day after the previous step");
    expect(describeDelay(90, false)).toBe("90 minutes after the previous step");
  });
});

describe("campaign form", () => {
  it("round-trips a stored campaign through the builder", () => {
    const form = campaignToForm(STORED);
    expect(form.window_start).toBe("09:30");
    expect(form.steps[1]).toEqual({
      delay_amount: "2",
      delay_unit: "days",
      variants: [
        { subject: "Follow-up", body: "Body B", weight: "3" },
        { subject: "Any news?", body: "Body C", weight: "1" },
      ],
    });
    expect(formToCampaign(form)).toEqual({
      name: "Winter offer",
      timezone: "Europe/Bucharest",
      window_days: [1, 3, 5],
      window_start: "09:30",
      window_end: "17:00",
      mailbox_ids: STORED.mailbox_ids,
      steps: STORED.steps,
      stop_on_auto_reply: false,
      stop_company_on_reply: true,
    });
  });

  it("sends the days in order, the zone UTC when empty, and a weight of 1 when none is typed", () => {
    const input = formToCampaign({
      ...EMPTY_CAMPAIGN_FORM,
      name: " New ",
      timezone: " ",
      window_days: [5, 1, 3],
      steps: [{ delay_amount: "3", delay_unit: "hours", variants: [{ subject: "S", body: "B", weight: "" }] }],
    });
    expect(input.name).toBe("New");
    expect(input.timezone).toBe("UTC");
    expect(input.window_days).toEqual([1, 3, 5]);
    expect(input.steps).toEqual([{ delay_minutes: 180, variants: [{ subject: "S", body: "B", weight: 1 }] }]);
  });

  it("puts the server's error on a step's delay under the typed amount", () => {
    expect(campaignErrorPath("steps[1].delay_minutes")).toBe("steps[1].delay_amount");
    expect(campaignErrorPath("steps[0].variants[1].body")).toBe("steps[0].variants[1].body");
    expect(campaignErrorPath("timezone")).toBe("timezone");
  });
});

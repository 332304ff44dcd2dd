import { describe, expect, it } from "vitest";

import { EMPTY_MAILBOX_FORM, formToMailbox, mailboxToForm, warmupSummary, type Mailbox } from "./mailboxes";

const STORED: Mailbox = {
  id: "0192f0c4-0000-7000-8000-000000000001",
  name: "Sales",
  from_address: "ana@agency.test",
  from_name: "Ana",
  signature: "Ana\nAgency",
  smtp_host: "smtp.agency.test",
  smtp_port: 465,
  smtp_security: "tls",
  smtp_username: "ana",
  has_password: true,
  daily_cap: 80,
  warmup_enabled: true,
  warmup_start: 5,
  warmup_step: 2,
  warmup_started_on: "2026-12-01",
  min_gap_seconds: 30,
  max_gap_seconds: 90,
  status: "active",
  paused_reason: null,
  last_tested_at: null,
  last_test_error: null,
  created_at: "2026-12-01T09:00:00Z",
  updated_at: "2026-12-01T09:00:00Z",
};

describe("formToMailbox", () => {
  it("sends the settings with their numbers, and a typed password as it is", () => {
    const input = formToMailbox({
      ...EMPTY_MAILBOX_FORM,
      name: " Sales ",
      from_address: " ana@agency.test ",
      smtp_host: " smtp.agency.test ",
      smtp_port: "465",
      smtp_security: "tls",
      smtp_username: "ana",
      smtp_password: " secret with spaces ",
      daily_cap: "80",
    });
    expect(input).toMatchObject({
      name: "Sales",
      from_address: "ana@agency.test",
      smtp_host: "smtp.agency.test",
      smtp_port: 465,
      smtp_security: "tls",
      smtp_username: "ana",
      smtp_password: " secret with spaces ",
      daily_cap: 80,
      warmup_enabled: true,
      warmup_start: 5,
      warmup_step: 2,
      min_gap_seconds: 30,
      max_gap_seconds: 90,
      status: "active",
    });
  });

  it("leaves the password out when none is typed: an edit keeps the stored one", () => {
    const input = formToMailbox(mailboxToForm(STORED));
    expect("smtp_password" in input).toBe(false);
  });

  it("sends an empty password to remove the stored one, whatever was typed", () => {
    expect(formToMailbox({ ...mailboxToForm(STORED), remove_password: true }).smtp_password).toBe("");
    expect(formToMailbox({ ...mailboxToForm(STORED), smtp_password: "typed", remove_password: true }).smtp_password).toBe("");
  });

  it("sends no user name when the field is empty, and leaves an empty number to the server's default", () => {
    const input = formToMailbox({ ...EMPTY_MAILBOX_FORM, smtp_username: "  ", daily_cap: "" });
    expect(input.smtp_username).toBeNull();
    expect(input.daily_cap).toBeUndefined();
  });
});

describe("mailboxToForm", () => {
  it("shows the stored settings as text, with an empty password and what is stored", () => {
    expect(mailboxToForm(STORED)).toMatchObject({
      smtp_port: "465",
      daily_cap: "80",
      smtp_username: "ana",
      smtp_password: "",
      remove_password: false,
      has_password: true,
    });
    expect(mailboxToForm({ ...STORED, smtp_username: null }).smtp_username).toBe("");
  });
});

describe("warmupSummary", () => {
  it("says how the cap ramps up, or that it does not", () => {
    expect(warmupSummary(STORED)).toBe("5 +2/day since 2026-12-01");
    expect(warmupSummary({ ...STORED, warmup_enabled: false })).toBe("off");
  });
});

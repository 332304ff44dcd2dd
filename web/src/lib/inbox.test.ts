import { describe, expect, it } from "vitest";

import { describeCheck, EMPTY_INBOX_FORM, formToInbox, inboxToForm, type MailboxInbox } from "./inbox";

const STORED: MailboxInbox = {
  mailbox_id: "0192f0c4-0000-7000-8000-000000000001",
  host: "imap.agency.test",
  port: 143,
  security: "starttls",
  username: "ana",
  has_password: true,
  folder: "Replies",
  enabled: false,
  checked_at: null,
  last_error: null,
  next_check_at: "2026-12-01T09:01:00Z",
  created_at: "2026-12-01T09:00:00Z",
  updated_at: "2026-12-01T09:00:00Z",
};

describe("inbox form", () => {
  it("starts from the server's defaults when the mailbox has no inbox", () => {
    expect(inboxToForm(null)).toEqual(EMPTY_INBOX_FORM);
    expect(formToInbox({ ...EMPTY_INBOX_FORM, host: " imap.agency.test " })).toEqual({
      host: "imap.agency.test",
      port: 993,
      security: "tls",
      folder: "INBOX",
      enabled: true,
    });
  });

  it("shows a stored inbox with an empty password, and sends it back without one", () => {
    const form = inboxToForm(STORED);
    expect(form).toMatchObject({ port: "143", security: "starttls", username: "ana", password: "", folder: "Replies", enabled: false });
    const input = formToInbox(form);
    expect(input).toEqual({ host: "imap.agency.test", port: 143, security: "starttls", username: "ana", folder: "Replies", enabled: false });
    expect("password" in input).toBe(false);
  });

  it("sends a typed password as it is, or an empty one to fall back to the SMTP password", () => {
    expect(formToInbox({ ...inboxToForm(STORED), password: " with spaces " }).password).toBe(" with spaces ");
    expect(formToInbox({ ...inboxToForm(STORED), password: "typed", remove_password: true }).password).toBe("");
  });

  it("leaves empty fields to the server's defaults", () => {
    const input = formToInbox({ ...EMPTY_INBOX_FORM, host: "h", port: " ", username: " ", folder: "" });
    expect(input).toEqual({ host: "h", security: "tls", enabled: true });
  });
});

describe("describeCheck", () => {
  const none = { read: 0, replies: 0, auto_replies: 0, bounces: 0, complaints: 0 };

  it("says what a check found", () => {
    expect(describeCheck(none)).toBe("No new messages.");
    expect(describeCheck({ ...none, read: 3, replies: 1, bounces: 2 })).toBe("Read 3 new messages: 1 reply, 2 bounces.");
    expect(describeCheck({ ...none, read: 1, auto_replies: 1 })).toBe("Read 1 new message: 1 auto-reply.");
    expect(describeCheck({ ...none, read: 2 })).toBe("Read 2 new messages, none about our messages.");
  });

  it("says why a check failed", () => {
    expect(describeCheck({ ...none, error: "connect: Connection refused" })).toBe("The check failed: connect: Connection refused");
  });
});

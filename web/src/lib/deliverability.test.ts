import { describe, expect, it } from "vitest";

import {
  addressDomain,
  checkPercent,
  formToDkim,
  formToSettings,
  fractionToPercent,
  hasKey,
  percentToFraction,
  settingsToForm,
} from "./deliverability";

describe("percentages", () => {
  it("shows a rate as a percentage without float noise", () => {
    expect(fractionToPercent(0.02)).toBe("2");
    expect(fractionToPercent(0.001)).toBe("0.1");
    expect(fractionToPercent(0.07)).toBe("7");
    expect(fractionToPercent(0.0005)).toBe("0.05");
    expect(fractionToPercent(1)).toBe("100");
  });

  it("reads a typed percentage as a rate, with a comma or a % sign", () => {
    expect(percentToFraction("5")).toBe(0.05);
    expect(percentToFraction("0.1")).toBe(0.001);
    expect(percentToFraction(" 0,3 % ")).toBe(0.003);
    expect(percentToFraction("2.5%")).toBe(0.025);
    expect(percentToFraction("")).toBeUndefined();
    expect(percentToFraction("a lot")).toBeUndefined();
  });

  it("round-trips what it shows", () => {
    for (const rate of [0.02, 0.001, 0.05, 0.0033, 0.5]) expect(percentToFraction(fractionToPercent(rate))).toBe(rate);
  });

  it("refuses what the server would: not a number, 0 or less, above 100", () => {
    expect(checkPercent("2")).toBe(true);
    expect(checkPercent("100")).toBe(true);
    expect(checkPercent("0")).toMatch(/above 0/);
    expect(checkPercent("-1")).toMatch(/above 0/);
    expect(checkPercent("101")).toMatch(/at most 100/);
    expect(checkPercent("two")).toMatch(/Give a percentage/);
  });
});

describe("thresholds form", () => {
  it("shows the server's defaults as percentages and sends them back as rates", () => {
    const form = settingsToForm({ bounce_pause_rate: 0.02, complaint_pause_rate: 0.001, pause_min_sent: 50 });
    expect(form).toEqual({ bounce_pause_rate: "2", complaint_pause_rate: "0.1", pause_min_sent: "50" });
    expect(formToSettings({ ...form, bounce_pause_rate: "5" })).toEqual({
      bounce_pause_rate: 0.05,
      complaint_pause_rate: 0.001,
      pause_min_sent: 50,
    });
  });

  it("sends what is not a number as 0, for the server to refuse under its field", () => {
    expect(formToSettings({ bounce_pause_rate: "", complaint_pause_rate: "x", pause_min_sent: "1.5" })).toEqual({
      bounce_pause_rate: 0,
      complaint_pause_rate: 0,
      pause_min_sent: 0,
    });
  });
});

describe("DKIM form", () => {
  it("leaves empty fields to the server: a new key, the default selector and domain", () => {
    expect(formToDkim({ selector: " ", domain: "", private_key: "\n" })).toEqual({});
    expect(hasKey({ private_key: "  " })).toBe(false);
  });

  it("sends what was given, trimmed", () => {
    const pem = "-----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----";
    expect(formToDkim({ selector: " s2 ", domain: " mail.agency.test ", private_key: `\n${pem}\n` })).toEqual({
      selector: "s2",
      domain: "mail.agency.test",
      private_key: pem,
    });
    expect(hasKey({ private_key: pem })).toBe(true);
  });

  it("finds the from address's domain", () => {
    expect(addressDomain("Ana@Agency.Test")).toBe("agency.test");
    expect(addressDomain("no-at-sign")).toBe("");
  });
});

import { describe, expect, it } from "vitest";

import { barWidth, budgetLevel, formatMoney, readPercent, usedPercent } from "./money";

describe("formatMoney", () => {
  it("formats the exact decimal string in the currency", () => {
    expect(formatMoney("1500.00", "USD", "en-US")).toBe("$1,500.00");
    expect(formatMoney("1234567.5", "EUR", "en-US")).toBe("€1,234,567.50");
    expect(formatMoney("0", "RON", "en-US")).toBe("RON\u00a00.00"); // with a no-break space
  });

  it("rounds to the currency's cents (the cost report sends more decimals)", () => {
    expect(formatMoney("0.0504000000", "USD", "en-US")).toBe("$0.05");
    expect(formatMoney("0.005", "USD", "en-US")).toBe("$0.01");
  });

  it("does not go through a float", () => {
    expect(formatMoney("90071992547409.93", "USD", "en-US")).toBe("$90,071,992,547,409.93");
  });

  it("shows an amount with an unknown currency code as it is", () => {
    expect(formatMoney("12.00", "dollars", "en-US")).toBe("12.00 dollars");
  });
});

describe("usedPercent", () => {
  it("is the share of the budget, to one decimal", () => {
    expect(usedPercent("0.05", "10.00")).toBe(0.5);
    expect(usedPercent("8", "10")).toBe(80);
    expect(usedPercent("12.5", "10")).toBe(125);
    expect(usedPercent("1", "3")).toBe(33.3);
  });

  it("is null without a positive budget", () => {
    expect(usedPercent("5", null)).toBeNull();
    expect(usedPercent("5", "0")).toBeNull();
    expect(usedPercent("5", "abc")).toBeNull();
  });
});

describe("readPercent", () => {
  it("reads numbers and decimal strings, and nothing else", () => {
    expect(readPercent(8)).toBe(8);
    expect(readPercent("80.5")).toBe(80.5);
    expect(readPercent(null)).toBeNull();
    expect(readPercent(undefined)).toBeNull();
    expect(readPercent("")).toBeNull();
    expect(readPercent("n/a")).toBeNull();
  });
});

describe("the budget bar", () => {
  it("turns amber at 80 % and red at 100 %", () => {
    expect(budgetLevel(0)).toBe("ok");
    expect(budgetLevel(79.9)).toBe("ok");
    expect(budgetLevel(80)).toBe("warning");
    expect(budgetLevel(99.9)).toBe("warning");
    expect(budgetLevel(100)).toBe("over");
    expect(budgetLevel(250)).toBe("over");
  });

  it("fills up to its end and no further", () => {
    expect(barWidth(42.5)).toBe(42.5);
    expect(barWidth(250)).toBe(100);
    expect(barWidth(-3)).toBe(0);
  });
});

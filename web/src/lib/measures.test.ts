import { describe, expect, it } from "vitest";

import { formatBytes, formatCount, formatDuration } from "./measures";

describe("formatBytes", () => {
  it("counts in SI units with a decimal below ten", () => {
    expect(formatBytes(0)).toBe("0 B");
    expect(formatBytes(39)).toBe("39 B");
    expect(formatBytes(2048)).toBe("2.0 kB");
    expect(formatBytes(15_300)).toBe("15 kB");
    expect(formatBytes(1_500_000)).toBe("1.5 MB");
    expect(formatBytes(3_200_000_000)).toBe("3.2 GB");
  });

  it("shows a dash when there is nothing to show", () => {
    expect(formatBytes(null)).toBe("—");
    expect(formatBytes(undefined)).toBe("—");
  });
});

describe("formatDuration", () => {
  it("goes from milliseconds to hours", () => {
    expect(formatDuration(250)).toBe("250 ms");
    expect(formatDuration(1500)).toBe("1.5 s");
    expect(formatDuration(42_000)).toBe("42 s");
    expect(formatDuration(125_000)).toBe("2 min 5 s");
    expect(formatDuration(3_900_000)).toBe("1 h 5 min");
    expect(formatDuration(null)).toBe("—");
  });
});

describe("formatCount", () => {
  it("separates thousands", () => {
    expect(formatCount(1234567, "en-US")).toBe("1,234,567");
    expect(formatCount(null)).toBe("—");
  });
});

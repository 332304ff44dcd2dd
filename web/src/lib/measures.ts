// What a node's run or a layer's file measures, in words a person reads at a glance: sizes
// in SI units (1 kB = 1,000 bytes, as file managers and cloud bills count them), durations
// from milliseconds to hours, row counts with separators.

const SIZE_UNITS = ["B", "kB", "MB", "GB", "TB"] as const;

export function formatBytes(bytes: number | null | undefined): string {
  if (bytes === null || bytes === undefined || !Number.isFinite(bytes)) return "—";
  let value = bytes;
  let unit = 0;
  while (Math.abs(value) >= 1000 && unit < SIZE_UNITS.length - 1) {
    value /= 1000;
    unit++;
  }
  return unit === 0 ? `${value} B` : `${value.toFixed(value < 10 ? 1 : 0)} ${SIZE_UNITS[unit]}`;
}

export function formatDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return "—";
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const seconds = ms / 1000;
  if (seconds < 60) return `${seconds.toFixed(seconds < 10 ? 1 : 0)} s`;
  const whole = Math.round(seconds);
  const [h, m, s] = [Math.floor(whole / 3600), Math.floor((whole % 3600) / 60), whole % 60];
  return h > 0 ? `${h} h ${m} min` : `${m} min ${s} s`;
}

export function formatCount(count: number | null | undefined, locale?: string): string {
  if (count === null || count === undefined || !Number.isFinite(count)) return "—";
  return count.toLocaleString(locale);
}

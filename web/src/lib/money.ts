// Money as the API sends it (exact decimal strings: "1500.00", "0.0504") shown in the user's
// locale, and the budget bar's thresholds: amber from 80 % of the budget, red from 100 %,
// the thresholds at which the server raises its budget alerts.

export const BUDGET_WARNING_PERCENT = 80;
export const BUDGET_OVER_PERCENT = 100;

export type BudgetLevel = "ok" | "warning" | "over";

/** `"1500.00"` in `EUR` -> `€1,500.00` (in en-US); the decimal string is formatted as it is,
 * not through a float. An unknown currency code shows after the amount. */
export function formatMoney(amount: string, currency: string, locale?: string): string {
  try {
    const format = new Intl.NumberFormat(locale, { style: "currency", currency });
    return format.format(amount as Intl.StringNumericLiteral);
  } catch {
    return `${amount} ${currency}`;
  }
}

/** How much of the budget is used, to one decimal; null without a (positive) budget. */
export function usedPercent(amount: string, budget: string | null | undefined): number | null {
  const spent = Number(amount);
  const limit = Number(budget ?? NaN);
  if (!Number.isFinite(spent) || !Number.isFinite(limit) || limit <= 0) return null;
  return Math.round((spent / limit) * 1000) / 10;
}

/** The percent as the API gives it (a number; a numeric string is read too), or null when
 * there is none or it is not a number. */
export function readPercent(value: number | string | null | undefined): number | null {
  if (value === null || value === undefined || value === "") return null;
  const percent = typeof value === "number" ? value : Number(value);
  return Number.isFinite(percent) ? percent : null;
}

export function budgetLevel(percent: number): BudgetLevel {
  if (percent >= BUDGET_OVER_PERCENT) return "over";
  if (percent >= BUDGET_WARNING_PERCENT) return "warning";
  return "ok";
}

/** The bar's filled width in percent: the bar stops at its end when the budget is overrun. */
export function barWidth(percent: number): number {
  return Math.min(Math.max(percent, 0), 100);
}

// This month's cost of a project, from its state document (so it moves with `cost.updated`):
// the amount so far, the budget bar (amber from 80 %, red from 100 %) and the split by provider.
import type { components } from "../../api/schema";
import { barWidth, budgetLevel, formatMoney, readPercent, type BudgetLevel } from "../../lib/money";

type Billing = components["schemas"]["BillingMtd"];

const BAR: Record<BudgetLevel, string> = {
  ok: "bg-emerald-500",
  warning: "bg-amber-500",
  over: "bg-red-600",
};

const NOTE: Record<BudgetLevel, string> = {
  ok: "text-slate-600",
  warning: "text-amber-800",
  over: "text-red-700",
};

export function CostWidget({ billing }: { billing: Billing }) {
  const { month, currency, amount, budget } = billing;
  const percent = readPercent(billing.budget_used_percent);
  const level = percent === null ? null : budgetLevel(percent);
  const money = (value: string) => formatMoney(value, currency);
  return (
    <section aria-labelledby="cost-title" className="flex flex-col gap-3 rounded-lg border border-slate-200 bg-white p-4">
      <div className="flex items-baseline justify-between gap-2">
        <h2 id="cost-title" className="font-semibold">
          Cost this month
        </h2>
        <span className="text-xs text-slate-500">{month}, month to date</span>
      </div>
      <p className="text-3xl font-semibold tabular-nums" data-testid="cost-amount" aria-live="polite">
        {money(amount)}
      </p>
      {budget && percent !== null && level !== null ? (
        <div className="flex flex-col gap-1">
          <div
            role="meter"
            aria-label="Budget used"
            aria-valuemin={0}
            aria-valuemax={100}
            aria-valuenow={Math.min(percent, 100)}
            aria-valuetext={`${percent}% of ${money(budget)}`}
            data-level={level}
            className="h-2.5 overflow-hidden rounded-full bg-slate-100"
          >
            <div className={`h-full rounded-full ${BAR[level]}`} style={{ width: `${barWidth(percent)}%` }} />
          </div>
          <p className={`text-xs ${NOTE[level]}`}>
            {percent}% of the {money(budget)} budget
            {level === "over" ? ": over budget" : level === "warning" ? ": nearing the budget" : ""}
          </p>
        </div>
      ) : (
        <p className="text-xs text-slate-500">No monthly budget set.</p>
      )}
      <table className="text-sm">
        <caption className="sr-only">Cost by provider</caption>
        <thead className="sr-only">
          <tr>
            <th scope="col">Provider</th>
            <th scope="col">Amount</th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {billing.by_provider.map((p) => (
            <tr key={p.provider}>
              <th scope="row" className="py-1 text-left font-normal text-slate-700">
                {p.provider}
              </th>
              <td className="py-1 text-right tabular-nums">{money(p.amount)}</td>
            </tr>
          ))}
          {billing.by_provider.length === 0 && (
            <tr>
              <td colSpan={2} className="py-1 text-slate-500">
                Nothing used yet this month.
              </td>
            </tr>
          )}
        </tbody>
      </table>
    </section>
  );
}

//! Turning usage into money: the default rate card, the tenant's own rates over it, exact
//! decimal pricing, monthly totals in the tenant's billing timezone, `cost.updated` events for
//! live widgets, and budget alerts at 80% and 100%, once per threshold and month.
//!
//! Prices are fixed when usage is recorded (a later rate change does not rewrite history).
//! Amounts keep 10 decimal places; totals are shown rounded to cents.

use chrono::{NaiveDate, Utc};
use kernel::projects::UsageItem;
use kernel::UnitOfWork;
use rust_decimal::Decimal;
use serde::Serialize;
use serde_json::json;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::store::costs::{self as store, BillingSettings, PricedUsage};
use crate::store::projects as project_store;
use crate::tree::publish;

/// A price per unit of a resource.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Rate {
    /// `e2b.cpu`, `llm.tokens.in`, …
    pub resource: String,
    /// `second`, `token`, `minute`, `email`, …
    pub unit: String,
    #[serde(serialize_with = "crate::model::exact")]
    #[schema(value_type = String, example = "0.000014")]
    pub unit_price: Decimal,
    /// `default` (the rate card below) or `tenant` (the tenant's own rate).
    pub source: &'static str,
}

/// The default rate card: list prices of the providers as of late 2026, in USD, per unit.
/// A tenant sets its own rate for any resource (`PUT /api/v1/costs/rates/{resource}`).
pub const DEFAULT_RATES: &[(&str, &str, &str)] = &[
    // E2B sandboxes: per vCPU-second and GiB-second of memory.
    ("e2b.cpu", "second", "0.000014"),
    ("e2b.memory", "gib_second", "0.0000045"),
    // Modal: per CPU core-second and per GPU-second.
    ("modal.cpu", "second", "0.0000131"),
    ("modal.gpu.a10g", "second", "0.000306"),
    ("modal.gpu.a100", "second", "0.000583"),
    // The local DuckDB sandbox runs on the tenant's own machine.
    ("duckdb.cpu", "second", "0"),
    // LLM tokens (a small hosted model's prices; the rule-based default model is free).
    ("llm.tokens.in", "token", "0.00000015"),
    ("llm.tokens.out", "token", "0.0000006"),
    // Twilio: outbound voice minutes and SMS segments.
    ("twilio.voice.minutes", "minute", "0.014"),
    ("twilio.sms", "message", "0.0079"),
    // Email sends (Amazon SES: $0.10 per 1,000).
    ("email.sends", "email", "0.0001"),
    // Airbyte Cloud: per row synced.
    ("airbyte.rows", "row", "0.000015"),
    // Object storage: per GB-month.
    ("storage.gb_month", "gb_month", "0.023"),
];

/// The rate card a tenant prices with: its own rates over the defaults, sorted by resource.
pub fn rate_card(tenant_rates: Vec<(String, String, Decimal)>) -> Vec<Rate> {
    let mut card: Vec<Rate> = DEFAULT_RATES
        .iter()
        .filter(|(resource, ..)| !tenant_rates.iter().any(|(r, ..)| r == resource))
        .map(|(resource, unit, price)| Rate {
            resource: (*resource).to_owned(),
            unit: (*unit).to_owned(),
            unit_price: price.parse().unwrap_or_default(),
            source: "default",
        })
        .collect();
    card.extend(
        tenant_rates
            .into_iter()
            .map(|(resource, unit, unit_price)| Rate {
                resource,
                unit,
                unit_price,
                source: "tenant",
            }),
    );
    card.sort_by(|a, b| a.resource.cmp(&b.resource));
    card
}

/// The provider a resource belongs to when the report does not say: its first word
/// (`modal.gpu.a10g` → `modal`).
pub fn provider_of(resource: &str) -> &str {
    resource.split('.').next().unwrap_or(resource)
}

/// Why usage was not recorded.
#[derive(Debug, thiserror::Error)]
pub enum UsageError {
    #[error("no such project")]
    ProjectNotFound,
    /// The items (by index) whose resource has no rate.
    #[error("no rate for some resources")]
    Unpriced(Vec<(usize, String)>),
    /// A `run_id` that is not a run of the project.
    #[error("a run_id is not a run of this project")]
    UnknownRun,
    #[error(transparent)]
    Db(#[from] sqlx::Error),
    #[error(transparent)]
    Event(#[from] kernel::events::EventError),
}

impl From<UsageError> for kernel::Problem {
    fn from(err: UsageError) -> Self {
        match err {
            UsageError::ProjectNotFound => crate::problems::project_not_found(),
            UsageError::Unpriced(items) => {
                let mut problem = kernel::Problem::validation(Default::default());
                for (i, resource) in items {
                    problem = problem.with_field_error(
                        &format!("items[{i}].resource"),
                        format!("{resource:?} has no rate: set one with PUT /api/v1/costs/rates/{resource}"),
                    );
                }
                problem
            }
            UsageError::UnknownRun => {
                crate::problems::invalid("items", "A run_id is not a run of this project.")
            }
            UsageError::Db(e) => e.into(),
            UsageError::Event(e) => kernel::Problem::internal(&e),
        }
    }
}

/// What recording usage came to.
#[derive(Debug, Serialize, ToSchema)]
pub struct Recorded {
    /// How many usage rows were written.
    pub recorded: usize,
    #[serde(serialize_with = "crate::model::exact")]
    #[schema(value_type = String, example = "0.0504")]
    pub amount: Decimal,
    pub currency: String,
    /// The current billing month's total for the project, after this usage.
    #[serde(serialize_with = "crate::model::exact")]
    #[schema(value_type = String, example = "120.50")]
    pub month_to_date: Decimal,
    /// Budget thresholds (80, 100) this usage crossed for the first time this month.
    pub alerts: Vec<i16>,
}

/// Prices `items` with the tenant's rate card and records them for `project` in `work`: the
/// usage rows, the monthly totals, the state version, `cost.updated` on `projects/<id>` and a
/// `project.budget_alert` event (fanned out to webhooks) per threshold first crossed.
pub async fn record_usage(
    work: &mut UnitOfWork,
    project: Uuid,
    items: &[UsageItem],
) -> Result<Recorded, UsageError> {
    let locked = project_store::lock_project(work, project)
        .await?
        .ok_or(UsageError::ProjectNotFound)?;
    let billing = store::billing_settings(work).await?;
    let card = rate_card(store::tenant_rates(work).await?);
    let now = Utc::now();
    let mut unpriced = Vec::new();
    let mut priced = Vec::with_capacity(items.len());
    for (i, item) in items.iter().enumerate() {
        let Some(rate) = card.iter().find(|r| r.resource == item.resource) else {
            unpriced.push((i, item.resource.clone()));
            continue;
        };
        priced.push(PricedUsage {
            id: Uuid::now_v7(),
            run_id: item.run_id,
            provider: item
                .provider
                .clone()
                .unwrap_or_else(|| provider_of(&item.resource).to_owned()),
            resource: item.resource.clone(),
            quantity: item.quantity,
            unit: rate.unit.clone(),
            unit_price: rate.unit_price,
            amount: (item.quantity * rate.unit_price).round_dp(10),
            occurred_at: item.occurred_at.unwrap_or(now),
        });
    }
    if !unpriced.is_empty() {
        return Err(UsageError::Unpriced(unpriced));
    }
    let mut runs: Vec<Uuid> = priced.iter().filter_map(|u| u.run_id).collect();
    runs.sort();
    runs.dedup();
    if !runs.is_empty() && store::runs_of_project(work, project, &runs).await? != runs.len() as i64
    {
        return Err(UsageError::UnknownRun);
    }
    let months = store::insert_usage(work, project, &billing, &priced).await?;
    let amount: Decimal = priced.iter().map(|u| u.amount).sum();
    let current = store::month_of(work, now, &billing.timezone).await?;
    let mut alerts = Vec::new();
    for month in &months {
        alerts.extend(check_budget(work, &locked, *month, &billing).await?);
    }
    let month_to_date = month_total(work, project, current).await?;
    let version = project_store::touch_state(work, project).await?;
    publish(
        work,
        project,
        "cost.updated",
        json!({
            "projectId": project,
            "month": current.format("%Y-%m").to_string(),
            "amount": month_to_date.round_dp(2).to_string(),
            "currency": billing.currency,
            "version": version,
        }),
    )
    .await?;
    Ok(Recorded {
        recorded: priced.len(),
        amount,
        currency: billing.currency,
        month_to_date,
        alerts: alerts
            .into_iter()
            .filter(|(m, _)| *m == current)
            .map(|(_, t)| t)
            .collect(),
    })
}

/// The project's total for `month`.
pub(crate) async fn month_total(
    work: &mut sqlx::PgConnection,
    project: Uuid,
    month: NaiveDate,
) -> Result<Decimal, sqlx::Error> {
    Ok(store::month_by_provider(work, project, month)
        .await?
        .iter()
        .map(|p| p.amount)
        .sum())
}

/// The thresholds of the budget `month`'s total has reached for the first time; each is
/// recorded and published as `project.budget_alert`.
async fn check_budget(
    work: &mut UnitOfWork,
    project: &crate::model::Project,
    month: NaiveDate,
    billing: &BillingSettings,
) -> Result<Vec<(NaiveDate, i16)>, UsageError> {
    let Some(budget) = project.budget_amount.filter(|b| *b > Decimal::ZERO) else {
        return Ok(Vec::new());
    };
    if project.budget_currency != billing.currency {
        return Ok(Vec::new());
    }
    let total = month_total(work, project.id, month).await?;
    let mut crossed = Vec::new();
    for threshold in [80i16, 100] {
        if total * Decimal::from(100) < budget * Decimal::from(threshold) {
            continue;
        }
        if store::insert_alert(
            work,
            project.id,
            month,
            threshold,
            total,
            budget,
            &billing.currency,
        )
        .await?
        {
            publish(
                work,
                project.id,
                "project.budget_alert",
                json!({
                    "projectId": project.id,
                    "project": project.name,
                    "month": month.format("%Y-%m").to_string(),
                    "threshold": threshold,
                    "amount": total.round_dp(2).to_string(),
                    "budget": budget.to_string(),
                    "currency": billing.currency,
                }),
            )
            .await?;
            crossed.push((month, threshold));
        }
    }
    Ok(crossed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_card_parses_and_tenant_rates_win() {
        let card = rate_card(vec![(
            "e2b.cpu".into(),
            "second".into(),
            Decimal::new(2, 5),
        )]);
        assert_eq!(card.len(), DEFAULT_RATES.len());
        let e2b = card.iter().find(|r| r.resource == "e2b.cpu").unwrap();
        assert_eq!(
            (e2b.source, e2b.unit_price.to_string().as_str()),
            ("tenant", "0.00002")
        );
        let sms = card.iter().find(|r| r.resource == "twilio.sms").unwrap();
        assert_eq!(sms.unit_price.to_string(), "0.0079");
        assert!(DEFAULT_RATES
            .iter()
            .all(|(_, _, p)| p.parse::<Decimal>().is_ok()));
    }

    #[test]
    fn money_is_exact() {
        // 0.1 + 0.2 in floats is not 0.3; in decimals it is.
        let sum: Decimal = ["0.1", "0.2"]
            .iter()
            .map(|s| s.parse::<Decimal>().unwrap())
            .sum();
        assert_eq!(sum.to_string(), "0.3");
        let tokens: Decimal = "1234567".parse().unwrap();
        let price: Decimal = "0.00000015".parse().unwrap();
        assert_eq!((tokens * price).round_dp(10).to_string(), "0.18518505");
    }
}

//! Usage, prices and money: the tenant's billing settings and rate card, usage rows with the
//! price they were charged at, running monthly totals, and budget alerts.

use chrono::{DateTime, NaiveDate, Utc};
use kernel::list::{Field, FieldType, Listing, Order, Resource};
use rust_decimal::Decimal;
use serde::Serialize;
use sqlx::PgConnection;
use utoipa::ToSchema;
use uuid::Uuid;

/// A tenant's billing timezone and currency (UTC and USD until set).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct BillingSettings {
    /// Billing months start at midnight on the 1st in this zone.
    pub timezone: String,
    /// Every price, cost and budget of the tenant is in this currency.
    pub currency: String,
}

pub(crate) async fn billing_settings(
    conn: &mut PgConnection,
) -> Result<BillingSettings, sqlx::Error> {
    let row = sqlx::query_as!(
        BillingSettings,
        "SELECT timezone, currency FROM cost_settings"
    )
    .fetch_optional(conn)
    .await?;
    Ok(row.unwrap_or_else(|| BillingSettings {
        timezone: "UTC".into(),
        currency: "USD".into(),
    }))
}

pub(crate) async fn set_billing_settings(
    conn: &mut PgConnection,
    settings: &BillingSettings,
) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "INSERT INTO cost_settings (tenant_id, timezone, currency)
         VALUES (kernel_current_tenant(), $1, $2)
         ON CONFLICT (tenant_id) DO UPDATE SET timezone = EXCLUDED.timezone,
             currency = EXCLUDED.currency, updated_at = now()",
        settings.timezone,
        settings.currency
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// The tenant's own rates: (resource, unit, unit price).
pub(crate) async fn tenant_rates(
    conn: &mut PgConnection,
) -> Result<Vec<(String, String, Decimal)>, sqlx::Error> {
    let rows = sqlx::query!("SELECT resource, unit, unit_price FROM cost_rates ORDER BY resource")
        .fetch_all(conn)
        .await?;
    Ok(rows
        .into_iter()
        .map(|r| (r.resource, r.unit, r.unit_price))
        .collect())
}

pub(crate) async fn set_rate(
    conn: &mut PgConnection,
    resource: &str,
    unit: &str,
    unit_price: Decimal,
) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "INSERT INTO cost_rates (tenant_id, resource, unit, unit_price)
         VALUES (kernel_current_tenant(), $1, $2, $3)
         ON CONFLICT (tenant_id, resource) DO UPDATE SET unit = EXCLUDED.unit,
             unit_price = EXCLUDED.unit_price, updated_at = now()",
        resource,
        unit,
        unit_price
    )
    .execute(conn)
    .await?;
    Ok(())
}

pub(crate) async fn delete_rate(
    conn: &mut PgConnection,
    resource: &str,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query!("DELETE FROM cost_rates WHERE resource = $1", resource)
        .execute(conn)
        .await?;
    Ok(done.rows_affected() == 1)
}

/// One priced usage row, ready to insert.
pub(crate) struct PricedUsage {
    pub id: Uuid,
    pub run_id: Option<Uuid>,
    pub provider: String,
    pub resource: String,
    pub quantity: Decimal,
    pub unit: String,
    pub unit_price: Decimal,
    pub amount: Decimal,
    pub occurred_at: DateTime<Utc>,
}

/// Inserts `usage` for `project` and adds it to the monthly totals, each row in the billing
/// month (in `timezone`) it occurred in. Returns the months touched.
pub(crate) async fn insert_usage(
    conn: &mut PgConnection,
    project: Uuid,
    billing: &BillingSettings,
    usage: &[PricedUsage],
) -> Result<Vec<NaiveDate>, sqlx::Error> {
    let ids: Vec<Uuid> = usage.iter().map(|u| u.id).collect();
    let runs: Vec<Option<Uuid>> = usage.iter().map(|u| u.run_id).collect();
    let providers: Vec<&str> = usage.iter().map(|u| u.provider.as_str()).collect();
    let resources: Vec<&str> = usage.iter().map(|u| u.resource.as_str()).collect();
    let quantities: Vec<Decimal> = usage.iter().map(|u| u.quantity).collect();
    let units: Vec<&str> = usage.iter().map(|u| u.unit.as_str()).collect();
    let prices: Vec<Decimal> = usage.iter().map(|u| u.unit_price).collect();
    let amounts: Vec<Decimal> = usage.iter().map(|u| u.amount).collect();
    let times: Vec<DateTime<Utc>> = usage.iter().map(|u| u.occurred_at).collect();
    sqlx::query_scalar!(
        r#"WITH ins AS (
             INSERT INTO cost_usage (tenant_id, id, project_id, run_id, provider, resource,
                                     quantity, unit, unit_price, amount, currency, occurred_at, month)
             SELECT kernel_current_tenant(), u.id, $1, u.run_id, u.provider, u.resource,
                    u.quantity, u.unit, u.unit_price, u.amount, $2, u.occurred_at,
                    date_trunc('month', u.occurred_at AT TIME ZONE $3)::date
             FROM unnest($4::uuid[], $5::uuid[], $6::text[], $7::text[], $8::numeric[],
                         $9::text[], $10::numeric[], $11::numeric[], $12::timestamptz[])
                  AS u(id, run_id, provider, resource, quantity, unit, unit_price, amount, occurred_at)
             RETURNING month, provider, amount)
           INSERT INTO cost_months (tenant_id, project_id, month, provider, amount, currency)
           SELECT kernel_current_tenant(), $1, month, provider, sum(amount), $2
           FROM ins GROUP BY month, provider
           ON CONFLICT (tenant_id, project_id, month, provider)
               DO UPDATE SET amount = cost_months.amount + EXCLUDED.amount
           RETURNING month"#,
        project,
        billing.currency,
        billing.timezone,
        &ids,
        &runs as &[Option<Uuid>],
        &providers as &[&str],
        &resources as &[&str],
        &quantities,
        &units as &[&str],
        &prices,
        &amounts,
        &times
    )
    .fetch_all(conn)
    .await
    .map(|mut months| {
        months.sort();
        months.dedup();
        months
    })
}

/// How many of `runs` are runs of `project`.
pub(crate) async fn runs_of_project(
    conn: &mut PgConnection,
    project: Uuid,
    runs: &[Uuid],
) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar!(
        r#"SELECT count(*) AS "n!" FROM project_runs WHERE project_id = $1 AND id = ANY($2)"#,
        project,
        runs
    )
    .fetch_one(conn)
    .await
}

/// The billing month `at` falls in, in `timezone`.
pub(crate) async fn month_of(
    conn: &mut PgConnection,
    at: DateTime<Utc>,
    timezone: &str,
) -> Result<NaiveDate, sqlx::Error> {
    sqlx::query_scalar!(
        r#"SELECT date_trunc('month', $1::timestamptz AT TIME ZONE $2)::date AS "m!""#,
        at,
        timezone
    )
    .fetch_one(conn)
    .await
}

/// One provider's share of a month.
#[derive(Debug, Serialize, ToSchema)]
pub struct ProviderCost {
    pub provider: String,
    #[serde(serialize_with = "crate::model::exact")]
    #[schema(value_type = String, example = "12.34")]
    pub amount: Decimal,
}

/// A project's total for `month`, by provider (largest first).
pub(crate) async fn month_by_provider(
    conn: &mut PgConnection,
    project: Uuid,
    month: NaiveDate,
) -> Result<Vec<ProviderCost>, sqlx::Error> {
    sqlx::query_as!(
        ProviderCost,
        "SELECT provider, amount FROM cost_months WHERE project_id = $1 AND month = $2
         ORDER BY amount DESC, provider",
        project,
        month
    )
    .fetch_all(conn)
    .await
}

/// One resource's share of a month.
#[derive(Debug, Serialize, ToSchema)]
pub struct ResourceCost {
    pub resource: String,
    pub unit: String,
    #[serde(serialize_with = "crate::model::exact")]
    #[schema(value_type = String, example = "3600")]
    pub quantity: Decimal,
    #[serde(serialize_with = "crate::model::exact")]
    #[schema(value_type = String, example = "0.05")]
    pub amount: Decimal,
}

/// A project's usage in `month` by resource.
pub(crate) async fn month_by_resource(
    conn: &mut PgConnection,
    project: Uuid,
    month: NaiveDate,
) -> Result<Vec<ResourceCost>, sqlx::Error> {
    sqlx::query_as!(
        ResourceCost,
        r#"SELECT resource, min(unit) AS "unit!", sum(quantity) AS "quantity!", sum(amount) AS "amount!"
           FROM cost_usage WHERE project_id = $1 AND month = $2
           GROUP BY resource ORDER BY 4 DESC, resource"#,
        project,
        month
    )
    .fetch_all(conn)
    .await
}

/// A run's usage by resource.
pub(crate) async fn run_by_resource(
    conn: &mut PgConnection,
    run: Uuid,
) -> Result<Vec<ResourceCost>, sqlx::Error> {
    sqlx::query_as!(
        ResourceCost,
        r#"SELECT resource, min(unit) AS "unit!", sum(quantity) AS "quantity!", sum(amount) AS "amount!"
           FROM cost_usage WHERE run_id = $1
           GROUP BY resource ORDER BY 4 DESC, resource"#,
        run
    )
    .fetch_all(conn)
    .await
}

/// One project's total for a month.
#[derive(Debug, Serialize, ToSchema)]
pub struct ProjectCost {
    pub project_id: Uuid,
    pub name: String,
    #[serde(serialize_with = "crate::model::exact")]
    #[schema(value_type = String, example = "120.50")]
    pub amount: Decimal,
    #[schema(value_type = Option<String>, example = "1500.00")]
    pub budget: Option<Decimal>,
}

/// Every live project's total for `month`, largest first.
pub(crate) async fn month_by_project(
    conn: &mut PgConnection,
    month: NaiveDate,
) -> Result<Vec<ProjectCost>, sqlx::Error> {
    sqlx::query_as!(
        ProjectCost,
        r#"SELECT p.id AS project_id, p.name, coalesce(sum(c.amount), 0) AS "amount!",
                  p.budget_amount AS budget
           FROM projects p LEFT JOIN cost_months c ON c.project_id = p.id AND c.month = $1
           WHERE p.deleted_at IS NULL
           GROUP BY p.id, p.name, p.budget_amount
           ORDER BY 3 DESC, p.name"#,
        month
    )
    .fetch_all(conn)
    .await
}

/// Records that `threshold` percent of the budget was reached in `month`; true only the
/// first time (one alert per project, month and threshold).
pub(crate) async fn insert_alert(
    conn: &mut PgConnection,
    project: Uuid,
    month: NaiveDate,
    threshold: i16,
    amount: Decimal,
    budget: Decimal,
    currency: &str,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query!(
        "INSERT INTO cost_budget_alerts (tenant_id, project_id, month, threshold, amount, budget, currency)
         VALUES (kernel_current_tenant(), $1, $2, $3, $4, $5, $6)
         ON CONFLICT DO NOTHING",
        project,
        month,
        threshold,
        amount,
        budget,
        currency
    )
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// A budget threshold crossed.
#[derive(Debug, Serialize, ToSchema)]
pub struct BudgetAlert {
    /// 80 or 100 (percent of the budget).
    pub threshold: i16,
    #[serde(serialize_with = "crate::model::exact")]
    #[schema(value_type = String)]
    pub amount: Decimal,
    #[schema(value_type = String)]
    pub budget: Decimal,
    pub currency: String,
    pub created_at: DateTime<Utc>,
}

pub(crate) async fn alerts(
    conn: &mut PgConnection,
    project: Uuid,
    month: NaiveDate,
) -> Result<Vec<BudgetAlert>, sqlx::Error> {
    sqlx::query_as!(
        BudgetAlert,
        "SELECT threshold, amount, budget, currency, created_at FROM cost_budget_alerts
         WHERE project_id = $1 AND month = $2 ORDER BY threshold",
        project,
        month
    )
    .fetch_all(conn)
    .await
}

/// One usage row as the API lists it.
#[derive(Debug, Serialize, ToSchema, sqlx::FromRow)]
pub struct Usage {
    pub id: Uuid,
    pub project_id: Uuid,
    pub run_id: Option<Uuid>,
    pub provider: String,
    pub resource: String,
    #[serde(serialize_with = "crate::model::exact")]
    #[schema(value_type = String, example = "3600")]
    pub quantity: Decimal,
    pub unit: String,
    #[serde(serialize_with = "crate::model::exact")]
    #[schema(value_type = String, example = "0.000014")]
    pub unit_price: Decimal,
    #[serde(serialize_with = "crate::model::exact")]
    #[schema(value_type = String, example = "0.0504")]
    pub amount: Decimal,
    pub currency: String,
    pub occurred_at: DateTime<Utc>,
    /// The billing month's first day.
    pub month: NaiveDate,
}

static USAGE: Resource = Resource::new(
    "usage",
    &[
        Field::new("id", "id", FieldType::Uuid),
        Field::new("run_id", "run_id", FieldType::Uuid),
        Field::new("provider", "provider", FieldType::Text),
        Field::new("resource", "resource", FieldType::Text),
        Field::new("occurred_at", "occurred_at", FieldType::Timestamp),
    ],
)
.default_sort(&[("occurred_at", Order::Desc), ("id", Order::Desc)])
.page_sizes(25, 200);

// Dynamic: the list engine adds each request's filters, sort and page to this SELECT.
pub(crate) static USAGE_LIST: Listing = Listing::new(
    &USAGE,
    "SELECT id, project_id, run_id, provider, resource, quantity, unit, unit_price, amount, \
            currency, occurred_at, month \
     FROM cost_usage",
)
.filtered("project_id = $1");

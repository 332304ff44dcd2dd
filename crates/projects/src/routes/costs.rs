//! Costs: report usage, read a project's or the tenant's month, the rate card and the billing
//! settings.

use actix_web::{delete, get, post, put, web, HttpRequest, HttpResponse};
use chrono::{DateTime, NaiveDate, Utc};
use kernel::cache::Cache;
use kernel::list::ListPage;
use kernel::projects::UsageItem;
use kernel::tenancy::{end_read, tenant_read_tx, tenant_tx};
use kernel::{scope, Problem, Scoped, UnitOfWork, ValidatedJson};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use sqlx::{PgConnection, PgPool};
use utoipa::ToSchema;
use uuid::Uuid;
use validator::Validate;

use super::StateCache;
use crate::costs::{rate_card, record_usage, Rate, Recorded};
use crate::model::{is_currency, is_node_id, is_timezone};
use crate::problems::{invalid, project_not_found};
use crate::store::costs::{
    self as store, BillingSettings, BudgetAlert, ProjectCost, ProviderCost, ResourceCost, Usage,
    USAGE_LIST,
};
use crate::store::projects as project_store;

/// Most usage items in one report.
const MAX_ITEMS: usize = 1000;

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UsageInput {
    /// `e2b.cpu`, `modal.gpu.a10g`, `llm.tokens.in`, `twilio.voice.minutes`, `email.sends`…
    #[validate(length(min = 1, max = 100))]
    pub resource: String,
    /// Defaults to the resource's first word.
    #[validate(length(min = 1, max = 50))]
    pub provider: Option<String>,
    /// In the rate's unit (seconds, tokens, minutes…), exact: `"3600"` or `"1.5"`.
    #[serde(serialize_with = "crate::model::exact")]
    #[schema(value_type = String, example = "3600")]
    pub quantity: Decimal,
    pub run_id: Option<Uuid>,
    /// When it was used; now when absent. It decides the billing month.
    pub occurred_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UsageReport {
    /// 1 to 1,000 items.
    #[validate(nested)]
    pub items: Vec<UsageInput>,
}

fn check_usage(items: &[UsageInput]) -> Result<(), Problem> {
    if items.is_empty() || items.len() > MAX_ITEMS {
        return Err(invalid(
            "items",
            format!("1 to {MAX_ITEMS} items per report."),
        ));
    }
    let mut problem: Option<Problem> = None;
    for (i, item) in items.iter().enumerate() {
        let mut fail = |field: &str, message: &str| {
            let p = problem
                .take()
                .unwrap_or_else(|| Problem::validation(Default::default()));
            problem = Some(p.with_field_error(&format!("items[{i}].{field}"), message));
        };
        if !is_node_id(&item.resource) {
            fail("resource", "Use a-z 0-9 _ . - such as e2b.cpu.");
        }
        if item.provider.as_deref().is_some_and(|p| !is_node_id(p)) {
            fail("provider", "Use a-z 0-9 _ . - such as modal.");
        }
        if item.quantity.is_sign_negative()
            || item.quantity.scale() > 6
            || item.quantity >= Decimal::from(100_000_000_000_000i64)
        {
            fail(
                "quantity",
                "A non-negative number below 10^14 with at most 6 decimal places.",
            );
        }
    }
    problem.map_or(Ok(()), Err)
}

/// Report usage for a project (a run step's CPU seconds, tokens, minutes…): priced with the
/// tenant's rate card, added to the month, `cost.updated` and budget alerts follow.
#[utoipa::path(
    tag = "costs",
    security(("cookie_session" = []), ("api_key" = [])),
    params(("id" = Uuid, Path)),
    request_body = UsageReport,
    responses((status = 201, body = Recorded))
)]
#[post("/{id}/usage")]
#[tracing::instrument(skip_all)]
pub async fn record_project_usage(
    db: web::Data<PgPool>,
    cache: web::Data<Cache>,
    states: web::Data<StateCache>,
    principal: Scoped<scope::ProjectsWrite>,
    id: web::Path<Uuid>,
    body: ValidatedJson<UsageReport>,
) -> Result<HttpResponse, Problem> {
    let body = body.into_inner();
    check_usage(&body.items)?;
    let items: Vec<UsageItem> = body
        .items
        .into_iter()
        .map(|i| UsageItem {
            resource: i.resource,
            provider: i.provider,
            quantity: i.quantity,
            run_id: i.run_id,
            occurred_at: i.occurred_at,
        })
        .collect();
    let mut work = UnitOfWork::begin(&db, &cache, &principal).await?;
    let recorded = record_usage(&mut work, *id, &items)
        .await
        .map_err(|e| match e {
            // A run id of another project or tenant is a field error, not a 500.
            crate::costs::UsageError::Db(sqlx::Error::Database(db))
                if db.code().as_deref() == Some("23503") =>
            {
                invalid("items", "A run_id is not a run of this project.")
            }
            other => other.into(),
        })?;
    work.commit().await?;
    states.forget(principal.tenant_id, *id);
    Ok(HttpResponse::Created().json(recorded))
}

/// A project's usage rows, newest first (Refine's list protocol).
#[utoipa::path(
    tag = "costs",
    security(("cookie_session" = []), ("api_key" = [])),
    params(("id" = Uuid, Path)),
    responses((status = 200, body = Vec<Usage>, headers(("X-Total-Count" = i64))))
)]
#[get("/{id}/usage")]
#[tracing::instrument(skip_all)]
pub async fn list_project_usage(
    db: web::Data<PgPool>,
    principal: Scoped<scope::ProjectsRead>,
    id: web::Path<Uuid>,
    req: HttpRequest,
) -> Result<ListPage<Usage>, Problem> {
    USAGE_LIST.respond_within(&db, &principal, &req, *id).await
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct MonthQuery {
    /// `YYYY-MM`; the current billing month when absent.
    pub month: Option<String>,
}

/// The billing month asked for, or the current one in the tenant's timezone.
async fn month(
    conn: &mut PgConnection,
    asked: Option<&str>,
    billing: &BillingSettings,
) -> Result<NaiveDate, Problem> {
    match asked {
        Some(text) => NaiveDate::parse_from_str(&format!("{text}-01"), "%Y-%m-%d")
            .ok()
            .filter(|_| text.len() == 7)
            .ok_or_else(|| {
                Problem::new(kernel::ProblemCode::InvalidQuery, "month must be YYYY-MM.")
            }),
        None => Ok(store::month_of(conn, Utc::now(), &billing.timezone).await?),
    }
}

/// A project's cost for one billing month.
#[derive(Debug, Serialize, ToSchema)]
pub struct ProjectMonth {
    /// `YYYY-MM`.
    pub month: String,
    pub timezone: String,
    pub currency: String,
    #[serde(serialize_with = "crate::model::exact")]
    #[schema(value_type = String, example = "120.50")]
    pub amount: Decimal,
    #[schema(value_type = Option<String>, example = "1500.00")]
    pub budget: Option<Decimal>,
    /// Percent of the budget used, to one decimal (a number, as in the state document).
    pub budget_used_percent: Option<f64>,
    pub by_provider: Vec<ProviderCost>,
    pub by_resource: Vec<ResourceCost>,
    pub alerts: Vec<BudgetAlert>,
}

/// A project's cost for a billing month (month-to-date for the current one).
#[utoipa::path(
    tag = "costs",
    security(("cookie_session" = []), ("api_key" = [])),
    params(("id" = Uuid, Path), MonthQuery),
    responses((status = 200, body = ProjectMonth))
)]
#[get("/{id}/costs")]
#[tracing::instrument(skip_all)]
pub async fn get_project_costs(
    db: web::Data<PgPool>,
    principal: Scoped<scope::ProjectsRead>,
    id: web::Path<Uuid>,
    query: web::Query<MonthQuery>,
) -> Result<web::Json<ProjectMonth>, Problem> {
    let mut tx = tenant_read_tx(&db, &principal).await?;
    let project = project_store::project(&mut tx, *id)
        .await?
        .ok_or_else(project_not_found)?;
    let billing = store::billing_settings(&mut tx).await?;
    let month = month(&mut tx, query.month.as_deref(), &billing).await?;
    let by_provider = store::month_by_provider(&mut tx, *id, month).await?;
    let by_resource = store::month_by_resource(&mut tx, *id, month).await?;
    let alerts = store::alerts(&mut tx, *id, month).await?;
    end_read(tx);
    let amount: Decimal = by_provider.iter().map(|p| p.amount).sum();
    let budget = project.budget_amount;
    Ok(web::Json(ProjectMonth {
        month: month.format("%Y-%m").to_string(),
        timezone: billing.timezone,
        currency: billing.currency,
        amount,
        budget,
        budget_used_percent: budget.filter(|b| *b > Decimal::ZERO).and_then(|b| {
            rust_decimal::prelude::ToPrimitive::to_f64(
                &(amount * Decimal::from(100) / b).round_dp(1),
            )
        }),
        by_provider,
        by_resource,
        alerts,
    }))
}

/// The tenant's cost for one billing month.
#[derive(Debug, Serialize, ToSchema)]
pub struct TenantMonth {
    pub month: String,
    pub timezone: String,
    pub currency: String,
    #[serde(serialize_with = "crate::model::exact")]
    #[schema(value_type = String, example = "1234.56")]
    pub amount: Decimal,
    pub projects: Vec<ProjectCost>,
}

/// The tenant's cost for a billing month, by project.
#[utoipa::path(
    tag = "costs",
    security(("cookie_session" = []), ("api_key" = [])),
    params(MonthQuery),
    responses((status = 200, body = TenantMonth))
)]
#[get("")]
#[tracing::instrument(skip_all)]
pub async fn get_tenant_costs(
    db: web::Data<PgPool>,
    principal: Scoped<scope::ProjectsRead>,
    query: web::Query<MonthQuery>,
) -> Result<web::Json<TenantMonth>, Problem> {
    let mut tx = tenant_read_tx(&db, &principal).await?;
    let billing = store::billing_settings(&mut tx).await?;
    let month = month(&mut tx, query.month.as_deref(), &billing).await?;
    let projects = store::month_by_project(&mut tx, month).await?;
    end_read(tx);
    Ok(web::Json(TenantMonth {
        month: month.format("%Y-%m").to_string(),
        timezone: billing.timezone,
        currency: billing.currency,
        amount: projects.iter().map(|p| p.amount).sum(),
        projects,
    }))
}

/// The rate card the tenant's usage is priced with: the defaults and its own rates.
#[utoipa::path(
    tag = "costs",
    security(("cookie_session" = []), ("api_key" = [])),
    responses((status = 200, body = Vec<Rate>))
)]
#[get("/rates")]
#[tracing::instrument(skip_all)]
pub async fn list_rates(
    db: web::Data<PgPool>,
    principal: Scoped<scope::ProjectsRead>,
) -> Result<web::Json<Vec<Rate>>, Problem> {
    let mut tx = tenant_read_tx(&db, &principal).await?;
    let own = store::tenant_rates(&mut tx).await?;
    end_read(tx);
    Ok(web::Json(rate_card(own)))
}

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RateInput {
    #[validate(length(min = 1, max = 30))]
    pub unit: String,
    /// In the tenant's billing currency, exact (at most 10 decimal places).
    #[serde(serialize_with = "crate::model::exact")]
    #[schema(value_type = String, example = "0.000014")]
    pub unit_price: Decimal,
}

/// Set the tenant's own price for a resource (new usage is priced with it).
#[utoipa::path(
    tag = "costs",
    security(("cookie_session" = []), ("api_key" = [])),
    params(("resource" = String, Path)),
    request_body = RateInput,
    responses((status = 200, body = Vec<Rate>))
)]
#[put("/rates/{resource}")]
#[tracing::instrument(skip_all)]
pub async fn set_rate(
    db: web::Data<PgPool>,
    principal: Scoped<scope::ProjectsWrite>,
    resource: web::Path<String>,
    body: ValidatedJson<RateInput>,
) -> Result<web::Json<Vec<Rate>>, Problem> {
    if !is_node_id(&resource) {
        return Err(invalid("resource", "Use a-z 0-9 _ . - such as e2b.cpu."));
    }
    let price = body.unit_price;
    if price.is_sign_negative() || price.scale() > 10 || price >= Decimal::from(10_000_000_000i64) {
        return Err(invalid(
            "unit_price",
            "A non-negative price below 10^10 with at most 10 decimal places.",
        ));
    }
    let mut tx = tenant_tx(&db, &principal).await?;
    store::set_rate(&mut tx, &resource, &body.unit, price).await?;
    let card = rate_card(store::tenant_rates(&mut tx).await?);
    tx.commit().await?;
    Ok(web::Json(card))
}

/// Drop the tenant's own price for a resource (the default applies again).
#[utoipa::path(
    tag = "costs",
    security(("cookie_session" = []), ("api_key" = [])),
    params(("resource" = String, Path)),
    responses((status = 200, body = Vec<Rate>))
)]
#[delete("/rates/{resource}")]
#[tracing::instrument(skip_all)]
pub async fn delete_rate(
    db: web::Data<PgPool>,
    principal: Scoped<scope::ProjectsWrite>,
    resource: web::Path<String>,
) -> Result<web::Json<Vec<Rate>>, Problem> {
    let mut tx = tenant_tx(&db, &principal).await?;
    if !store::delete_rate(&mut tx, &resource).await? {
        return Err(Problem::not_found("Rate"));
    }
    let card = rate_card(store::tenant_rates(&mut tx).await?);
    tx.commit().await?;
    Ok(web::Json(card))
}

/// The tenant's billing settings.
#[utoipa::path(
    tag = "costs",
    security(("cookie_session" = []), ("api_key" = [])),
    responses((status = 200, body = BillingSettings))
)]
#[get("/settings")]
#[tracing::instrument(skip_all)]
pub async fn get_billing_settings(
    db: web::Data<PgPool>,
    principal: Scoped<scope::ProjectsRead>,
) -> Result<web::Json<BillingSettings>, Problem> {
    let mut tx = tenant_read_tx(&db, &principal).await?;
    let settings = store::billing_settings(&mut tx).await?;
    end_read(tx);
    Ok(web::Json(settings))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BillingSettingsInput {
    /// IANA zone billing months are counted in.
    pub timezone: String,
    /// ISO 4217 code of every price, cost and budget.
    pub currency: String,
}

/// Change the tenant's billing timezone and currency (usage already recorded keeps its month).
#[utoipa::path(
    tag = "costs",
    security(("cookie_session" = []), ("api_key" = [])),
    request_body = BillingSettingsInput,
    responses((status = 200, body = BillingSettings))
)]
#[put("/settings")]
#[tracing::instrument(skip_all)]
pub async fn set_billing_settings(
    db: web::Data<PgPool>,
    principal: Scoped<scope::ProjectsWrite>,
    body: kernel::JsonBody<BillingSettingsInput>,
) -> Result<web::Json<BillingSettings>, Problem> {
    let body = body.into_inner();
    if !is_timezone(&body.timezone) {
        return Err(invalid(
            "timezone",
            "Not an IANA time zone (e.g. Europe/Bucharest).",
        ));
    }
    if !is_currency(&body.currency) {
        return Err(invalid(
            "currency",
            "A three-letter ISO 4217 code such as EUR.",
        ));
    }
    let settings = BillingSettings {
        timezone: body.timezone,
        currency: body.currency,
    };
    let mut tx = tenant_tx(&db, &principal).await?;
    store::set_billing_settings(&mut tx, &settings).await?;
    tx.commit().await?;
    Ok(web::Json(settings))
}

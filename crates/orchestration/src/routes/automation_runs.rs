//! Automation runs (see [`crate::automation`]): start one, list them, read one, and the
//! signed completion webhook.

use actix_web::{get, post, web, HttpRequest, HttpResponse};
use kernel::cache::Cache;
use kernel::list::ListPage;
use kernel::tenancy::{end_read, tenant_read_tx};
use kernel::webhooks::WebhookVerifier;
use kernel::{scope, Problem, Scoped, TenantId, UnitOfWork, ValidatedJson};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use sqlx::PgPool;
use utoipa::ToSchema;
use uuid::Uuid;
use validator::Validate;

use crate::automation::{self, Created};
use crate::executor::Executor;
use crate::problems;
use crate::routes::callbacks::signed;
use crate::store::automation_runs::{self as store, AutomationRun, NewRun, AUTOMATION_RUN_LIST};
use crate::Settings;

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StartAutomationRun {
    /// The ActivePieces flow id (its webhook trigger runs it). Offline (no `ACTIVEPIECES_URL`):
    /// the name of one of the tenant's flows.
    #[validate(length(min = 1, max = 200))]
    pub flow: String,
    /// The caller's id for this run, unique per tenant: starting again with the same one (and
    /// the same flow and input) answers the first run (200); with another flow or input, 409.
    /// Default: a new id.
    #[validate(length(min = 1, max = 200))]
    pub correlation_id: Option<String>,
    /// What the flow gets (default `{}`).
    #[schema(value_type = Option<Object>)]
    pub input: Option<Value>,
}

/// How a run ended, as its flow reports it.
#[derive(Debug, Clone, Copy, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum AutomationOutcome {
    Succeeded,
    Failed,
}

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AutomationCallback {
    /// The run's id (`runId` in the start request).
    pub run_id: Uuid,
    pub status: AutomationOutcome,
    #[schema(value_type = Option<Object>)]
    pub output: Option<Value>,
    /// Why it failed.
    #[validate(length(max = 32768))]
    pub error: Option<String>,
    /// The run's id at the provider, when the start's answer did not give it.
    #[validate(length(min = 1, max = 200))]
    pub provider_run_id: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AutomationCallbackAccepted {
    pub run_id: Uuid,
}

fn run_not_found() -> Problem {
    Problem::not_found("Automation run")
}

/// Start an automation run: the run is recorded and its start queued before the answer (202);
/// follow it with `GET /api/v1/automation-runs/{id}`. Idempotent by correlation id, and by
/// `Idempotency-Key`.
#[utoipa::path(
    tag = "orchestration",
    security(("cookie_session" = []), ("api_key" = [])),
    request_body = StartAutomationRun,
    responses((status = 202, body = AutomationRun), (status = 200, body = AutomationRun))
)]
#[post("")]
#[tracing::instrument(skip_all)]
pub async fn start_automation_run(
    db: web::Data<PgPool>,
    cache: web::Data<Cache>,
    executor: web::Data<Executor>,
    principal: Scoped<scope::ProjectsWrite>,
    body: ValidatedJson<StartAutomationRun>,
) -> Result<HttpResponse, Problem> {
    let body = body.into_inner();
    let input = body.input.unwrap_or_else(|| json!({}));
    if !input.is_object() {
        return Err(problems::invalid("input", "The input is a JSON object."));
    }
    if body.flow.chars().any(char::is_control) {
        return Err(problems::invalid("flow", "No control characters."));
    }
    let id = Uuid::now_v7();
    let correlation_id = body.correlation_id.unwrap_or_else(|| id.to_string());
    let mut work = UnitOfWork::begin(&db, &cache, &principal).await?;
    let run = NewRun {
        id,
        flow: &body.flow,
        correlation_id: &correlation_id,
        provider: automation::provider_name(executor.automation.as_ref()),
        input: &input,
        task_key: None,
    };
    let created = automation::create(&mut work, &run)
        .await
        .map_err(|e| Problem::internal(&e))?;
    work.commit().await?;
    match created {
        Created::New(run) => Ok(HttpResponse::Accepted()
            .insert_header(("Location", format!("/api/v1/automation-runs/{}", run.id)))
            .json(run)),
        Created::Existing(run) if run.flow == body.flow && run.input == input => {
            Ok(HttpResponse::Ok().json(run))
        }
        Created::Existing(_) => Err(problems::automation_run_exists(&correlation_id)),
    }
}

/// The tenant's automation runs, newest first (Refine's list protocol; filter by `status`,
/// `flow`, `correlation_id`, `provider`).
#[utoipa::path(
    tag = "orchestration",
    security(("cookie_session" = []), ("api_key" = [])),
    responses((status = 200, body = Vec<AutomationRun>, headers(("X-Total-Count" = i64))))
)]
#[get("")]
#[tracing::instrument(skip_all)]
pub async fn list_automation_runs(
    db: web::Data<PgPool>,
    principal: Scoped<scope::ProjectsRead>,
    req: HttpRequest,
) -> Result<ListPage<AutomationRun>, Problem> {
    AUTOMATION_RUN_LIST.respond(&db, &principal, &req).await
}

/// One automation run: status, the provider's run id, attempts, output or error.
#[utoipa::path(
    tag = "orchestration",
    security(("cookie_session" = []), ("api_key" = [])),
    params(("id" = Uuid, Path)),
    responses((status = 200, body = AutomationRun))
)]
#[get("/{id}")]
#[tracing::instrument(skip_all)]
pub async fn get_automation_run(
    db: web::Data<PgPool>,
    principal: Scoped<scope::ProjectsRead>,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, Problem> {
    let mut tx = tenant_read_tx(&db, &principal).await?;
    let run = store::get(&mut tx, *id).await?;
    end_read(tx);
    Ok(HttpResponse::Ok().json(run.ok_or_else(run_not_found)?))
}

/// An automation's flow reports its end (signed like the sandbox callback: Standard Webhooks
/// with `SANDBOX_CALLBACK_SECRET`). Forged or late: 401; replayed: 409; unknown run: 404; a
/// run that already ended: 409. Nothing changes in any of these cases.
#[utoipa::path(
    tag = "orchestration",
    request_body = AutomationCallback,
    responses((status = 202, body = AutomationCallbackAccepted))
)]
#[post("/api/v1/webhooks/automation-callback")]
#[tracing::instrument(skip_all)]
pub async fn automation_callback(
    db: web::Data<PgPool>,
    cache: web::Data<Cache>,
    settings: web::Data<Settings>,
    verifier: web::Data<WebhookVerifier>,
    req: HttpRequest,
    raw: web::Bytes,
) -> Result<HttpResponse, Problem> {
    signed(&verifier, &settings, "automation", &req, &raw, async {
        let body: AutomationCallback = serde_json::from_slice(&raw)
            .map_err(|e| problems::invalid("body", format!("Not an automation callback: {e}")))?;
        body.validate().map_err(Problem::from)?;
        let mut conn = db.acquire().await?;
        let tenant = store::owner(&mut conn, body.run_id)
            .await?
            .ok_or_else(run_not_found)?;
        drop(conn);
        let mut work = UnitOfWork::begin_for(&db, &cache, TenantId(tenant)).await?;
        let succeeded = matches!(body.status, AutomationOutcome::Succeeded);
        let error = match (&body.error, succeeded) {
            (Some(error), _) => Some(error.clone()),
            (None, false) => Some("the automation reported a failure".to_owned()),
            (None, true) => None,
        };
        let ended = automation::complete(
            &mut work,
            body.run_id,
            succeeded,
            body.output.as_ref(),
            error.as_deref(),
            body.provider_run_id.as_deref(),
        )
        .await
        .map_err(|e| Problem::internal(&e))?;
        if !ended {
            return Err(problems::automation_run_finished());
        }
        work.commit().await?;
        Ok(HttpResponse::Accepted().json(AutomationCallbackAccepted {
            run_id: body.run_id,
        }))
    })
    .await
}

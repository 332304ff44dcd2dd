//! Settling `.waitForTaskToken` tasks: the signed sandbox callback webhook (for sandboxes and
//! models that run outside: E2B, Modal) and the same for authenticated callers.
//!
//! The webhook is signed per Standard Webhooks with `SANDBOX_CALLBACK_SECRET` (HMAC-SHA256 over
//! `id.timestamp.body`, the raw body): a forged or late request is a 401 and changes nothing,
//! a replayed one (same `webhook-id`) a 409, an unknown token a 404, a token already settled a
//! 409. Only then is the body read.

use actix_web::{post, web, HttpRequest, HttpResponse};
use kernel::projects::UsageItem;
use kernel::webhooks::{Scheme, WebhookVerifier};
use kernel::{scope, Problem, Scoped, TenantId};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::ToSchema;
use uuid::Uuid;
use validator::Validate;

use crate::asl::StatesError;
use crate::executor::settle::{self, SettleError, Settlement};
use crate::executor::Executor;
use crate::problems;
use crate::Settings;

/// How a task ended, as its worker reports it.
#[derive(Debug, Clone, Copy, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum CallbackStatus {
    Success,
    Failure,
    Heartbeat,
}

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TaskCallback {
    /// The token the task was handed (`$$.Task.Token`).
    #[validate(length(min = 1, max = 1024))]
    pub task_token: String,
    pub status: CallbackStatus,
    /// The task's result (success).
    #[schema(value_type = Option<Object>)]
    pub output: Option<Value>,
    /// The error name (failure), e.g. `Model.Diverged`.
    #[validate(length(min = 1, max = 256))]
    pub error: Option<String>,
    #[validate(length(max = 32768))]
    pub cause: Option<String>,
    /// What the task used, priced by the project's rate card (`modal.gpu.a10g`: seconds).
    #[serde(default)]
    #[validate(length(max = 50))]
    pub usage: Vec<ReportedUsage>,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReportedUsage {
    pub resource: String,
    #[schema(value_type = String, example = "12.5")]
    pub quantity: Decimal,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CallbackAccepted {
    pub execution_id: Uuid,
}

fn settlement(body: TaskCallback) -> Result<Settlement, Problem> {
    Ok(match body.status {
        CallbackStatus::Heartbeat => Settlement::Heartbeat,
        CallbackStatus::Failure => Settlement::Failure(StatesError::new(
            body.error.as_deref().unwrap_or("States.TaskFailed"),
            body.cause.unwrap_or_default(),
        )),
        CallbackStatus::Success => {
            let mut usage = Vec::with_capacity(body.usage.len());
            for (i, item) in body.usage.into_iter().enumerate() {
                let plain = (1..=100).contains(&item.resource.len())
                    && item.resource.chars().all(|c| {
                        c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '.' | '_' | '-')
                    });
                if !plain || item.quantity.is_sign_negative() {
                    return Err(problems::invalid(
                        &format!("usage[{i}]"),
                        "A resource name (a-z, 0-9, . _ -) and a non-negative quantity.",
                    ));
                }
                usage.push(UsageItem {
                    resource: item.resource,
                    provider: None,
                    quantity: item.quantity,
                    run_id: None,
                    occurred_at: None,
                });
            }
            Settlement::Success {
                output: body.output.unwrap_or(Value::Object(Default::default())),
                usage,
            }
        }
    })
}

fn settle_problem(err: SettleError) -> Problem {
    match err {
        SettleError::UnknownToken => Problem::not_found("Task token"),
        SettleError::Settled => problems::task_settled(),
        SettleError::Step(e) => Problem::internal(&e),
    }
}

/// A sandbox or model reports how a task ended (signed; see the module docs).
#[utoipa::path(
    tag = "orchestration",
    request_body = TaskCallback,
    responses((status = 202, body = CallbackAccepted))
)]
#[post("/api/v1/webhooks/sandbox-callback")]
#[tracing::instrument(skip_all)]
pub async fn sandbox_callback(
    executor: web::Data<Executor>,
    settings: web::Data<Settings>,
    verifier: web::Data<WebhookVerifier>,
    req: HttpRequest,
    raw: web::Bytes,
) -> Result<HttpResponse, Problem> {
    signed(&verifier, &settings, "sandbox", &req, &raw, async {
        let body: TaskCallback = serde_json::from_slice(&raw)
            .map_err(|e| problems::invalid("body", format!("Not a task callback: {e}")))?;
        body.validate().map_err(Problem::from)?;
        let token = body.task_token.clone();
        let (tenant, _) = settle::token_owner(&executor, &token)
            .await?
            .ok_or_else(|| Problem::not_found("Task token"))?;
        let settlement = settlement(body)?;
        let execution_id = settle::settle(&executor, tenant, &token, settlement)
            .await
            .map_err(settle_problem)?;
        Ok(HttpResponse::Accepted().json(CallbackAccepted { execution_id }))
    })
    .await
}

/// Verifies a signed callback (Standard Webhooks with the callback secrets, `namespace`'s
/// replay store), then runs `handle`. A failure of ours (not the sender's) must not burn the
/// delivery's id: it is forgotten, so the sender's retry is processed instead of refused as a
/// replay.
pub(crate) async fn signed(
    verifier: &WebhookVerifier,
    settings: &Settings,
    namespace: &'static str,
    req: &HttpRequest,
    raw: &[u8],
    handle: impl std::future::Future<Output = Result<HttpResponse, Problem>>,
) -> Result<HttpResponse, Problem> {
    let verified = verifier
        .verify(
            Scheme::StandardWebhooks,
            namespace,
            &settings.callback_secrets,
            req.headers(),
            raw,
        )
        .await?;
    let outcome = handle.await;
    if let Err(problem) = &outcome {
        if problem.status_code().is_server_error() {
            verifier.forget(namespace, &verified.id).await?;
        }
    }
    outcome
}

/// Settle a task token of this tenant (Step Functions' SendTaskSuccess, SendTaskFailure and
/// SendTaskHeartbeat), for callers with an API key.
#[utoipa::path(
    tag = "orchestration",
    security(("cookie_session" = []), ("api_key" = [])),
    request_body = TaskCallback,
    responses((status = 202, body = CallbackAccepted))
)]
#[post("/task-callbacks")]
#[tracing::instrument(skip_all)]
pub async fn task_callback(
    executor: web::Data<Executor>,
    principal: Scoped<scope::ProjectsWrite>,
    body: kernel::ValidatedJson<TaskCallback>,
) -> Result<HttpResponse, Problem> {
    let body = body.into_inner();
    let token = body.task_token.clone();
    let tenant: TenantId = principal.tenant_id;
    let settlement = settlement(body)?;
    let execution_id = settle::settle(&executor, tenant, &token, settlement)
        .await
        .map_err(settle_problem)?;
    Ok(HttpResponse::Accepted().json(CallbackAccepted { execution_id }))
}

//! Automation runs (seed 003): start an ActivePieces flow with a correlation id, follow it to
//! its end.
//!
//! 1. `POST /api/v1/automation-runs` records the run (unique per tenant by correlation id) and
//!    enqueues its start in the same transaction: the run exists, and will be started, before
//!    the caller gets its 202.
//! 2. The start job asks the provider to run the flow:
//!    - **ActivePieces** (`ACTIVEPIECES_URL`): `POST {url}/api/v1/webhooks/{flow}` (the flow's
//!      webhook trigger) with `{runId, correlationId, input, callbackUrl}`, the bearer key and
//!      `Idempotency-Key: <run id>`. A 429 or 5xx (or no answer) is tried again by the job, after
//!      `Retry-After` when given or an exponential backoff, up to [`START_ATTEMPTS`] tries; any
//!      other 4xx fails the run. The run's id at the provider is taken from the answer (`id`,
//!      `runId` or `flowRunId`) or from the completion.
//!    - **Offline default**: the tenant's own flow named `flow` runs on our executor as execution
//!      `automation-<run id>`; the run ends when the execution does.
//! 3. The flow reports its end to `POST /api/v1/webhooks/automation-callback`, signed like the
//!    sandbox callback (Standard Webhooks, 5-minute window, replay store):
//!    `{run_id, status: "succeeded" | "failed", output, error, provider_run_id}`.
//!
//! A Task state can run an automation too (`activepieces:run`, see
//! [`crate::resources::automation`]); as `.waitForTaskToken` it waits for the run's end, which
//! settles its token through [`SettleAutomation`].

use std::time::Duration;

use chrono::Utc;
use kernel::jobs::{self, Job, JobContext, JobFailure, JobOptions};
use kernel::UnitOfWork;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use uuid::Uuid;

use crate::asl::StatesError;
use crate::executor::control::{self, Started};
use crate::executor::settle::{self, SettleError, Settlement};
use crate::executor::{Executor, StepError};
use crate::resources::Provider;
use crate::store::automation_runs::{self as store, AutomationRun, NewRun};
use crate::store::flows as flows_store;

/// Start automation run `run` at its provider.
#[derive(Debug, Serialize, Deserialize)]
pub struct StartAutomation {
    pub run: Uuid,
}

impl Job for StartAutomation {
    const KIND: &'static str = "orchestration.automation_start";
}

/// Hand the end of automation run `run` to the Task waiting on it.
#[derive(Debug, Serialize, Deserialize)]
pub struct SettleAutomation {
    pub run: Uuid,
}

impl Job for SettleAutomation {
    const KIND: &'static str = "orchestration.automation_settle";
}

/// Tries of one run's start request before the run fails.
pub const START_ATTEMPTS: i32 = 8;
/// The first retry's delay when the provider gives no `Retry-After`; it doubles per try.
const START_BACKOFF: Duration = Duration::from_secs(1);
const START_BACKOFF_CAP: Duration = Duration::from_secs(300);
/// The longest `Retry-After` honoured; a provider asking for more is asked again then.
const MAX_RETRY_AFTER: Duration = Duration::from_secs(3600);

/// Who runs automations on this deployment.
pub fn provider_name(provider: Option<&Provider>) -> &'static str {
    if provider.is_some() {
        "activepieces"
    } else {
        "local"
    }
}

/// What creating a run gave.
pub enum Created {
    New(AutomationRun),
    /// The tenant has a run with this correlation id already.
    Existing(AutomationRun),
}

/// Records a run and enqueues its start, in `work`.
pub(crate) async fn create(work: &mut UnitOfWork, run: &NewRun<'_>) -> Result<Created, StepError> {
    let Some(created) = store::insert(work, run).await? else {
        let existing = store::by_correlation(work, run.correlation_id)
            .await?
            .ok_or_else(|| StepError::Slice("the run with this correlation id vanished".into()))?;
        return Ok(Created::Existing(existing));
    };
    let options = JobOptions::default()
        .key(format!("orchestration:automation:{}", created.id))
        .max_attempts(START_ATTEMPTS);
    jobs::enqueue(work, &StartAutomation { run: created.id }, &options).await?;
    work.publish_ids("automation-runs", "automation_run.created", &[created.id])
        .await?;
    Ok(Created::New(created))
}

/// Ends run `id` (if it had not ended) and wakes the Task waiting on it. False: it had ended.
pub(crate) async fn complete(
    work: &mut UnitOfWork,
    id: Uuid,
    succeeded: bool,
    output: Option<&Value>,
    error: Option<&str>,
    provider_run_id: Option<&str>,
) -> Result<bool, StepError> {
    let Some((_, task_key)) = store::lock(work, id).await? else {
        return Ok(false);
    };
    let status = if succeeded { "succeeded" } else { "failed" };
    if !store::finish(work, id, status, output, error, provider_run_id).await? {
        return Ok(false);
    }
    if task_key.is_some() {
        let options = JobOptions::default()
            .key(format!("orchestration:automation-settle:{id}"))
            .max_attempts(20);
        jobs::enqueue(work, &SettleAutomation { run: id }, &options).await?;
    }
    work.publish_ids("automation-runs", "automation_run.updated", &[id])
        .await?;
    Ok(true)
}

/// A top-level execution ended: when it is a local automation run, the run ends with it.
pub(crate) async fn execution_ended(
    work: &mut UnitOfWork,
    execution: Uuid,
    status: &str,
    output: Option<&Value>,
    error: Option<&StatesError>,
) -> Result<(), StepError> {
    let Some(run) = store::by_execution(work, execution).await? else {
        return Ok(());
    };
    let error = error.map(|e| format!("{}: {}", e.error, e.cause));
    let error = error.or_else(|| (status != "SUCCEEDED").then(|| format!("execution {status}")));
    complete(
        work,
        run,
        status == "SUCCEEDED",
        output,
        error.as_deref(),
        None,
    )
    .await?;
    Ok(())
}

/// How one start request went.
enum Sent {
    Accepted {
        provider_run_id: Option<String>,
    },
    /// 429, 5xx or no answer: try again (at `retry_after` when the provider said).
    Retry {
        error: String,
        retry_after: Option<Duration>,
    },
    Refused(String),
}

impl Executor {
    /// The start job: asks the provider to run the flow (or starts the tenant's own flow).
    pub(crate) async fn start_automation(
        &self,
        job: &JobContext,
        id: Uuid,
    ) -> Result<(), JobFailure> {
        let tenant = job.tenant()?;
        let mut work = UnitOfWork::begin_for(&self.db, &self.cache, tenant)
            .await
            .map_err(JobFailure::retry)?;
        let Some((run, _)) = store::lock(&mut work, id)
            .await
            .map_err(JobFailure::retry)?
        else {
            return Ok(());
        };
        if run.status != "queued" {
            return Ok(());
        }
        if run.provider == "local" {
            self.start_local(&mut work, &run)
                .await
                .map_err(JobFailure::retry)?;
            return work.commit().await.map_err(JobFailure::retry);
        }
        let Some(provider) = &self.automation else {
            complete(
                &mut work,
                id,
                false,
                None,
                Some("ActivePieces is not configured on this worker (ACTIVEPIECES_URL)"),
                None,
            )
            .await
            .map_err(JobFailure::retry)?;
            return work.commit().await.map_err(JobFailure::retry);
        };
        // The request goes out with no transaction open; the row lock is let go meanwhile (a
        // second start job for the run cannot exist: the job key is the run's).
        drop(work);
        let sent = self.send_start(provider, &run).await;
        let mut work = UnitOfWork::begin_for(&self.db, &self.cache, tenant)
            .await
            .map_err(JobFailure::retry)?;
        let outcome = match sent {
            Sent::Accepted { provider_run_id } => {
                store::started(&mut work, id, provider_run_id.as_deref(), None)
                    .await
                    .map_err(JobFailure::retry)?;
                work.publish_ids("automation-runs", "automation_run.updated", &[id])
                    .await
                    .map_err(JobFailure::retry)?;
                Ok(())
            }
            Sent::Retry { error, retry_after } if !job.is_last_attempt() => {
                let wait = retry_after
                    .unwrap_or_else(|| jobs::backoff(job.attempt, START_BACKOFF, START_BACKOFF_CAP))
                    .min(MAX_RETRY_AFTER);
                let at = Utc::now() + chrono::Duration::from_std(wait).unwrap_or_default();
                store::refused(&mut work, id, &error, Some(at))
                    .await
                    .map_err(JobFailure::retry)?;
                work.publish_ids("automation-runs", "automation_run.updated", &[id])
                    .await
                    .map_err(JobFailure::retry)?;
                Err(JobFailure::retry_at(error, at))
            }
            Sent::Retry { error, .. } | Sent::Refused(error) => {
                store::refused(&mut work, id, &error, None)
                    .await
                    .map_err(JobFailure::retry)?;
                complete(&mut work, id, false, None, Some(&error), None)
                    .await
                    .map_err(JobFailure::retry)?;
                Ok(())
            }
        };
        work.commit().await.map_err(JobFailure::retry)?;
        outcome
    }

    /// The offline default: the tenant's flow named like the automation, as an execution.
    async fn start_local(
        &self,
        work: &mut UnitOfWork,
        run: &AutomationRun,
    ) -> Result<(), StepError> {
        let refused = match self.local_execution(work, run).await? {
            Ok(execution) => {
                let provider_run_id = execution.to_string();
                store::started(work, run.id, Some(&provider_run_id), Some(execution)).await?;
                work.publish_ids("automation-runs", "automation_run.updated", &[run.id])
                    .await?;
                return Ok(());
            }
            Err(why) => why,
        };
        complete(work, run.id, false, None, Some(&refused), None).await?;
        Ok(())
    }

    /// Starts the run's local execution; `Err(why)` when the flow cannot run.
    async fn local_execution(
        &self,
        work: &mut UnitOfWork,
        run: &AutomationRun,
    ) -> Result<Result<Uuid, String>, StepError> {
        let Some(flow) = flows_store::flow_by_name(work, &run.flow).await? else {
            return Ok(Err(format!(
                "this tenant has no flow named {:?} (offline, automations are the tenant's flows)",
                run.flow
            )));
        };
        let Some(version) = flows_store::version(work, flow.id, flow.current_version).await? else {
            return Ok(Err(format!("flow {:?} has no version", run.flow)));
        };
        let definition = match crate::routes::flows::check_definition(&version.definition, self) {
            Ok(definition) => definition,
            Err(errors) => {
                let listed: Vec<_> = errors.iter().map(|e| e.message.as_str()).collect();
                return Ok(Err(format!(
                    "flow {:?} cannot run: {}",
                    run.flow,
                    listed.join("; ")
                )));
            }
        };
        let name = format!("automation-{}", run.id);
        let started = control::start(
            work,
            &flow,
            flow.current_version,
            &definition,
            &name,
            &run.input,
        )
        .await?;
        let (Started::New(execution) | Started::Existing(execution)) = started;
        Ok(Ok(execution.id))
    }

    async fn send_start(&self, provider: &Provider, run: &AutomationRun) -> Sent {
        let mut url = match reqwest::Url::parse(&provider.base_url) {
            Ok(url) => url,
            Err(e) => return Sent::Refused(format!("ACTIVEPIECES_URL: {e}")),
        };
        match url.path_segments_mut() {
            Ok(mut path) => {
                path.pop_if_empty()
                    .extend(["api", "v1", "webhooks", run.flow.as_str()]);
            }
            Err(()) => return Sent::Refused("ACTIVEPIECES_URL cannot have a path".into()),
        }
        let callback = format!(
            "{}/api/v1/webhooks/automation-callback",
            self.env.public_url.trim_end_matches('/')
        );
        let body = json!({
            "runId": run.id,
            "correlationId": run.correlation_id,
            "input": run.input,
            "callbackUrl": callback,
        });
        let mut request = self
            .env
            .http
            .post(url)
            .header("Idempotency-Key", run.id.to_string())
            .json(&body);
        if !provider.token.is_empty() {
            request = request.bearer_auth(&provider.token);
        }
        let response = match request.send().await {
            Ok(response) => response,
            Err(e) => {
                return Sent::Retry {
                    error: format!("ActivePieces unreachable: {e}"),
                    retry_after: None,
                }
            }
        };
        let status = response.status();
        let retry_after = crate::resources::retry_after(&response);
        if status.is_success() {
            let answer = response.json::<Value>().await.unwrap_or(Value::Null);
            let provider_run_id = ["id", "runId", "flowRunId"]
                .iter()
                .find_map(|field| answer.get(field).and_then(Value::as_str))
                .map(str::to_owned);
            return Sent::Accepted { provider_run_id };
        }
        let text: String = response
            .text()
            .await
            .unwrap_or_default()
            .chars()
            .take(500)
            .collect();
        let error = format!("ActivePieces answered {status}: {text}");
        if status.as_u16() == 429 || status.is_server_error() {
            Sent::Retry { error, retry_after }
        } else {
            Sent::Refused(error)
        }
    }

    /// The settle job: the run's end settles the token of the Task waiting on it.
    pub(crate) async fn settle_automation(
        &self,
        job: &JobContext,
        id: Uuid,
    ) -> Result<(), JobFailure> {
        let tenant = job.tenant()?;
        let mut work = UnitOfWork::begin_for(&self.db, &self.cache, tenant)
            .await
            .map_err(JobFailure::retry)?;
        let found = store::lock(&mut work, id)
            .await
            .map_err(JobFailure::retry)?;
        drop(work);
        let Some((run, Some(key))) = found else {
            return Ok(());
        };
        let settlement = match run.status.as_str() {
            "succeeded" => Settlement::Success {
                output: json!({
                    "automationRunId": run.id,
                    "providerRunId": run.provider_run_id,
                    "output": run.output,
                }),
                usage: Vec::new(),
            },
            "failed" => Settlement::Failure(StatesError::new(
                "Automation.Failed",
                run.error.unwrap_or_default(),
            )),
            _ => return Ok(()),
        };
        let token = self.tokens.token(&key);
        match settle::settle(self, tenant, &token, settlement).await {
            Ok(_) | Err(SettleError::UnknownToken | SettleError::Settled) => Ok(()),
            Err(SettleError::Step(e)) => Err(JobFailure::retry(e)),
        }
    }
}

//! The built-in pipeline template, and the demo: the fashion shop's project gets the template
//! as its flow, and `fortress demo` runs it once, offline, end to end (bronze CSV and JSON lines
//! → silver and gold Parquet → scores → the demo leads' scores), so the UI shows a finished
//! execution with its history and cost and a green tree.
//! Idempotent: nothing is seeded when the tenant has a flow with the demo's name.

use kernel::slice::{Context, SliceError};
use kernel::{TenantId, UnitOfWork};
use serde_json::{json, Value};
use uuid::Uuid;

use crate::executor::control::{self, Started};
use crate::routes::flows::Template;
use crate::store::flows::{self as store, NewFlow};
use crate::Settings;

const FLOW_NAME: &str = "fashion-shop-pipeline";
const PROJECT_SLUG: &str = "fashion-shop";

/// The seed's five steps over the demo project's files: bronze orders, customers and products
/// are typed and deduplicated into silver, modelled into daily sales and per-customer value in
/// gold, scored, pushed to the CRM, and a callback tells the client's system when asked.
const TRANSFORM_SQL: &str = "\
CREATE OR REPLACE TABLE silver.orders AS
  SELECT CAST(order_id AS BIGINT) AS order_id, CAST(customer_id AS VARCHAR) AS customer_id,
         CAST(product_id AS VARCHAR) AS product_id, CAST(quantity AS INTEGER) AS quantity,
         CAST(unit_price AS DECIMAL(12, 2)) AS unit_price, CAST(ordered_at AS TIMESTAMP) AS ordered_at
  FROM bronze.orders WHERE order_id IS NOT NULL;
CREATE OR REPLACE TABLE silver.customers AS
  SELECT DISTINCT ON (customer_id) CAST(customer_id AS VARCHAR) AS customer_id,
         lower(trim(email)) AS email, upper(country) AS country
  FROM bronze.customers WHERE customer_id IS NOT NULL ORDER BY customer_id;
CREATE OR REPLACE TABLE silver.products AS
  SELECT CAST(product_id AS VARCHAR) AS product_id, name, coalesce(category, 'other') AS category,
         CAST(price AS DECIMAL(12, 2)) AS price
  FROM bronze.products;
CREATE OR REPLACE TABLE gold.sales_by_day AS
  SELECT CAST(date_trunc('day', o.ordered_at) AS DATE) AS day, p.category,
         sum(o.quantity * o.unit_price) AS revenue, count(*) AS orders
  FROM silver.orders o JOIN silver.products p USING (product_id)
  GROUP BY 1, 2 ORDER BY 1, 2;
CREATE OR REPLACE TABLE gold.customers AS
  SELECT c.email, count(o.order_id) AS orders, coalesce(sum(o.quantity * o.unit_price), 0) AS revenue,
         max(o.ordered_at) AS last_order_at
  FROM silver.customers c LEFT JOIN silver.orders o USING (customer_id)
  GROUP BY c.email";

/// The pipeline template (valid for AWS Step Functions too, given ARNs for the resources).
pub fn pipeline_template() -> Value {
    let retry = json!([{
        "ErrorEquals": ["States.TaskFailed", "Http.Retryable", "Sandbox.LimitExceeded"],
        "IntervalSeconds": 2,
        "MaxAttempts": 3,
        "BackoffRate": 2.0,
        "MaxDelaySeconds": 30,
        "JitterStrategy": "FULL"
    }]);
    let catch = json!([{"ErrorEquals": ["States.ALL"], "ResultPath": "$.error", "Next": "Failed"}]);
    json!({
        "Comment": "The data pipeline: ingest (Airbyte) -> transform (DuckDB SQL, bronze -> silver -> gold) -> score -> reverse ETL -> callback",
        "StartAt": "Ingest",
        "TimeoutSeconds": 3600,
        "States": {
            "Ingest": {
                "Type": "Task",
                "Resource": "airbyte:sync",
                "Parameters": {"connectionId": "shop-orders"},
                "ResultPath": "$.ingest",
                "TimeoutSeconds": 1800,
                "Retry": retry,
                "Catch": catch,
                "Next": "HasData"
            },
            "HasData": {
                "Type": "Choice",
                "Choices": [{"Variable": "$.ingest.files[0]", "IsPresent": true, "Next": "Transform"}],
                "Default": "NoData"
            },
            "NoData": {"Type": "Succeed", "Comment": "Nothing landed in bronze: nothing to do."},
            "Transform": {
                "Type": "Task",
                "Resource": "sandbox:sql",
                "Parameters": {"sql": TRANSFORM_SQL, "sampleRows": 5},
                "ResultSelector": {"tables.$": "$.tables", "durationMs.$": "$.durationMs"},
                "ResultPath": "$.transform",
                "Retry": retry,
                "Catch": catch,
                "Next": "Score"
            },
            "Score": {
                "Type": "Task",
                "Resource": "modal:run.waitForTaskToken",
                "Parameters": {"table": "gold.customers", "taskToken.$": "$$.Task.Token"},
                "ResultSelector": {"tables.$": "$.tables"},
                "ResultPath": "$.score",
                "TimeoutSeconds": 3600,
                "Retry": retry,
                "Catch": catch,
                "Next": "ReverseEtl"
            },
            "ReverseEtl": {
                "Type": "Task",
                "Resource": "reverse_etl:hubspot",
                "Parameters": {"table": "gold.customer_scores", "idField": "email", "scoreField": "score"},
                "ResultPath": "$.reverseEtl",
                "Retry": retry,
                "Catch": catch,
                "Next": "WantsCallback"
            },
            "WantsCallback": {
                "Type": "Choice",
                "Choices": [{"Variable": "$.callbackUrl", "IsPresent": true, "Next": "Callback"}],
                "Default": "Done"
            },
            "Callback": {
                "Type": "Task",
                "Resource": "http:callback",
                "Parameters": {
                    "url.$": "$.callbackUrl",
                    "body": {"event": "pipeline.finished", "scored.$": "$.reverseEtl.upserted"}
                },
                "ResultPath": "$.callback",
                "Retry": retry,
                "Catch": catch,
                "Next": "Done"
            },
            "Done": {"Type": "Succeed"},
            "Failed": {"Type": "Fail", "Error": "Pipeline.Failed", "Cause": "A step failed; see $.error in the history."}
        }
    })
}

/// The templates the UI offers.
pub fn templates() -> Vec<Template> {
    vec![Template {
        name: "data-pipeline".into(),
        description: "Ingest, transform bronze → silver → gold in the DuckDB sandbox, score, push scores to the CRM, call back.".into(),
        definition: pipeline_template(),
    }]
}

/// The demo project's tree nodes each Task state colours.
fn demo_nodes() -> Value {
    json!({
        "Ingest": "bronze_orders",
        "Transform": "gold_sales",
        "Score": "gold_churn",
        "ReverseEtl": "crm_hubspot",
    })
}

pub async fn seed(ctx: &Context, tenant: TenantId) -> Result<(), SliceError> {
    let settings = ctx.settings::<Settings>()?;
    let executor = settings.executor(ctx)?;
    let mut work = UnitOfWork::begin_for(&ctx.db, &ctx.cache, tenant).await?;
    if store::flow_by_name(&mut work, FLOW_NAME).await?.is_some() {
        return Ok(());
    }
    let project = ctx
        .projects
        .project_by_slug(&mut work, PROJECT_SLUG)
        .await?;
    let definition = pipeline_template();
    let parsed = crate::routes::flows::check_definition(&definition, &executor)
        .map_err(|errors| format!("the pipeline template is invalid: {errors:?}"))?;
    let flow = store::insert_flow(
        &mut work,
        &NewFlow {
            id: Uuid::now_v7(),
            name: FLOW_NAME,
            description: "The fashion shop's nightly pipeline, from the built-in template.",
            project_id: project,
        },
        &definition,
        &demo_nodes(),
    )
    .await?;
    let started = control::start(&mut work, &flow, 1, &parsed, "demo-first-run", &json!({}))
        .await
        .map_err(|e| e.to_string())?;
    seed_automation(&mut work, &executor).await?;
    work.commit().await?;
    let Started::New(execution) = started else {
        return Ok(());
    };
    // Run it here, to the end, so the demo shows a finished execution even before a worker
    // starts (the worker's job then finds it done).
    executor
        .run_here(tenant, execution.id, 200)
        .await
        .map_err(|e| format!("the demo pipeline failed to run: {e}").into())
}

/// A small flow the shop's order system runs as an automation (offline: on our executor), and
/// one run of it, which the worker starts.
async fn seed_automation(
    work: &mut UnitOfWork,
    executor: &crate::Executor,
) -> Result<(), SliceError> {
    let definition = json!({
        "Comment": "Tell sales about a large order.",
        "StartAt": "Large",
        "States": {
            "Large": {"Type": "Choice",
                      "Choices": [{"Variable": "$.total", "NumericGreaterThanEquals": 500, "Next": "Notify"}],
                      "Default": "Skip"},
            "Notify": {"Type": "Pass",
                       "Parameters": {"message.$": "States.Format('Order {} for {} EUR: call {}', $.orderId, $.total, $.email)"},
                       "End": true},
            "Skip": {"Type": "Succeed"}
        }
    });
    crate::routes::flows::check_definition(&definition, executor)
        .map_err(|errors| format!("the demo automation is invalid: {errors:?}"))?;
    store::insert_flow(
        work,
        &NewFlow {
            id: Uuid::now_v7(),
            name: "notify-sales",
            description: "Run by the shop's order system as an automation for every order.",
            project_id: None,
        },
        &definition,
        &json!({}),
    )
    .await?;
    let input = json!({"orderId": 1001, "total": 740, "email": "ana@example.com"});
    crate::automation::create(
        work,
        &crate::store::automation_runs::NewRun {
            id: Uuid::now_v7(),
            flow: "notify-sales",
            correlation_id: "order-1001",
            // The demo's flow is ours: it runs here even where ActivePieces is configured.
            provider: "local",
            input: &input,
            task_key: None,
        },
    )
    .await
    .map_err(|e| e.to_string())?;
    Ok(())
}

//! The built-in definition of the product's five-step data pipeline, offered as the starting
//! template when a tenant creates a pipeline.
//!
//! Every step writes its result under its own key (`$.ingest`, `$.transform`, ...) so later
//! steps and the final callback can read all of them, retries transient task failures with
//! jittered exponential backoff, and routes anything else to `Failed` with the error kept at
//! `$.error`. The resource parameters are placeholders the integrator adapts to each adapter;
//! the shape of the machine is what this module fixes.

use serde_json::{json, Value};

/// The pipeline's execution input is expected to carry `tenantId`, `connectionId` and
/// `callbackUrl`.
pub fn seed_pipeline_template() -> Value {
    let retry = json!([{
        "ErrorEquals": ["States.TaskFailed"],
        "IntervalSeconds": 5,
        "MaxAttempts": 3,
        "BackoffRate": 2.0,
        "JitterStrategy": "FULL"
    }]);
    let catch = json!([{
        "ErrorEquals": ["States.ALL"],
        "ResultPath": "$.error",
        "Next": "Failed"
    }]);
    json!({
        "Comment": "DataFortress pipeline: ingest, transform to silver/gold, score, reverse ETL to HubSpot, callback.",
        "Version": "1.0",
        "TimeoutSeconds": 86400,
        "StartAt": "Ingest",
        "States": {
            "Ingest": {
                "Type": "Task",
                "Comment": "Sync the tenant's source connection into the bronze schema.",
                "Resource": "airbyte:sync",
                "Parameters": {
                    "tenantId.$": "$.tenantId",
                    "connectionId.$": "$.connectionId"
                },
                "TimeoutSeconds": 7200,
                "ResultPath": "$.ingest",
                "Retry": retry,
                "Catch": catch,
                "Next": "Transform"
            },
            "Transform": {
                "Type": "Task",
                "Comment": "Build silver and gold tables; the result lists the tables in the order of `tables`, gold first.",
                "Resource": "sandbox:sql",
                "Parameters": {
                    "tenantId.$": "$.tenantId",
                    "sql": "CREATE OR REPLACE TABLE silver.leads AS SELECT DISTINCT ON (lower(email)) id, lower(email) AS email, company, country, created_at FROM bronze.leads WHERE email IS NOT NULL ORDER BY lower(email), created_at DESC; CREATE OR REPLACE TABLE gold.lead_features AS SELECT l.id, l.email, l.company, l.country, count(e.id) AS events_30d, max(e.occurred_at) AS last_seen_at FROM silver.leads l LEFT JOIN bronze.events e ON e.lead_id = l.id AND e.occurred_at > now() - interval '30 days' GROUP BY l.id, l.email, l.company, l.country;",
                    "tables": ["gold.lead_features", "silver.leads"]
                },
                "TimeoutSeconds": 3600,
                "ResultPath": "$.transform",
                "Retry": retry,
                "Catch": catch,
                "Next": "HasRowsToScore"
            },
            "HasRowsToScore": {
                "Type": "Choice",
                "Comment": "Skip scoring when the gold table is empty.",
                "Choices": [{
                    "And": [
                        { "Variable": "$.transform.tables[0].rows", "IsPresent": true },
                        { "Variable": "$.transform.tables[0].rows", "NumericEquals": 0 }
                    ],
                    "Next": "ReverseEtl"
                }],
                "Default": "Score"
            },
            "Score": {
                "Type": "Task",
                "Comment": "Score every lead of the gold table.",
                "Resource": "modal:run",
                "Parameters": {
                    "tenantId.$": "$.tenantId",
                    "function": "score_leads",
                    "input": { "table": "gold.lead_features" },
                    "output": { "table": "gold.lead_scores" }
                },
                "TimeoutSeconds": 3600,
                "ResultPath": "$.score",
                "Retry": retry,
                "Catch": catch,
                "Next": "ReverseEtl"
            },
            "ReverseEtl": {
                "Type": "Task",
                "Comment": "Push features and scores to HubSpot contacts.",
                "Resource": "reverse_etl:hubspot",
                "Parameters": {
                    "tenantId.$": "$.tenantId",
                    "object": "contacts",
                    "table": "gold.lead_features",
                    "scores": "gold.lead_scores",
                    "matchOn": "email"
                },
                "TimeoutSeconds": 3600,
                "ResultPath": "$.reverseEtl",
                "Retry": retry,
                "Catch": catch,
                "Next": "Callback"
            },
            "Callback": {
                "Type": "Task",
                "Comment": "Tell the caller the run finished.",
                "Resource": "http:callback",
                "Parameters": {
                    "url.$": "$.callbackUrl",
                    "body": {
                        "executionId.$": "$$.Execution.Id",
                        "status": "SUCCEEDED",
                        "ingest.$": "$.ingest",
                        "transform.$": "$.transform",
                        "reverseEtl.$": "$.reverseEtl"
                    }
                },
                "TimeoutSeconds": 300,
                "ResultPath": "$.callback",
                "Retry": retry,
                "Catch": catch,
                "End": true
            },
            "Failed": {
                "Type": "Fail",
                "Comment": "A step failed for good; the catcher left the error at $.error.",
                "ErrorPath": "$.error.Error",
                "CausePath": "$.error.Cause"
            }
        }
    })
}

#[cfg(test)]
mod tests;

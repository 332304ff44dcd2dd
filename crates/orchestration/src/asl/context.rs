//! The context object (`$$`) a state sees: facts about the execution, the state being run,
//! the task token and the current Map item.
//!
//! The executor owns these facts and rebuilds the object for every state entry; this module
//! only fixes its AWS shape so `$$.Execution.Id`, `$$.Task.Token` or `$$.Map.Item.Index` in a
//! definition written for Step Functions resolve the same way here.

use chrono::{DateTime, SecondsFormat, Utc};
use serde_json::{json, Map, Value};

/// Everything `$$` exposes while one state runs.
#[derive(Debug, Clone, PartialEq)]
pub struct ContextObject {
    pub execution_id: String,
    pub execution_name: String,
    pub execution_input: Value,
    pub start_time: DateTime<Utc>,
    pub state_name: String,
    pub entered_time: DateTime<Utc>,
    /// How many times the current state has been retried so far (0 on the first attempt).
    pub retry_count: u32,
    pub state_machine_id: String,
    pub state_machine_name: String,
    /// Only set while a `.waitForTaskToken` task runs.
    pub task_token: Option<String>,
    /// `(index, value)` of the item a Map iteration processes.
    pub map_item: Option<(usize, Value)>,
}

impl ContextObject {
    /// The AWS shape: `Execution{Id,Input,Name,StartTime}`, `State{EnteredTime,Name,RetryCount}`,
    /// `StateMachine{Id,Name}`, plus `Task{Token}` and `Map{Item{Index,Value}}` when relevant.
    pub fn to_value(&self) -> Value {
        let mut context = Map::new();
        context.insert(
            "Execution".into(),
            json!({
                "Id": self.execution_id,
                "Input": self.execution_input,
                "Name": self.execution_name,
                "StartTime": timestamp(&self.start_time),
            }),
        );
        context.insert(
            "State".into(),
            json!({
                "EnteredTime": timestamp(&self.entered_time),
                "Name": self.state_name,
                "RetryCount": self.retry_count,
            }),
        );
        context.insert(
            "StateMachine".into(),
            json!({ "Id": self.state_machine_id, "Name": self.state_machine_name }),
        );
        if let Some(token) = &self.task_token {
            context.insert("Task".into(), json!({ "Token": token }));
        }
        if let Some((index, value)) = &self.map_item {
            context.insert("Map".into(), map_entry(*index, value.clone()));
        }
        Value::Object(context)
    }
}

/// `{"Item": {"Index": i, "Value": v}}`, also used to add the item to a context the executor
/// built without one.
pub(crate) fn map_entry(index: usize, value: Value) -> Value {
    json!({ "Item": { "Index": index, "Value": value } })
}

/// AWS renders context times as RFC 3339 UTC with milliseconds and a `Z`.
fn timestamp(time: &DateTime<Utc>) -> String {
    time.to_rfc3339_opts(SecondsFormat::Millis, true)
}

#[cfg(test)]
mod tests;

//! The slice's SQL, one module per table group; checked at compile time where static.

pub mod automation_runs;
pub mod executions;
pub mod flows;
pub mod tokens;

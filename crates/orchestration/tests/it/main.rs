//! The orchestration slice over HTTP, against real PostgreSQL and Redis (one test binary).

mod callbacks;
mod common;
mod executions;
mod flows;
mod pipeline;
mod providers;

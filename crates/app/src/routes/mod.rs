//! The application's own routes (everything else comes from the slices).

pub mod health;
pub mod metrics;

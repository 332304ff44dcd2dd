//! The slice's SQL, one module per concept. Everything runs in a tenant transaction (a
//! [`kernel::UnitOfWork`] or a read transaction); row-level security hides other tenants, and
//! inserts take the tenant from `kernel_current_tenant()`.

pub mod connectors;
pub mod costs;
pub mod projects;
pub mod reports;
pub mod runs;
pub mod scripts;
pub mod state;
pub mod tree;

//! The one list of slices this build runs. `serve`, `worker`, `demo` and `openapi` all read
//! it: adding a capability is one line here (and its settings in `config.rs`, if any).

use kernel::Slice;

pub fn all() -> Vec<Slice> {
    vec![auth::slice(), leads::slice(), kernel_platform()]
}

/// Until they move to their own slices: the jobs admin, live events and outbound webhooks.
fn kernel_platform() -> Slice {
    Slice::new("platform", |cfg| {
        kernel::events::sse::configure(cfg);
        kernel::jobs::routes::configure(cfg);
        kernel::webhooks::outbound::routes::configure(cfg);
    })
}

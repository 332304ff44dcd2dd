//! The one list of slices this build runs. `serve`, `worker`, `demo` and `openapi` all read
//! it: adding a capability is one line here (and its settings in `config.rs`, if any).

use kernel::Slice;

pub fn all() -> Vec<Slice> {
    vec![
        auth::slice(),
        leads::slice(),
        outreach::slice(),
        webhooks::slice(),
        // Before projects: its `/api/v1/projects/{id}/discoveries` scope must be tried before
        // the projects slice's `/api/v1/projects` scope.
        discovery::slice(),
        projects::slice(),
        // After projects: its demo runs the pipeline on the demo project.
        orchestration::slice(),
        platform::slice(),
    ]
}

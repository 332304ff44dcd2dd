//! The slice's HTTP routes, one file per concept. Reads need `projects:read`, writes
//! `projects:write` (flows are how a data project runs; automation runs go with them). Flow and execution changes publish on
//! `resources/flows` and `resources/executions`; a project's executions also on
//! `projects/<id>`.

pub mod automation_runs;
pub mod callbacks;
pub mod executions;
pub mod flows;

use kernel::idempotency::Idempotency;

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(
        utoipa_actix_web::scope("/api/v1/orchestration")
            // POSTs here start work: a retried request with the same Idempotency-Key replays
            // the first answer.
            .wrap(Idempotency::from_app_data())
            .service(flows::list_flows)
            .service(flows::create_flow)
            // Fixed paths before `/flows/{id}`.
            .service(flows::validate_definition)
            .service(flows::get_flow)
            .service(flows::update_flow)
            .service(flows::delete_flow)
            .service(flows::save_version)
            .service(flows::list_versions)
            .service(executions::list_flow_executions)
            .service(flows::list_templates)
            .service(executions::run_flow)
            .service(executions::trigger_sync)
            .service(executions::list_executions)
            .service(executions::get_execution)
            .service(executions::get_history)
            .service(executions::cancel_execution)
            .service(executions::redrive_execution)
            .service(callbacks::task_callback),
    );
    cfg.service(
        utoipa_actix_web::scope("/api/v1/automation-runs")
            .wrap(Idempotency::from_app_data())
            .service(automation_runs::start_automation_run)
            .service(automation_runs::list_automation_runs)
            .service(automation_runs::get_automation_run),
    );
    cfg.service(callbacks::sandbox_callback);
    cfg.service(automation_runs::automation_callback);
}

//! The slice's HTTP routes, one file per concept. Reads need `projects:read`, writes
//! `projects:write`. Project changes publish on `resources/projects`; everything that changes a
//! project's state document publishes on `projects/<id>` (the project page's live channel).

pub mod connectors;
pub mod costs;
pub mod layers;
pub mod projects;
pub mod reports;
pub mod runs;
pub mod scripts;
pub mod state;
pub mod tree;

use kernel::idempotency::Idempotency;
use kernel::{Problem, UnitOfWork};
use uuid::Uuid;

use crate::model::Project;
use crate::problems::project_not_found;

pub use state::StateCache;

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(
        utoipa_actix_web::scope("/api/v1/projects")
            // POSTs here create or trigger work: a retried request with the same
            // Idempotency-Key replays the first answer.
            .wrap(Idempotency::from_app_data())
            .service(projects::list_projects)
            .service(projects::create_project)
            .service(projects::get_project)
            .service(projects::update_project)
            .service(projects::delete_project)
            .service(projects::list_project_audit)
            .service(state::get_project_state)
            .service(tree::replace_tree)
            .service(tree::put_node)
            .service(tree::get_node)
            .service(tree::update_node)
            .service(tree::delete_node)
            .service(tree::add_edge)
            .service(tree::delete_edge)
            .service(runs::start_run)
            .service(runs::finish_run)
            .service(runs::list_runs)
            .service(runs::get_run)
            .service(costs::record_project_usage)
            .service(costs::list_project_usage)
            .service(costs::get_project_costs)
            .service(layers::upload_object)
            .service(layers::list_objects)
            .service(layers::preview_object)
            .service(layers::download_object)
            .service(layers::delete_object)
            .service(scripts::save_script)
            .service(scripts::list_scripts)
            .service(scripts::list_script_versions)
            .service(connectors::list_connectors)
            .service(connectors::create_connector)
            .service(connectors::delete_connector),
    );
    cfg.service(
        utoipa_actix_web::scope("/api/v1/layers")
            .service(scripts::script_link)
            .service(scripts::read_signed)
            .service(connectors::connector_health),
    );
    cfg.service(
        utoipa_actix_web::scope("/api/v1/costs")
            .service(costs::get_tenant_costs)
            .service(costs::list_rates)
            .service(costs::set_rate)
            .service(costs::delete_rate)
            .service(costs::get_billing_settings)
            .service(costs::set_billing_settings),
    );
    cfg.service(
        utoipa_actix_web::scope("/api/v1/reports")
            .wrap(Idempotency::from_app_data())
            .service(reports::latest_reports)
            .service(reports::list_reports)
            .service(reports::upsert_reports),
    );
}

/// Locks live project `id` for the rest of `work` (404 when there is none): every writer of a
/// project's state takes this lock first, so their changes apply one after the other.
pub(crate) async fn lock_project(work: &mut UnitOfWork, id: Uuid) -> Result<Project, Problem> {
    crate::store::projects::lock_project(work, id)
        .await?
        .ok_or_else(project_not_found)
}

//! Discoveries over HTTP: start one on a project (a job; progress streams on `projects/<id>`
//! and `resources/discoveries`), list them (Refine's protocol), read one with its profile and
//! proposals. Reads need `projects:read`, starting one `projects:write`.

use actix_web::{get, post, web, HttpRequest, HttpResponse};
use kernel::cache::Cache;
use kernel::idempotency::Idempotency;
use kernel::jobs::{enqueue, JobOptions};
use kernel::list::ListPage;
use kernel::projects::ProjectState;
use kernel::{scope, Problem, ProblemCode, Scoped, UnitOfWork, ValidatedJson};
use serde::{Deserialize, Serialize};
use serde_json::json;
use sqlx::PgPool;
use utoipa::ToSchema;
use uuid::Uuid;
use validator::Validate;

use crate::decide::{self, DecideError, Decision};
use crate::profile::Profile;
use crate::run::{stored_profile, RunDiscovery, ATTEMPTS};
use crate::store::{self, Discovery, NewDiscovery, Proposal, DISCOVERY_LIST};

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    // Its own scope under the projects slice's prefix: the app mounts this slice before the
    // projects slice, whose `/api/v1/projects` scope would otherwise answer (404) first.
    cfg.service(
        utoipa_actix_web::scope("/api/v1/projects/{id}/discoveries")
            .wrap(Idempotency::from_app_data())
            .service(start_discovery),
    );
    cfg.service(
        utoipa_actix_web::scope("/api/v1/discoveries")
            .wrap(Idempotency::from_app_data())
            .service(list_discoveries)
            .service(get_discovery)
            .service(accept_proposal)
            .service(dismiss_proposal),
    );
}

#[derive(Debug, Default, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StartDiscovery {
    /// Let sample values of columns that look like emails, phone numbers, names or addresses
    /// reach the model and the stored profile unmasked (default: masked).
    #[serde(default)]
    pub allow_samples: bool,
    /// The most tables proposed (default 12).
    #[validate(range(min = 1, max = 50))]
    pub max_proposals: Option<i32>,
    /// Repairs per proposal when its SQL fails or looks wrong in the sandbox (default 2).
    #[validate(range(min = 0, max = 5))]
    pub repair_rounds: Option<i32>,
}

/// A discovery with its profile and proposals.
#[derive(Debug, Serialize, ToSchema)]
pub struct DiscoveryDetail {
    #[serde(flatten)]
    pub discovery: Discovery,
    /// The bronze tables' profile (once profiled).
    pub profile: Option<Profile>,
    pub proposals: Vec<ProposalDetail>,
}

/// A proposal, and the project's script it would replace (to diff against).
#[derive(Debug, Serialize, ToSchema)]
pub struct ProposalDetail {
    #[serde(flatten)]
    pub proposal: Proposal,
    /// The latest version of the project's script `<layer>_<name>`, when it has one (for valid
    /// and accepted proposals).
    pub existing: Option<ExistingScript>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ExistingScript {
    pub name: String,
    pub version: i32,
    pub sql: String,
}

fn discovery_not_found() -> Problem {
    Problem::not_found("Discovery")
}

/// Start a discovery on a project's bronze tables: profile them in the sandbox, ask the model
/// (offline: the rule-based provider) for silver tables and gold models, validate each in the
/// sandbox. Answers 202 at once; follow `GET /api/v1/discoveries/{id}` or the project's live
/// channel. Nothing is written to the project until a proposal is accepted.
#[utoipa::path(
    tag = "discovery",
    security(("cookie_session" = []), ("api_key" = [])),
    params(("id" = Uuid, Path, description = "The project")),
    request_body = StartDiscovery,
    responses((status = 202, body = Discovery))
)]
#[post("")]
#[tracing::instrument(skip_all, fields(project = %id))]
pub async fn start_discovery(
    db: web::Data<PgPool>,
    cache: web::Data<Cache>,
    principal: Scoped<scope::ProjectsWrite>,
    id: web::Path<Uuid>,
    body: ValidatedJson<StartDiscovery>,
) -> Result<HttpResponse, Problem> {
    let body = body.into_inner();
    let mut work = UnitOfWork::begin(&db, &cache, &principal).await?;
    let new = NewDiscovery {
        id: Uuid::now_v7(),
        project_id: *id,
        allow_samples: body.allow_samples,
        max_proposals: body.max_proposals.unwrap_or(12),
        repair_rounds: body.repair_rounds.unwrap_or(2),
        created_by: principal.user_id(),
    };
    let discovery = match store::insert(&mut work, &new).await {
        Ok(discovery) => discovery,
        // The project is not the tenant's (or does not exist): the foreign key says so.
        Err(sqlx::Error::Database(e)) if e.is_foreign_key_violation() => {
            return Err(Problem::not_found("Project"))
        }
        Err(e) => return Err(e.into()),
    };
    enqueue(
        &mut work,
        &RunDiscovery {
            discovery: discovery.id,
        },
        &JobOptions::default().max_attempts(ATTEMPTS),
    )
    .await
    .map_err(|e| Problem::internal(&e))?;
    work.publish(
        &kernel::events::NewEvent::new(
            format!("projects/{}", discovery.project_id),
            "discovery.updated",
            json!({"id": discovery.id, "status": discovery.status, "progress": ""}),
        )
        .map_err(|e| Problem::internal(&e))?,
    )
    .await
    .map_err(|e| Problem::internal(&e))?;
    work.publish_ids("discoveries", "discovery.created", &[discovery.id])
        .await
        .map_err(|e| Problem::internal(&e))?;
    work.commit().await?;
    Ok(HttpResponse::Accepted()
        .insert_header(("Location", format!("/api/v1/discoveries/{}", discovery.id)))
        .json(discovery))
}

/// The tenant's discoveries, newest first (Refine's list protocol; filter by `project_id`,
/// `status`, `provider`).
#[utoipa::path(
    tag = "discovery",
    security(("cookie_session" = []), ("api_key" = [])),
    responses((status = 200, body = Vec<Discovery>, headers(("X-Total-Count" = i64))))
)]
#[get("")]
#[tracing::instrument(skip_all)]
pub async fn list_discoveries(
    db: web::Data<PgPool>,
    principal: Scoped<scope::ProjectsRead>,
    req: HttpRequest,
) -> Result<ListPage<Discovery>, Problem> {
    DISCOVERY_LIST.respond(&db, &principal, &req).await
}

/// One discovery: status and progress, the profile, each proposal with its SQL, validation
/// (verdict, problems per round, sample rows) and the tokens it cost.
#[utoipa::path(
    tag = "discovery",
    security(("cookie_session" = []), ("api_key" = [])),
    params(("id" = Uuid, Path)),
    responses((status = 200, body = DiscoveryDetail))
)]
#[get("/{id}")]
#[tracing::instrument(skip_all)]
pub async fn get_discovery(
    db: web::Data<PgPool>,
    cache: web::Data<Cache>,
    projects: web::Data<dyn ProjectState>,
    principal: Scoped<scope::ProjectsRead>,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, Problem> {
    // A unit of work only because the project's scripts are read through `ProjectState`; it
    // writes nothing and is dropped (rolled back).
    let mut work = UnitOfWork::begin(&db, &cache, &principal).await?;
    let discovery = store::get(&mut work, *id)
        .await?
        .ok_or_else(discovery_not_found)?;
    let profile = stored_profile(store::profile(&mut work, *id).await?);
    let mut proposals = Vec::new();
    for proposal in store::proposals(&mut work, *id).await? {
        // Only a validated proposal can be accepted, so only it is diffed: the page polls a
        // running discovery, and its pending proposals need no script read each time.
        let decidable = matches!(proposal.status.as_str(), "valid" | "accepted");
        let name = format!("{}_{}", proposal.layer, proposal.name);
        let existing = match decidable {
            true => projects
                .latest_script(&mut work, discovery.project_id, &name)
                .await
                .map_err(|e| Problem::internal(&e))?,
            false => None,
        }
        .map(|script| ExistingScript {
            name,
            version: script.version,
            sql: script.sql,
        });
        proposals.push(ProposalDetail { proposal, existing });
    }
    drop(work);
    Ok(HttpResponse::Ok().json(DiscoveryDetail {
        discovery,
        profile,
        proposals,
    }))
}

/// A decided proposal; `adopted` tells what the project gained when it was accepted.
#[derive(Debug, Serialize, ToSchema)]
pub struct DecidedProposal {
    #[serde(flatten)]
    pub proposal: Proposal,
    pub adopted: Option<AdoptedTable>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AdoptedTable {
    /// The tree node of the table (`<layer>_<name>`).
    pub node: String,
    /// The version of the script `<name>` its SQL became.
    pub script_version: i32,
    /// Nodes the tree did not have before.
    pub new_nodes: Vec<String>,
}

async fn decide_proposal(
    db: &PgPool,
    cache: &Cache,
    projects: &dyn ProjectState,
    principal: &kernel::Principal,
    (id, proposal): (Uuid, Uuid),
    decision: Decision,
) -> Result<HttpResponse, Problem> {
    let mut work = UnitOfWork::begin(db, cache, principal).await?;
    let discovery = store::get(&mut work, id)
        .await?
        .ok_or_else(discovery_not_found)?;
    let decided = decide::decide(
        &mut work,
        projects,
        &discovery,
        proposal,
        decision,
        principal.user_id(),
    )
    .await;
    let (decided, adopted) = match decided {
        Ok(done) => done,
        Err(DecideError::NotFound) => return Err(Problem::not_found("Proposal")),
        Err(DecideError::ProjectGone) => return Err(Problem::not_found("Project")),
        Err(DecideError::NotOpen(status)) => {
            return Err(Problem::new(
                ProblemCode::ProposalNotOpen,
                format!("The proposal is {status}: only a valid proposal can be accepted, and a proposal is decided once."),
            ))
        }
        Err(DecideError::Refused(why)) => {
            return Err(Problem::new(ProblemCode::LineageCycle, why))
        }
        Err(DecideError::Db(e)) => return Err(e.into()),
        Err(e) => return Err(Problem::internal(&e)),
    };
    work.commit().await?;
    Ok(HttpResponse::Ok().json(DecidedProposal {
        proposal: decided,
        adopted: adopted.map(|a| AdoptedTable {
            node: a.node,
            script_version: a.script_version,
            new_nodes: a.new_nodes,
        }),
    }))
}

/// Accept a valid proposal: its validated SQL becomes the next version of the project's script
/// `<name>`, and the tree gets the node `<layer>_<name>` with lineage from what it reads, in
/// one transaction. 409 `proposal_not_open` unless the proposal is valid and undecided.
#[utoipa::path(
    tag = "discovery",
    security(("cookie_session" = []), ("api_key" = [])),
    params(("id" = Uuid, Path), ("proposal_id" = Uuid, Path)),
    responses((status = 200, body = DecidedProposal))
)]
#[post("/{id}/proposals/{proposal_id}/accept")]
#[tracing::instrument(skip_all)]
pub async fn accept_proposal(
    db: web::Data<PgPool>,
    cache: web::Data<Cache>,
    projects: web::Data<dyn ProjectState>,
    principal: Scoped<scope::ProjectsWrite>,
    path: web::Path<(Uuid, Uuid)>,
) -> Result<HttpResponse, Problem> {
    decide_proposal(
        &db,
        &cache,
        projects.get_ref(),
        &principal,
        path.into_inner(),
        Decision::Accept,
    )
    .await
}

/// Dismiss a proposal (valid or rejected): nothing reaches the project.
#[utoipa::path(
    tag = "discovery",
    security(("cookie_session" = []), ("api_key" = [])),
    params(("id" = Uuid, Path), ("proposal_id" = Uuid, Path)),
    responses((status = 200, body = DecidedProposal))
)]
#[post("/{id}/proposals/{proposal_id}/dismiss")]
#[tracing::instrument(skip_all)]
pub async fn dismiss_proposal(
    db: web::Data<PgPool>,
    cache: web::Data<Cache>,
    projects: web::Data<dyn ProjectState>,
    principal: Scoped<scope::ProjectsWrite>,
    path: web::Path<(Uuid, Uuid)>,
) -> Result<HttpResponse, Problem> {
    decide_proposal(
        &db,
        &cache,
        projects.get_ref(),
        &principal,
        path.into_inner(),
        Decision::Dismiss,
    )
    .await
}

//! Moving a lead on the kanban board: a new stage and position in one row update, with a
//! rank key between its new neighbours (see `crate::rank`).

use actix_web::{post, web, HttpRequest, HttpResponse};
use kernel::cache::Cache;
use kernel::{scope, JsonBody, Problem, Scoped, UnitOfWork};
use serde::Deserialize;
use serde_json::{json, Map};
use sqlx::{PgConnection, PgPool};
use utoipa::ToSchema;
use uuid::Uuid;

use super::{check_version, lead_response};
use crate::history::{self, Actor, Effects};
use crate::model::Lead;
use crate::store::lead_moves::{self, LeadMove};
use crate::store::{self, stages, Scope};
use crate::{problems, rank};

/// Where to put the lead: a stage, and optionally the lead it goes right above
/// (`before_id`) or right below (`after_id`); neither puts it at the bottom of the stage.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MoveLead {
    pub stage_id: Uuid,
    pub before_id: Option<Uuid>,
    pub after_id: Option<Uuid>,
    /// The lead's version, checked like an update's (`If-Match` works too).
    pub version: Option<i32>,
}

/// Move a lead to a stage and position.
#[utoipa::path(
    tag = "leads",
    security(("cookie_session" = []), ("api_key" = [])),
    params(("id" = Uuid, Path)),
    request_body = MoveLead,
    responses(
        (status = 200, body = Lead, headers(("ETag" = String))),
        (status = 409, body = Problem, content_type = "application/problem+json", description = "version_conflict"),
        (status = 422, body = Problem, content_type = "application/problem+json", description = "validation_failed: unknown stage, a neighbour not in that stage"),
    )
)]
#[post("/{id}/move")]
#[tracing::instrument(skip_all)]
pub async fn move_lead(
    db: web::Data<PgPool>,
    cache: web::Data<Cache>,
    principal: Scoped<scope::LeadsWrite>,
    id: web::Path<Uuid>,
    req: HttpRequest,
    body: JsonBody<MoveLead>,
) -> Result<HttpResponse, Problem> {
    let body = body.into_inner();
    if body.before_id.is_some() && body.after_id.is_some() {
        return Err(problems::invalid(
            "before_id",
            "give before_id or after_id, not both",
        ));
    }
    let actor = Actor::from(&principal);
    let mut work = UnitOfWork::begin(&db, &cache, &principal).await?;
    let current = store::lock(&mut work, *id, Scope::Live)
        .await?
        .ok_or_else(problems::lead_not_found)?;
    check_version(&req, body.version, &current)?;
    let pipeline = stages::find_stage_pipeline(&mut work, body.stage_id)
        .await?
        .ok_or_else(|| problems::invalid("stage_id", "is not a stage"))?;
    let key = new_rank(&mut work, &current, &body).await?;
    let to = LeadMove {
        stage: body.stage_id,
        pipeline,
        rank: &key,
        actor: actor.id,
    };
    lead_moves::move_lead(&mut work, current.id, to).await?;

    let stage_changed = current.stage_id != Some(body.stage_id);
    if stage_changed {
        let mut changes = Map::new();
        changes.insert(
            "stage_id".into(),
            json!({"before": current.stage_id, "after": body.stage_id}),
        );
        if current.pipeline_id != Some(pipeline) {
            changes.insert(
                "pipeline_id".into(),
                json!({"before": current.pipeline_id, "after": pipeline}),
            );
        }
        history::audit(&mut work, current.id, "move", actor, &changes).await?;
        history::stage_moved(
            &mut work,
            current.id,
            current.stage_id,
            Some(body.stage_id),
            actor,
        )
        .await?;
    }
    let lead = store::get(&mut work, current.id, Scope::Live)
        .await?
        .ok_or_else(problems::lead_not_found)?;
    let effects = Effects {
        stage_changed,
        owner_changed: false,
    };
    history::publish_leads(&mut work, "updated", &[(lead.id, effects)]).await?;
    work.commit().await?;
    Ok(lead_response(HttpResponse::Ok(), &lead))
}

/// The rank key between the lead's new neighbours in the target stage. The moved lead's own
/// key is left out of every lookup: it is leaving its old place.
async fn new_rank(conn: &mut PgConnection, lead: &Lead, to: &MoveLead) -> Result<String, Problem> {
    Ok(match (to.before_id, to.after_id) {
        (Some(before), _) => {
            let below = neighbour_rank(conn, lead, to.stage_id, before, "before_id").await?;
            let above =
                lead_moves::rank_above(conn, to.stage_id, lead.id, below.as_deref()).await?;
            rank::between(above.as_deref(), below.as_deref())
        }
        (None, Some(after)) => {
            let above = neighbour_rank(conn, lead, to.stage_id, after, "after_id").await?;
            let below =
                lead_moves::rank_below(conn, to.stage_id, lead.id, above.as_deref()).await?;
            rank::between(above.as_deref(), below.as_deref())
        }
        (None, None) => rank::between(
            store::last_rank(conn, to.stage_id, Some(lead.id))
                .await?
                .as_deref(),
            None,
        ),
    })
}

/// The rank of the neighbour named by `field`: another live lead in the target stage.
async fn neighbour_rank(
    conn: &mut PgConnection,
    lead: &Lead,
    stage: Uuid,
    neighbour: Uuid,
    field: &str,
) -> Result<Option<String>, Problem> {
    lead_moves::neighbour_rank(conn, neighbour, stage, lead.id)
        .await?
        .ok_or_else(|| problems::invalid(field, "is not another lead in this stage"))
}

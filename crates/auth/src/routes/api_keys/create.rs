//! `POST /api/v1/api-keys`: a new key holding some of the caller's scopes. Its secret is in
//! this answer and nowhere else: only a peppered hash is stored.

use std::collections::BTreeSet;

use actix_web::http::header::{CacheControl, CacheDirective};
use actix_web::{post, web, HttpResponse};
use chrono::{DateTime, Utc};
use kernel::{scope, tenant_tx, Problem, ProblemCode, Scope, Scoped, ValidatedJson};
use secrecy::ExposeSecret;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;
use validator::{Validate, ValidationError};

use crate::store::api_keys::{self, NewApiKey};
use crate::AuthState;

#[derive(Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateApiKeyRequest {
    /// What the key is for, shown in the list.
    #[validate(length(min = 1, max = 100), custom(function = not_blank))]
    #[schema(example = "CRM sync")]
    pub name: String,
    /// Scopes from the permission matrix, each held by the caller. Read as names and checked
    /// here, so an unknown one is a 422 naming this field (not a failure to read the body).
    #[validate(length(min = 1, max = 64), custom(function = known_scopes))]
    #[schema(value_type = Vec<Scope>, example = json!(["leads:read", "leads:write"]))]
    pub scopes: Vec<String>,
    /// When the key stops working (RFC 3339, in the future); absent: never.
    #[validate(custom(function = in_the_future))]
    pub expires_at: Option<DateTime<Utc>>,
}

fn not_blank(name: &str) -> Result<(), ValidationError> {
    if name.trim().is_empty() {
        Err(ValidationError::new("blank").with_message("must not be blank".into()))
    } else {
        Ok(())
    }
}

impl CreateApiKeyRequest {
    /// The requested scopes, once validated (every name is then a [`Scope`]).
    fn scopes(&self) -> BTreeSet<Scope> {
        self.scopes.iter().filter_map(|s| Scope::parse(s)).collect()
    }
}

fn known_scopes(scopes: &[String]) -> Result<(), ValidationError> {
    let unknown: Vec<&str> = scopes
        .iter()
        .filter(|s| Scope::parse(s).is_none())
        .map(String::as_str)
        .collect();
    if unknown.is_empty() {
        Ok(())
    } else {
        Err(ValidationError::new("unknown_scope")
            .with_message(format!("unknown scopes: {}", unknown.join(", ")).into()))
    }
}

fn in_the_future(at: &DateTime<Utc>) -> Result<(), ValidationError> {
    if *at > Utc::now() {
        Ok(())
    } else {
        Err(ValidationError::new("past").with_message("must be in the future".into()))
    }
}

/// A new key, with its secret: the only time the secret is shown.
#[derive(Serialize, ToSchema)]
pub struct CreatedApiKey {
    pub id: Uuid,
    pub name: String,
    /// The full key, for `Authorization: Bearer …`. Store it now: it cannot be shown again.
    #[schema(example = "dfk_3q2-7wAbCdEfGhIjKlMnOpQrStUvWxYz0123456789ab")]
    pub secret: String,
    /// Its first 12 characters, as the list shows them.
    #[schema(example = "dfk_3q2-7wAb")]
    pub prefix: String,
    pub scopes: Vec<Scope>,
    pub expires_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
}

/// Create an API key (the secret is returned once).
///
/// Needs `api_keys:write`. A key may hold only scopes its creator holds: asking for more is
/// refused with 403 `scope_not_held` (the request is valid; this caller may not make it).
#[utoipa::path(
    tag = "api_keys",
    security(("cookie_session" = []), ("api_key" = [])),
    request_body = CreateApiKeyRequest,
    responses(
        (status = 201, body = CreatedApiKey, description = "Created; `secret` is shown only here"),
        (status = 403, body = Problem, content_type = "application/problem+json", description = "`scope_not_held`: the key would hold a scope the caller lacks (or `forbidden`: no `api_keys:write`)"),
    )
)]
#[post("")]
#[tracing::instrument(skip_all)]
pub async fn create_api_key(
    state: web::Data<AuthState>,
    principal: Scoped<scope::ApiKeysWrite>,
    body: ValidatedJson<CreateApiKeyRequest>,
) -> Result<HttpResponse, Problem> {
    let scopes = body.scopes();
    let not_held: Vec<&str> = scopes
        .iter()
        .filter(|s| !principal.has_scope(**s))
        .map(|s| s.as_str())
        .collect();
    if !not_held.is_empty() {
        return Err(Problem::new(
            ProblemCode::ScopeNotHeld,
            format!(
                "A key cannot hold scopes you do not hold: {}.",
                not_held.join(", ")
            ),
        ));
    }

    let secret = api_keys::generate_secret();
    let key = secret.expose_secret();
    let id = Uuid::new_v4();
    let name = body.name.trim();
    let prefix = api_keys::display_prefix(key);
    let mut tx = tenant_tx(&state.db, &principal).await?;
    let created_at = api_keys::insert(
        &mut tx,
        principal.tenant_id,
        NewApiKey {
            id,
            name,
            prefix,
            key_hash: api_keys::key_hash(&state.settings.server_secret, key),
            scopes: &scopes,
            created_by: principal.user_id(),
            expires_at: body.expires_at,
        },
    )
    .await?;
    tx.commit().await?;
    tracing::info!(tenant_id = %principal.tenant_id, api_key_id = %id, "API key created");

    Ok(HttpResponse::Created()
        .insert_header(CacheControl(vec![CacheDirective::NoStore]))
        .json(CreatedApiKey {
            id,
            name: name.to_owned(),
            secret: key.to_owned(),
            prefix: prefix.to_owned(),
            scopes: scopes.into_iter().collect(),
            expires_at: body.expires_at,
            created_at,
        }))
}

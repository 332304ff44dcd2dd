//! Leads as other slices may read them: who to write to, and the fields a message may use.
//! The leads slice implements [`Contacts`]; the app hands it to every slice in
//! [`crate::slice::Context::contacts`]. Reads run in the caller's tenant transaction, so row-level
//! security applies as to the caller's own queries.

use async_trait::async_trait;
use serde_json::{Map, Value};
use uuid::Uuid;

/// A live lead, as a message template sees it.
#[derive(Debug, Clone, PartialEq)]
pub struct Contact {
    pub lead_id: Uuid,
    pub email: Option<String>,
    /// The lead's IANA timezone (`Europe/Lisbon`), when known.
    pub timezone: Option<String>,
    /// The fields a template may name (`first_name`, `company`, `custom.industry`…), with the
    /// values the lead has (absent: none).
    pub fields: Map<String, Value>,
}

#[async_trait]
pub trait Contacts: Send + Sync + 'static {
    /// The live leads among `ids` of the tenant of `conn`'s transaction (a `tenant_tx`), in no
    /// particular order; ids that are not live leads of the tenant are left out.
    async fn contacts(
        &self,
        conn: &mut sqlx::PgConnection,
        ids: &[Uuid],
    ) -> Result<Vec<Contact>, sqlx::Error>;

    /// Live leads of the tenant that have an email, newest first, at most `limit` (demo data,
    /// quick enrollments).
    async fn with_email(
        &self,
        conn: &mut sqlx::PgConnection,
        limit: i64,
    ) -> Result<Vec<Uuid>, sqlx::Error>;

    /// The live leads matching a query of the leads list (its filters and `q`, in either
    /// encoding, e.g. `status=new&q=acme`; paging is ignored), in its order, at most `limit`.
    async fn matching(
        &self,
        conn: &mut sqlx::PgConnection,
        list_query: &str,
        limit: i64,
    ) -> Result<Vec<Uuid>, MatchError>;

    /// The names templates may use, for previews and editors.
    fn field_names(&self) -> Vec<String>;
}

/// Why [`Contacts::matching`] failed: a query the leads list refuses (a 400 naming the
/// parameter), or the database.
#[derive(Debug, thiserror::Error)]
pub enum MatchError {
    #[error(transparent)]
    Query(#[from] crate::list::ListError),
    #[error(transparent)]
    Database(#[from] sqlx::Error),
}

impl From<MatchError> for crate::Problem {
    fn from(err: MatchError) -> Self {
        match err {
            MatchError::Query(e) => e.into(),
            MatchError::Database(e) => e.into(),
        }
    }
}

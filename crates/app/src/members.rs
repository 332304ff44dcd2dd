//! The leads slice asks who the tenant's members are (owners, round-robin turns); the auth
//! slice owns memberships. This adapter answers for auth, so neither slice imports the other.

use sqlx::PgConnection;
use uuid::Uuid;

pub struct AuthMembers;

#[async_trait::async_trait]
impl leads::Members for AuthMembers {
    async fn is_member(&self, conn: &mut PgConnection, user: Uuid) -> Result<bool, sqlx::Error> {
        Ok(auth::store::members::get(conn, user).await?.is_some())
    }
}

//! Slices ask who the tenant's members are (`kernel::tenancy::Members`: lead owners,
//! round-robin turns); the auth slice owns memberships. This adapter answers for auth, so no
//! slice imports another.

use sqlx::PgConnection;
use uuid::Uuid;

pub struct AuthMembers;

#[async_trait::async_trait]
impl kernel::tenancy::Members for AuthMembers {
    async fn is_member(&self, conn: &mut PgConnection, user: Uuid) -> Result<bool, sqlx::Error> {
        Ok(auth::store::members::get(conn, user).await?.is_some())
    }

    async fn list(
        &self,
        conn: &mut PgConnection,
    ) -> Result<Vec<(Uuid, kernel::Role)>, sqlx::Error> {
        auth::store::members::roles(conn).await
    }
}

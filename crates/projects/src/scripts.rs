//! Saving a script version: the text goes to the object store under
//! `scripts/<name>/v<version>.sql` before its row commits (a failure leaves at most an unlisted
//! object, never a listed version without its text). The caller holds the project's lock, so
//! two saves never take the same version.

use chrono::Utc;
use kernel::UnitOfWork;
use object_store::PutPayload;
use sha2::{Digest, Sha256};
use uuid::Uuid;

use crate::layers::{Area, ObjectKey, Objects};
use crate::store::scripts::{self as store, ScriptVersion};

#[derive(Debug, thiserror::Error)]
pub enum ScriptError {
    #[error("the script name is not usable in an object key")]
    BadName,
    #[error("the object store failed: {0}")]
    Store(#[from] object_store::Error),
    #[error(transparent)]
    Db(#[from] sqlx::Error),
    #[error(transparent)]
    Event(#[from] kernel::events::EventError),
}

/// Saves `sql` as the next version of script `name` (writing `layer`) of `project`.
pub(crate) async fn save(
    work: &mut UnitOfWork,
    objects: &Objects,
    project: Uuid,
    name: &str,
    layer: &str,
    sql: String,
) -> Result<ScriptVersion, ScriptError> {
    let version = store::next_version(work, project, name).await?;
    let file = format!("v{version}.sql");
    let key = ObjectKey::new(work.tenant().0, project, Area::Scripts, &[name, &file])
        .map_err(|_| ScriptError::BadName)?;
    let script = ScriptVersion {
        name: name.to_owned(),
        version,
        layer: layer.to_owned(),
        key: key.to_string(),
        size: sql.len() as i64,
        sha256: hex::encode(Sha256::digest(sql.as_bytes())),
        created_at: Utc::now(),
    };
    objects
        .store()
        .put(&key.path(), PutPayload::from(sql.into_bytes()))
        .await?;
    store::insert(work, project, &script).await?;
    work.publish_ids("project-scripts", "script.saved", &[project])
        .await?;
    Ok(script)
}

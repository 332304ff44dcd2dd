//! The SQL for the tenant's lead settings: its status list and its custom field definitions.

use sqlx::PgConnection;

use crate::checks::FieldDefinition;

/// Takes the tenant's status-list lock until the transaction ends: the list is replaced as a
/// whole, one writer at a time.
pub async fn lock_statuses(conn: &mut PgConnection) -> Result<(), sqlx::Error> {
    sqlx::query!(
        r#"SELECT pg_advisory_xact_lock(
               hashtextextended('lead_statuses:' || kernel_current_tenant()::text, 0)
           ) AS "locked: ()""#
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// The statuses live leads have that are not in `names`, in order.
pub async fn statuses_used_besides(
    conn: &mut PgConnection,
    names: &[String],
) -> Result<Vec<String>, sqlx::Error> {
    sqlx::query_scalar!(
        "SELECT DISTINCT status FROM leads WHERE deleted_at IS NULL AND NOT (status = ANY($1))
         ORDER BY status",
        names,
    )
    .fetch_all(conn)
    .await
}

/// Replaces the status list with `names`, in order.
pub async fn replace_statuses(
    conn: &mut PgConnection,
    names: &[String],
) -> Result<(), sqlx::Error> {
    sqlx::query!("DELETE FROM lead_statuses")
        .execute(&mut *conn)
        .await?;
    sqlx::query!(
        "INSERT INTO lead_statuses (tenant_id, name, position)
         SELECT kernel_current_tenant(), name, n
         FROM unnest($1::text[]) WITH ORDINALITY AS s(name, n)",
        names,
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// The custom field `key`, if the tenant defined it.
pub async fn definition(
    conn: &mut PgConnection,
    key: &str,
) -> Result<Option<FieldDefinition>, sqlx::Error> {
    sqlx::query_as!(
        FieldDefinition,
        "SELECT key, label, kind, options, created_at FROM lead_field_definitions WHERE key = $1",
        key,
    )
    .fetch_optional(conn)
    .await
}

/// A custom field to define.
pub struct NewDefinition<'a> {
    pub key: &'a str,
    pub label: &'a str,
    pub kind: &'a str,
    pub options: &'a [String],
}

/// Defines a custom field; `false` when one with this key exists.
pub async fn insert_definition(
    conn: &mut PgConnection,
    field: NewDefinition<'_>,
) -> Result<bool, sqlx::Error> {
    let inserted = sqlx::query!(
        "INSERT INTO lead_field_definitions (tenant_id, key, label, kind, options)
         VALUES (kernel_current_tenant(), $1, $2, $3, $4) ON CONFLICT DO NOTHING",
        field.key,
        field.label,
        field.kind,
        field.options,
    )
    .execute(conn)
    .await?;
    Ok(inserted.rows_affected() > 0)
}

/// Changes a custom field's label and options (`None` keeps them).
pub async fn update_definition(
    conn: &mut PgConnection,
    key: &str,
    label: Option<&str>,
    options: Option<&[String]>,
) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "UPDATE lead_field_definitions SET label = coalesce($2, label),
             options = coalesce($3, options) WHERE key = $1",
        key,
        label,
        options,
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// Deletes a custom field and its value on every lead.
pub async fn delete_definition(conn: &mut PgConnection, key: &str) -> Result<(), sqlx::Error> {
    sqlx::query!("DELETE FROM lead_field_definitions WHERE key = $1", key)
        .execute(&mut *conn)
        .await?;
    sqlx::query!(
        "UPDATE leads SET custom = custom - $1::text WHERE custom ? $1",
        key,
    )
    .execute(conn)
    .await?;
    Ok(())
}

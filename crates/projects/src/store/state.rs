//! The state document of GET /projects/{id}/state, built by PostgreSQL in one statement: the
//! project, its nodes by layer, its edges, its running runs ("active jobs") and this billing
//! month's cost so far, and the small statement that says which version is current.
//!
//! Both run through [`tenant_read_once`]: the tenant setting and the statement in one round
//! trip. That needs the simple-query protocol, which has no parameters and no compile-time
//! check, so the only value in them is the project id, printed from a `Uuid`.

use sqlx::{PgPool, Row};
use uuid::Uuid;

use kernel::tenancy::tenant_read_once;
use kernel::TenantId;

/// The document's version and billing month (its ETag), and the document.
pub(crate) struct StateRow {
    pub version: i64,
    /// `YYYY-MM` in the tenant's billing timezone.
    pub month: String,
    pub document: String,
}

/// The current version and billing month of live project `id`.
pub(crate) async fn version(
    db: &PgPool,
    tenant: TenantId,
    id: Uuid,
) -> Result<Option<(i64, String)>, sqlx::Error> {
    let sql = format!(
        "SELECT p.state_version AS version,
                to_char(now() AT TIME ZONE coalesce(cs.timezone, 'UTC'), 'YYYY-MM') AS month
         FROM projects p LEFT JOIN cost_settings cs ON true
         WHERE p.id = '{id}' AND p.deleted_at IS NULL"
    );
    let rows = tenant_read_once(db, tenant, &sql).await?;
    rows.first()
        .map(|row| Ok((row.try_get("version")?, row.try_get("month")?)))
        .transpose()
}

/// Live project `id`'s whole state document.
pub(crate) async fn state(
    db: &PgPool,
    tenant: TenantId,
    id: Uuid,
) -> Result<Option<StateRow>, sqlx::Error> {
    let sql = format!(
        r#"WITH p AS (
             SELECT p.id, p.name, p.slug, p.client_name, p.status, p.timezone, p.budget_amount,
                    p.budget_currency, p.state_version,
                    coalesce(cs.currency, 'USD') AS currency,
                    date_trunc('month', now() AT TIME ZONE coalesce(cs.timezone, 'UTC'))::date AS month
             FROM projects p LEFT JOIN cost_settings cs ON true
             WHERE p.id = '{id}' AND p.deleted_at IS NULL
           )
           SELECT p.state_version AS version, to_char(p.month, 'YYYY-MM') AS month,
             json_build_object(
               'project', json_build_object('id', p.id, 'name', p.name, 'slug', p.slug,
                   'client_name', p.client_name, 'status', p.status, 'timezone', p.timezone),
               'version', p.state_version,
               'trees', (
                 SELECT json_build_object(
                     'bronze', coalesce(t->'bronze', '[]'), 'silver', coalesce(t->'silver', '[]'),
                     'gold', coalesce(t->'gold', '[]'),
                     'destination', coalesce(t->'destination', '[]'))
                 FROM (SELECT jsonb_object_agg(layer, nodes) AS t FROM (
                     SELECT n.layer, jsonb_agg(jsonb_build_object(
                         'id', n.id, 'layer', n.layer, 'kind', n.kind, 'name', n.name,
                         'status', n.status, 'last_run_at', n.last_run_at,
                         'metrics', jsonb_build_object('rows', n.rows, 'bytes', n.bytes,
                                                       'duration_ms', n.duration_ms),
                         'error', n.error) ORDER BY n.position, n.id) AS nodes
                     FROM project_nodes n WHERE n.project_id = p.id GROUP BY n.layer) l) g),
               'edges', coalesce((
                 SELECT json_agg(json_build_object('from', e.from_node, 'to', e.to_node)
                                 ORDER BY e.from_node, e.to_node)
                 FROM project_edges e WHERE e.project_id = p.id), '[]'),
               'active_jobs', coalesce((
                 SELECT json_agg(json_build_object('id', r.id, 'name', r.name,
                                                   'status', r.status, 'started_at', r.started_at)
                                 ORDER BY r.started_at, r.id)
                 FROM project_runs r WHERE r.project_id = p.id AND r.status = 'running'), '[]'),
               'billing_mtd', (
                 SELECT json_build_object(
                     'month', to_char(p.month, 'YYYY-MM'),
                     'currency', p.currency,
                     'amount', round(coalesce(sum(c.amount), 0), 2)::text,
                     'budget', p.budget_amount::text,
                     'budget_used_percent', CASE WHEN p.budget_amount > 0
                         THEN round(coalesce(sum(c.amount), 0) * 100 / p.budget_amount, 1) END,
                     'by_provider', coalesce(json_agg(json_build_object(
                         'provider', c.provider, 'amount', round(c.amount, 2)::text)
                         ORDER BY c.amount DESC, c.provider) FILTER (WHERE c.provider IS NOT NULL), '[]'))
                 FROM cost_months c WHERE c.project_id = p.id AND c.month = p.month)
             )::text AS document
           FROM p"#
    );
    let rows = tenant_read_once(db, tenant, &sql).await?;
    rows.first()
        .map(|row| {
            Ok(StateRow {
                version: row.try_get("version")?,
                month: row.try_get("month")?,
                document: row.try_get("document")?,
            })
        })
        .transpose()
}

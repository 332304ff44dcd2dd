//! The state document of GET /projects/{id}/state, built by PostgreSQL in one statement: the
//! project, its nodes by layer, its edges, its running runs ("active jobs") and this billing
//! month's cost so far.

use sqlx::PgConnection;
use uuid::Uuid;

/// What the statement answers: the document's version and billing month (its ETag), and the
/// document itself unless it is the version the caller already has.
pub(crate) struct StateRow {
    pub version: i64,
    /// `YYYY-MM` in the tenant's billing timezone.
    pub month: String,
    pub document: Option<String>,
}

/// Project `id`'s state; the document is left out (`None`) when the project is at
/// `known_version` in `known_month`, so a conditional GET or a cache hit costs no JSON.
pub(crate) async fn state(
    conn: &mut PgConnection,
    id: Uuid,
    known_version: i64,
    known_month: &str,
) -> Result<Option<StateRow>, sqlx::Error> {
    sqlx::query_as!(
        StateRow,
        r#"WITH p AS (
             SELECT p.id, p.name, p.slug, p.client_name, p.status, p.timezone, p.budget_amount,
                    p.budget_currency, p.state_version,
                    coalesce(cs.currency, 'USD') AS currency,
                    date_trunc('month', now() AT TIME ZONE coalesce(cs.timezone, 'UTC'))::date AS month
             FROM projects p LEFT JOIN cost_settings cs ON true
             WHERE p.id = $1 AND p.deleted_at IS NULL
           )
           SELECT p.state_version AS "version!", to_char(p.month, 'YYYY-MM') AS "month!",
             CASE WHEN p.state_version = $2 AND to_char(p.month, 'YYYY-MM') = $3 THEN NULL ELSE
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
             )::text END AS document
           FROM p"#,
        id,
        known_version,
        known_month
    )
    .fetch_optional(conn)
    .await
}

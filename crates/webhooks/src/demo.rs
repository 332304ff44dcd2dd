//! Demo data for `fortress demo`: one endpoint with a history of deliveries of the tenant's
//! own recent events (most delivered at once, one after a retry, one given up), so the
//! webhooks screen shows what a working integration looks like. The endpoint is disabled, with
//! the reason, because nothing receives it on a machine without internet: enabling it would
//! send the tenant's next events there. Idempotent: the endpoint has a fixed id.

use kernel::events::{read_after, StoredEvent};
use kernel::slice::{Context, SliceError};
use kernel::tenancy::tenant_tx_for;
use kernel::TenantId;
use uuid::Uuid;

const DEMO_ENDPOINT: Uuid = Uuid::from_u128(0x0000_0000_0000_4000_8000_0000_0000_e0d1);
const DELIVERIES: usize = 6;

pub async fn seed(ctx: &Context, tenant: TenantId) -> Result<(), SliceError> {
    let mut tx = tenant_tx_for(&ctx.db, tenant).await?;
    let events: Vec<StoredEvent> = read_after(&mut tx, 0, None, 200)
        .await?
        .into_iter()
        .rev()
        .take(DELIVERIES)
        .collect();
    let created = sqlx::query_scalar!(
        "INSERT INTO webhook_endpoints
             (tenant_id, id, url, description, event_types, secret, enabled, disabled_reason, created_at)
         VALUES (kernel_current_tenant(), $1, 'https://hooks.example.com/datafortress',
                 'Demo: the CRM pushes lead changes to the agency''s reporting tool',
                 '{lead.created,lead.updated,lead.stage_changed}', $2, false,
                 'Demo endpoint: nothing receives it offline. Point it at your own receiver and enable it.',
                 now() - interval '30 days')
         ON CONFLICT DO NOTHING RETURNING id",
        DEMO_ENDPOINT,
        crate::new_secret()
    )
    .fetch_optional(&mut *tx)
    .await?;
    if created.is_none() {
        return Ok(());
    }
    for (i, event) in events.iter().enumerate() {
        // The oldest was given up on, the next needed a retry, the rest went through at once.
        let outcomes: &[(Option<i16>, Option<&str>)] = match i {
            0 => &[
                (Some(503), None),
                (None, Some("timed out after 15 s")),
                (Some(500), None),
            ],
            1 => &[(Some(503), None), (Some(200), None)],
            _ => &[(Some(200), None)],
        };
        let delivered = outcomes.last().is_some_and(|(s, _)| *s == Some(200));
        let delivery = Uuid::now_v7();
        let body = crate::deliver::delivery_body(event);
        sqlx::query!(
            "INSERT INTO webhook_deliveries
                 (tenant_id, id, endpoint_id, event_seq, event_type, body, state, attempts, last_status, created_at)
             VALUES (kernel_current_tenant(), $1, $2, $3, $4, $5, $6, $7, $8, $9)",
            delivery,
            DEMO_ENDPOINT,
            event.seq,
            &event.event_type,
            body,
            if delivered { "succeeded" } else { "failed" },
            i32::try_from(outcomes.len()).unwrap_or(1),
            outcomes.last().and_then(|(s, _)| *s),
            event.created_at
        )
        .execute(&mut *tx)
        .await?;
        for (n, (status, error)) in outcomes.iter().enumerate() {
            let attempt = i32::try_from(n + 1).unwrap_or(1);
            let answer = match status {
                Some(200) => Some("{\"ok\":true}"),
                Some(_) => Some("Service Unavailable"),
                None => None,
            };
            sqlx::query!(
                "INSERT INTO webhook_attempts
                     (tenant_id, delivery_id, attempt, endpoint_id, status, error, response_body, duration_ms, created_at)
                 VALUES (kernel_current_tenant(), $1, $2, $3, $4, $5, $6, $7,
                         $8::timestamptz + make_interval(secs => 5 * 60 * ($2 - 1)))",
                delivery,
                attempt,
                DEMO_ENDPOINT,
                *status,
                *error,
                answer,
                if error.is_some() { 15_000 } else { 140 + 37 * attempt },
                event.created_at
            )
            .execute(&mut *tx)
            .await?;
        }
    }
    tx.commit().await?;
    Ok(())
}

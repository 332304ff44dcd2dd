//! A tenant's deliverability thresholds (table `outreach_settings`; defaults when unset).

use serde::{Deserialize, Serialize};
use sqlx::PgConnection;
use utoipa::ToSchema;
use uuid::Uuid;
use validator::Validate;

/// When a mailbox or campaign is paused by itself: its bounce (or complaint) rate over the
/// last 30 days passes the threshold once it has sent at least `pause_min_sent` messages.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DeliverySettings {
    /// A fraction: 0.02 pauses above 2% bounces (default).
    #[validate(range(exclusive_min = 0.0, max = 1.0))]
    pub bounce_pause_rate: f64,
    /// A fraction: 0.001 pauses above 0.1% complaints (default).
    #[validate(range(exclusive_min = 0.0, max = 1.0))]
    pub complaint_pause_rate: f64,
    /// Messages sent before the rates count (default 50).
    #[validate(range(min = 1, max = 1000000))]
    pub pause_min_sent: i32,
}

impl Default for DeliverySettings {
    fn default() -> Self {
        Self {
            bounce_pause_rate: 0.02,
            complaint_pause_rate: 0.001,
            pause_min_sent: 50,
        }
    }
}

pub(crate) async fn get(conn: &mut PgConnection) -> Result<DeliverySettings, sqlx::Error> {
    let row = sqlx::query_as!(
        DeliverySettings,
        "SELECT bounce_pause_rate, complaint_pause_rate, pause_min_sent FROM outreach_settings"
    )
    .fetch_optional(conn)
    .await?;
    Ok(row.unwrap_or_default())
}

pub(crate) async fn put(conn: &mut PgConnection, s: &DeliverySettings) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "INSERT INTO outreach_settings (tenant_id, bounce_pause_rate, complaint_pause_rate,
             pause_min_sent)
         VALUES (kernel_current_tenant(), $1, $2, $3)
         ON CONFLICT (tenant_id) DO UPDATE SET bounce_pause_rate = EXCLUDED.bounce_pause_rate,
             complaint_pause_rate = EXCLUDED.complaint_pause_rate,
             pause_min_sent = EXCLUDED.pause_min_sent, updated_at = now()",
        s.bounce_pause_rate,
        s.complaint_pause_rate,
        s.pause_min_sent
    )
    .execute(conn)
    .await
    .map(|_| ())
}

/// Messages sent, bounced and complained about over the last 30 days, of a mailbox or of a
/// campaign.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Rates {
    pub sent: i64,
    pub bounced: i64,
    pub complaints: i64,
}

pub(crate) async fn rates(
    conn: &mut PgConnection,
    mailbox: Option<Uuid>,
    campaign: Option<Uuid>,
) -> Result<Rates, sqlx::Error> {
    sqlx::query_as!(
        Rates,
        r#"SELECT
               count(*) FILTER (WHERE m.state IN ('sent', 'bounced', 'unknown')) AS "sent!",
               count(*) FILTER (WHERE m.state = 'bounced') AS "bounced!",
               (SELECT count(*) FROM outreach_replies r
                 WHERE r.kind = 'complaint' AND r.created_at > now() - interval '30 days'
                   AND ($1::uuid IS NULL OR r.mailbox_id = $1)
                   AND ($2::uuid IS NULL OR r.campaign_id = $2)) AS "complaints!"
           FROM outreach_messages m
           WHERE m.created_at > now() - interval '30 days'
             AND ($1::uuid IS NULL OR m.mailbox_id = $1)
             AND ($2::uuid IS NULL OR m.campaign_id = $2)"#,
        mailbox,
        campaign
    )
    .fetch_one(conn)
    .await
}

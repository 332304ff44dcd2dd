//! The demo's past CSV import: the badge scans of a trade show, run through the real import
//! (stored like an upload, then [`crate::import::run`] as the job would), so the imports
//! history holds a finished import with created, skipped and failed rows and the leads it
//! made, handed out to the team by a round-robin rule for the `event` source.

use chrono::{DateTime, Duration, Utc};
use kernel::slice::{Context, SliceError};
use kernel::tenancy::tenant_tx_for;
use kernel::TenantId;
use serde_json::Value;
use uuid::Uuid;

use super::people::{People, Rng};
use crate::checks;
use crate::import;

const FILENAME: &str = "growth-summit-2026-badge-scans.csv";
/// New contacts in the file (besides two already known and one unreadable row).
const NEW_ROWS: usize = 24;
/// How long ago the import ran.
const DAYS_AGO: i64 = 9;

/// Runs the import unless the tenant has imported before.
pub async fn seed(
    ctx: &Context,
    tenant: TenantId,
    team: &[Uuid],
    rng: &mut Rng,
    people: &mut People,
) -> Result<(), SliceError> {
    let mut tx = tenant_tx_for(&ctx.db, tenant).await?;
    let imported =
        sqlx::query_scalar!(r#"SELECT EXISTS (SELECT 1 FROM lead_imports) AS "exists!""#)
            .fetch_one(&mut *tx)
            .await?;
    if imported {
        return Ok(());
    }
    if !team.is_empty() {
        sqlx::query!(
            "INSERT INTO lead_assignment_rules (tenant_id, id, source, member_ids)
             VALUES (kernel_current_tenant(), $1, 'event', $2)
             ON CONFLICT (tenant_id, source) DO NOTHING",
            Uuid::now_v7(),
            team,
        )
        .execute(&mut *tx)
        .await?;
    }
    // Two people the tenant already has: the import skips them.
    let known = sqlx::query_as!(
        Known,
        r#"SELECT email AS "email!", first_name, last_name FROM leads
           WHERE deleted_at IS NULL AND email IS NOT NULL ORDER BY created_at, id LIMIT 2"#,
    )
    .fetch_all(&mut *tx)
    .await?;
    let (file, new_emails) = csv_file(rng, people, &known)?;
    let headers = import::headers(&file)?;
    let definitions = checks::definitions(&mut tx).await?;
    let plan = import::plan(&headers, None, &definitions)?;
    // Stored resolved, as an upload stores it.
    let mapping = import::resolved(&headers, &plan);
    let id = Uuid::now_v7();
    sqlx::query!(
        "INSERT INTO lead_imports (tenant_id, id, filename, file, mapping, on_duplicate,
             created_by, created_by_kind)
         VALUES (kernel_current_tenant(), $1, $2, $3, $4, 'skip', $5, 'user')",
        id,
        FILENAME,
        &file,
        Value::Object(mapping),
        team.first().copied(),
    )
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;

    import::run(&ctx.db, &ctx.cache, ctx.members.as_ref(), tenant, id)
        .await
        .map_err(|e| format!("the demo import failed: {e}"))?;

    backdate(
        ctx,
        tenant,
        id,
        &new_emails,
        Utc::now() - Duration::days(DAYS_AGO),
    )
    .await
}

/// A lead the tenant already has, as the file names it again.
struct Known {
    email: String,
    first_name: Option<String>,
    last_name: Option<String>,
}

/// The file: a header row, the new contacts, the two known ones, and a row whose phone has
/// no country code. Returns it with the new contacts' emails.
fn csv_file(
    rng: &mut Rng,
    people: &mut People,
    known: &[Known],
) -> Result<(Vec<u8>, Vec<String>), SliceError> {
    let mut out = csv::Writer::from_writer(Vec::new());
    out.write_record([
        "First Name",
        "Last Name",
        "Email",
        "Phone",
        "Company",
        "Title",
        "Website",
        "Source",
        "Tags",
        "Industry",
    ])?;
    let mut new_emails = Vec::with_capacity(NEW_ROWS);
    for row in 0..NEW_ROWS + 1 {
        let person = people.person(rng);
        let mut tags = vec!["growth-summit-2026"];
        if rng.chance(30) {
            tags.push("hot");
        }
        // Badge scanners export phones as people typed them.
        let phone = if row == NEW_ROWS / 2 {
            "555-0142".to_owned()
        } else {
            spaced(&person.phone)
        };
        if row != NEW_ROWS / 2 {
            new_emails.push(person.email.clone());
        }
        out.write_record([
            person.first_name.as_str(),
            &person.last_name,
            &person.email,
            &phone,
            &person.company.name,
            &person.title,
            &person.company.domain,
            "event",
            &tags.join(";"),
            person.company.industry,
        ])?;
        if let Some(known) = known.get(row) {
            out.write_record([
                known.first_name.as_deref().unwrap_or(""),
                known.last_name.as_deref().unwrap_or(""),
                &known.email,
                "",
                "",
                "",
                "",
                "event",
                "growth-summit-2026",
                "",
            ])?;
        }
    }
    let file = out.into_inner().map_err(|e| e.to_string())?;
    Ok((file, new_emails))
}

/// `+447700900123` as `+44 7700 900123`: the country code apart, as people write it.
fn spaced(phone: &str) -> String {
    let split = match phone.as_bytes().get(1) {
        Some(b'1' | b'7') => 2,
        _ => 3,
    };
    match (phone.get(..split), phone.get(split..)) {
        (Some(code), Some(rest)) => format!("{code} {rest}"),
        _ => phone.to_owned(),
    }
}

/// Moves the import, and what it wrote, to `at`.
async fn backdate(
    ctx: &Context,
    tenant: TenantId,
    import: Uuid,
    emails: &[String],
    at: DateTime<Utc>,
) -> Result<(), SliceError> {
    let mut tx = tenant_tx_for(&ctx.db, tenant).await?;
    let started = sqlx::query_scalar!("SELECT started_at FROM lead_imports WHERE id = $1", import)
        .fetch_one(&mut *tx)
        .await?;
    let Some(started) = started else {
        return Ok(());
    };
    sqlx::query!(
        "UPDATE lead_imports SET created_at = $2::timestamptz,
             started_at = $2 + interval '2 seconds', finished_at = $2 + interval '5 seconds'
         WHERE id = $1",
        import,
        at,
    )
    .execute(&mut *tx)
    .await?;
    let leads = sqlx::query_scalar!(
        "UPDATE leads SET created_at = $3, updated_at = $3
         WHERE email = ANY($1) AND created_at >= $2 RETURNING id",
        emails,
        started,
        at + Duration::seconds(3),
    )
    .fetch_all(&mut *tx)
    .await?;
    sqlx::query!(
        "WITH timeline AS (
             UPDATE lead_timeline SET created_at = $3, updated_at = $3
             WHERE lead_id = ANY($1) AND created_at >= $2
         ), stages AS (
             UPDATE lead_stage_history SET changed_at = $3
             WHERE lead_id = ANY($1) AND changed_at >= $2
         )
         UPDATE lead_audit SET created_at = $3 WHERE lead_id = ANY($1) AND created_at >= $2",
        &leads,
        started,
        at + Duration::seconds(3),
    )
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(())
}

//! The demo: a mailbox sending to the local mail sink (DKIM-signing with a key made here), an
//! active two-step campaign, and a dozen demo leads enrolled, so `make up` shows a send log
//! filling in and the emails on the leads' timelines. Idempotent: nothing is seeded when the
//! campaign exists.

use chrono::NaiveTime;
use kernel::slice::{Context, SliceError};
use kernel::{TenantId, UnitOfWork};
use uuid::Uuid;

use crate::store::campaigns::{self, CampaignFields, Step, Variant};
use crate::store::enrollments;
use crate::store::mailboxes::{self, MailboxFields};
use crate::{plan, Settings};

const CAMPAIGN: &str = "Spring collection: wholesale intro";

pub async fn seed(ctx: &Context, tenant: TenantId) -> Result<(), SliceError> {
    let settings = ctx.settings::<Settings>()?;
    let Some((host, port)) = settings.local_smtp.clone() else {
        return Ok(()); // the app's mail goes to a real server: no demo mailbox sends there
    };
    let mut work = UnitOfWork::begin_for(&ctx.db, &ctx.cache, tenant).await?;
    let exists = sqlx::query_scalar!(
        "SELECT EXISTS (SELECT 1 FROM outreach_campaigns WHERE name = $1) AS \"exists!\"",
        CAMPAIGN
    )
    .fetch_one(&mut *work)
    .await?;
    if exists {
        return Ok(());
    }
    let fields = MailboxFields {
        name: "Demo sales mailbox (local sink)",
        from_address: "sales@demo-agency.test",
        from_name: "Maya from Demo Agency",
        signature: "Maya Ionescu\nDemo Agency · wholesale partnerships",
        smtp_host: &host,
        smtp_port: i32::from(port),
        smtp_security: "none",
        smtp_username: None,
        daily_cap: 40,
        warmup_enabled: true,
        warmup_start: 10,
        warmup_step: 3,
        min_gap_seconds: 5,
        max_gap_seconds: 20,
    };
    let mailbox = match mailboxes::insert(&mut work, Uuid::now_v7(), &fields, None).await? {
        Some(mailbox) => mailbox.id,
        None => {
            sqlx::query_scalar!(
                "SELECT id FROM outreach_mailboxes WHERE from_address = $1",
                fields.from_address
            )
            .fetch_one(&mut *work)
            .await?
        }
    };
    let key = tokio::task::spawn_blocking(crate::dkim::generate)
        .await
        .map_err(|e| e.to_string())??;
    let sealed = ctx
        .settings::<kernel::secrets::Secrets>()?
        .seal(
            &mut work,
            crate::dkim::DKIM_PURPOSE,
            key.private_pem.as_bytes(),
        )
        .await
        .map_err(|e| e.to_string())?;
    mailboxes::set_dkim(
        &mut work,
        mailbox,
        "demo-agency.test",
        "df1",
        &sealed,
        &key.public_base64,
    )
    .await?;
    let steps = [
        Step {
            delay_minutes: 0,
            variants: vec![
                Variant {
                    subject: "{Quick|Short} question about {{company | \"your shop\"}}".into(),
                    body: "Hi {{first_name | \"there\"}},\n\n{I noticed|I saw} {{company | \"your shop\"}} \
                           stocks independent labels. Our spring collection ships in two weeks \
                           and we keep a few wholesale slots for new stockists.\n\nWorth a \
                           ten-minute call this week?"
                        .into(),
                    weight: 1,
                },
                Variant {
                    subject: "Spring wholesale for {{company | \"your shop\"}}".into(),
                    body: "Hello {{first_name | \"there\"}},\n\nWe make small-batch linen and \
                           wool pieces and are opening wholesale for spring. Would a lookbook \
                           help?"
                        .into(),
                    weight: 1,
                },
            ],
        },
        Step {
            delay_minutes: 3 * 24 * 60,
            variants: vec![Variant {
                subject: "Re: the spring lookbook".into(),
                body: "Hi {{first_name | \"there\"}}, just bringing this back up: happy to send \
                       the lookbook and price list whenever suits."
                    .into(),
                weight: 1,
            }],
        },
    ];
    let campaign = campaigns::insert(
        &mut work,
        Uuid::now_v7(),
        &CampaignFields {
            name: CAMPAIGN,
            timezone: "Europe/Bucharest",
            window_days: &[1, 2, 3, 4, 5, 6, 7],
            window_start: NaiveTime::from_hms_opt(7, 0, 0).unwrap_or_default(),
            window_end: NaiveTime::from_hms_opt(21, 0, 0).unwrap_or_default(),
            mailbox_ids: &[mailbox],
            steps: &steps,
            stop_on_auto_reply: false,
            stop_company_on_reply: true,
        },
        None,
    )
    .await?;
    campaigns::set_status(&mut work, campaign.id, "active").await?;
    let leads = ctx.contacts.with_email(&mut work, 12).await?;
    let contacts = ctx.contacts.contacts(&mut work, &leads).await?;
    let (ids, emails): (Vec<Uuid>, Vec<String>) = contacts
        .into_iter()
        .filter_map(|c| Some((c.lead_id, c.email?.to_lowercase())))
        .unzip();
    enrollments::insert_many(&mut work, campaign.id, &ids, &emails, chrono::Utc::now()).await?;
    plan::wake(&mut work)
        .await
        .map_err(|e| e.message().to_owned())?;
    work.commit().await?;
    Ok(())
}

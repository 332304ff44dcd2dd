//! Auto-pause: a mailbox or campaign whose bounce or complaint rate over the last 30 days
//! passes the tenant's threshold (once it has sent enough for the rate to mean something) is
//! paused, says why, and an `outreach.mailbox.auto_paused` / `outreach.campaign.auto_paused`
//! event goes out (to the timeline and to webhooks). Checked after every bounce and complaint.

use kernel::jobs::JobFailure;
use kernel::UnitOfWork;
use uuid::Uuid;

use crate::store::settings::{self, DeliverySettings, Rates};
use crate::store::{campaigns, mailboxes};

/// Why these rates pass the thresholds, if they do.
pub(crate) fn verdict(s: &DeliverySettings, r: &Rates) -> Option<String> {
    if r.sent < i64::from(s.pause_min_sent) || r.sent == 0 {
        return None;
    }
    #[allow(clippy::cast_precision_loss)] // counts far below 2^52
    let rate = |n: i64| n as f64 / r.sent as f64;
    if rate(r.bounced) > s.bounce_pause_rate {
        return Some(format!(
            "bounce rate {:.1}% ({} of {} in 30 days) passed {:.1}%",
            rate(r.bounced) * 100.0,
            r.bounced,
            r.sent,
            s.bounce_pause_rate * 100.0
        ));
    }
    if rate(r.complaints) > s.complaint_pause_rate {
        return Some(format!(
            "complaint rate {:.2}% ({} of {} in 30 days) passed {:.2}%",
            rate(r.complaints) * 100.0,
            r.complaints,
            r.sent,
            s.complaint_pause_rate * 100.0
        ));
    }
    None
}

/// Pauses `mailbox` and `campaign` where their rates pass the thresholds.
pub(crate) async fn check(
    work: &mut UnitOfWork,
    mailbox: Uuid,
    campaign: Uuid,
) -> Result<(), JobFailure> {
    let thresholds = settings::get(work).await?;
    let rates = settings::rates(work, Some(mailbox), None).await?;
    if let Some(reason) = verdict(&thresholds, &rates) {
        if mailboxes::pause_for(work, mailbox, &reason).await? {
            tracing::warn!(%mailbox, %reason, "mailbox paused");
            work.publish_ids(
                "outreach_mailboxes",
                "outreach.mailbox.auto_paused",
                &[mailbox],
            )
            .await?;
        }
    }
    let rates = settings::rates(work, None, Some(campaign)).await?;
    if let Some(reason) = verdict(&thresholds, &rates) {
        if campaigns::pause_for(work, campaign, &reason).await? {
            tracing::warn!(%campaign, %reason, "campaign paused");
            work.publish_ids(
                "outreach_campaigns",
                "outreach.campaign.auto_paused",
                &[campaign],
            )
            .await?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rates(sent: i64, bounced: i64, complaints: i64) -> Rates {
        Rates {
            sent,
            bounced,
            complaints,
        }
    }

    #[test]
    fn pauses_only_past_the_threshold_and_the_minimum() {
        let s = DeliverySettings::default();
        assert_eq!(verdict(&s, &rates(100, 2, 0)), None, "2% is not past 2%");
        assert_eq!(
            verdict(&s, &rates(100, 3, 0)).as_deref(),
            Some("bounce rate 3.0% (3 of 100 in 30 days) passed 2.0%")
        );
        assert_eq!(
            verdict(&s, &rates(49, 20, 0)),
            None,
            "too few sent to judge"
        );
        assert_eq!(
            verdict(&s, &rates(1000, 0, 1)),
            None,
            "0.1% is not past 0.1%"
        );
        assert!(verdict(&s, &rates(1000, 0, 2))
            .unwrap()
            .starts_with("complaint rate 0.20%"));
        let strict = DeliverySettings {
            bounce_pause_rate: 0.5,
            complaint_pause_rate: 0.5,
            pause_min_sent: 1,
        };
        assert_eq!(verdict(&strict, &rates(2, 1, 1)), None);
        assert!(verdict(&strict, &rates(1, 1, 0)).is_some());
    }
}

//! `GET /api/v1/events`: the caller's tenant events as Server-Sent Events.
//!
//! A stream first catches up from PostgreSQL (everything after `Last-Event-ID`), then follows
//! the tenant's live feed (`kernel::events::hub`); it was subscribed to the feed before catching up,
//! so nothing committed in between is missed, and frames already sent are skipped by sequence
//! number. It ends when the client falls a whole buffer behind; the client reconnects with its
//! last id and catches up again.

use std::collections::VecDeque;
use std::time::Duration;

use actix_web::http::header::{self, HeaderValue};
use actix_web::web::Bytes;
use actix_web::{get, web, HttpRequest, HttpResponse};
use serde::Deserialize;
use utoipa::IntoParams;

use kernel::events::hub::{EventHub, Frame, Listener};
use kernel::events::{read_after, validate_channel, MAX_READ_LIMIT};
use kernel::tenancy::{tenant_tx_for, TenantId};
use kernel::{Principal, Problem};

/// A comment line every this often keeps proxies and the client's timeout from closing an
/// idle stream.
pub const HEARTBEAT_EVERY: Duration = Duration::from_secs(15);
/// What `retry:` tells clients to wait before reconnecting (ms).
pub const RETRY_MS: u32 = 3000;
/// Channels one stream may filter on.
pub const MAX_CHANNELS: usize = 50;

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(stream_events);
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct EventsQuery {
    /// Resume after this sequence number (for clients that cannot send `Last-Event-ID`).
    pub last_event_id: Option<String>,
    /// Only these channels, comma-separated (`resources/leads,projects/42`).
    pub channels: Option<String>,
}

/// Live events of the caller's tenant (Server-Sent Events).
///
/// Each event is `id: <seq>`, `event: <type>`, `data: {"channel", "type", "payload", "date"}`
/// (the shape Refine's live provider reads; `payload.ids` names the records). Without
/// `Last-Event-ID` (header, or `?last_event_id=`) the stream starts with the next event; with
/// it, every later event is sent first, from the database, so a reconnecting client misses
/// nothing. A comment line comes every 15 s; `retry:` is 3 s. A client that falls more than
/// 1024 events behind is disconnected and resumes by id.
#[utoipa::path(
    tag = "events",
    security(("cookie_session" = []), ("api_key" = [])),
    params(EventsQuery, ("Last-Event-ID" = Option<i64>, Header, description = "The last sequence number received")),
    responses(
        (status = 200, content_type = "text/event-stream", body = String, description = "The event stream"),
        (status = 400, body = Problem, content_type = "application/problem+json", description = "invalid_last_event_id or invalid_channel"),
        (status = 401, body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/api/v1/events")]
#[tracing::instrument(skip_all)]
pub async fn stream_events(
    hub: web::Data<EventHub>,
    principal: Principal,
    query: web::Query<EventsQuery>,
    req: HttpRequest,
) -> Result<HttpResponse, Problem> {
    let header_id = req
        .headers()
        .get("last-event-id")
        .map(|v| v.to_str().unwrap_or("?"));
    let resume = match header_id.or(query.last_event_id.as_deref()) {
        None | Some("") => None,
        Some(raw) => Some(
            raw.trim()
                .parse::<i64>()
                .ok()
                .filter(|n| *n >= 0)
                .ok_or_else(|| {
                    Problem::new(
                        kernel::ProblemCode::InvalidLastEventId,
                        "Last-Event-ID must be a sequence number received from this stream.",
                    )
                })?,
        ),
    };
    let channels = parse_channels(query.channels.as_deref())?;
    let listener = hub.listen(principal.tenant_id).await?;
    let sent = resume.unwrap_or_else(|| listener.feed_seq());
    let stream = LiveStream {
        db: hub.db().clone(),
        tenant: principal.tenant_id,
        listener,
        sent,
        channels,
        backlog: VecDeque::from([Bytes::from(format!("retry: {RETRY_MS}\n\n"))]),
        // A new stream starts at the feed's position, which the feed itself carries forward:
        // only a resumed one reads the history.
        caught_up: resume.is_none(),
        heartbeat: tokio::time::interval_at(
            tokio::time::Instant::now() + HEARTBEAT_EVERY,
            HEARTBEAT_EVERY,
        ),
    };
    let closed = Box::pin(hub.closed());
    let body =
        futures_util::stream::unfold((stream, closed), |(mut stream, mut closed)| async move {
            let chunk = tokio::select! {
                chunk = stream.next() => chunk?,
                () = &mut closed => return None,
            };
            Some((Ok::<_, actix_web::Error>(chunk), (stream, closed)))
        });
    Ok(HttpResponse::Ok()
        .insert_header((header::CONTENT_TYPE, "text/event-stream"))
        .insert_header((header::CACHE_CONTROL, "no-cache"))
        .insert_header(("X-Accel-Buffering", HeaderValue::from_static("no")))
        .streaming(body))
}

fn parse_channels(raw: Option<&str>) -> Result<Option<Vec<String>>, Problem> {
    let Some(raw) = raw.filter(|r| !r.trim().is_empty()) else {
        return Ok(None);
    };
    let channels: Vec<String> = raw.split(',').map(|c| c.trim().to_owned()).collect();
    if channels.len() > MAX_CHANNELS {
        return Err(Problem::new(
            kernel::ProblemCode::InvalidChannel,
            format!("At most {MAX_CHANNELS} channels per stream."),
        ));
    }
    for channel in &channels {
        validate_channel(channel)?;
    }
    Ok(Some(channels))
}

struct LiveStream {
    db: sqlx::PgPool,
    tenant: TenantId,
    listener: Listener,
    /// The highest sequence number dealt with (sent, or skipped by the channel filter).
    sent: i64,
    channels: Option<Vec<String>>,
    backlog: VecDeque<Bytes>,
    caught_up: bool,
    heartbeat: tokio::time::Interval,
}

impl LiveStream {
    fn wants(&self, channel: &str) -> bool {
        self.channels
            .as_ref()
            .is_none_or(|c| c.iter().any(|c| c == channel))
    }

    /// The next chunk to write; `None` ends the stream.
    async fn next(&mut self) -> Option<Bytes> {
        loop {
            if let Some(chunk) = self.backlog.pop_front() {
                return Some(chunk);
            }
            if !self.caught_up {
                let events = match self.catch_up().await {
                    Ok(events) => events,
                    Err(err) => {
                        tracing::warn!(error = %err, "catching up an event stream failed; the client reconnects");
                        return None;
                    }
                };
                self.caught_up = (events.len() as i64) < MAX_READ_LIMIT;
                for event in &events {
                    self.backlog.push_back(Frame::new(event).bytes);
                    self.sent = event.seq;
                }
                continue;
            }
            tokio::select! {
                frame = self.listener.next() => {
                    // Fell a whole buffer behind: end the stream; the client resumes by id.
                    let frame = frame.ok()?;
                    if frame.seq > self.sent {
                        self.sent = frame.seq;
                        if self.wants(&frame.channel) {
                            return Some(frame.bytes.clone());
                        }
                    }
                }
                _ = self.heartbeat.tick() => return Some(Bytes::from_static(b": heartbeat\n\n")),
            }
        }
    }

    async fn catch_up(
        &self,
    ) -> Result<Vec<kernel::events::StoredEvent>, kernel::events::EventError> {
        let mut tx = tenant_tx_for(&self.db, self.tenant).await?;
        let events =
            read_after(&mut tx, self.sent, self.channels.as_deref(), MAX_READ_LIMIT).await?;
        tx.commit().await?;
        Ok(events)
    }
}

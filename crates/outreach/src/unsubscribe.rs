//! One-click unsubscribe (RFC 8058) and the visible unsubscribe link.
//!
//! Every message carries `List-Unsubscribe: <https://…/api/v1/outreach/unsubscribe/TOKEN>` and
//! `List-Unsubscribe-Post: List-Unsubscribe=One-Click`. The token names the tenant and the
//! message and is signed (HMAC-SHA256), so it cannot be guessed or changed. `POST` to it
//! unsubscribes at once, with no cookie, no login and no redirect (what mail clients do);
//! `GET` only shows a page with a button, because link scanners open links.

use actix_web::{get, post, web, HttpResponse};
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use hmac::{Hmac, Mac};
use kernel::{Problem, ProblemCode, TenantId, UnitOfWork};
use sha2::Sha256;
use uuid::Uuid;

use crate::store::{enrollments, messages, suppressions};
use crate::Outreach;

/// Bytes of the HMAC kept in a token.
const MAC_LEN: usize = 16;

/// The unsubscribe token of `message` of `tenant`, signed with `key`.
pub fn token(key: &[u8], tenant: TenantId, message: Uuid) -> String {
    let mut bytes = Vec::with_capacity(32 + MAC_LEN);
    bytes.extend_from_slice(tenant.0.as_bytes());
    bytes.extend_from_slice(message.as_bytes());
    let mac = sign(key, &bytes);
    bytes.extend_from_slice(&mac[..MAC_LEN]);
    URL_SAFE_NO_PAD.encode(bytes)
}

/// The tenant and message a token names, when its signature holds.
pub fn verify(key: &[u8], token: &str) -> Option<(TenantId, Uuid)> {
    let bytes = URL_SAFE_NO_PAD.decode(token).ok()?;
    if bytes.len() != 32 + MAC_LEN {
        return None;
    }
    let (payload, mac) = bytes.split_at(32);
    let mut check = Hmac::<Sha256>::new_from_slice(key).ok()?;
    check.update(b"outreach.unsubscribe:");
    check.update(payload);
    check.verify_truncated_left(mac).ok()?;
    let tenant = Uuid::from_slice(&payload[..16]).ok()?;
    let message = Uuid::from_slice(&payload[16..]).ok()?;
    Some((TenantId(tenant), message))
}

fn sign(key: &[u8], payload: &[u8]) -> Vec<u8> {
    // An HMAC takes a key of any length.
    let mut mac = Hmac::<Sha256>::new_from_slice(key).unwrap_or_else(|_| unreachable!());
    mac.update(b"outreach.unsubscribe:");
    mac.update(payload);
    mac.finalize().into_bytes().to_vec()
}

fn invalid_link() -> Problem {
    Problem::new(
        ProblemCode::InvalidToken,
        "This unsubscribe link is not valid.",
    )
}

/// The page an unsubscribe link opens: a button that unsubscribes (nothing happens on GET).
#[utoipa::path(
    tag = "outreach",
    params(("token" = String, Path)),
    responses((status = 200, content_type = "text/html", description = "A page with an unsubscribe button"))
)]
#[get("/{token}")]
pub async fn unsubscribe_page(
    outreach: web::Data<Outreach>,
    token: web::Path<String>,
) -> Result<HttpResponse, Problem> {
    verify(&outreach.settings.unsubscribe_key, &token).ok_or_else(invalid_link)?;
    Ok(page(
        "Unsubscribe",
        "<p>Stop receiving these emails?</p>\
         <form method=\"post\"><input type=\"hidden\" name=\"List-Unsubscribe\" \
         value=\"One-Click\"><button type=\"submit\">Unsubscribe</button></form>",
    ))
}

/// One-click unsubscribe (RFC 8058): no cookie, no redirect. The address is added to the
/// tenant's suppression list and every active enrollment writing to it stops.
#[utoipa::path(
    tag = "outreach",
    params(("token" = String, Path)),
    responses((status = 200, content_type = "text/html", description = "Unsubscribed (again is fine)"))
)]
#[post("/{token}")]
#[tracing::instrument(skip_all)]
pub async fn unsubscribe(
    outreach: web::Data<Outreach>,
    token: web::Path<String>,
) -> Result<HttpResponse, Problem> {
    let (tenant, message) =
        verify(&outreach.settings.unsubscribe_key, &token).ok_or_else(invalid_link)?;
    let mut work = UnitOfWork::begin_for(&outreach.db, &outreach.cache, tenant).await?;
    let Some((email, lead, campaign)) = messages::mark_unsubscribed(&mut work, message).await?
    else {
        // The message is gone (its campaign was deleted): nothing is left to stop.
        return Ok(page(
            "Unsubscribed",
            "<p>You will not receive these emails again.</p>",
        ));
    };
    let email = email.to_lowercase();
    let added =
        suppressions::insert_many(&mut work, std::slice::from_ref(&email), "unsubscribed").await?;
    enrollments::stop_address(&mut work, &email, "unsubscribed").await?;
    messages::cancel_to(&mut work, &email).await?;
    if !added.is_empty() {
        let event = crate::plan::email_event(
            "email.unsubscribed",
            message,
            lead,
            campaign,
            "Unsubscribed from outreach emails",
        )?;
        work.publish(&event).await?;
    }
    work.commit().await?;
    tracing::info!(tenant_id = %tenant, "unsubscribed");
    Ok(page(
        "Unsubscribed",
        "<p>You will not receive these emails again.</p>",
    ))
}

fn page(title: &str, body: &str) -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/html; charset=utf-8")
        .insert_header(("Cache-Control", "no-store"))
        .insert_header(("Referrer-Policy", "no-referrer"))
        .body(format!(
            "<!doctype html><html><head><meta charset=\"utf-8\"><title>{title}</title>\
             <meta name=\"viewport\" content=\"width=device-width\"></head>\
             <body style=\"font-family:sans-serif;max-width:30em;margin:4em auto\">\
             <h1>{title}</h1>{body}</body></html>"
        ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_token_names_its_tenant_and_message_and_cannot_be_changed() {
        let (tenant, message) = (TenantId(Uuid::new_v4()), Uuid::new_v4());
        let t = token(b"key", tenant, message);

        assert_eq!(verify(b"key", &t), Some((tenant, message)));
        assert_eq!(verify(b"another key", &t), None);
        let mut bytes = URL_SAFE_NO_PAD.decode(&t).unwrap();
        bytes[20] ^= 1;
        assert_eq!(verify(b"key", &URL_SAFE_NO_PAD.encode(bytes)), None);
        assert_eq!(verify(b"key", "short"), None);
        assert_eq!(verify(b"key", "not base64 at all!"), None);
    }
}

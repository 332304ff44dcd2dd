//! The two session cookies: `__Host-` prefixed (Secure, Path=/, no Domain), HttpOnly,
//! SameSite=Strict. The access cookie lives as long as its JWT; the refresh cookie 30 days.

use actix_web::cookie::{time::Duration as CookieDuration, Cookie, SameSite};
use actix_web::HttpResponseBuilder;

pub const ACCESS_COOKIE: &str = "__Host-df_access";
pub const REFRESH_COOKIE: &str = "__Host-df_refresh";

fn cookie(name: &'static str, value: String, max_age_secs: i64) -> Cookie<'static> {
    Cookie::build(name, value)
        .path("/")
        .secure(true)
        .http_only(true)
        .same_site(SameSite::Strict)
        .max_age(CookieDuration::seconds(max_age_secs))
        .finish()
}

/// Sets both cookies on a response.
pub fn set_session(
    res: &mut HttpResponseBuilder,
    access: String,
    access_secs: i64,
    refresh: String,
    refresh_secs: i64,
) {
    res.cookie(cookie(ACCESS_COOKIE, access, access_secs));
    res.cookie(cookie(REFRESH_COOKIE, refresh, refresh_secs));
}

/// Expires both cookies.
pub fn clear_session(res: &mut HttpResponseBuilder) {
    res.cookie(cookie(ACCESS_COOKIE, String::new(), 0));
    res.cookie(cookie(REFRESH_COOKIE, String::new(), 0));
}

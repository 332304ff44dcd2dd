//! `ValidatedJson<T>`: a JSON body that deserialised *and* passed its `validator` rules, and
//! `JsonBody<T>`, one that deserialised (for types that validate themselves).
//!
//! Deserialisation errors come from `problem::json_config` (400/413/415/422); rule failures
//! become a 422 problem whose `errors` map names each field. Both read the body only after
//! the route's access extractor (`Scoped`, `RequireRole`) has let the caller in.

use std::future::Future;
use std::pin::Pin;

use actix_web::{dev::Payload, web, FromRequest, HttpRequest};
use serde::de::DeserializeOwned;
use validator::Validate;

use crate::problem::Problem;

#[derive(Debug)]
pub struct ValidatedJson<T>(pub T);

impl<T> ValidatedJson<T> {
    pub fn into_inner(self) -> T {
        self.0
    }
}

impl<T> std::ops::Deref for ValidatedJson<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.0
    }
}

impl<T> FromRequest for ValidatedJson<T>
where
    T: DeserializeOwned + Validate + 'static,
{
    type Error = actix_web::Error;
    type Future = Pin<Box<dyn Future<Output = Result<Self, Self::Error>>>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let body = JsonBody::<T>::from_request(req, payload);
        Box::pin(async move {
            let value = body.await?.0;
            value.validate().map_err(Problem::from)?;
            Ok(ValidatedJson(value))
        })
    }
}

#[derive(Debug)]
pub struct JsonBody<T>(pub T);

impl<T> JsonBody<T> {
    pub fn into_inner(self) -> T {
        self.0
    }
}

impl<T> std::ops::Deref for JsonBody<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.0
    }
}

impl<T> FromRequest for JsonBody<T>
where
    T: DeserializeOwned + 'static,
{
    type Error = actix_web::Error;
    type Future = Pin<Box<dyn Future<Output = Result<Self, Self::Error>>>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let allowed = crate::scopes::access_decided(req);
        let (req, mut payload) = (req.clone(), payload.take());
        Box::pin(async move {
            allowed.await;
            let value = web::Json::<T>::from_request(&req, &mut payload).await?;
            Ok(JsonBody(value.into_inner()))
        })
    }
}

/// For `#[serde(default, deserialize_with = "kernel::validated::nullable")]` on an
/// `Option<Option<T>>` field of a change: absent keeps the value (`None`), `null` clears it
/// (`Some(None)`), a value sets it.
pub fn nullable<'de, D, T>(deserializer: D) -> Result<Option<Option<T>>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: serde::Deserialize<'de>,
{
    <Option<T> as serde::Deserialize>::deserialize(deserializer).map(Some)
}

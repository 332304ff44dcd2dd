//! What a caller may do: the scopes routes require, as one enum, and the extractor that
//! requires one (`Scoped<scope::LeadsWrite>`), so a handler's signature says what it needs.
//!
//! A user's scopes follow from its role (the auth slice's permission matrix); an API key's
//! are those it was created with. The OpenAPI document lists [`Scope`]'s values, so clients
//! can offer them.

use std::future::Future;
use std::marker::PhantomData;
use std::pin::Pin;

use actix_web::{dev::Payload, FromRequest, HttpRequest};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::tenancy::Principal;

macro_rules! scopes {
    ($($variant:ident = $name:literal: $doc:literal;)*) => {
        /// A permission a route may require: `<resource>:read` or `<resource>:write`.
        #[derive(
            Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize,
        )]
        pub enum Scope {
            $(#[doc = $doc] #[serde(rename = $name)] $variant,)*
        }

        impl Scope {
            /// Every scope, in display order.
            pub const ALL: &'static [Scope] = &[$(Scope::$variant,)*];

            pub const fn as_str(self) -> &'static str {
                match self { $(Scope::$variant => $name,)* }
            }

            /// The scope named `name` (`leads:read`), if there is one.
            pub fn parse(name: &str) -> Option<Scope> {
                match name { $($name => Some(Scope::$variant),)* _ => None }
            }
        }

        /// One type per scope, for [`Scoped`].
        pub mod scope {
            $(
                #[doc = $doc]
                pub struct $variant;
                impl super::RequiredScope for $variant {
                    const SCOPE: super::Scope = super::Scope::$variant;
                }
            )*
        }
    };
}

scopes! {
    LeadsRead = "leads:read": "See leads, pipelines, their history and the lead settings.";
    LeadsWrite = "leads:write": "Create, change, import, merge and delete leads; change pipelines and lead settings.";
    OutreachRead = "outreach:read": "See outreach sequences and their sends.";
    OutreachWrite = "outreach:write": "Change outreach sequences and mailboxes.";
    VoiceRead = "voice:read": "See calls and their transcripts.";
    VoiceWrite = "voice:write": "Place calls and change the voice agent.";
    ProjectsRead = "projects:read": "See data projects, their runs and costs.";
    ProjectsWrite = "projects:write": "Change data projects and run their flows.";
    MembersRead = "members:read": "See the tenant's members and invitations.";
    MembersWrite = "members:write": "Invite members and revoke invitations.";
    ApiKeysRead = "api_keys:read": "See the tenant's API keys (never their secrets).";
    ApiKeysWrite = "api_keys:write": "Create and revoke API keys.";
    WebhooksRead = "webhooks:read": "See webhook endpoints and their deliveries.";
    WebhooksWrite = "webhooks:write": "Change webhook endpoints and redeliver.";
    JobsRead = "jobs:read": "See background jobs and dead letters.";
    JobsWrite = "jobs:write": "Retry or discard background jobs.";
}

// Written by hand: the derive cannot read a `rename` passed through `macro_rules!`.
impl utoipa::PartialSchema for Scope {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        utoipa::openapi::ObjectBuilder::new()
            .schema_type(utoipa::openapi::schema::Type::String)
            .description(Some(
                "A permission a route may require: `<resource>:read` or `<resource>:write`.",
            ))
            .enum_values(Some(Scope::ALL.iter().map(|s| s.as_str())))
            .into()
    }
}

impl ToSchema for Scope {}

impl std::fmt::Display for Scope {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A type standing for one scope (see [`scope`]).
pub trait RequiredScope: 'static {
    const SCOPE: Scope;
}

/// The caller, known to hold scope `S` (403 `forbidden` otherwise): a handler that takes
/// `Scoped<scope::LeadsWrite>` cannot run for a caller without `leads:write`.
pub struct Scoped<S: RequiredScope>(pub Principal, PhantomData<S>);

impl<S: RequiredScope> Scoped<S> {
    pub fn principal(&self) -> &Principal {
        &self.0
    }

    pub fn into_principal(self) -> Principal {
        self.0
    }
}

impl<S: RequiredScope> std::ops::Deref for Scoped<S> {
    type Target = Principal;
    fn deref(&self) -> &Principal {
        &self.0
    }
}

impl<S: RequiredScope> FromRequest for Scoped<S> {
    type Error = actix_web::Error;
    type Future = Pin<Box<dyn Future<Output = Result<Self, Self::Error>>>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let principal = Principal::from_request(req, payload);
        let gate = AccessGate::open(req);
        Box::pin(async move {
            let checked = async {
                let principal = principal.await?;
                principal.require_scope(S::SCOPE)?;
                Ok::<_, actix_web::Error>(principal)
            }
            .await;
            gate.decided(checked.is_ok());
            Ok(Scoped(checked?, PhantomData))
        })
    }
}

/// Orders a route's extractors: the body is read only once the caller is known to be
/// allowed, so a caller without the scope gets 401/403 whatever the body, and learns nothing
/// from a 422. `Scoped` and `RequireRole` open the gate when they are made (they come first in
/// a handler's arguments); the body extractors ([`crate::ValidatedJson`], [`crate::JsonBody`])
/// wait for its decision before they read. Dropping the gate undecided lets them go on.
pub(crate) struct AccessGate(tokio::sync::watch::Sender<Option<bool>>);

#[derive(Clone)]
struct AccessDecision(tokio::sync::watch::Receiver<Option<bool>>);

impl AccessGate {
    pub(crate) fn open(req: &HttpRequest) -> Self {
        use actix_web::HttpMessage;
        let (decide, decision) = tokio::sync::watch::channel(None);
        req.extensions_mut().insert(AccessDecision(decision));
        Self(decide)
    }

    pub(crate) fn decided(&self, allowed: bool) {
        self.0.send_replace(Some(allowed));
    }
}

/// Resolves once the access extractors before this one have decided, if there are any.
pub(crate) fn access_decided(req: &HttpRequest) -> impl Future<Output = ()> + 'static {
    use actix_web::HttpMessage;
    let decision = req.extensions().get::<AccessDecision>().cloned();
    async move {
        if let Some(AccessDecision(mut decision)) = decision {
            // A refusal ends the extraction with the access extractor's error, polled first.
            let _ = decision.wait_for(|d| *d == Some(true)).await;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Scope;

    #[test]
    fn names_round_trip() {
        for scope in Scope::ALL {
            assert_eq!(Scope::parse(scope.as_str()), Some(*scope));
            let wire = serde_json::to_value(scope).unwrap_or_default();
            assert_eq!(wire, scope.as_str());
        }
        assert_eq!(Scope::parse("leads:admin"), None);
    }
}

//! The answer of a list endpoint: a JSON array of the page, the total in `X-Total-Count`.

use actix_web::body::BoxBody;
use actix_web::http::header::ContentType;
use actix_web::{HttpRequest, HttpResponse, Responder, ResponseError};
use serde::Serialize;

use crate::problem::Problem;

/// The header Refine's data providers read the total from (CORS must expose it).
pub const TOTAL_COUNT_HEADER: &str = "X-Total-Count";

/// One page of a list and the number of rows matching the filter across all pages.
#[derive(Debug, Clone, PartialEq)]
pub struct ListPage<T> {
    pub items: Vec<T>,
    pub total: i64,
}

impl<T: Serialize> Responder for ListPage<T> {
    type Body = BoxBody;

    fn respond_to(self, _req: &HttpRequest) -> HttpResponse<Self::Body> {
        match serde_json::to_vec(&self.items) {
            Ok(body) => HttpResponse::Ok()
                .content_type(ContentType::json())
                .insert_header((TOTAL_COUNT_HEADER, self.total.to_string()))
                .body(body),
            Err(err) => Problem::internal(&err).error_response(),
        }
    }
}

impl<T> ListPage<T> {
    /// The same page with each item turned into another shape (a row into its API form).
    pub fn map<U>(self, f: impl FnMut(T) -> U) -> ListPage<U> {
        ListPage {
            items: self.items.into_iter().map(f).collect(),
            total: self.total,
        }
    }
}

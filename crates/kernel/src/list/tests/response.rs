//! The list responder: a JSON array with the total in `X-Total-Count`.

use actix_web::body::to_bytes;
use actix_web::http::StatusCode;
use actix_web::test::TestRequest;
use actix_web::Responder;

use crate::list::ListPage;

#[actix_web::test]
async fn a_page_is_a_json_array_with_the_total_in_a_header() {
    let req = TestRequest::default().to_http_request();
    let res = ListPage {
        items: vec!["a", "b"],
        total: 7,
    }
    .respond_to(&req);
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.headers().get("x-total-count").unwrap(), "7");
    assert_eq!(
        res.headers().get("content-type").unwrap(),
        "application/json"
    );
    let body = to_bytes(res.into_body()).await.unwrap();
    assert_eq!(&body[..], br#"["a","b"]"#);
}

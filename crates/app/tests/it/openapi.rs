//! The committed contract (`web/openapi.json`) must match what the code produces.

#[test]
fn committed_openapi_document_is_current() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../web/openapi.json");
    let committed = std::fs::read_to_string(path).unwrap_or_default();

    let current = app::openapi::document_json();

    assert!(
        committed == current,
        "web/openapi.json is stale: run `make openapi` and commit the result"
    );
}

#[test]
fn document_declares_the_problem_schema_and_both_security_schemes() {
    let doc: serde_json::Value = serde_json::from_str(&app::openapi::document_json()).unwrap();

    assert!(doc["openapi"].as_str().unwrap().starts_with("3.1"));
    assert!(doc["components"]["schemas"]["Problem"].is_object());
    assert!(doc["components"]["securitySchemes"]["cookie_session"].is_object());
    assert!(doc["components"]["securitySchemes"]["api_key"].is_object());
}

//! Layers and scripts: uploads streamed to the local object store and checked for format,
//! listing, preview, download, delete; keys refused whatever their disguise; signed links that
//! expire and cannot be tampered with.

use hmac::{Hmac, Mac};
use serde_json::json;
use sha2::Sha256;
use sqlx::PgPool;
use testkit::reqwest::multipart::{Form, Part};
use testkit::{problem, Session, TestApp};

use crate::common::{create_project, expect, PROJECTS};

async fn upload(
    session: &Session,
    project: &str,
    name: &str,
    content_type: &str,
    bytes: Vec<u8>,
) -> testkit::reqwest::Response {
    session
        .upload_bronze(project, name, content_type, bytes)
        .await
}

#[sqlx::test(migrations = "../../migrations")]
async fn bronze_files_are_uploaded_checked_listed_previewed_and_deleted(pool: PgPool) {
    let app = TestApp::spawn(pool).await;
    let owner = app.sign_up("acme").await;
    let project = create_project(&owner, "shop").await;
    let csv = "order_id,customer,amount\n1,ana,10.50\n2,ben,7.25\n3,cara,99.00\n";

    let stored = expect(
        upload(&owner, &project, "Orders 2026.csv", "text/csv", csv.into()).await,
        201,
    )
    .await;
    assert_eq!(stored["name"], "Orders_2026.csv", "the name is made plain");
    assert_eq!(stored["size"], csv.len());
    let tenant = owner.tenant_id;
    assert_eq!(
        stored["key"],
        format!("tenants/{tenant}/projects/{project}/bronze/Orders_2026.csv")
    );
    let jsonl = "{\"id\":1,\"email\":\"a@x.test\"}\n{\"id\":2,\"email\":null}\n";
    expect(
        upload(
            &owner,
            &project,
            "customers.jsonl",
            "application/x-ndjson",
            jsonl.into(),
        )
        .await,
        201,
    )
    .await;

    let listed = expect(
        owner
            .get(&format!("{PROJECTS}/{project}/layers/bronze/objects"))
            .await,
        200,
    )
    .await;
    let names: Vec<&str> = listed
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["Orders_2026.csv", "customers.jsonl"]);
    assert_eq!(listed[0]["format"], "csv");
    let silver = expect(
        owner
            .get(&format!("{PROJECTS}/{project}/layers/silver/objects"))
            .await,
        200,
    )
    .await;
    assert_eq!(silver, json!([]));

    let preview = expect(
        owner
            .get(&format!(
                "{PROJECTS}/{project}/layers/bronze/objects/Orders_2026.csv/preview?limit=2"
            ))
            .await,
        200,
    )
    .await;
    assert_eq!(
        preview["columns"],
        json!(["order_id", "customer", "amount"])
    );
    assert_eq!(
        preview["rows"],
        json!([["1", "ana", "10.50"], ["2", "ben", "7.25"]])
    );
    assert_eq!(preview["truncated"], true);
    let preview = expect(
        owner
            .get(&format!(
                "{PROJECTS}/{project}/layers/bronze/objects/customers.jsonl/preview"
            ))
            .await,
        200,
    )
    .await;
    assert_eq!(
        preview["columns"],
        json!(["email", "id"]),
        "JSON keys in name order"
    );
    assert_eq!(preview["rows"], json!([["a@x.test", "1"], [null, "2"]]));

    let res = owner
        .get(&format!(
            "{PROJECTS}/{project}/layers/bronze/objects/Orders_2026.csv"
        ))
        .await;
    assert_eq!(res.status(), 200);
    assert_eq!(res.text().await.unwrap(), csv);

    // What a file is, is checked on its bytes, its name and its declared type.
    let not_parquet = upload(
        &owner,
        &project,
        "orders.parquet",
        "application/octet-stream",
        csv.into(),
    )
    .await;
    assert_eq!(
        problem(not_parquet, 415).await["code"],
        "unsupported_media_type"
    );
    problem(
        upload(
            &owner,
            &project,
            "tool.exe",
            "application/octet-stream",
            b"MZ".to_vec(),
        )
        .await,
        415,
    )
    .await;
    problem(
        upload(&owner, &project, "photo.csv", "image/png", csv.into()).await,
        415,
    )
    .await;
    problem(
        upload(
            &owner,
            &project,
            "bin.csv",
            "text/csv",
            vec![0x00, 0xff, 0x10],
        )
        .await,
        415,
    )
    .await;
    problem(
        upload(
            &owner,
            &project,
            "lines.jsonl",
            "application/x-ndjson",
            b"[1,2]\n".to_vec(),
        )
        .await,
        415,
    )
    .await;
    let mut parquet = b"PAR1".to_vec();
    parquet.extend_from_slice(&[0u8; 32]);
    parquet.extend_from_slice(b"PAR1");
    expect(
        upload(
            &owner,
            &project,
            "events.parquet",
            "application/vnd.apache.parquet",
            parquet,
        )
        .await,
        201,
    )
    .await;
    let listed = expect(
        owner
            .get(&format!("{PROJECTS}/{project}/layers/bronze/objects"))
            .await,
        200,
    )
    .await;
    assert_eq!(
        listed.as_array().unwrap().len(),
        3,
        "refused uploads left nothing behind"
    );

    // A real Parquet file is read back; the fake one (right magic, no footer) is refused.
    expect(
        upload(
            &owner,
            &project,
            "orders.parquet",
            "application/vnd.apache.parquet",
            orders_parquet(),
        )
        .await,
        201,
    )
    .await;
    let preview = expect(
        owner
            .get(&format!(
                "{PROJECTS}/{project}/layers/bronze/objects/orders.parquet/preview?limit=2"
            ))
            .await,
        200,
    )
    .await;
    assert_eq!(preview["format"], "parquet");
    assert_eq!(preview["columns"], json!(["id", "email"]));
    assert_eq!(
        preview["rows"],
        json!([["1", "ana@example.com"], ["2", null]])
    );
    assert_eq!(preview["truncated"], true);
    let fake = owner
        .get(&format!(
            "{PROJECTS}/{project}/layers/bronze/objects/events.parquet/preview"
        ))
        .await;
    problem(fake, 422).await;

    assert_eq!(
        owner
            .delete(&format!(
                "{PROJECTS}/{project}/layers/bronze/objects/Orders_2026.csv"
            ))
            .await
            .status(),
        204
    );
    problem(
        owner
            .get(&format!(
                "{PROJECTS}/{project}/layers/bronze/objects/Orders_2026.csv"
            ))
            .await,
        404,
    )
    .await;
    problem(
        owner
            .delete(&format!(
                "{PROJECTS}/{project}/layers/bronze/objects/Orders_2026.csv"
            ))
            .await,
        404,
    )
    .await;
    app.stop().await;
}

#[sqlx::test(migrations = "../../migrations")]
async fn an_upload_over_the_limit_is_refused_and_leaves_nothing(pool: PgPool) {
    let app = TestApp::spawn_with(pool, |c| c.max_object_upload_bytes = 64 * 1024).await;
    let owner = app.sign_up("acme").await;
    let project = create_project(&owner, "shop").await;
    let big = format!("id,text\n{}", "1,aaaaaaaaaaaaaaaaaaaa\n".repeat(5000));
    // The whole form announces its length: refused before it is read.
    problem(
        upload(
            &owner,
            &project,
            "big.csv",
            "text/csv",
            big.clone().into_bytes(),
        )
        .await,
        413,
    )
    .await;
    // Sent chunked, without a length: refused while it streams.
    let stream = futures_util::stream::iter(
        big.into_bytes()
            .chunks(8192)
            .map(|c| Ok::<_, std::io::Error>(c.to_vec()))
            .collect::<Vec<_>>(),
    );
    let part = Part::stream(testkit::reqwest::Body::wrap_stream(stream))
        .file_name("big.csv")
        .mime_str("text/csv")
        .unwrap();
    let res = owner
        .client
        .post(owner.url(&format!("{PROJECTS}/{project}/layers/bronze/objects")))
        .multipart(Form::new().part("file", part))
        .send()
        .await
        .unwrap();
    problem(res, 413).await;
    let listed = expect(
        owner
            .get(&format!("{PROJECTS}/{project}/layers/bronze/objects"))
            .await,
        200,
    )
    .await;
    assert_eq!(listed, json!([]));
    app.stop().await;
}

/// The link scheme of the local store, computed as a third party holding the server secret
/// would: lets the test make a correctly signed link that has expired.
fn signed(secret: &str, key: &str, expires: i64) -> String {
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(secret.as_bytes()).unwrap();
    mac.update(format!("datafortress object link\nGET\n{key}\n{expires}").as_bytes());
    hex::encode(mac.finalize().into_bytes())
}

#[sqlx::test(migrations = "../../migrations")]
async fn scripts_are_versioned_and_read_through_links_that_expire(pool: PgPool) {
    let app = TestApp::spawn(pool).await;
    let owner = app.sign_up("acme").await;
    let project = create_project(&owner, "shop").await;
    let path = format!("{PROJECTS}/{project}/scripts/clean_orders");
    let v1 = expect(
        owner
            .put_json(&path, &json!({"layer": "silver", "sql": "SELECT 1"}))
            .await,
        201,
    )
    .await;
    let v2 = expect(
        owner
            .put_json(
                &path,
                &json!({"layer": "silver", "sql": "SELECT * FROM bronze.orders"}),
            )
            .await,
        201,
    )
    .await;
    assert_eq!(
        (v1["version"].clone(), v2["version"].clone()),
        (json!(1), json!(2))
    );
    let key = v2["key"].as_str().unwrap().to_owned();
    assert_eq!(
        key,
        format!(
            "tenants/{}/projects/{project}/scripts/clean_orders/v2.sql",
            owner.tenant_id
        )
    );
    let latest = expect(
        owner.get(&format!("{PROJECTS}/{project}/scripts")).await,
        200,
    )
    .await;
    assert_eq!(latest[0]["version"], 2);
    let versions = expect(owner.get(&format!("{path}/versions")).await, 200).await;
    assert_eq!(versions.as_array().unwrap().len(), 2);

    let link = expect(
        owner
            .get(&format!("/api/v1/layers/scripts?key={}", urlencode(&key)))
            .await,
        200,
    )
    .await;
    let url = link["url"].as_str().unwrap().to_owned();
    // The link is the permission: a client without a session reads it.
    let anonymous = testkit::reqwest::Client::new();
    let res = anonymous.get(&url).send().await.unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(res.text().await.unwrap(), "SELECT * FROM bronze.orders");

    // Tampered: another signature, another key under the same signature, another expiry.
    let parsed = url::Url::parse(&url).unwrap();
    let params: std::collections::HashMap<String, String> =
        parsed.query_pairs().into_owned().collect();
    let expires: i64 = params["expires"].parse().unwrap();
    let v1_key = key.replace("v2.sql", "v1.sql");
    let signed_url = |key: &str, expires: i64, signature: &str| {
        app.url(&format!(
            "/api/v1/layers/signed?key={}&expires={expires}&signature={signature}",
            urlencode(key)
        ))
    };
    let mut flipped = params["signature"].clone();
    flipped.replace_range(0..1, if flipped.starts_with('0') { "1" } else { "0" });
    for tampered in [
        signed_url(&key, expires, &flipped),
        signed_url(&v1_key, expires, &params["signature"]),
        signed_url(&key, expires + 3600, &params["signature"]),
        signed_url(&key, expires, "not-hex"),
    ] {
        let body = problem(anonymous.get(&tampered).send().await.unwrap(), 403).await;
        assert_eq!(body["code"], "signed_url_invalid");
    }
    // Expired, though correctly signed; and the same scheme unexpired is accepted.
    let secret = secrecy::ExposeSecret::expose_secret(&app.config.auth_secret).to_owned();
    let past = chrono::Utc::now().timestamp() - 1;
    problem(
        anonymous
            .get(signed_url(&key, past, &signed(&secret, &key, past)))
            .send()
            .await
            .unwrap(),
        403,
    )
    .await;
    let soon = chrono::Utc::now().timestamp() + 60;
    let res = anonymous
        .get(signed_url(&v1_key, soon, &signed(&secret, &v1_key, soon)))
        .send()
        .await
        .unwrap();
    assert_eq!(res.text().await.unwrap(), "SELECT 1");
    app.stop().await;
}

fn urlencode(text: &str) -> String {
    url::form_urlencoded::byte_serialize(text.as_bytes()).collect()
}

#[sqlx::test(migrations = "../../migrations")]
async fn keys_in_any_disguise_never_reach_another_object(pool: PgPool) {
    let app = TestApp::spawn(pool).await;
    let owner = app.sign_up("acme").await;
    let project = create_project(&owner, "shop").await;
    let other_project = create_project(&owner, "other").await;
    let script = format!("{PROJECTS}/{project}/scripts/clean");
    let saved = expect(
        owner
            .put_json(&script, &json!({"layer": "gold", "sql": "SELECT 2"}))
            .await,
        201,
    )
    .await;
    let key = saved["key"].as_str().unwrap().to_owned();
    let t = owner.tenant_id;
    let base = format!("tenants/{t}/projects/{project}");

    // Key parameters: traversal, absolute, encoded, another project, unknown version.
    for bad in [
        format!("{base}/scripts/clean/../../../../etc/passwd"),
        format!("{base}/scripts/clean/..%2f..%2fv1.sql"),
        format!("{base}/scripts/clean/%2e%2e/v1.sql"),
        format!("{base}/scripts/./clean/v1.sql"),
        format!("/{key}"),
        "/etc/passwd".to_owned(),
        format!("{base}/scripts/clean\\..\\v1.sql"),
        format!("{base}/scripts/clean/v1.sql\0"),
        format!("tenants/{t}/projects/{other_project}/scripts/clean/v1.sql"),
        format!("{base}/scripts/clean/v9.sql"),
        format!("{base}/bronze/orders.csv"),
        key.to_uppercase(),
        String::new(),
    ] {
        let res = owner
            .get(&format!("/api/v1/layers/scripts?key={}", urlencode(&bad)))
            .await;
        assert_eq!(res.status(), 404, "{bad:?}");
    }
    // Double-encoded, straight in the query string.
    let res = owner
        .get(&format!(
            "/api/v1/layers/scripts?key={base}/scripts/clean/%252e%252e/v1.sql"
        ))
        .await;
    assert_eq!(res.status(), 404);

    // Object names in paths: encoded traversal and odd names are no object.
    expect(
        upload(
            &owner,
            &project,
            "orders.csv",
            "text/csv",
            b"a\n1\n".to_vec(),
        )
        .await,
        201,
    )
    .await;
    for bad in [
        "..%2F..%2Fscripts%2Fclean%2Fv1.sql",
        "%2e%2e",
        ".orders.csv",
        "orders.csv%00",
        "a%5C..%5Cb",
    ] {
        let res = owner
            .get(&format!("{PROJECTS}/{project}/layers/bronze/objects/{bad}"))
            .await;
        assert_eq!(res.status(), 404, "{bad}");
    }
    let res = owner
        .get(&format!("{PROJECTS}/{project}/layers/platinum/objects"))
        .await;
    assert_eq!(res.status(), 404);
    // The right key still works.
    let res = owner
        .get(&format!("/api/v1/layers/scripts?key={}", urlencode(&key)))
        .await;
    assert_eq!(res.status(), 200);
    app.stop().await;
}

/// A three-row Parquet file: `id` (INT64) and `email` (optional UTF8, the second row null).
fn orders_parquet() -> Vec<u8> {
    use parquet::data_type::{ByteArray, ByteArrayType, Int64Type};
    use parquet::file::properties::WriterProperties;
    use parquet::file::writer::SerializedFileWriter;
    use parquet::schema::parser::parse_message_type;
    let schema = parse_message_type(
        "message orders { REQUIRED INT64 id; OPTIONAL BYTE_ARRAY email (UTF8); }",
    )
    .unwrap();
    let mut file = Vec::new();
    let mut writer = SerializedFileWriter::new(
        &mut file,
        std::sync::Arc::new(schema),
        std::sync::Arc::new(WriterProperties::builder().build()),
    )
    .unwrap();
    let mut group = writer.next_row_group().unwrap();
    let mut id = group.next_column().unwrap().unwrap();
    id.typed::<Int64Type>()
        .write_batch(&[1, 2, 3], None, None)
        .unwrap();
    id.close().unwrap();
    let mut email = group.next_column().unwrap().unwrap();
    let emails = [
        ByteArray::from("ana@example.com"),
        ByteArray::from("cara@example.com"),
    ];
    email
        .typed::<ByteArrayType>()
        .write_batch(&emails, Some(&[1, 0, 1]), None)
        .unwrap();
    email.close().unwrap();
    group.close().unwrap();
    writer.close().unwrap();
    file
}

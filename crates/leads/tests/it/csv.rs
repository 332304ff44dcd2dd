//! CSV import (multipart upload, a durable job, exact per-row failures, duplicate policies,
//! no double import on a retry) and CSV export (every matching lead, streamed).

use crate::common::{count, create, finished, json, list, start_worker, upload, IMPORTS, LEADS};
use reqwest::multipart::Form;
use serde_json::{json, Value};
use sqlx::PgPool;
use testkit::{problem, TestApp};

#[sqlx::test(migrations = "../../migrations")]
async fn an_import_reports_exactly_its_bad_rows(pool: PgPool) {
    let app = TestApp::spawn(pool).await;
    let owner = app.sign_up("acme").await;
    let _worker = start_worker(&app);
    // The issue's file: 100,000 rows, 1% of them bad in one of three ways.
    let mut csv = String::from("First Name,Email,score,Notes\n");
    let mut bad_rows = Vec::new();
    for i in 0..100_000 {
        let row = i + 2; // the header is row 1
        let line = if i % 100 != 7 {
            format!("Lead {i},l{i}@x.example,{},\"quoted, notes\"\n", i % 100)
        } else {
            bad_rows.push(row);
            match (i / 100) % 3 {
                0 => format!("Bad{i},not-an-email,10,x\n"),
                1 => format!("Bad{i},b{i}@x.example,high,x\n"),
                _ => format!("Bad{i},b{i}@x.example,500,x\n"),
            }
        };
        csv.push_str(&line);
    }

    let res = upload(&owner, csv, &[]).await;
    assert_eq!(res.status(), 202);
    let import = json(res).await;
    let done = finished(&owner, import["id"].as_str().unwrap()).await;

    assert_eq!(done["state"], "succeeded", "{done}");
    assert_eq!(done["total_rows"], 100_000);
    assert_eq!(done["failed"], bad_rows.len());
    assert_eq!(done["created"], 100_000 - bad_rows.len());
    let failed_rows: Vec<i64> = done["failures"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["row"].as_i64().unwrap())
        .collect();
    assert_eq!(
        failed_rows,
        bad_rows.iter().map(|r| *r as i64).collect::<Vec<_>>()
    );
    assert!(done["failures"][0]["reason"]
        .as_str()
        .unwrap()
        .contains("email"));
    assert!(done["failures"][1]["reason"]
        .as_str()
        .unwrap()
        .contains("not a whole number"));
    assert!(done["failures"][2]["reason"]
        .as_str()
        .unwrap()
        .contains("between 0 and 100"));
    assert_eq!(count(&app, "leads").await, 100_000 - bad_rows.len() as i64);
    let (_, total) = list(&owner, &format!("{LEADS}?email=l5@x.example")).await;
    assert_eq!(total, 1);
    app.stop().await;
}

#[sqlx::test(migrations = "../../migrations")]
async fn duplicate_policies_skip_update_or_refuse(pool: PgPool) {
    let app = TestApp::spawn(pool).await;
    let owner = app.sign_up("acme").await;
    let _worker = start_worker(&app);
    create(
        &owner,
        json!({"email": "known@x.example", "first_name": "Old"}),
    )
    .await;
    let csv = || "mail,given\nKNOWN@x.example,New\nfresh@x.example,Fresh\n".to_owned();
    let mapping = r#"{"mail": "email", "given": "first_name"}"#;

    for (policy, created, updated, skipped, failed) in [
        ("skip", 1, 0, 1, 0),
        // Both emails exist by now (the first pass created the fresh one).
        ("create", 0, 0, 0, 2),
        ("update", 0, 1, 1, 0),
    ] {
        let res = upload(
            &owner,
            csv(),
            &[("mapping", mapping), ("on_duplicate", policy)],
        )
        .await;
        assert_eq!(res.status(), 202, "{policy}");
        let done = finished(&owner, json(res).await["id"].as_str().unwrap()).await;
        let got = [
            &done["created"],
            &done["updated"],
            &done["skipped"],
            &done["failed"],
        ];
        assert_eq!(
            got,
            [created, updated, skipped, failed]
                .map(Value::from)
                .each_ref(),
            "{policy}: {done}"
        );
    }
    let (known, _) = list(&owner, &format!("{LEADS}?email=known@x.example")).await;
    assert_eq!(known[0]["first_name"], "New");
    assert_eq!(count(&app, "leads").await, 2);
    app.stop().await;
}

#[sqlx::test(migrations = "../../migrations")]
async fn a_retried_import_resumes_after_its_last_committed_chunk(pool: PgPool) {
    let app = TestApp::spawn(pool).await;
    let owner = app.sign_up("acme").await;
    let mut csv = String::from("email\n");
    for i in 0..700 {
        csv.push_str(&format!("r{i}@x.example\n"));
    }
    let res = upload(&owner, csv.clone(), &[]).await;
    let id = json(res).await["id"].as_str().unwrap().to_owned();
    let worker = start_worker(&app);
    assert_eq!(finished(&owner, &id).await["created"], 700);
    drop(worker);

    // Put the world back as if the first attempt had committed its first 500 rows and died
    // before committing the next ones: those 200 leads do not exist, the import is
    // running with next_row = 500.
    sqlx::query("DELETE FROM leads WHERE substring(email from '^r([0-9]+)@')::int >= 500")
        .execute(&app.owner_db)
        .await
        .unwrap();
    sqlx::query(
        "UPDATE lead_imports SET state = 'running', next_row = 500, created = 500, \
             total_rows = NULL, finished_at = NULL, file = $1",
    )
    .bind(csv.into_bytes())
    .execute(&app.owner_db)
    .await
    .unwrap();
    assert_eq!(count(&app, "leads").await, 500);
    // The same job again, as the worker would run it on a retry.
    let mut tx = kernel::tenancy::tenant_tx_for(&app.db, kernel::TenantId(owner.tenant_id))
        .await
        .unwrap();
    let job = leads::import::ImportLeads {
        import_id: id.parse().unwrap(),
    };
    kernel::jobs::enqueue(&mut tx, &job, &kernel::jobs::JobOptions::default())
        .await
        .unwrap();
    tx.commit().await.unwrap();
    let _worker = start_worker(&app);
    let again = finished(&owner, &id).await;

    assert_eq!(count(&app, "leads").await, 700);
    assert_eq!(
        (&again["created"], &again["skipped"]),
        (&json!(700), &json!(0)),
        "{again}"
    );
    app.stop().await;
}

#[sqlx::test(migrations = "../../migrations")]
async fn bad_uploads_are_refused_up_front(pool: PgPool) {
    let app = TestApp::spawn(pool).await;
    let owner = app.sign_up("acme").await;

    let body = problem(upload(&owner, "a,b\n1,2\n".into(), &[]).await, 422).await;
    assert!(body["errors"]["mapping"].is_array(), "{body}");
    let body = problem(
        upload(
            &owner,
            "email\nx@y.example\n".into(),
            &[("mapping", r#"{"email": "password"}"#)],
        )
        .await,
        422,
    )
    .await;
    assert!(body["errors"]["mapping"].is_array());
    let body = problem(
        upload(&owner, "email\n".into(), &[("on_duplicate", "merge")]).await,
        422,
    )
    .await;
    assert!(body["errors"]["on_duplicate"].is_array());
    let res = owner
        .client
        .post(owner.url(IMPORTS))
        .multipart(Form::new().text("mapping", "{}"))
        .send()
        .await
        .unwrap();
    assert!(problem(res, 422).await["errors"]["file"].is_array());
    let res = owner.post_json(IMPORTS, &json!({"file": "email\n"})).await;
    assert_eq!(problem(res, 415).await["code"], "unsupported_media_type");
    let big = "email\n".to_owned() + &"x".repeat(50 * 1024 * 1024 + 1);
    let res = upload(&owner, big, &[]).await;
    assert_eq!(problem(res, 413).await["code"], "payload_too_large");
    assert_eq!(count(&app, "lead_imports").await, 0);
    app.stop().await;
}

#[sqlx::test(migrations = "../../migrations")]
async fn export_streams_every_matching_lead_as_csv(pool: PgPool) {
    let app = TestApp::spawn(pool).await;
    let owner = app.sign_up("acme").await;
    let mut body = Vec::new();
    for i in 0..450 {
        body.push(json!({"email": format!("e{i}@x.example"), "company": if i % 3 == 0 { "=HYPERLINK(\"x\")" } else { "Plain, Inc" }, "score": i % 100}));
    }
    for chunk in body.chunks(200) {
        let res = owner
            .post_json(&format!("{LEADS}/bulk"), &json!(chunk))
            .await;
        assert_eq!(res.status(), 201);
    }

    let res = owner
        .get(&format!("{LEADS}/export.csv?score_gte=50&_start=0&_end=10"))
        .await;
    assert_eq!(res.status(), 200);
    assert!(res.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/csv"));
    let text = res.text().await.unwrap();
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let headers = reader.headers().unwrap().clone();
    assert_eq!(&headers[3], "email");
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    let matching = (0..450).filter(|i| i % 100 >= 50).count();
    assert_eq!(rows.len(), matching, "not one page: all that match");
    assert!(rows.iter().all(|r| r[11].parse::<i64>().unwrap() >= 50));
    assert!(rows.iter().any(|r| &r[5] == "Plain, Inc"));
    assert!(
        rows.iter().any(|r| r[5].starts_with("'=HYPERLINK")),
        "formulas are defused"
    );

    let globex = app.sign_up("globex").await;
    let text = globex
        .get(&format!("{LEADS}/export.csv"))
        .await
        .text()
        .await
        .unwrap();
    assert_eq!(
        text.lines().count(),
        1,
        "another tenant exports only the header"
    );
    let res = owner.get(&format!("{LEADS}/export.csv?nope=1")).await;
    problem(res, 400).await;
    app.stop().await;
}

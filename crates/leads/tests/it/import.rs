//! CSV import, record by record as a user reads the result: duplicates within one file,
//! a lead another writer creates while the import runs, a value only the database refuses,
//! round-robin turns across a large file, and many updates in one file.

use std::collections::HashMap;
use std::time::Duration;

use crate::common::{add_member, count, finished, id, json, list, start_worker, upload, LEADS};
use serde_json::{json, Value};
use sqlx::PgPool;
use testkit::{Session, TestApp};

/// Uploads `csv` with `policy`, waits for the import and returns it.
async fn import(session: &Session, csv: &str, policy: &str) -> Value {
    let res = upload(session, csv.to_owned(), &[("on_duplicate", policy)]).await;
    assert_eq!(res.status(), 202, "{}", res.text().await.unwrap());
    let import = json(res).await;
    finished(session, import["id"].as_str().unwrap()).await
}

/// `[created, updated, skipped, failed]` of a finished import.
fn counts(import: &Value) -> [i64; 4] {
    ["created", "updated", "skipped", "failed"].map(|k| import[k].as_i64().unwrap())
}

/// `(row, reason)` of every failure.
fn failures(import: &Value) -> Vec<(i64, String)> {
    import["failures"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            let reason = f["reason"].as_str().unwrap().to_owned();
            (f["row"].as_i64().unwrap(), reason)
        })
        .collect()
}

async fn lead_by_email(session: &Session, email: &str) -> Value {
    let (found, total) = list(session, &format!("{LEADS}?email={email}")).await;
    assert_eq!(total, 1, "{email}");
    found[0].clone()
}

/// Email -> owner id (empty when none) of every live lead, from the CSV export.
async fn owners_by_email(session: &Session) -> HashMap<String, String> {
    let text = session
        .get(&format!("{LEADS}/export.csv"))
        .await
        .text()
        .await
        .unwrap();
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let headers = reader.headers().unwrap().clone();
    let column = |name: &str| headers.iter().position(|h| h == name).unwrap();
    let (email, owner) = (column("email"), column("owner_id"));
    reader
        .records()
        .map(|r| {
            let r = r.unwrap();
            (r[email].to_owned(), r[owner].to_owned())
        })
        .collect()
}

/// A member `rep@acme.example`, and a round-robin rule for `source` between the owner and it.
async fn round_robin(app: &TestApp, owner: &Session, source: &str) -> Session {
    let rep = add_member(app, owner, "rep@acme.example", "member").await;
    let res = owner
        .post_json(
            "/api/v1/lead-assignment-rules",
            &json!({"source": source, "member_ids": [owner.user_id, rep.user_id]}),
        )
        .await;
    assert_eq!(res.status(), 201);
    rep
}

#[sqlx::test(migrations = "../../migrations")]
async fn a_file_that_repeats_an_email_meets_its_own_earlier_row(pool: PgPool) {
    let app = TestApp::spawn(pool).await;
    let _worker = start_worker(&app);
    // Row 4 fails, so it takes nothing: row 6 creates c. Rows 5 and 7 meet the lead of row 2.
    let csv = "email,first_name,score\n\
               a@x.example,A1,1\n\
               b@x.example,B,2\n\
               c@x.example,C1,500\n\
               A@X.example,A2,3\n\
               c@x.example,C2,4\n\
               a@x.example,A3,5\n";

    let skip = app.sign_up("skip").await;
    let done = import(&skip, csv, "skip").await;
    assert_eq!(counts(&done), [3, 0, 2, 1], "{done}");
    assert_eq!(failures(&done)[0].0, 4);
    assert!(failures(&done)[0].1.starts_with("score"));
    assert_eq!(
        lead_by_email(&skip, "a@x.example").await["first_name"],
        "A1"
    );
    assert_eq!(
        lead_by_email(&skip, "c@x.example").await["first_name"],
        "C2"
    );

    let update = app.sign_up("update").await;
    let done = import(&update, csv, "update").await;
    assert_eq!(counts(&done), [3, 2, 0, 1], "{done}");
    let a = lead_by_email(&update, "a@x.example").await;
    assert_eq!((&a["first_name"], &a["score"]), (&json!("A3"), &json!(5)));
    assert_eq!(a["version"], 3, "created, then updated twice");
    let (audit, _) = list(&update, &format!("{LEADS}/{}/audit", id(&a))).await;
    let actions: Vec<&str> = audit
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    assert_eq!(actions, ["import", "import", "create"]);

    let create = app.sign_up("create").await;
    let done = import(&create, csv, "create").await;
    assert_eq!(counts(&done), [3, 0, 0, 3], "{done}");
    let a = lead_by_email(&create, "a@x.example").await;
    let taken = format!("email: already used by lead {}", id(&a));
    let failed = failures(&done);
    assert_eq!(failed[0].0, 4);
    assert_eq!(failed[1..], [(5, taken.clone()), (7, taken)]);
    app.stop().await;
}

#[sqlx::test(migrations = "../../migrations")]
async fn a_lead_created_while_the_import_runs_is_met_not_duplicated(pool: PgPool) {
    let app = TestApp::spawn(pool).await;
    let owner = app.sign_up("acme").await;
    let rep = round_robin(&app, &owner, "webinar").await;
    // Another writer has created race@x.example and not committed yet: the import cannot
    // see it when it looks the emails up, and its insert waits for that writer.
    let mut other = app.owner_db.begin().await.unwrap();
    sqlx::query(
        "INSERT INTO leads (tenant_id, id, email, status) VALUES ($1, $2, 'race@x.example', 'New')",
    )
    .bind(owner.tenant_id)
    .bind(uuid::Uuid::now_v7())
    .execute(&mut *other)
    .await
    .unwrap();
    let csv = "email,source\n\
               w1@x.example,webinar\n\
               race@x.example,webinar\n\
               w2@x.example,webinar\n\
               w3@x.example,webinar\n";
    let res = upload(&owner, csv.to_owned(), &[("on_duplicate", "skip")]).await;
    let import_id = json(res).await["id"].as_str().unwrap().to_owned();
    let _worker = start_worker(&app);

    let mut waiting = 0;
    for _ in 0..600 {
        waiting = sqlx::query_scalar::<_, i64>(
            "SELECT count(*) FROM pg_stat_activity \
             WHERE datname = current_database() AND wait_event_type = 'Lock'",
        )
        .fetch_one(&app.owner_db)
        .await
        .unwrap();
        if waiting > 0 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    // Committed before asserting, so that a failed assertion leaves no import waiting.
    other.commit().await.unwrap();
    assert!(waiting > 0, "the import waited for the other writer");
    let done = finished(&owner, &import_id).await;

    assert_eq!(counts(&done), [3, 0, 1, 0], "{done}");
    let (race, _) = list(&owner, &format!("{LEADS}?email=race@x.example")).await;
    assert_eq!(race.len(), 1);
    // The three new leads took three consecutive turns, none lost to the race.
    let owners = owners_by_email(&owner).await;
    let (o, r) = (owner.user_id.to_string(), rep.user_id.to_string());
    assert_eq!(
        ["w1", "w2", "w3"].map(|w| owners[&format!("{w}@x.example")].clone()),
        [o.clone(), r, o]
    );
    let (rules, _) = list(&owner, "/api/v1/lead-assignment-rules").await;
    assert_eq!(rules[0]["assigned"], 3);
    app.stop().await;
}

#[sqlx::test(migrations = "../../migrations")]
async fn a_value_only_the_database_refuses_fails_its_row_alone(pool: PgPool) {
    let app = TestApp::spawn(pool).await;
    let owner = app.sign_up("acme").await;
    let _worker = start_worker(&app);
    // 490 bytes pass the website check; written as a URL (percent-encoded) the address is
    // longer than the 500 characters the table allows.
    let too_long = format!("a.example/{}", "é".repeat(240));
    let mut csv = String::from("email,website\n");
    for i in 0..120 {
        let website = if i == 50 {
            too_long.as_str()
        } else {
            "acme.example"
        };
        csv.push_str(&format!("r{i}@x.example,{website}\n"));
    }

    let done = import(&owner, &csv, "skip").await;

    assert_eq!(done["state"], "succeeded");
    assert_eq!(counts(&done), [119, 0, 0, 1], "{done}");
    assert_eq!(
        failures(&done),
        [(52, "could not be stored (internal error)".to_owned())]
    );
    let (_, total) = list(&owner, LEADS).await;
    assert_eq!(total, 119);
    // Each created lead has its audit entry and its "Lead created" entry, nothing more.
    assert_eq!(count(&app, "lead_audit").await, 119);
    assert_eq!(count(&app, "lead_timeline").await, 119);
    app.stop().await;
}

#[sqlx::test(migrations = "../../migrations")]
async fn round_robin_takes_turns_in_file_order_across_a_large_file(pool: PgPool) {
    let app = TestApp::spawn(pool).await;
    let owner = app.sign_up("acme").await;
    let rep = round_robin(&app, &owner, "Webinar").await;
    let _worker = start_worker(&app);
    let (o, r) = (owner.user_id.to_string(), rep.user_id.to_string());
    // 1,500 rows (more than one batch): sources in several cases, some rows with their own
    // owner, some bad.
    let mut csv = String::from("email,source,owner_id,score\n");
    let mut expected: Vec<(String, String)> = Vec::new();
    let mut turn = 0;
    for i in 0..1500 {
        let email = format!("r{i}@x.example");
        let source = ["webinar", "WEBINAR", "fair"][i % 3];
        let own = if i % 7 == 0 { r.as_str() } else { "" };
        let score = if i % 11 == 0 { 500 } else { 1 };
        csv.push_str(&format!("{email},{source},{own},{score}\n"));
        if score == 500 {
            continue;
        }
        let owner_id = if !own.is_empty() {
            own.to_owned()
        } else if source == "fair" {
            String::new()
        } else {
            turn += 1;
            if turn % 2 == 1 {
                o.clone()
            } else {
                r.clone()
            }
        };
        expected.push((email, owner_id));
    }

    let done = import(&owner, &csv, "skip").await;

    let bad = (0..1500).filter(|i| i % 11 == 0).count() as i64;
    assert_eq!(counts(&done), [1500 - bad, 0, 0, bad], "{done}");
    let owners = owners_by_email(&owner).await;
    for (email, owner_id) in &expected {
        assert_eq!(&owners[email], owner_id, "{email}");
    }
    let (rules, _) = list(&owner, "/api/v1/lead-assignment-rules").await;
    assert_eq!(rules[0]["assigned"], turn);
    let lead = lead_by_email(&owner, "r1@x.example").await;
    let timeline = json(owner.get(&format!("{LEADS}/{}/timeline", id(&lead))).await).await;
    let bodies: Vec<&str> = timeline["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["body"].as_str().unwrap())
        .collect();
    assert_eq!(bodies, ["Owner assigned", "Lead created"]);
    app.stop().await;
}

#[sqlx::test(migrations = "../../migrations")]
async fn a_file_of_many_updates_updates_every_lead(pool: PgPool) {
    let app = TestApp::spawn(pool).await;
    let owner = app.sign_up("acme").await;
    let _worker = start_worker(&app);
    let mut csv = String::from("email,first_name\n");
    for i in 0..150 {
        csv.push_str(&format!("u{i}@x.example,Old\n"));
    }
    assert_eq!(
        counts(&import(&owner, &csv, "update").await),
        [150, 0, 0, 0]
    );

    // More updates than one transaction makes, between new leads.
    let mut csv = String::from("email,first_name\n");
    for i in 0..150 {
        csv.push_str(&format!("u{i}@x.example,New\n"));
        if i % 10 == 0 {
            csv.push_str(&format!("n{i}@x.example,Fresh\n"));
        }
    }
    let done = import(&owner, &csv, "update").await;

    assert_eq!(counts(&done), [15, 150, 0, 0], "{done}");
    let (_, total) = list(&owner, &format!("{LEADS}?first_name=New")).await;
    assert_eq!(total, 150);
    let (_, total) = list(&owner, &format!("{LEADS}?first_name=Fresh")).await;
    assert_eq!(total, 15);
    app.stop().await;
}

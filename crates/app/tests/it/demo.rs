//! `fortress demo` seeds a tenant whose owner can sign in to a CRM worth opening (a pipeline,
//! a few hundred leads with their history, notes and tasks, a finished import), and can run
//! again harmlessly.

use serde_json::Value;
use testkit::{Session, TestApp};

#[sqlx::test(migrations = "../../migrations")]
async fn demo_seed_is_idempotent_and_its_login_works(pool: sqlx::PgPool) {
    let app = TestApp::spawn(pool).await;
    let platform = platform(&app);

    let first = app::demo::seed(&platform).await.unwrap();
    let owner = app
        .sign_in(auth::demo::DEMO_EMAIL, auth::demo::DEMO_PASSWORD)
        .await;
    let leads_after_first = total(&owner, "/api/v1/leads").await;
    let rows_after_first = row_counts(&app).await;
    app::demo::seed(&platform).await.unwrap();

    assert!(first.contains(auth::demo::DEMO_EMAIL) && first.contains(auth::demo::DEMO_PASSWORD));
    assert_eq!(owner.tenant_slug, "demo");
    let users: i64 = sqlx::query_scalar("SELECT count(*) FROM users")
        .fetch_one(&app.owner_db)
        .await
        .unwrap();
    assert_eq!(users, 2, "the owner and Sam");
    let sam = app
        .sign_in(auth::demo::DEMO_MEMBER_EMAIL, auth::demo::DEMO_PASSWORD)
        .await;
    assert_eq!(sam.tenant_id, owner.tenant_id);

    assert!(leads_after_first >= 250, "{leads_after_first} leads");
    assert_eq!(total(&owner, "/api/v1/leads").await, leads_after_first);
    assert_eq!(
        row_counts(&app).await,
        rows_after_first,
        "seeding twice changes nothing"
    );
    app.stop().await;
}

#[sqlx::test(migrations = "../../migrations")]
async fn the_demo_crm_has_a_board_history_activities_and_an_import(pool: sqlx::PgPool) {
    let app = TestApp::spawn(pool).await;
    let platform = platform(&app);

    app::demo::seed(&platform).await.unwrap();
    let owner = app
        .sign_in(auth::demo::DEMO_EMAIL, auth::demo::DEMO_PASSWORD)
        .await;

    // The pipeline and its stages, every stage with leads on it.
    let pipelines = json(owner.get("/api/v1/pipelines").await).await;
    assert_eq!(pipelines.as_array().unwrap().len(), 1);
    let stages = pipelines[0]["stages"].as_array().unwrap();
    let names: Vec<&str> = stages.iter().map(|s| s["name"].as_str().unwrap()).collect();
    assert_eq!(
        names,
        ["New", "Contacted", "Qualified", "Proposal", "Won", "Lost"]
    );
    for stage in stages {
        let id = stage["id"].as_str().unwrap();
        let on_stage = total(&owner, &format!("/api/v1/leads?stage_id={id}")).await;
        assert!(on_stage > 0, "no lead in {}", stage["name"]);
    }

    // Leads spread over three months, two owners, several sources and statuses, every one
    // with its email, an E.164 phone and a score.
    let page = json(owner.get("/api/v1/leads?_start=0&_end=200").await).await;
    let leads = page.as_array().unwrap();
    let distinct = |field: &str| {
        let mut values: Vec<String> = leads.iter().map(|l| l[field].to_string()).collect();
        values.sort();
        values.dedup();
        values.len()
    };
    assert_eq!(distinct("owner_id"), 3, "the owner, Sam, and unassigned");
    assert!(distinct("source") >= 5);
    assert!(distinct("status") >= 4);
    for lead in leads {
        assert!(lead["email"].as_str().unwrap().ends_with(".example"));
        assert!(lead["phone"].as_str().unwrap().starts_with('+'));
        assert!((0..=100).contains(&lead["score"].as_i64().unwrap()));
    }
    let days: (i64, i64) = sqlx::query_as(
        "SELECT extract(day FROM now() - min(created_at))::int8, \
             extract(day FROM now() - max(created_at))::int8 FROM leads",
    )
    .fetch_one(&app.owner_db)
    .await
    .unwrap();
    assert!(days.0 >= 60 && days.0 <= 90 && days.1 <= 3, "{days:?}");

    // A won lead's timeline tells its story: created, moved stage by stage, converted.
    let won = stages.iter().find(|s| s["is_won"] == true).unwrap()["id"]
        .as_str()
        .unwrap();
    let lead = json(
        owner
            .get(&format!("/api/v1/leads?stage_id={won}&_end=1"))
            .await,
    )
    .await;
    let lead = lead[0]["id"].as_str().unwrap();
    let timeline = json(
        owner
            .get(&format!("/api/v1/leads/{lead}/timeline?limit=100"))
            .await,
    )
    .await;
    let bodies: Vec<&str> = timeline["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["body"].as_str().unwrap())
        .collect();
    assert_eq!(bodies.last(), Some(&"Lead created"), "{bodies:?}");
    assert!(bodies.contains(&"Stage Proposal -> Won"), "{bodies:?}");
    assert!(
        bodies.contains(&"Status In Process -> Converted"),
        "{bodies:?}"
    );

    // Notes and tasks, some done and some still due.
    let counts: (i64, i64, i64) = sqlx::query_as(
        "SELECT count(*) FILTER (WHERE kind = 'note'), \
             count(*) FILTER (WHERE kind = 'task' AND done), \
             count(*) FILTER (WHERE kind = 'task' AND NOT done AND due_at > now()) \
         FROM lead_timeline",
    )
    .fetch_one(&app.owner_db)
    .await
    .unwrap();
    assert!(
        counts.0 >= 50 && counts.1 >= 10 && counts.2 >= 10,
        "{counts:?}"
    );

    // One finished import, with created, skipped and failed rows.
    let imports = json(owner.get("/api/v1/leads/imports").await).await;
    let import = &imports.as_array().unwrap()[0];
    assert_eq!(import["state"], "succeeded", "{import}");
    assert_eq!(import["created"], 24, "{import}");
    assert_eq!(import["skipped"], 2, "{import}");
    assert_eq!(import["failed"], 1, "{import}");
    app.stop().await;
}

async fn json(res: reqwest::Response) -> Value {
    assert_eq!(res.status(), 200);
    res.json().await.unwrap()
}

/// The `X-Total-Count` of a list.
/// The platform `fortress demo` seeds through, on the test app's database and Redis (its
/// mailer is never used: the demo sends no mail).
fn platform(app: &TestApp) -> app::Platform {
    app::Platform {
        db: app.db.clone(),
        cache: app.cache.clone(),
        config: app.config.clone(),
        mailer: std::sync::Arc::new(
            kernel::mail::SmtpMailer::new("smtp://127.0.0.1:1", "x@y.test").unwrap(),
        ),
    }
}

async fn total(session: &Session, path: &str) -> i64 {
    let res = session.get(path).await;
    assert_eq!(res.status(), 200, "{path}");
    res.headers()["x-total-count"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap()
}

/// Rows of every table the demo writes, so a second run can be seen to change nothing.
async fn row_counts(app: &TestApp) -> Vec<i64> {
    let mut counts = Vec::new();
    for table in [
        "tenants",
        "users",
        "memberships",
        "leads",
        "lead_pipelines",
        "lead_stages",
        "lead_timeline",
        "lead_audit",
        "lead_stage_history",
        "lead_imports",
        "lead_import_failures",
        "lead_field_definitions",
        "lead_assignment_rules",
        "projects",
        "project_nodes",
        "project_edges",
        "project_node_runs",
        "project_runs",
        "project_scripts",
        "project_reports",
        "cost_usage",
    ] {
        let n: i64 = sqlx::query_scalar(&format!("SELECT count(*) FROM {table}"))
            .fetch_one(&app.owner_db)
            .await
            .unwrap();
        counts.push(n);
    }
    counts
}

#[sqlx::test(migrations = "../../migrations")]
async fn the_demo_project_has_a_live_tree_costs_files_a_script_and_reports(pool: sqlx::PgPool) {
    let app = TestApp::spawn(pool).await;
    let platform = platform(&app);
    app::demo::seed(&platform).await.unwrap();
    let owner = app
        .sign_in(auth::demo::DEMO_EMAIL, auth::demo::DEMO_PASSWORD)
        .await;

    let projects: Value = owner.get("/api/v1/projects").await.json().await.unwrap();
    assert_eq!(projects[0]["slug"], "fashion-shop");
    let id = projects[0]["id"].as_str().unwrap();
    let state: Value = owner
        .get(&format!("/api/v1/projects/{id}/state"))
        .await
        .json()
        .await
        .unwrap();
    let count = |layer: &str| state["trees"][layer].as_array().unwrap().len();
    assert_eq!(
        (
            count("bronze"),
            count("silver"),
            count("gold"),
            count("destination")
        ),
        (3, 3, 2, 1)
    );
    let statuses: Vec<&str> = ["bronze", "silver", "gold", "destination"]
        .iter()
        .flat_map(|l| state["trees"][l].as_array().unwrap())
        .map(|n| n["status"].as_str().unwrap())
        .collect();
    // The orchestration demo ran the pipeline after the projects demo's nightly run: the tree
    // is all green (the products table's warning cleared by the new silver table).
    assert!(statuses.iter().all(|s| *s == "GREEN"), "{statuses:?}");
    assert_eq!(state["active_jobs"].as_array().unwrap().len(), 0, "{state}");
    let executions: Value = owner
        .get("/api/v1/orchestration/executions")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(executions[0]["status"], "SUCCEEDED", "{executions}");
    let spent: f64 = state["billing_mtd"]["amount"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!(spent > 0.0, "{state}");

    let files: Value = owner
        .get(&format!("/api/v1/projects/{id}/layers/bronze/objects"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(files.as_array().unwrap().len(), 3);
    let scripts: Value = owner
        .get(&format!("/api/v1/projects/{id}/scripts"))
        .await
        .json()
        .await
        .unwrap();
    let key = scripts[0]["key"].as_str().unwrap();
    let link: Value = owner
        .get(&format!("/api/v1/layers/scripts?key={key}"))
        .await
        .json()
        .await
        .unwrap();
    let sql = reqwest::get(link["url"].as_str().unwrap())
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(sql.contains("SELECT"), "{sql}");
    let reports: Value = owner
        .get(&format!("/api/v1/reports/latest?project={id}"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(reports.as_array().unwrap().len(), 2);
    app.stop().await;
}

//! `fortress demo` seeds a tenant whose owner can sign in, and can run again harmlessly.

use testkit::TestApp;

#[sqlx::test(migrations = "../../migrations")]
async fn demo_seed_is_idempotent_and_its_login_works(pool: sqlx::PgPool) {
    let app = TestApp::spawn(pool).await;
    let platform = app::Platform {
        db: app.db.clone(),
        cache: app.cache.clone(),
        config: app.config.clone(),
        mailer: std::sync::Arc::new(
            kernel::mail::SmtpMailer::new("smtp://127.0.0.1:1", "x@y.test").unwrap(),
        ),
    };

    let first = app::demo::seed(&platform).await.unwrap();
    app::demo::seed(&platform).await.unwrap();

    assert!(first.contains(auth::demo::DEMO_EMAIL) && first.contains(auth::demo::DEMO_PASSWORD));
    let users: i64 = sqlx::query_scalar("SELECT count(*) FROM users")
        .fetch_one(&app.owner_db)
        .await
        .unwrap();
    assert_eq!(users, 1);
    let session = app
        .sign_in(auth::demo::DEMO_EMAIL, auth::demo::DEMO_PASSWORD)
        .await;
    assert_eq!(session.tenant_slug, "demo");
    app.stop().await;
}

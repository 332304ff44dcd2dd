//! Webhooks in, against real Redis: what a provider's delivery gets back (verified, 401
//! `invalid_signature` naming the failed check, 409 `webhook_replayed`), in both formats, and
//! that our Standard Webhooks signatures agree with the reference Python library.

mod webhooks_in {
    use std::path::PathBuf;
    use std::process::Command;
    use std::time::Duration;

    use actix_web::http::header::{HeaderMap, HeaderName, HeaderValue};
    use base64::engine::general_purpose::STANDARD as BASE64;
    use base64::Engine;
    use hmac::{Hmac, Mac};
    use kernel::cache::Cache;
    use kernel::webhooks::{
        sign_standard, Scheme, VerifiedWebhook, WebhookSecret, WebhookVerifier,
    };
    use kernel::Problem;
    use sha2::Sha256;
    use uuid::Uuid;

    const BODY: &[u8] = br#"{"type":"invoice.paid","data":{"id":"in_1"}}"#;
    const STRIPE_SECRET: &str = "whsec_stripe_test_secret";

    fn verifier() -> WebhookVerifier {
        let url = std::env::var("REDIS_URL").unwrap_or_else(|_| "redis://127.0.0.1:6379".into());
        let cache = Cache::new(&url, &format!("test:{}:", Uuid::new_v4())).unwrap();
        WebhookVerifier::new(cache)
    }

    fn now() -> i64 {
        chrono::Utc::now().timestamp()
    }

    /// A fresh random Standard Webhooks secret, as `whsec_<base64>` and parsed.
    fn standard_secret() -> (String, WebhookSecret) {
        let key = [Uuid::new_v4().into_bytes(), Uuid::new_v4().into_bytes()].concat();
        let encoded = format!("whsec_{}", BASE64.encode(key));
        let secret = WebhookSecret::standard(&encoded).unwrap();
        (encoded, secret)
    }

    fn stripe_secret() -> WebhookSecret {
        WebhookSecret::from_bytes(STRIPE_SECRET.as_bytes()).unwrap()
    }

    fn headers(pairs: &[(&str, &str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.append(
                HeaderName::from_bytes(name.as_bytes()).unwrap(),
                HeaderValue::from_str(value).unwrap(),
            );
        }
        map
    }

    fn standard_headers(secret: &WebhookSecret, id: &str, ts: i64, body: &[u8]) -> HeaderMap {
        headers(&[
            ("webhook-id", id),
            ("webhook-timestamp", &ts.to_string()),
            ("webhook-signature", &sign_standard(secret, id, ts, body)),
        ])
    }

    /// Computed here, independently of the kernel: hex HMAC-SHA256 of `"{t}.{body}"`.
    fn stripe_v1(secret: &str, t: i64, body: &[u8]) -> String {
        let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).unwrap();
        mac.update(format!("{t}.").as_bytes());
        mac.update(body);
        hex::encode(mac.finalize().into_bytes())
    }

    fn stripe_headers(value: &str) -> HeaderMap {
        headers(&[("Stripe-Signature", value)])
    }

    /// `verifier` checks a delivery in Standard Webhooks format from the source `svix`.
    async fn verify_standard(
        verifier: &WebhookVerifier,
        secrets: &[WebhookSecret],
        headers: &HeaderMap,
        body: &[u8],
    ) -> Result<VerifiedWebhook, Problem> {
        let scheme = Scheme::StandardWebhooks;
        verifier
            .verify(scheme, "svix", secrets, headers, body)
            .await
    }

    /// As [`verify_standard`], in the Stripe-like format from the source `stripe`.
    async fn verify_stripe(
        verifier: &WebhookVerifier,
        secrets: &[WebhookSecret],
        headers: &HeaderMap,
        body: &[u8],
    ) -> Result<VerifiedWebhook, Problem> {
        let scheme = Scheme::STRIPE;
        verifier
            .verify(scheme, "stripe", secrets, headers, body)
            .await
    }

    #[track_caller]
    fn assert_refused(
        result: Result<VerifiedWebhook, Problem>,
        status: u16,
        code: &str,
        detail: &str,
    ) {
        let problem = result.expect_err("the webhook should have been refused");
        assert_eq!((problem.status, problem.code.as_str()), (status, code));
        let actual = problem.detail.unwrap_or_default();
        assert!(
            actual.contains(detail),
            "detail {actual:?} lacks {detail:?}"
        );
    }

    #[tokio::test]
    async fn a_valid_standard_webhooks_message_verifies() {
        let verifier = verifier();
        let (_, secret) = standard_secret();
        let ts = now();

        let verified = verify_standard(
            &verifier,
            std::slice::from_ref(&secret),
            &standard_headers(&secret, "msg_1", ts, BODY),
            BODY,
        )
        .await
        .unwrap();

        assert_eq!(verified.id, "msg_1");
        assert_eq!(verified.timestamp.timestamp(), ts);
    }

    #[tokio::test]
    async fn a_valid_stripe_like_message_verifies_with_any_of_its_v1_entries() {
        let verifier = verifier();
        let t = now();
        let value = format!(
            "t={t},v1={},v1={},v0=ignored",
            stripe_v1("some_other_secret", t, BODY),
            stripe_v1(STRIPE_SECRET, t, BODY)
        );

        let verified = verify_stripe(&verifier, &[stripe_secret()], &stripe_headers(&value), BODY)
            .await
            .unwrap();

        assert_eq!(verified.timestamp.timestamp(), t);
        assert_eq!(
            verified.id.len(),
            64,
            "the id is the hex SHA-256 of the signed content"
        );
    }

    #[tokio::test]
    async fn a_tampered_body_or_a_wrong_secret_is_401_mismatch() {
        let verifier = verifier();
        let (_, secret) = standard_secret();
        let (_, other) = standard_secret();
        let ts = now();
        let signed = standard_headers(&secret, "msg_1", ts, BODY);
        let tampered = br#"{"type":"invoice.paid","data":{"id":"in_2"}}"#;
        let stripe = stripe_headers(&format!("t={ts},v1={}", stripe_v1(STRIPE_SECRET, ts, BODY)));

        let standard_tampered = verify_standard(&verifier, &[secret], &signed, tampered).await;
        let standard_wrong_secret = verify_standard(&verifier, &[other], &signed, BODY).await;
        let stripe_tampered = verify_stripe(&verifier, &[stripe_secret()], &stripe, tampered).await;
        let stripe_wrong_secret = verify_stripe(
            &verifier,
            &[WebhookSecret::from_bytes(&b"whsec_wrong"[..]).unwrap()],
            &stripe,
            BODY,
        )
        .await;

        for result in [
            standard_tampered,
            standard_wrong_secret,
            stripe_tampered,
            stripe_wrong_secret,
        ] {
            assert_refused(result, 401, "invalid_signature", "No signature matches");
        }
    }

    #[tokio::test]
    async fn missing_headers_are_401_naming_the_header() {
        let verifier = verifier();
        let (_, secret) = standard_secret();
        let complete = standard_headers(&secret, "msg_1", now(), BODY);

        for name in ["webhook-id", "webhook-timestamp", "webhook-signature"] {
            let mut partial = complete.clone();
            partial.remove(name);

            let result =
                verify_standard(&verifier, std::slice::from_ref(&secret), &partial, BODY).await;

            assert_refused(
                result,
                401,
                "invalid_signature",
                &format!("`{name}` header is missing"),
            );
        }
        let result = verify_stripe(&verifier, &[stripe_secret()], &HeaderMap::new(), BODY).await;
        assert_refused(
            result,
            401,
            "invalid_signature",
            "`stripe-signature` header is missing",
        );
    }

    #[tokio::test]
    async fn malformed_headers_are_401_bad_format() {
        let verifier = verifier();
        let (_, secret) = standard_secret();
        let mut bad_signature = standard_headers(&secret, "msg_1", now(), BODY);
        bad_signature.insert(
            HeaderName::from_static("webhook-signature"),
            HeaderValue::from_static("not-a-signature"),
        );

        let standard = verify_standard(&verifier, &[secret], &bad_signature, BODY).await;
        let stripe = verify_stripe(
            &verifier,
            &[stripe_secret()],
            &stripe_headers("t=yesterday,v1=abc"),
            BODY,
        )
        .await;

        assert_refused(
            standard,
            401,
            "invalid_signature",
            "`webhook-signature` header is malformed",
        );
        assert_refused(
            stripe,
            401,
            "invalid_signature",
            "`stripe-signature` header is malformed",
        );
    }

    #[tokio::test]
    async fn stale_and_future_timestamps_are_401_even_when_correctly_signed() {
        let verifier = verifier();
        let (_, secret) = standard_secret();
        let stale = now() - 301;
        let future = now() + 301;

        let standard_stale = verify_standard(
            &verifier,
            std::slice::from_ref(&secret),
            &standard_headers(&secret, "msg_stale", stale, BODY),
            BODY,
        )
        .await;
        let standard_future = verify_standard(
            &verifier,
            std::slice::from_ref(&secret),
            &standard_headers(&secret, "msg_future", future, BODY),
            BODY,
        )
        .await;
        let stripe_stale = verify_stripe(
            &verifier,
            &[stripe_secret()],
            &stripe_headers(&format!(
                "t={stale},v1={}",
                stripe_v1(STRIPE_SECRET, stale, BODY)
            )),
            BODY,
        )
        .await;

        assert_refused(
            standard_stale,
            401,
            "invalid_signature",
            "more than 300 s old",
        );
        assert_refused(
            standard_future,
            401,
            "invalid_signature",
            "more than 300 s in the future",
        );
        assert_refused(
            stripe_stale,
            401,
            "invalid_signature",
            "more than 300 s old",
        );
    }

    #[tokio::test]
    async fn the_window_is_configurable() {
        let verifier = verifier().with_window(Duration::from_secs(10));
        let (_, secret) = standard_secret();
        let ts = now() - 60;

        let result = verify_standard(
            &verifier,
            std::slice::from_ref(&secret),
            &standard_headers(&secret, "msg_1", ts, BODY),
            BODY,
        )
        .await;

        assert_refused(result, 401, "invalid_signature", "more than 10 s old");
    }

    #[tokio::test]
    async fn the_same_message_twice_is_409_the_second_time() {
        let verifier = verifier();
        let (_, secret) = standard_secret();
        let message = standard_headers(&secret, "msg_1", now(), BODY);
        let secrets = [secret];

        let first = verify_standard(&verifier, &secrets, &message, BODY).await;
        let second = verify_standard(&verifier, &secrets, &message, BODY).await;
        let same_id_other_source = verifier
            .verify(Scheme::StandardWebhooks, "resend", &secrets, &message, BODY)
            .await;

        assert!(first.is_ok());
        assert_refused(second, 409, "webhook_replayed", "already received");
        assert!(
            same_id_other_source.is_ok(),
            "ids are remembered per source"
        );
    }

    #[tokio::test]
    async fn a_stripe_like_replay_is_409_even_with_its_v1_entries_rearranged() {
        let verifier = verifier();
        let t = now();
        let ours = stripe_v1(STRIPE_SECRET, t, BODY);
        let theirs = stripe_v1("some_other_secret", t, BODY);
        let secrets = [stripe_secret()];

        let first = verify_stripe(
            &verifier,
            &secrets,
            &stripe_headers(&format!("t={t},v1={theirs},v1={ours}")),
            BODY,
        )
        .await;
        let replay = verify_stripe(
            &verifier,
            &secrets,
            &stripe_headers(&format!("v1={ours},t={t}")),
            BODY,
        )
        .await;

        assert!(first.is_ok());
        assert_refused(replay, 409, "webhook_replayed", "already received");
    }

    #[tokio::test]
    async fn a_forged_message_does_not_burn_the_id_of_the_real_one() {
        let verifier = verifier();
        let (_, secret) = standard_secret();
        let (_, forger) = standard_secret();
        let ts = now();
        let secrets = [secret.clone()];

        let forged = verify_standard(
            &verifier,
            &secrets,
            &standard_headers(&forger, "msg_1", ts, b"{\"evil\":true}"),
            b"{\"evil\":true}",
        )
        .await;
        let real = verify_standard(
            &verifier,
            &secrets,
            &standard_headers(&secret, "msg_1", ts, BODY),
            BODY,
        )
        .await;

        assert_refused(forged, 401, "invalid_signature", "No signature matches");
        assert_eq!(real.unwrap().id, "msg_1");
    }

    #[tokio::test]
    async fn during_a_rotation_either_secret_verifies() {
        let verifier = verifier();
        let (_, old) = standard_secret();
        let (_, new) = standard_secret();
        let ts = now();
        let secrets = [new.clone(), old.clone()];

        let by_old = verify_standard(
            &verifier,
            &secrets,
            &standard_headers(&old, "msg_old", ts, BODY),
            BODY,
        )
        .await;
        let by_new = verify_standard(
            &verifier,
            &secrets,
            &standard_headers(&new, "msg_new", ts, BODY),
            BODY,
        )
        .await;

        assert_eq!(by_old.unwrap().id, "msg_old");
        assert_eq!(by_new.unwrap().id, "msg_new");
    }

    #[tokio::test]
    async fn a_forgotten_id_is_accepted_again() {
        let verifier = verifier();
        let (_, secret) = standard_secret();
        let message = standard_headers(&secret, "msg_1", now(), BODY);
        let secrets = [secret];
        verify_standard(&verifier, &secrets, &message, BODY)
            .await
            .unwrap();

        verifier.forget("svix", "msg_1").await.unwrap();
        let retried = verify_standard(&verifier, &secrets, &message, BODY).await;

        assert!(retried.is_ok());
    }

    /// Our signatures against the reference `standardwebhooks` library, both ways. Skipped
    /// (with a message) when the project venv does not have it: `scripts/test.sh` installs it.
    #[tokio::test]
    async fn signatures_agree_with_the_reference_python_library() {
        let python = reference_python();
        let Some(python) = python else {
            // The test command installs the library: there, its absence is a failure.
            assert!(
                std::env::var_os("DATAFORTRESS_REQUIRE_PYTHON_TOOLS").is_none(),
                "the standardwebhooks reference library is missing from the venv"
            );
            eprintln!(
                "SKIPPED webhooks_in::signatures_agree_with_the_reference_python_library: \
                 `import standardwebhooks` fails in $HOME/.cache/datafortress/venv \
                 (install it with `$HOME/.cache/datafortress/venv/bin/pip install standardwebhooks`)"
            );
            return;
        };
        let verifier = verifier();
        let (encoded, secret) = standard_secret();
        let ts = now();
        let ours = sign_standard(&secret, "msg_rust", ts, BODY);
        let script = r#"
import sys, datetime
from standardwebhooks import Webhook
secret, ts, body, ours = sys.argv[1:5]
wh = Webhook(secret)
wh.verify(body.encode(), {"webhook-id": "msg_rust", "webhook-timestamp": ts, "webhook-signature": ours}, json_parse=False)
print(wh.sign("msg_python", datetime.datetime.fromtimestamp(int(ts), tz=datetime.timezone.utc), body))
"#;

        let output = Command::new(python)
            .args([
                "-c",
                script,
                &encoded,
                &ts.to_string(),
                std::str::from_utf8(BODY).unwrap(),
                &ours,
            ])
            .output()
            .unwrap();
        assert!(
            output.status.success(),
            "the reference library refused our signature: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        let theirs = String::from_utf8(output.stdout).unwrap();
        let verified = verify_standard(
            &verifier,
            &[secret],
            &headers(&[
                ("webhook-id", "msg_python"),
                ("webhook-timestamp", &ts.to_string()),
                ("webhook-signature", theirs.trim()),
            ]),
            BODY,
        )
        .await;

        assert_eq!(verified.unwrap().id, "msg_python");
    }

    fn reference_python() -> Option<PathBuf> {
        let home = std::env::var_os("HOME")?;
        let python = PathBuf::from(home).join(".cache/datafortress/venv/bin/python");
        let importable = Command::new(&python)
            .args(["-c", "import standardwebhooks"])
            .output()
            .is_ok_and(|out| out.status.success());
        importable.then_some(python)
    }
}

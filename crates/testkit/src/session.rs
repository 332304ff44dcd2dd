//! A signed-in user's browser, and the HTTP helpers tests share.

/// A signed-in user with its own cookie jar (one browser).
pub struct Session {
    pub client: reqwest::Client,
    pub base: String,
    pub email: String,
    pub password: String,
    pub user_id: uuid::Uuid,
    pub tenant_id: uuid::Uuid,
    pub tenant_slug: String,
}

impl Session {
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        send(&self.client, &self.base, reqwest::Method::GET, path, None).await
    }

    pub async fn post_json(&self, path: &str, body: &serde_json::Value) -> reqwest::Response {
        send(
            &self.client,
            &self.base,
            reqwest::Method::POST,
            path,
            Some(body),
        )
        .await
    }

    pub async fn patch_json(&self, path: &str, body: &serde_json::Value) -> reqwest::Response {
        send(
            &self.client,
            &self.base,
            reqwest::Method::PATCH,
            path,
            Some(body),
        )
        .await
    }

    pub async fn put_json(&self, path: &str, body: &serde_json::Value) -> reqwest::Response {
        send(
            &self.client,
            &self.base,
            reqwest::Method::PUT,
            path,
            Some(body),
        )
        .await
    }

    pub async fn delete(&self, path: &str) -> reqwest::Response {
        send(
            &self.client,
            &self.base,
            reqwest::Method::DELETE,
            path,
            None,
        )
        .await
    }

    /// A new API key of this user's tenant holding `scopes`: its secret (shown only once).
    /// Uploads `bytes` as file `name` (`content_type`) to `project`'s bronze layer, as the
    /// layers browser does (multipart).
    pub async fn upload_bronze(
        &self,
        project: &str,
        name: &str,
        content_type: &str,
        bytes: Vec<u8>,
    ) -> reqwest::Response {
        let part = reqwest::multipart::Part::bytes(bytes)
            .file_name(name.to_owned())
            .mime_str(content_type)
            .unwrap_or_else(|e| panic!("{content_type}: {e}"));
        self.client
            .post(self.url(&format!("/api/v1/projects/{project}/layers/bronze/objects")))
            .multipart(reqwest::multipart::Form::new().part("file", part))
            .send()
            .await
            .unwrap_or_else(|e| panic!("upload {name}: {e}"))
    }

    pub async fn new_api_key(&self, scopes: &[&str]) -> String {
        let res = self
            .post_json(
                "/api/v1/api-keys",
                &serde_json::json!({"name": "test key", "scopes": scopes}),
            )
            .await;
        assert_eq!(res.status(), 201, "creating an API key");
        let body: serde_json::Value = res.json().await.unwrap_or_else(|e| panic!("{e}"));
        body["secret"]
            .as_str()
            .unwrap_or_else(|| panic!("no secret in {body}"))
            .to_owned()
    }
}

/// One request to `base + path`, with an optional JSON body; a transport error fails the test.
pub(crate) async fn send(
    client: &reqwest::Client,
    base: &str,
    method: reqwest::Method,
    path: &str,
    body: Option<&serde_json::Value>,
) -> reqwest::Response {
    let mut req = client.request(method.clone(), format!("{base}{path}"));
    if let Some(body) = body {
        req = req.json(body);
    }
    req.send()
        .await
        .unwrap_or_else(|e| panic!("{method} {path}: {e}"))
}

pub(crate) fn uuid_at(v: &serde_json::Value) -> uuid::Uuid {
    v.as_str()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("not a uuid: {v}"))
}

/// A cookie-keeping client that sends `Origin: origin` (as a browser on that page would).
pub fn client_for(origin: &str) -> reqwest::Client {
    let mut headers = reqwest::header::HeaderMap::new();
    headers.insert(
        reqwest::header::ORIGIN,
        reqwest::header::HeaderValue::from_str(origin).unwrap_or_else(|e| panic!("{e}")),
    );
    reqwest::Client::builder()
        .cookie_store(true)
        .default_headers(headers)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap_or_else(|e| panic!("client: {e}"))
}

/// Asserts `status` (naming the URL and the body when it differs) and returns the JSON body
/// (`null` when there is none).
pub async fn expect(res: reqwest::Response, status: u16) -> serde_json::Value {
    let got = res.status().as_u16();
    let url = res.url().to_string();
    let text = res.text().await.unwrap_or_else(|e| panic!("{url}: {e}"));
    assert_eq!(got, status, "{url}: {text}");
    serde_json::from_str(&text).unwrap_or(serde_json::Value::Null)
}

/// Reads a response as a problem document, asserting the content type and status.
pub async fn problem(res: reqwest::Response, status: u16) -> serde_json::Value {
    assert_eq!(res.status().as_u16(), status, "unexpected status");
    let ct = res
        .headers()
        .get(reqwest::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    assert!(
        ct.starts_with("application/problem+json"),
        "content type was {ct:?}"
    );
    let body: serde_json::Value = res
        .json()
        .await
        .unwrap_or_else(|e| panic!("problem body: {e}"));
    assert_eq!(body["status"], status, "status member of {body}");
    assert!(body["code"].is_string(), "code member missing in {body}");
    assert!(
        body["request_id"].is_string(),
        "request_id missing in {body}"
    );
    body
}

/// Polls `probe` (each call a real request or query) until it says yes; fails the test naming
/// `what` if it has not within `within`. For states reached asynchronously, without sleeping.
pub async fn eventually<F, Fut>(what: &str, within: std::time::Duration, mut probe: F)
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    let deadline = tokio::time::Instant::now() + within;
    while !probe().await {
        assert!(
            tokio::time::Instant::now() < deadline,
            "{what}: not within {within:?}"
        );
        tokio::task::yield_now().await;
    }
}

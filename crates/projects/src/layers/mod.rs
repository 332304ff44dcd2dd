//! Object storage for a project's layers and scripts, through the `object_store` crate: a
//! local directory by default (works offline), any S3-compatible store when configured.
//!
//! - [`key`]: keys are built from checked parts, never taken whole from a client.
//! - [`format`]: what an uploaded file is (CSV, JSON lines, Parquet), checked on its bytes.
//! - [`preview`]: the first rows of a file of each format.
//! - [`Objects`]: the store plus how it hands out short-lived download links: S3 presigned
//!   URLs, or for the local store an HMAC-signed URL that this API serves itself.

pub mod format;
pub mod key;
pub mod preview;

use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};
use hmac::{Hmac, Mac};
use object_store::aws::{AmazonS3, AmazonS3Builder};
use object_store::local::LocalFileSystem;
use object_store::signer::Signer;
use object_store::ObjectStore;
use sha2::Sha256;

pub use key::{Area, InvalidKey, ObjectKey};

/// How long a download link lives.
pub const LINK_TTL: Duration = Duration::from_secs(5 * 60);

/// The object store and its download links.
#[derive(Clone)]
pub struct Objects {
    store: Arc<dyn ObjectStore>,
    links: Links,
}

#[derive(Clone)]
enum Links {
    /// `<public_url>/api/v1/layers/signed?key=…&expires=…&signature=…`, checked by
    /// [`Objects::verify_link`].
    Local {
        secret: Arc<[u8]>,
        public_url: String,
    },
    /// The store's own presigned URLs.
    S3(Arc<AmazonS3>),
}

/// Why the object store could not be set up.
#[derive(Debug, thiserror::Error)]
pub enum SetupError {
    #[error("cannot create the object directory {0}: {1}")]
    Dir(String, std::io::Error),
    #[error(transparent)]
    Store(#[from] object_store::Error),
}

impl Objects {
    /// Objects in directory `dir` (created if missing); links signed with `secret` and served
    /// at `public_url`.
    pub fn local(
        dir: &std::path::Path,
        secret: &[u8],
        public_url: &str,
    ) -> Result<Self, SetupError> {
        std::fs::create_dir_all(dir).map_err(|e| SetupError::Dir(dir.display().to_string(), e))?;
        let store = LocalFileSystem::new_with_prefix(dir)?.with_automatic_cleanup(true);
        Ok(Self {
            store: Arc::new(store),
            links: Links::Local {
                secret: Arc::from(secret),
                public_url: public_url.trim_end_matches('/').to_owned(),
            },
        })
    }

    /// Objects in the S3 bucket of `url` (`s3://bucket`), with the `AWS_*` settings of the
    /// environment (`AWS_ENDPOINT` for S3-compatible stores such as MinIO).
    pub fn s3(url: &str) -> Result<Self, SetupError> {
        let s3 = Arc::new(AmazonS3Builder::from_env().with_url(url).build()?);
        Ok(Self {
            store: s3.clone(),
            links: Links::S3(s3),
        })
    }

    pub fn store(&self) -> &Arc<dyn ObjectStore> {
        &self.store
    }

    /// A link that downloads `key` until it expires (in [`LINK_TTL`]).
    pub async fn link(
        &self,
        key: &ObjectKey,
    ) -> Result<(String, DateTime<Utc>), object_store::Error> {
        let expires_at = Utc::now() + LINK_TTL;
        match &self.links {
            Links::S3(s3) => {
                let url = s3
                    .signed_url(reqwest::Method::GET, &key.path(), LINK_TTL)
                    .await?;
                Ok((url.to_string(), expires_at))
            }
            Links::Local { secret, public_url } => {
                let key = key.to_string();
                let expires = expires_at.timestamp();
                let signature = hex::encode(sign(secret, &key, expires));
                let mut url = url::Url::parse(&format!("{public_url}/api/v1/layers/signed"))
                    .map_err(|e| object_store::Error::Generic {
                        store: "local",
                        source: Box::new(e),
                    })?;
                url.query_pairs_mut()
                    .append_pair("key", &key)
                    .append_pair("expires", &expires.to_string())
                    .append_pair("signature", &signature);
                Ok((url.to_string(), expires_at))
            }
        }
    }

    /// Whether `signature` is this server's for `key` and `expires`, and `expires` is not past.
    /// Constant-time in the signature.
    pub fn verify_link(&self, key: &str, expires: i64, signature: &str) -> bool {
        let Links::Local { secret, .. } = &self.links else {
            return false;
        };
        let Ok(given) = hex::decode(signature) else {
            return false;
        };
        let expected = sign(secret, key, expires);
        let matches: bool =
            subtle::ConstantTimeEq::ct_eq(expected.as_slice(), given.as_slice()).into();
        matches && expires >= Utc::now().timestamp()
    }
}

fn sign(secret: &[u8], key: &str, expires: i64) -> Vec<u8> {
    // HMAC accepts keys of any length: new_from_slice cannot fail.
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(secret).unwrap_or_else(|_| unreachable!());
    // Domain-separated from every other use of the server secret.
    mac.update(b"datafortress object link\nGET\n");
    mac.update(key.as_bytes());
    mac.update(b"\n");
    mac.update(expires.to_string().as_bytes());
    mac.finalize().into_bytes().to_vec()
}

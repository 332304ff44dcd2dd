//! Passwords: the policy (10..=128 characters, not a known breached password) and argon2id
//! hashing on a bounded pool of dedicated threads (see [`PasswordHasher`]).

use std::collections::HashSet;
use std::sync::{Arc, LazyLock};

use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{self, PasswordHash, Salt, SaltString};
use argon2::{Algorithm, Argon2, Block, Params, Version};
use secrecy::{ExposeSecret, SecretString};
use tokio::sync::Semaphore;

pub const MIN_LEN: usize = 10;
pub const MAX_LEN: usize = 128;

static COMMON: LazyLock<HashSet<&'static str>> = LazyLock::new(|| {
    include_str!("../data/common-passwords.txt")
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect()
});

/// Why a new password is refused (the message is shown next to the field).
pub fn check_policy(password: &str) -> Result<(), &'static str> {
    let len = password.chars().count();
    if len < MIN_LEN {
        return Err("must be at least 10 characters");
    }
    if len > MAX_LEN {
        return Err("must be at most 128 characters");
    }
    if COMMON.contains(password.to_lowercase().as_str()) {
        return Err("is too common: it appears in lists of breached passwords");
    }
    Ok(())
}

/// Moves the calling thread to Linux's `SCHED_IDLE` class: it runs only on CPU time that
/// request threads leave, so sign-ins never lengthen other requests' latency.
fn lower_priority() -> Result<(), thread_priority::Error> {
    use thread_priority::{NormalThreadSchedulePolicy, ThreadPriority, ThreadSchedulePolicy};
    thread_priority::set_thread_priority_and_policy(
        thread_priority::thread_native_id(),
        ThreadPriority::Min,
        ThreadSchedulePolicy::Normal(NormalThreadSchedulePolicy::Idle),
    )
}

/// m = 19 MiB, t = 2, p = 1 (OWASP's baseline for argon2id).
fn params() -> Params {
    Params::new(19 * 1024, 2, 1, None).unwrap_or_default()
}

fn argon2() -> Argon2<'static> {
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params())
}

/// argon2's `hash_password`, computed in caller-provided memory (PHC string format).
fn hash_into<'a>(
    argon: &Argon2<'_>,
    password: &[u8],
    salt: Salt<'a>,
    blocks: &mut Vec<Block>,
) -> password_hash::Result<PasswordHash<'a>> {
    let mut salt_buf = [0u8; 64];
    let salt_bytes = salt.decode_b64(&mut salt_buf)?;
    let output_len = argon
        .params()
        .output_len()
        .unwrap_or(Params::DEFAULT_OUTPUT_LEN);
    blocks.resize(argon.params().block_count(), Block::default());
    let output = password_hash::Output::init_with(output_len, |out| {
        argon
            .hash_password_into_with_memory(password, salt_bytes, out, &mut blocks[..])
            .map_err(|_| password_hash::Error::Crypto)
    })?;
    Ok(PasswordHash {
        algorithm: argon2::ARGON2ID_IDENT,
        version: Some(Version::V0x13.into()),
        params: argon.params().try_into()?,
        salt: Some(salt),
        hash: Some(output),
    })
}

/// Recomputes a stored PHC hash (with its own parameters) in caller-provided memory and
/// compares in constant time (`Output`'s equality is constant-time).
fn verify_into(password: &[u8], stored: &str, blocks: &mut Vec<Block>) -> bool {
    let Ok(parsed) = PasswordHash::new(stored) else {
        return false;
    };
    let (Ok(algorithm), Ok(params), Some(salt), Some(expected)) = (
        Algorithm::try_from(parsed.algorithm),
        Params::try_from(&parsed),
        parsed.salt,
        parsed.hash,
    ) else {
        return false;
    };
    let version = parsed
        .version
        .and_then(|v| Version::try_from(v).ok())
        .unwrap_or_default();
    let argon = Argon2::new(algorithm, version, params);
    let mut salt_buf = [0u8; 64];
    let Ok(salt_bytes) = salt.decode_b64(&mut salt_buf) else {
        return false;
    };
    blocks.resize(argon.params().block_count(), Block::default());
    let computed = password_hash::Output::init_with(expected.len(), |out| {
        argon
            .hash_password_into_with_memory(password, salt_bytes, out, &mut blocks[..])
            .map_err(|_| password_hash::Error::Crypto)
    });
    computed.is_ok_and(|c| c == expected)
}

type Work = Box<dyn FnOnce(&mut Vec<Block>) + Send>;

/// Hashes and verifies passwords on a few dedicated threads (one per core): hashing never
/// runs on the async executor, a burst of sign-ins queues instead of taking every core, and
/// each thread reuses its 19 MiB of working memory instead of the allocator keeping a copy
/// per short-lived blocking thread.
#[derive(Clone)]
pub struct PasswordHasher {
    queue: std::sync::mpsc::SyncSender<Work>,
    /// One permit per queue slot, so `send` never blocks the executor.
    slots: Arc<Semaphore>,
    /// Verified against when the account does not exist, so both cases take as long.
    dummy_hash: Arc<str>,
}

#[derive(Debug, thiserror::Error)]
pub enum HashError {
    #[error("password hashing failed: {0}")]
    Hash(String),
    #[error("the password hashing pool has stopped")]
    Stopped,
}

const QUEUE_SLOTS: usize = 1024;

impl PasswordHasher {
    /// Starts `threads` hashing threads (one per core is right).
    pub fn new(threads: usize) -> Self {
        let (queue, jobs) = std::sync::mpsc::sync_channel::<Work>(QUEUE_SLOTS);
        let jobs = Arc::new(std::sync::Mutex::new(jobs));
        for i in 0..threads.max(1) {
            let jobs = jobs.clone();
            let spawned = std::thread::Builder::new()
                .name(format!("password-hash-{i}"))
                .spawn(move || {
                    // Below the request threads: a burst of sign-ins must not slow every
                    // other request; hashing takes the CPU they leave.
                    if let Err(e) = lower_priority() {
                        tracing::warn!(error = ?e, "cannot lower the hashing thread's priority");
                    }
                    // This thread's working memory, allocated by its first hash and reused by
                    // every later one.
                    let mut blocks = Vec::new();
                    loop {
                        let next = match jobs.lock() {
                            Ok(rx) => rx.recv(),
                            Err(_) => return,
                        };
                        match next {
                            Ok(work) => work(&mut blocks),
                            Err(_) => return, // every sender is gone
                        }
                    }
                });
            if let Err(e) = spawned {
                tracing::error!(error = %e, "cannot start a password hashing thread");
            }
        }
        let salt = SaltString::generate(&mut OsRng);
        let mut blocks = vec![Block::default(); params().block_count()];
        let dummy = hash_into(
            &argon2(),
            b"not a real password, only for timing",
            salt.as_salt(),
            &mut blocks,
        )
        .map(|h| h.to_string())
        .unwrap_or_default();
        Self {
            queue,
            slots: Arc::new(Semaphore::new(QUEUE_SLOTS)),
            dummy_hash: Arc::from(dummy),
        }
    }

    pub async fn hash(&self, password: &SecretString) -> Result<String, HashError> {
        let password = password.clone();
        self.run(move |blocks| {
            let salt = SaltString::generate(&mut OsRng);
            hash_into(
                &argon2(),
                password.expose_secret().as_bytes(),
                salt.as_salt(),
                blocks,
            )
            .map(|h| h.to_string())
            .map_err(|e| HashError::Hash(e.to_string()))
        })
        .await?
    }

    /// Verifies against `hash`, or against a dummy hash when there is no account (always
    /// `false` then), so a caller cannot tell the two apart by timing.
    pub async fn verify(
        &self,
        password: &SecretString,
        hash: Option<&str>,
    ) -> Result<bool, HashError> {
        let exists = hash.is_some();
        let hash: Arc<str> = hash
            .map(Arc::from)
            .unwrap_or_else(|| self.dummy_hash.clone());
        let password = password.clone();
        let ok = self
            .run(move |blocks| verify_into(password.expose_secret().as_bytes(), &hash, blocks))
            .await?;
        Ok(ok && exists)
    }

    async fn run<T: Send + 'static>(
        &self,
        work: impl FnOnce(&mut Vec<Block>) -> T + Send + 'static,
    ) -> Result<T, HashError> {
        let _slot = self.slots.acquire().await.map_err(|_| HashError::Stopped)?;
        let (reply, result) = tokio::sync::oneshot::channel();
        let job: Work = Box::new(move |blocks| {
            let _ = reply.send(work(blocks));
        });
        self.queue.send(job).map_err(|_| HashError::Stopped)?;
        result.await.map_err(|_| HashError::Stopped)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(target_os = "linux")]
    #[test]
    fn hashing_threads_run_in_the_idle_scheduling_class() {
        let policy = std::thread::spawn(|| {
            lower_priority().unwrap();
            let stat = std::fs::read_to_string("/proc/thread-self/stat").unwrap();
            // Field 41 (policy); fields are counted from 3 after the parenthesised name.
            let after = &stat[stat.rfind(')').unwrap() + 2..];
            after
                .split(' ')
                .nth(41 - 3)
                .unwrap()
                .parse::<i32>()
                .unwrap()
        })
        .join()
        .unwrap();
        const SCHED_IDLE: i32 = 5;
        assert_eq!(policy, SCHED_IDLE);
    }

    #[test]
    fn policy_refuses_short_long_and_common_passwords() {
        assert!(check_policy("short").is_err());
        assert!(check_policy(&"x".repeat(129)).is_err());
        assert!(check_policy("1234567890").is_err());
        assert!(check_policy("Qwertyuiop").is_err(), "case-insensitive");
        assert!(check_policy("correct horse battery staple").is_ok());
    }

    #[tokio::test]
    async fn hash_then_verify() {
        let hasher = PasswordHasher::new(1);
        let pw = SecretString::from("correct horse battery staple");
        let hash = hasher.hash(&pw).await.unwrap();
        assert!(hash.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"));
        // The standard implementation reads our hashes, and we read its.
        use argon2::password_hash::{PasswordHasher as _, PasswordVerifier as _};
        let parsed = PasswordHash::new(&hash).unwrap();
        assert!(argon2()
            .verify_password(b"correct horse battery staple", &parsed)
            .is_ok());
        let theirs = argon2()
            .hash_password(b"their password here", &SaltString::generate(&mut OsRng))
            .unwrap()
            .to_string();
        assert!(hasher
            .verify(&SecretString::from("their password here"), Some(&theirs))
            .await
            .unwrap());
        assert!(hasher.verify(&pw, Some(&hash)).await.unwrap());
        assert!(!hasher
            .verify(&SecretString::from("wrong one entirely"), Some(&hash))
            .await
            .unwrap());
        assert!(!hasher.verify(&pw, None).await.unwrap());
    }
}

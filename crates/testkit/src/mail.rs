//! Mail the application sent, as its SMTP sink received it.

use std::sync::Arc;

/// One message as a test reads it.
#[derive(Clone, PartialEq, Eq)]
pub struct Mail {
    pub to: String,
    pub subject: String,
    /// The text, transfer encoding undone, lines ending in `\n`.
    pub body: String,
    /// The message as received (envelope sender and the raw data), for its headers.
    pub received: app::mail_sink::ReceivedMail,
}

impl std::fmt::Debug for Mail {
    // Without the raw bytes, which would drown a failed test's output.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Mail")
            .field("to", &self.to)
            .field("subject", &self.subject)
            .field("body", &self.body)
            .finish_non_exhaustive()
    }
}

impl Mail {
    /// The first header of this name, unfolded and decoded.
    pub fn header(&self, name: &str) -> Option<String> {
        self.received.header(name)
    }

    /// The first link in the body whose text contains `path` (e.g. `/reset-password?token=`).
    pub fn link(&self, path: &str) -> String {
        self.body
            .split_whitespace()
            .find(|word| word.starts_with("http") && word.contains(path))
            .unwrap_or_else(|| panic!("no {path} link in this mail: {}", self.body))
            .to_owned()
    }
}

/// What the app's SMTP sink received. Each message is handed out once by
/// [`wait_for`](Self::wait_for); [`sent_to`](Self::sent_to) shows everything received.
#[derive(Clone, Default)]
pub struct Mailbox {
    inner: Arc<MailboxInner>,
}

#[derive(Default)]
struct MailboxInner {
    /// Every message per recipient, and whether `wait_for` has handed it out.
    received: std::sync::Mutex<Vec<(Mail, bool)>>,
    arrived: tokio::sync::Notify,
}

impl Mailbox {
    /// How long `wait_for` waits.
    pub const WAIT: std::time::Duration = std::time::Duration::from_secs(5);

    /// Starts a sink on a free port, filling a new mailbox; returns it and the `smtp://` URL.
    pub(crate) async fn start() -> (Self, String) {
        let sink = app::mail_sink::MailSink::bind("127.0.0.1:0")
            .await
            .unwrap_or_else(|e| panic!("mail sink: {e}"));
        let addr = sink.local_addr().unwrap_or_else(|e| panic!("{e}"));
        let (deliver, mut delivered) = tokio::sync::mpsc::channel(16);
        tokio::spawn(sink.serve(deliver));
        let mailbox = Self::default();
        let filling = mailbox.clone();
        tokio::spawn(async move {
            while let Some(mail) = delivered.recv().await {
                filling.put(&mail);
            }
        });
        (mailbox, format!("smtp://{addr}"))
    }

    fn put(&self, received: &app::mail_sink::ReceivedMail) {
        let subject = received.subject().unwrap_or_default();
        let body = received.text();
        self.lock().extend(received.to.iter().map(|to| {
            let mail = Mail {
                to: to.clone(),
                subject: subject.clone(),
                body: body.clone(),
                received: received.clone(),
            };
            (mail, false)
        }));
        self.inner.arrived.notify_waiters();
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Vec<(Mail, bool)>> {
        self.inner
            .received
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// The next message for `to` not handed out yet, waiting up to [`Self::WAIT`] for it.
    pub async fn wait_for(&self, to: &str) -> Mail {
        let deadline = tokio::time::Instant::now() + Self::WAIT;
        loop {
            // Registered before looking, so a message arriving in between still wakes us.
            let mut arrived = std::pin::pin!(self.inner.arrived.notified());
            arrived.as_mut().enable();
            let next = self
                .lock()
                .iter_mut()
                .find(|(mail, taken)| !*taken && mail.to.eq_ignore_ascii_case(to))
                .map(|(mail, taken)| {
                    *taken = true;
                    mail.clone()
                });
            if let Some(mail) = next {
                return mail;
            }
            if tokio::time::timeout_at(deadline, arrived).await.is_err() {
                panic!(
                    "no mail for {to} within {:?}; received: {:#?}",
                    Self::WAIT,
                    self.lock()
                );
            }
        }
    }

    /// Every message received for `to` so far, handed out or not.
    pub fn sent_to(&self, to: &str) -> Vec<Mail> {
        self.lock()
            .iter()
            .filter(|(mail, _)| mail.to.eq_ignore_ascii_case(to))
            .map(|(mail, _)| mail.clone())
            .collect()
    }
}

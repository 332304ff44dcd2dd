//! A real IMAP server for a test: Debian's dovecot, started with a throwaway configuration
//! (its own directory, a free port, plain IMAP on 127.0.0.1, users from a password file) and
//! stopped when dropped. Mail is put in a user's inbox with IMAP `APPEND`, as a delivery would.

use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::Duration;

use async_imap::Client;
use tokio::net::TcpStream;
use tokio::process::{Child, Command};

pub struct Dovecot {
    pub port: u16,
    dir: PathBuf,
    child: Child,
}

fn binary() -> PathBuf {
    for candidate in ["/usr/sbin/dovecot", "/usr/local/sbin/dovecot"] {
        if Path::new(candidate).exists() {
            return candidate.into();
        }
    }
    panic!("dovecot is not installed: `make test` installs Debian's dovecot-imapd");
}

/// The uid and gid of a Unix user, from /etc/passwd.
fn user_ids(name: &str) -> Option<(u32, u32)> {
    let passwd = std::fs::read_to_string("/etc/passwd").ok()?;
    passwd.lines().find_map(|line| {
        let fields: Vec<&str> = line.split(':').collect();
        (fields.first() == Some(&name)).then(|| {
            (
                fields.get(2).and_then(|u| u.parse().ok()).unwrap_or(0),
                fields.get(3).and_then(|g| g.parse().ok()).unwrap_or(0),
            )
        })
    })
}

fn user_name(uid: u32) -> String {
    let passwd = std::fs::read_to_string("/etc/passwd").unwrap_or_default();
    passwd
        .lines()
        .find_map(|line| {
            let fields: Vec<&str> = line.split(':').collect();
            (fields.get(2) == Some(&uid.to_string().as_str())).then(|| fields[0].to_owned())
        })
        .expect("the current user in /etc/passwd")
}

impl Dovecot {
    /// Starts dovecot with `users` (address, password).
    pub async fn start(users: &[(&str, &str)]) -> Self {
        let binary = binary();
        let dir = std::env::temp_dir().join(format!("df-dovecot-{}", uuid::Uuid::new_v4()));
        std::fs::create_dir_all(dir.join("mail")).unwrap();
        std::fs::create_dir_all(dir.join("run")).unwrap();
        std::fs::create_dir_all(dir.join("state")).unwrap();
        let me = std::fs::metadata(&dir).unwrap();
        // As root, dovecot runs its processes as its own users and keeps mail as `dovecot`;
        // otherwise everything runs as the current user.
        let (login_user, internal_user, mail_uid, mail_gid) = if me.uid() == 0 {
            let (uid, gid) = user_ids("dovecot").expect("the dovecot user (dovecot-core)");
            std::os::unix::fs::chown(dir.join("mail"), Some(uid), Some(gid)).unwrap();
            ("dovenull".to_owned(), "dovecot".to_owned(), uid, gid)
        } else {
            let name = user_name(me.uid());
            (name.clone(), name, me.uid(), me.gid())
        };
        std::fs::set_permissions(&dir, std::os::unix::fs::PermissionsExt::from_mode(0o755))
            .unwrap();
        let passwd: String = users
            .iter()
            .map(|(user, password)| format!("{user}:{{PLAIN}}{password}\n"))
            .collect();
        std::fs::write(dir.join("passwd"), passwd).unwrap();
        for _ in 0..10 {
            let port = {
                let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
                listener.local_addr().unwrap().port()
            };
            let d = dir.display();
            let config = format!(
                "base_dir = {d}/run\n\
                 state_dir = {d}/state\n\
                 instance_name = df-{port}\n\
                 log_path = {d}/log\n\
                 protocols = imap\n\
                 listen = 127.0.0.1\n\
                 ssl = no\n\
                 disable_plaintext_auth = no\n\
                 auth_mechanisms = plain login\n\
                 mail_location = maildir:{d}/mail/%u\n\
                 first_valid_uid = 0\n\
                 default_login_user = {login_user}\n\
                 default_internal_user = {internal_user}\n\
                 passdb {{\n  driver = passwd-file\n  args = scheme=PLAIN username_format=%u {d}/passwd\n}}\n\
                 userdb {{\n  driver = static\n  args = uid={mail_uid} gid={mail_gid} home={d}/mail/%u\n}}\n\
                 service imap-login {{\n  chroot =\n  inet_listener imap {{\n    address = 127.0.0.1\n    port = {port}\n  }}\n  inet_listener imaps {{\n    port = 0\n  }}\n}}\n\
                 service anvil {{\n  chroot =\n}}\n"
            );
            std::fs::write(dir.join("dovecot.conf"), config).unwrap();
            let mut child = Command::new(&binary)
                .arg("-F")
                .arg("-c")
                .arg(dir.join("dovecot.conf"))
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .kill_on_drop(true)
                .spawn()
                .expect("dovecot starts");
            // Ready when it accepts connections; gone when the port was taken meanwhile.
            let deadline = tokio::time::Instant::now() + Duration::from_secs(15);
            loop {
                if TcpStream::connect(("127.0.0.1", port)).await.is_ok() {
                    return Self { port, dir, child };
                }
                if child.try_wait().unwrap().is_some() || tokio::time::Instant::now() > deadline {
                    break;
                }
                tokio::time::sleep(Duration::from_millis(25)).await;
            }
            let _ = child.kill().await;
        }
        let log = std::fs::read_to_string(dir.join("log")).unwrap_or_default();
        panic!("dovecot did not start: {log}");
    }

    /// Puts `raw` into `user`'s inbox (with `date` as its arrival time, IMAP's
    /// `dd-Mon-yyyy hh:mm:ss +zzzz`, when given).
    pub async fn deliver(&self, user: &str, password: &str, raw: &str, date: Option<&str>) {
        let tcp = TcpStream::connect(("127.0.0.1", self.port)).await.unwrap();
        let mut client = Client::new(tcp);
        client.read_response().await.unwrap().unwrap();
        let mut session = client
            .login(user, password)
            .await
            .map_err(|(e, _)| e)
            .unwrap();
        let date = date.map(|d| format!("\"{d}\""));
        session
            .append("INBOX", None, date.as_deref(), raw.replace('\n', "\r\n"))
            .await
            .unwrap();
        session.logout().await.unwrap();
    }
}

impl Drop for Dovecot {
    fn drop(&mut self) {
        // A clean stop lets the master take its children along.
        if let Some(pid) = self.child.id() {
            let _ = std::process::Command::new("kill")
                .arg("-TERM")
                .arg(pid.to_string())
                .status();
        }
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

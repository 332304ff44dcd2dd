//! A TCP proxy for fault injection: tests put it between the application and PostgreSQL or
//! Redis, then take the dependency "down" and back "up" without touching the real server.

use std::net::SocketAddr;
use std::sync::Arc;

use tokio::net::{TcpListener, TcpStream};
use tokio::sync::watch;

/// What the proxy does with connections.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// Pass bytes both ways to the target.
    Forward,
    /// A dead server: open connections are cut, new ones are refused (nothing listens).
    Down,
    /// A server that hangs: open connections are cut, new ones are accepted and never
    /// answered.
    Silent,
}

pub struct Proxy {
    addr: SocketAddr,
    mode: Arc<watch::Sender<Mode>>,
}

impl Proxy {
    /// Listens on a free port and forwards to `target`.
    pub async fn start(target: SocketAddr) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .unwrap_or_else(|e| panic!("proxy bind: {e}"));
        let addr = listener
            .local_addr()
            .unwrap_or_else(|e| panic!("proxy addr: {e}"));
        let mode = Arc::new(watch::Sender::new(Mode::Forward));
        tokio::spawn(serve(listener, addr, target, mode.clone()));
        Self { addr, mode }
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    pub fn port(&self) -> u16 {
        self.addr.port()
    }

    /// Switches the mode; leaving `Forward` cuts the connections it carries.
    pub fn set(&self, mode: Mode) {
        self.mode.send_replace(mode);
    }
}

/// Accepts while the mode allows; in `Down` the listener is closed, and opened again on the
/// same port when the mode changes.
async fn serve(
    mut listener: TcpListener,
    addr: SocketAddr,
    target: SocketAddr,
    mode: Arc<watch::Sender<Mode>>,
) {
    let mut changes = mode.subscribe();
    loop {
        let current = *changes.borrow_and_update();
        if current == Mode::Down {
            drop(listener);
            if changes.wait_for(|m| *m != Mode::Down).await.is_err() {
                return;
            }
            listener = match TcpListener::bind(addr).await {
                Ok(l) => l,
                Err(e) => panic!("proxy re-bind {addr}: {e}"),
            };
            continue;
        }
        let client = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((client, _)) => client,
                Err(_) => return,
            },
            changed = changes.changed() => {
                if changed.is_err() {
                    return;
                }
                continue;
            }
        };
        match current {
            Mode::Forward => {
                tokio::spawn(forward(client, target, mode.subscribe()));
            }
            Mode::Silent | Mode::Down => {
                let mut held = mode.subscribe();
                tokio::spawn(async move {
                    let _client = client;
                    let _ = held.wait_for(|m| *m == Mode::Forward).await;
                });
            }
        }
    }
}

async fn forward(mut client: TcpStream, target: SocketAddr, mut mode: watch::Receiver<Mode>) {
    let Ok(mut server) = TcpStream::connect(target).await else {
        return;
    };
    // Small requests and answers pass at once, as on a direct connection (no Nagle delay).
    let _ = client.set_nodelay(true);
    let _ = server.set_nodelay(true);
    tokio::select! {
        _ = tokio::io::copy_bidirectional(&mut client, &mut server) => {}
        _ = mode.wait_for(|m| *m != Mode::Forward) => {}
    }
}

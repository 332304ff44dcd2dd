//! Open connections per client address. `HttpServer::on_connect` gives every connection a
//! [`ConnectionSlot`], numbered among that address's open connections; the slot is freed when
//! the connection closes. A connection opened beyond the limit has its requests refused by the
//! guard (the probes excepted). IPv6 clients are counted per /64, the block one subscriber
//! usually holds, so that walking through its addresses does not reset the count.

use std::any::Any;
use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::{Arc, Mutex, PoisonError};

use actix_web::dev::Extensions;

/// The count of open connections per client, shared by every server worker.
#[derive(Clone, Debug, Default)]
pub struct ClientConnections {
    open: Arc<Mutex<HashMap<IpAddr, usize>>>,
    /// 0: no limit.
    limit: usize,
}

impl ClientConnections {
    pub fn new(limit: usize) -> Self {
        Self {
            open: Arc::default(),
            limit,
        }
    }

    /// For `HttpServer::on_connect`: gives a TCP connection its slot.
    pub fn on_connect(&self, conn: &dyn Any, extensions: &mut Extensions) {
        if self.limit == 0 {
            return;
        }
        let Some(stream) = conn.downcast_ref::<actix_web::rt::net::TcpStream>() else {
            return;
        };
        if let Ok(peer) = stream.peer_addr() {
            extensions.insert(self.open(peer.ip()));
        }
    }

    /// Counts one more connection from `ip`.
    pub fn open(&self, ip: IpAddr) -> ConnectionSlot {
        let client = client_of(ip);
        let mut open = self.open.lock().unwrap_or_else(PoisonError::into_inner);
        let count = open.entry(client).or_default();
        *count += 1;
        ConnectionSlot {
            client,
            over_limit: *count > self.limit,
            owner: self.clone(),
        }
    }

    /// How many connections `ip`'s client holds.
    #[cfg(test)]
    fn held_by(&self, ip: IpAddr) -> usize {
        let open = self.open.lock().unwrap_or_else(PoisonError::into_inner);
        open.get(&client_of(ip)).copied().unwrap_or(0)
    }

    fn close(&self, client: IpAddr) {
        let mut open = self.open.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(count) = open.get_mut(&client) {
            *count -= 1;
            if *count == 0 {
                open.remove(&client);
            }
        }
    }
}

/// The client an address belongs to: itself for IPv4, its /64 for IPv6 (an IPv4-mapped IPv6
/// address is its IPv4 address).
fn client_of(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V4(_) => ip,
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => IpAddr::V4(v4),
            None => IpAddr::V6((u128::from(v6) & (u128::MAX << 64)).into()),
        },
    }
}

/// One open connection; dropping it (the connection closed) frees it.
#[derive(Debug)]
pub struct ConnectionSlot {
    client: IpAddr,
    over_limit: bool,
    owner: ClientConnections,
}

impl ConnectionSlot {
    /// Whether the connection was opened while its client already held the limit.
    pub fn over_limit(&self) -> bool {
        self.over_limit
    }
}

impl Drop for ConnectionSlot {
    fn drop(&mut self) {
        self.owner.close(self.client);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn connections_beyond_the_limit_are_over_it_until_earlier_ones_close() {
        let conns = ClientConnections::new(2);
        let ip: IpAddr = "203.0.113.7".parse().unwrap_or_else(|e| panic!("{e}"));
        let other: IpAddr = "203.0.113.8".parse().unwrap_or_else(|e| panic!("{e}"));
        let a = conns.open(ip);
        let b = conns.open(ip);
        let c = conns.open(ip);
        assert!(!a.over_limit() && !b.over_limit());
        assert!(c.over_limit());
        assert!(
            !conns.open(other).over_limit(),
            "another client has its own count"
        );
        drop((a, c));
        assert_eq!(conns.held_by(ip), 1);
        assert!(!conns.open(ip).over_limit());
        drop(b);
        assert_eq!(conns.held_by(ip), 0);
    }

    #[test]
    fn ipv6_clients_are_counted_per_64_and_mapped_ipv4_as_ipv4() {
        let conns = ClientConnections::new(1);
        let ip = |s: &str| s.parse::<IpAddr>().unwrap_or_else(|e| panic!("{e}"));
        let _first = conns.open(ip("2001:db8:1:2::1"));
        assert!(conns.open(ip("2001:db8:1:2:ffff::9")).over_limit());
        assert!(!conns.open(ip("2001:db8:1:3::1")).over_limit());
        let _v4 = conns.open(ip("198.51.100.1"));
        assert!(conns.open(ip("::ffff:198.51.100.1")).over_limit());
    }
}

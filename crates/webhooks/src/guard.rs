//! Where webhooks may go: HTTPS URLs of public hosts. Outside dev, a URL whose host is (or
//! resolves to) a loopback, private, link-local or otherwise internal address is refused, so a
//! tenant cannot make our servers call our own network (SSRF). Names are checked when the
//! request is made, by the resolver itself, so a DNS answer that changes after registration
//! cannot slip through; redirects are not followed.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};

use reqwest::dns::{Addrs, Name, Resolve, Resolving};
use reqwest::Url;

/// Whether deliveries may target private and loopback addresses (dev and tests only).
#[derive(Debug, Clone, Copy)]
pub struct TargetPolicy {
    pub allow_private: bool,
}

/// Why a URL is refused; the message is fit for a 422 field error.
pub fn check_url(raw: &str, policy: TargetPolicy) -> Result<Url, &'static str> {
    let url = Url::parse(raw).map_err(|_| "must be an absolute http(s) URL")?;
    if !url.username().is_empty() || url.password().is_some() {
        return Err("must not carry credentials; use the signing secret");
    }
    let host = url.host_str().ok_or("must name a host")?;
    let local = is_local_name(host);
    match url.scheme() {
        "https" => {}
        "http" if policy.allow_private && local => {}
        "http" => return Err("must use https (plain http only for localhost in dev)"),
        _ => return Err("must be an absolute http(s) URL"),
    }
    if !policy.allow_private {
        if local {
            return Err("must not point at this machine");
        }
        if let Some(ip) = literal_ip(&url) {
            if is_internal(ip) {
                return Err("must not point at a private or internal address");
            }
        }
    }
    Ok(url)
}

fn is_local_name(host: &str) -> bool {
    let host = host.trim_start_matches('[').trim_end_matches(']');
    host.eq_ignore_ascii_case("localhost")
        || host.to_ascii_lowercase().ends_with(".localhost")
        || host.parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

/// The host of `url` when it is an IP address.
pub fn literal_ip(url: &Url) -> Option<IpAddr> {
    match url.host()? {
        url::Host::Ipv4(ip) => Some(IpAddr::V4(ip)),
        url::Host::Ipv6(ip) => Some(IpAddr::V6(ip)),
        url::Host::Domain(_) => None,
    }
}

/// Loopback, private, link-local, shared (CGNAT), unspecified, broadcast, multicast,
/// documentation and other reserved ranges, IPv4 or IPv6 (including v4-mapped).
pub fn is_internal(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => is_internal_v4(v4),
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => is_internal_v4(v4),
            None => is_internal_v6(v6),
        },
    }
}

fn is_internal_v4(ip: Ipv4Addr) -> bool {
    let [a, b, ..] = ip.octets();
    ip.is_loopback()
        || ip.is_private()
        || ip.is_link_local()
        || ip.is_unspecified()
        || ip.is_broadcast()
        || ip.is_multicast()
        || ip.is_documentation()
        || a == 0
        || (a == 100 && (64..128).contains(&b)) // shared address space (CGNAT)
        || (a == 192 && b == 0 && ip.octets()[2] == 0) // IETF protocol assignments
        || (a == 198 && (18..20).contains(&b)) // benchmarking
        || a >= 240 // reserved
}

fn is_internal_v6(ip: Ipv6Addr) -> bool {
    let first = ip.segments()[0];
    ip.is_loopback()
        || ip.is_unspecified()
        || ip.is_multicast()
        || (first & 0xfe00) == 0xfc00 // unique local
        || (first & 0xffc0) == 0xfe80 // link-local
        || first == 0x2001 && ip.segments()[1] == 0x0db8 // documentation
        || first == 0x0064 && ip.segments()[1] == 0xff9b // NAT64 (reaches IPv4 inside)
}

/// A DNS resolver that drops internal addresses (unless the policy allows them) and fails when
/// nothing is left.
#[derive(Debug, Clone, Copy)]
pub struct GuardedResolver(pub TargetPolicy);

impl Resolve for GuardedResolver {
    fn resolve(&self, name: Name) -> Resolving {
        let policy = self.0;
        Box::pin(async move {
            let found: Vec<SocketAddr> = tokio::net::lookup_host((name.as_str(), 0))
                .await?
                .filter(|addr| policy.allow_private || !is_internal(addr.ip()))
                .collect();
            if found.is_empty() {
                return Err(format!("{} has no public address", name.as_str()).into());
            }
            let addrs: Addrs = Box::new(found.into_iter());
            Ok(addrs)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PROD: TargetPolicy = TargetPolicy {
        allow_private: false,
    };
    const DEV: TargetPolicy = TargetPolicy {
        allow_private: true,
    };

    #[test]
    fn internal_addresses_are_recognised() {
        for ip in [
            "127.0.0.1",
            "10.1.2.3",
            "172.16.0.1",
            "192.168.1.1",
            "169.254.169.254",
            "100.64.0.1",
            "0.0.0.0",
            "255.255.255.255",
            "224.0.0.1",
            "::1",
            "::",
            "fd00::1",
            "fe80::1",
            "::ffff:127.0.0.1",
            "::ffff:10.0.0.1",
            "64:ff9b::a00:1",
        ] {
            assert!(is_internal(ip.parse().unwrap()), "{ip}");
        }
        for ip in ["8.8.8.8", "1.1.1.1", "2606:4700:4700::1111", "172.32.0.1"] {
            assert!(!is_internal(ip.parse().unwrap()), "{ip}");
        }
    }

    #[test]
    fn urls_follow_the_policy() {
        assert!(check_url("https://hooks.example.com/in", PROD).is_ok());
        assert!(check_url("http://hooks.example.com/in", PROD).is_err());
        assert!(check_url("https://127.0.0.1/in", PROD).is_err());
        assert!(check_url("https://[::1]/in", PROD).is_err());
        assert!(check_url("https://10.0.0.8/in", PROD).is_err());
        assert!(check_url("https://localhost/in", PROD).is_err());
        assert!(check_url("https://user:pw@hooks.example.com/", PROD).is_err());
        assert!(check_url("ftp://hooks.example.com/", PROD).is_err());
        assert!(check_url("not a url", PROD).is_err());
        assert!(check_url("http://127.0.0.1:9000/in", DEV).is_ok());
        assert!(check_url("http://localhost:9000/in", DEV).is_ok());
        assert!(check_url("http://hooks.example.com/in", DEV).is_err());
    }

    #[tokio::test]
    async fn the_resolver_drops_internal_addresses() {
        let name: Name = "localhost".parse().unwrap();
        assert!(GuardedResolver(PROD).resolve(name).await.is_err());
        let name: Name = "localhost".parse().unwrap();
        let addrs: Vec<_> = GuardedResolver(DEV).resolve(name).await.unwrap().collect();
        assert!(addrs.iter().all(|a| a.ip().is_loopback()) && !addrs.is_empty());
    }
}

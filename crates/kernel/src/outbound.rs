//! Where our servers may call a URL a tenant gave (webhook endpoints, a project's
//! connectors): HTTPS URLs of public hosts. Outside dev, a URL whose host is (or
//! resolves to) a loopback, private, link-local or otherwise internal address is refused, so a
//! tenant cannot make our servers call our own network (SSRF). Names are checked when the
//! request is made, by the resolver itself, so a DNS answer that changes after registration
//! cannot slip through; redirects are not followed.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};

use reqwest::dns::{Addrs, Name, Resolve, Resolving};
use reqwest::Url;

/// Whether outbound calls may target private and loopback addresses (dev and tests only).
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
        || embedded_v4(ip).iter().any(|v4| is_internal_v4(*v4))
}

/// The IPv4 addresses an IPv6 address carries by construction, which a router or relay may
/// deliver to: IPv4-compatible (`::a.b.c.d`), NAT64 (`64:ff9b::/96` and the local-use
/// `64:ff9b:1::/48`), 6to4 (`2002:aabb:ccdd::/48`) and Teredo (`2001:0::/32`: the server,
/// and the client stored inverted).
fn embedded_v4(ip: Ipv6Addr) -> Vec<Ipv4Addr> {
    let bits = u128::from(ip);
    let low32 = Ipv4Addr::from((bits & 0xffff_ffff) as u32);
    let s = ip.segments();
    let v4 = |hi: u16, lo: u16| Ipv4Addr::from((u32::from(hi) << 16) | u32::from(lo));
    let prefix96 = bits >> 32;
    // IPv4-compatible (deprecated, still routed by some stacks), and NAT64's well-known /96.
    if prefix96 == 0 || prefix96 == 0x0064_ff9b_0000_0000_0000_0000 {
        vec![low32]
    } else if (s[0], s[1], s[2]) == (0x64, 0xff9b, 1) {
        // A local-use prefix: /96 (the last 32 bits) or /48 (RFC 6052: around the u octet).
        vec![low32, v4(s[3], ((s[4] & 0xff) << 8) | (s[5] >> 8))]
    } else if s[0] == 0x2002 {
        vec![v4(s[1], s[2])]
    } else if (s[0], s[1]) == (0x2001, 0) {
        vec![v4(s[2], s[3]), v4(!s[6], !s[7])]
    } else {
        Vec::new()
    }
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
            "::127.0.0.1",
            "::10.0.0.1",
            "2002:7f00:1::",
            "2002:c0a8:101::1",
            "64:ff9b::7f00:1",
            "64:ff9b:1::a00:1",
            // Teredo: server 65.54.227.120, client 127.0.0.1 (inverted in the last 32 bits)
            "2001:0:4136:e378:8000:63bf:80ff:fffe",
            // Teredo: server 10.0.0.1, client 8.8.8.8
            "2001:0:a00:1::f7f7:f7f7",
        ] {
            assert!(is_internal(ip.parse().unwrap()), "{ip}");
        }
        for ip in [
            "8.8.8.8",
            "1.1.1.1",
            "2606:4700:4700::1111",
            "172.32.0.1",
            "2002:808:808::1",                      // 6to4 of 8.8.8.8
            "64:ff9b::808:808",                     // NAT64 of 8.8.8.8
            "2001:0:4136:e378:8000:63bf:f7f7:f7f7", // Teredo to 8.8.8.8
        ] {
            assert!(!is_internal(ip.parse().unwrap()), "{ip}");
        }
    }

    #[test]
    fn urls_follow_the_policy() {
        assert!(check_url("https://hooks.example.com/in", PROD).is_ok());
        assert!(check_url("http://hooks.example.com/in", PROD).is_err());
        assert!(check_url("https://127.0.0.1/in", PROD).is_err());
        assert!(check_url("https://[::1]/in", PROD).is_err());
        assert!(check_url("https://[::127.0.0.1]/in", PROD).is_err());
        assert!(check_url("https://[2002:7f00:1::]/in", PROD).is_err());
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

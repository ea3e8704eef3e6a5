//! Which address a request comes from: the TCP peer, or, behind reverse proxies the operator
//! named (`--trusted-proxies`), the client they forwarded for. Decided once per request, here;
//! rate limits, connection caps, the screens list and the logs all use the answer.

use app::domain::ClientAddress;
use axum::extract::{ConnectInfo, Request, State};
use axum::middleware::Next;
use axum::response::Response;
use ipnet::IpNet;
use std::net::{IpAddr, SocketAddr};

/// The reverse proxies whose `X-Forwarded-For` is believed. None by default: a header any
/// client can write says nothing about who it is.
#[derive(Clone, Debug, Default)]
pub struct TrustedProxies(Vec<IpNet>);

impl TrustedProxies {
    pub fn new(networks: Vec<IpNet>) -> TrustedProxies {
        TrustedProxies(networks)
    }

    fn trusts(&self, address: IpAddr) -> bool {
        self.0.iter().any(|network| network.contains(&address))
    }

    /// The client behind `peer`: `peer` itself unless it is a trusted proxy; else, reading
    /// `X-Forwarded-For` from the right (each proxy appends the address it got the request
    /// from), the first address that is not a trusted proxy. What a client wrote itself sits
    /// further left, and is never reached past an address we do not trust.
    pub fn client(&self, peer: IpAddr, forwarded_for: &[&str]) -> IpAddr {
        let mut client = peer;
        let hops = forwarded_for.iter().flat_map(|header| header.split(',')).map(str::trim).rev();
        for hop in hops {
            if !self.trusts(client) {
                break;
            }
            match hop.parse::<IpAddr>() {
                Ok(address) => client = address,
                // Unreadable: the nearest address known is as far as it is believed.
                Err(_) => break,
            }
        }
        client
    }
}

/// Puts the request's [`ClientAddress`] into it, for everything after.
pub async fn resolve_client_address(
    State(proxies): State<std::sync::Arc<TrustedProxies>>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    mut request: Request,
    next: Next,
) -> Response {
    let forwarded: Vec<&str> =
        request.headers().get_all("x-forwarded-for").iter().filter_map(|value| value.to_str().ok()).collect();
    let client = proxies.client(peer.ip(), &forwarded);
    request.extensions_mut().insert(ClientAddress(client));
    next.run(request).await
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(text: &str) -> IpAddr {
        text.parse().unwrap()
    }

    #[test]
    fn forwarded_addresses_count_only_behind_a_trusted_proxy() {
        let none = TrustedProxies::default();
        assert_eq!(none.client(ip("127.0.0.1"), &["203.0.113.9"]), ip("127.0.0.1"), "nobody is trusted by default");

        let nginx = TrustedProxies::new(vec![
            crate::config::parse_network("127.0.0.1").unwrap(),
            crate::config::parse_network("10.0.0.0/8").unwrap(),
        ]);
        assert_eq!(nginx.client(ip("127.0.0.1"), &["203.0.113.9"]), ip("203.0.113.9"));
        assert_eq!(nginx.client(ip("127.0.0.1"), &["203.0.113.9, 10.1.2.3"]), ip("203.0.113.9"), "through two proxies");
        assert_eq!(
            nginx.client(ip("127.0.0.1"), &["6.6.6.6", "203.0.113.9"]),
            ip("203.0.113.9"),
            "what the client wrote is not believed"
        );
        assert_eq!(
            nginx.client(ip("198.51.100.1"), &["203.0.113.9"]),
            ip("198.51.100.1"),
            "a header from an untrusted peer"
        );
        assert_eq!(nginx.client(ip("127.0.0.1"), &["not an address"]), ip("127.0.0.1"));
        assert_eq!(nginx.client(ip("127.0.0.1"), &[]), ip("127.0.0.1"));
        assert!(
            crate::config::parse_network("2001:db8::/32").is_ok() && crate::config::parse_network("nonsense").is_err()
        );
    }
}

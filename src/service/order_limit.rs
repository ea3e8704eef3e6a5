//! One limit on placing orders, whichever way they come (the menu's checkout, the plain form,
//! `/api/v1/orders`, any later one): it is kept where orders are placed, not by URL.

use app::api::AppError;
use app::domain::{ClientAddress, Principal};
use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use std::net::IpAddr;
use std::num::NonZeroU32;

/// Whose orders are counted together.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
enum Orderer {
    /// Signed-in staff, a kitchen screen or an integration: by who it is, wherever it calls from.
    Known(String),
    /// A customer: by address, an IPv6 client by its /64 (one household or phone gets a
    /// whole /64, so counting its addresses one by one would count nothing).
    Address(IpAddr),
}

pub struct OrderLimit {
    limiter: DefaultKeyedRateLimiter<Orderer>,
}

impl OrderLimit {
    pub fn per_minute(orders: u32) -> OrderLimit {
        let quota = Quota::per_minute(NonZeroU32::new(orders).unwrap_or(NonZeroU32::MIN));
        OrderLimit { limiter: RateLimiter::keyed(quota) }
    }

    /// Counts one order by `who` from `from`, or refuses it, saying how long to wait.
    pub fn check(&self, who: &Principal, from: Option<ClientAddress>) -> Result<(), AppError> {
        let orderer = match (who, from) {
            (Principal::Anonymous, Some(ClientAddress(address))) => Orderer::Address(network_of(address)),
            // In-process callers (the demo's trickle) have no address and are not limited.
            (Principal::Anonymous, None) => return Ok(()),
            (known, _) => Orderer::Known(known.actor()),
        };
        self.limiter.check_key(&orderer).map_err(|not_until| {
            let wait = not_until.wait_time_from(DefaultClock::default().now()).as_secs().max(1);
            AppError::too_many_requests(format!("too many orders from this address, please wait {wait} s"))
                .says("error-order-rate", &[("seconds", (wait as i64).into())])
        })
    }

    /// Forgets idle orderers, so the limiter's memory does not grow without bound.
    pub fn forget_idle(&self) {
        self.limiter.retain_recent();
    }
}

/// The address limits count by: itself for IPv4, its /64 network for IPv6.
pub fn network_of(address: IpAddr) -> IpAddr {
    match address {
        IpAddr::V4(_) => address,
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => IpAddr::V4(v4),
            None => IpAddr::V6((u128::from(v6) & !((1u128 << 64) - 1)).into()),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_way_of_ordering_from_one_address_shares_one_count() {
        let limit = OrderLimit::per_minute(2);
        let from = Some(ClientAddress("203.0.113.7".parse().unwrap()));
        assert!(limit.check(&Principal::Anonymous, from).is_ok());
        assert!(limit.check(&Principal::Anonymous, from).is_ok());
        let refused = limit.check(&Principal::Anonymous, from).unwrap_err();
        assert_eq!(refused.status(), 429);
        assert!(
            limit.check(&Principal::Anonymous, Some(ClientAddress("203.0.113.8".parse().unwrap()))).is_ok(),
            "another address"
        );
    }

    #[test]
    fn an_ipv6_client_is_counted_by_its_64() {
        let limit = OrderLimit::per_minute(1);
        let one = Some(ClientAddress("2001:db8:1:2::1".parse().unwrap()));
        let same_network = Some(ClientAddress("2001:db8:1:2:ffff:ffff:ffff:fffe".parse().unwrap()));
        let next_network = Some(ClientAddress("2001:db8:1:3::1".parse().unwrap()));
        assert!(limit.check(&Principal::Anonymous, one).is_ok());
        assert!(limit.check(&Principal::Anonymous, same_network).is_err());
        assert!(limit.check(&Principal::Anonymous, next_network).is_ok());
        assert_eq!(network_of("::ffff:192.0.2.1".parse().unwrap()), "192.0.2.1".parse::<IpAddr>().unwrap());
    }
}

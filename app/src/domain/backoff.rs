//! When to try reconnecting. Exponential backoff with full jitter, so that after a server
//! restart the screens come back spread over a window rather than in the same millisecond.

pub const BASE_DELAY_MS: f64 = 500.0;
pub const MAX_DELAY_MS: f64 = 15_000.0;
/// Never retry sooner than this, even when the jitter draws zero.
pub const MIN_DELAY_MS: f64 = 250.0;

/// The delay before reconnect attempt number `attempt` (0 for the first), given a uniform
/// random number `jitter` in [0, 1).
pub fn reconnect_delay_ms(attempt: u32, jitter: f64) -> f64 {
    let ceiling = (BASE_DELAY_MS * 2f64.powi(attempt.min(16) as i32)).min(MAX_DELAY_MS);
    (ceiling * jitter.clamp(0.0, 1.0)).max(MIN_DELAY_MS)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grows_then_caps() {
        assert_eq!(reconnect_delay_ms(0, 1.0), 500.0);
        assert_eq!(reconnect_delay_ms(1, 1.0), 1000.0);
        assert_eq!(reconnect_delay_ms(3, 1.0), 4000.0);
        assert_eq!(reconnect_delay_ms(10, 1.0), MAX_DELAY_MS);
        assert_eq!(reconnect_delay_ms(u32::MAX, 1.0), MAX_DELAY_MS);
    }

    #[test]
    fn jitter_spreads_but_never_below_the_floor() {
        assert_eq!(reconnect_delay_ms(5, 0.0), MIN_DELAY_MS);
        assert_eq!(reconnect_delay_ms(4, 0.5), 4000.0);
        for attempt in 0..20 {
            for jitter in [0.0, 0.3, 0.99] {
                let delay = reconnect_delay_ms(attempt, jitter);
                assert!((MIN_DELAY_MS..=MAX_DELAY_MS).contains(&delay));
            }
        }
    }
}

//! Ending live connections whose credentials were withdrawn (sign-out, a revoked device or
//! key, a disabled account).
//!
//! Each connection waits on a flag of its own, which [`Revocations::revoke`] raises for the
//! connections it concerns. A channel that every connection listens on would do as well, but a
//! connection polls each of its waits whenever it wakes, that is for every event it delivers,
//! and polling a waiting channel receiver takes the lock that channel shares with every other
//! connection: 10,000 kitchen screens took it 10,000 times per order.

use super::hub::{Credentials, Revoked};
use futures::task::AtomicWaker;
use std::collections::HashMap;
use std::future::Future;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::task::Poll;

/// The live connections that can be revoked, by what they were opened with.
#[derive(Default)]
pub struct Revocations {
    watched: Mutex<HashMap<u64, Watched>>,
    next_id: AtomicU64,
}

/// One connection's identity and its flag.
struct Watched {
    session_hash: Option<String>,
    device_id: Option<i64>,
    user_id: Option<i64>,
    flag: Arc<Flag>,
}

impl Watched {
    fn revoked_by(&self, revoked: &Revoked) -> bool {
        match revoked {
            Revoked::Session(hash) => self.session_hash.as_ref() == Some(hash),
            Revoked::Device(id) => self.device_id == Some(*id),
            Revoked::User(id) => self.user_id == Some(*id),
        }
    }
}

#[derive(Default)]
struct Flag {
    raised: AtomicBool,
    waker: AtomicWaker,
}

/// A connection's wait for its credentials to be revoked (see [`RevocationWatch::revoked`]).
/// Dropping it unregisters the connection.
pub struct RevocationWatch<'a> {
    /// `None` for anonymous connections (a customer's order page): nothing can revoke them.
    registered: Option<Registered<'a>>,
}

struct Registered<'a> {
    revocations: &'a Revocations,
    id: u64,
    flag: Arc<Flag>,
}

impl Revocations {
    /// Watches for revocations of `credentials` until the watch is dropped.
    pub fn watch(&self, credentials: &Credentials) -> RevocationWatch<'_> {
        if credentials.session_hash.is_none() && credentials.device_id.is_none() && credentials.user_id.is_none() {
            return RevocationWatch { registered: None };
        }
        let id = self.next_id.fetch_add(1, Ordering::Relaxed);
        let flag = Arc::new(Flag::default());
        let watched = Watched {
            session_hash: credentials.session_hash.clone(),
            device_id: credentials.device_id,
            user_id: credentials.user_id,
            flag: flag.clone(),
        };
        self.lock().insert(id, watched);
        RevocationWatch { registered: Some(Registered { revocations: self, id, flag }) }
    }

    /// Ends every watched connection that `revoked` concerns. Revocations are rare: a scan of
    /// every connection costs less than an index kept up to date on every connect.
    pub fn revoke(&self, revoked: &Revoked) {
        for watched in self.lock().values().filter(|watched| watched.revoked_by(revoked)) {
            watched.flag.raised.store(true, Ordering::Release);
            watched.flag.waker.wake();
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<u64, Watched>> {
        self.watched.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    #[cfg(test)]
    fn watched_count(&self) -> usize {
        self.lock().len()
    }
}

impl RevocationWatch<'_> {
    /// Resolves once the connection's credentials are revoked; never for an anonymous one.
    /// Polling it touches only this connection's flag.
    pub fn revoked(&self) -> impl Future<Output = ()> + '_ {
        std::future::poll_fn(|cx| {
            let Some(Registered { flag, .. }) = &self.registered else {
                return Poll::Pending;
            };
            if flag.raised.load(Ordering::Acquire) {
                return Poll::Ready(());
            }
            flag.waker.register(cx.waker());
            // Raised between the check and the registration: its wake may have found no waker.
            if flag.raised.load(Ordering::Acquire) { Poll::Ready(()) } else { Poll::Pending }
        })
    }
}

impl Drop for Registered<'_> {
    fn drop(&mut self) {
        self.revocations.lock().remove(&self.id);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use futures::FutureExt;

    #[derive(Default)]
    struct Woken(AtomicBool);

    impl futures::task::ArcWake for Woken {
        fn wake_by_ref(woken: &Arc<Self>) {
            woken.0.store(true, Ordering::Release);
        }
    }

    fn credentials(session_hash: Option<&str>, device_id: Option<i64>, user_id: Option<i64>) -> Credentials {
        Credentials { session_hash: session_hash.map(String::from), device_id, user_id, ..Credentials::default() }
    }

    #[test]
    fn a_revocation_ends_the_connections_it_names_and_no_other() {
        let revocations = Revocations::default();
        let staff = revocations.watch(&credentials(Some("staff"), None, Some(7)));
        let device = revocations.watch(&credentials(Some("device"), Some(3), None));
        let other = revocations.watch(&credentials(Some("other"), None, Some(8)));

        // Already waiting when the revocation comes: its task is woken.
        let woken = Arc::new(Woken::default());
        let waker = futures::task::waker(woken.clone());
        let waiting = device.revoked();
        tokio::pin!(waiting);
        assert!(waiting.as_mut().poll(&mut std::task::Context::from_waker(&waker)).is_pending());
        revocations.revoke(&Revoked::Device(3));
        assert!(woken.0.load(Ordering::Acquire), "the waiting connection is woken");
        assert!(waiting.now_or_never().is_some(), "the revoked device's connection ends");

        revocations.revoke(&Revoked::User(7));
        assert!(staff.revoked().now_or_never().is_some(), "the disabled account's connection ends");
        assert!(other.revoked().now_or_never().is_none(), "another account's connection stays");
        revocations.revoke(&Revoked::Session("other".into()));
        assert!(other.revoked().now_or_never().is_some(), "a signed-out session's connection ends");
    }

    #[test]
    fn anonymous_connections_are_not_watched_and_gone_ones_are_forgotten() {
        let revocations = Revocations::default();
        let anonymous = revocations.watch(&Credentials::default());
        assert_eq!(revocations.watched_count(), 0);
        assert!(anonymous.revoked().now_or_never().is_none(), "nothing revokes an anonymous connection");
        let watch = revocations.watch(&credentials(Some("staff"), None, None));
        assert_eq!(revocations.watched_count(), 1);
        drop(watch);
        assert_eq!(revocations.watched_count(), 0);
    }
}

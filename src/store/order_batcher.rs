//! Orders are written in batches, each pizzeria's apart. Each order places a job on its
//! pizzeria's queue; one task per pizzeria takes every job waiting there (up to
//! `MAX_ORDERS_PER_BATCH`) and writes them in one transaction, while the next ones queue up
//! behind it.
//!
//! Why batches: on SQLite the cost of an order is not the SQL but the trips to the database
//! thread, a pair of thread wake-ups per statement (see BENCHMARKS.md). A batch makes the same
//! eight trips as a single order, however many orders it holds. Under light load every batch
//! holds one order, so nobody waits for a batch to fill.
//!
//! Why one queue per pizzeria: a batch holds its pizzeria's place in the event log until it
//! commits (see `sql/events.rs`). On PostgreSQL another instance may hold that place for a
//! while; only that pizzeria's orders should wait for it, never another's.

use super::orders::{NewOrder, PlaceOutcome, MAX_ORDERS_PER_BATCH};
use super::{Backend, StoreError};
use futures::FutureExt;
use std::collections::HashMap;
use std::panic::AssertUnwindSafe;
use std::sync::{Arc, Mutex};
use tokio::sync::{mpsc, oneshot};

/// Beyond this many orders waiting at one pizzeria, new ones wait for room (back-pressure, not
/// memory).
const QUEUE_CAPACITY: usize = 4096;

struct Job {
    order: NewOrder,
    reply: oneshot::Sender<PlaceOutcome>,
}

/// Where orders are handed to their pizzeria's writer task.
#[derive(Clone)]
pub(super) struct OrderBatcher {
    backend: Backend,
    /// Each pizzeria's queue, started with its first order. A writer task ends once every
    /// handle on its queue is gone, with the last clone of the store.
    queues: Arc<Mutex<HashMap<i64, mpsc::Sender<Job>>>>,
}

impl OrderBatcher {
    pub(super) fn new(backend: Backend) -> OrderBatcher {
        OrderBatcher { backend, queues: Arc::default() }
    }

    /// Places `order` with whatever other orders of its pizzeria are waiting. The order is
    /// written even if the caller stops waiting for the answer.
    pub(super) async fn place(&self, order: NewOrder) -> PlaceOutcome {
        let queue = self.queue(order.location_id);
        let (reply, outcome) = oneshot::channel();
        queue.send(Job { order, reply }).await.map_err(|_| StoreError::WriterStopped)?;
        outcome.await.map_err(|_| StoreError::WriterStopped)?
    }

    fn queue(&self, location_id: i64) -> mpsc::Sender<Job> {
        let mut queues = self.queues.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        queues
            .entry(location_id)
            .or_insert_with(|| {
                let (jobs, waiting) = mpsc::channel(QUEUE_CAPACITY);
                tokio::spawn(write_batches(self.backend.clone(), waiting));
                jobs
            })
            .clone()
    }
}

async fn write_batches(backend: Backend, mut waiting: mpsc::Receiver<Job>) {
    let mut jobs = Vec::with_capacity(MAX_ORDERS_PER_BATCH);
    while waiting.recv_many(&mut jobs, MAX_ORDERS_PER_BATCH).await > 0 {
        let (orders, replies): (Vec<NewOrder>, Vec<_>) = jobs.drain(..).map(|job| (job.order, job.reply)).unzip();
        crate::metrics::orders_written_together(orders.len());
        // A bug in one batch fails its orders (their callers hear `WriterStopped`), not every
        // order after it.
        match AssertUnwindSafe(backend.place_orders(&orders)).catch_unwind().await {
            Ok(outcomes) => {
                for (reply, outcome) in replies.into_iter().zip(outcomes) {
                    // The caller may have gone; its order stands either way.
                    let _ = reply.send(outcome);
                }
            }
            Err(_) => tracing::error!(orders = orders.len(), "writing a batch of orders panicked"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::{NewLocation, NewOrder, PlaceOutcome, PlaceRefused, Placed, Store};
    use app::domain::{LineRequest, OrderRequest, Size};

    fn order(location_id: i64, name: &str, key: Option<&str>) -> NewOrder {
        NewOrder {
            location_id,
            request: OrderRequest {
                customer_name: name.into(),
                lines: vec![LineRequest::plain(1, Size::M, 2)],
                idempotency_key: key.map(str::to_string),
                ..OrderRequest::default()
            },
            token: format!("token-of-{name}-{}", key.unwrap_or("none")),
            prep_secs: 900,
            actor: "customer".into(),
            key_owner: "customer".into(),
            now: super::super::now(),
        }
    }

    fn placed(outcome: PlaceOutcome) -> Placed {
        match outcome {
            Ok(Ok(placed)) => placed,
            Ok(Err(refused)) => panic!("refused: {refused:?}"),
            Err(err) => panic!("failed: {err}"),
        }
    }

    #[tokio::test]
    async fn a_batch_is_written_in_one_go_in_the_order_given() {
        let (_dir, store) = Store::temporary().await;
        let north = NewLocation {
            slug: "north".into(),
            name: "North".into(),
            host: None,
            timezone: "Europe/Rome".into(),
            opening_hours: "always".into(),
            prep_secs: None,
        };
        let north = store.create_location(&north).await.unwrap().unwrap();
        let first = placed(store.place_order(order(1, "Ann", Some("key-of-ann-0001"))).await);
        let second = placed(store.place_order(order(1, "Ben", Some("key-of-ben-0001"))).await);
        assert_eq!((first.seq, second.seq), (Some(1), Some(2)));

        let mut bob = order(north, "Bob", Some("key-of-bob-0001"));
        bob.request.lines[0].item_id = store.menu(north).await.unwrap().items[0].id;
        let mut empty = order(1, "Eve", None);
        empty.request.lines.clear();
        let batch = vec![
            order(1, "Ada", None),
            bob,
            empty,
            order(1, "Ann", Some("key-of-ann-0001")),
            order(1, "Not Ben", Some("key-of-ben-0001")),
            order(1, "Cy", None),
        ];
        let mut outcomes = store.backend.place_orders(&batch).await.into_iter();
        let ada = placed(outcomes.next().unwrap());
        let bob = placed(outcomes.next().unwrap());
        assert!(matches!(outcomes.next(), Some(Ok(Err(PlaceRefused::Invalid(_))))), "an empty cart is refused");
        let ann_again = placed(outcomes.next().unwrap());
        assert!(matches!(outcomes.next(), Some(Ok(Err(PlaceRefused::KeyReused)))), "a key reused with other details");
        let cy = placed(outcomes.next().unwrap());

        // Each pizzeria numbers its own events.
        assert_eq!((ada.seq, bob.seq, cy.seq), (Some(3), Some(1), Some(4)), "seqs follow the batch, with no gap");
        assert_eq!((ann_again.seq, &ann_again.order, &ann_again.token), (None, &first.order, &first.token));
        assert_eq!((bob.order.location_id, bob.order.total), (north, bob.order.lines[0].unit_price.times(2)));
        assert_eq!(ada.token, batch[0].token);

        let logged = |events: Vec<super::super::StoredEvent>| -> Vec<(i64, i64, Option<i64>)> {
            events.iter().map(|event| (event.seq, event.location_id, event.order_id)).collect()
        };
        assert_eq!(
            logged(store.events_after(1, 2, 10).await.unwrap()),
            [(3, 1, Some(ada.order.id)), (4, 1, Some(cy.order.id))]
        );
        assert_eq!(logged(store.events_after(north, 0, 10).await.unwrap()), [(1, north, Some(bob.order.id))]);
        let open = store.open_orders(1, super::super::now()).await.unwrap();
        assert_eq!(open.seq, 4);
        assert_eq!(store.open_orders(north, super::super::now()).await.unwrap().seq, 1);
        assert_eq!(open.orders, [first.order, second.order, ada.order, cy.order], "every detail and line is stored");
    }

    #[tokio::test]
    async fn one_bad_order_fails_only_itself() {
        let (_dir, store) = Store::temporary().await;
        // No pizzeria 999: its hours cannot be read, so the batch fails and is retried order by order.
        let batch = vec![order(1, "Ada", None), order(999, "Zed", None), order(1, "Cy", None)];
        let outcomes = store.backend.place_orders(&batch).await;
        let mut outcomes = outcomes.into_iter();
        assert_eq!(placed(outcomes.next().unwrap()).seq, Some(1));
        assert!(matches!(outcomes.next(), Some(Err(_))), "the order for no pizzeria fails");
        assert_eq!(placed(outcomes.next().unwrap()).seq, Some(2), "no seq is lost to the failed attempt");
        assert_eq!(store.open_orders(1, super::super::now()).await.unwrap().orders.len(), 2);
    }

    #[tokio::test]
    async fn one_key_twice_in_a_batch_places_one_order() {
        let (_dir, store) = Store::temporary().await;
        let batch = vec![order(1, "Ada", Some("key-of-ada-0001")), order(1, "Ada", Some("key-of-ada-0001"))];
        let mut outcomes = store.backend.place_orders(&batch).await.into_iter();
        let (first, again) = (placed(outcomes.next().unwrap()), placed(outcomes.next().unwrap()));
        assert_eq!((first.seq, again.seq), (Some(1), None));
        assert_eq!((&first.order, &first.token), (&again.order, &again.token));
    }

    #[tokio::test]
    async fn orders_sent_together_all_land_once_in_seq_order() {
        let (_dir, store) = Store::temporary().await;
        let names: Vec<String> = (0..300).map(|n| format!("Guest {n}")).collect();
        let outcomes =
            futures::future::join_all(names.iter().map(|name| store.place_order(order(1, name, None)))).await;
        let mut seqs: Vec<i64> = outcomes.into_iter().map(|outcome| placed(outcome).seq.unwrap()).collect();
        seqs.sort_unstable();
        assert_eq!(seqs, (1..=300).collect::<Vec<_>>());
        let events = store.events_after(1, 0, 1000).await.unwrap();
        assert_eq!(events.len(), 300);
        assert!(events.windows(2).all(|pair| pair[0].order_id < pair[1].order_id), "seq order is id order");
    }
}

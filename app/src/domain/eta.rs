//! When will my order be ready? An estimate from the live queue: the orders ahead of it and
//! how long each stage has recently taken.

use super::order::{Order, OrderStatus};
use chrono::{DateTime, TimeDelta, Utc};
use serde::{Deserialize, Serialize};

/// The stages that take kitchen time, in order.
pub const TIMED_STAGES: [OrderStatus; 3] = [OrderStatus::Received, OrderStatus::Preparing, OrderStatus::Baking];

/// How many times each stage must have been timed before the averages stand for the kitchen's
/// pace: one order bumped through in a second is not a kitchen.
pub const MIN_TIMED: i64 = 5;

/// Average seconds an order recently spent in each timed stage.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StageTimes {
    pub received_secs: i64,
    pub preparing_secs: i64,
    pub baking_secs: i64,
    /// Whether every stage was timed often enough to go by ([`MIN_TIMED`] times); else some
    /// are the defaults, or rest on a sample too small.
    #[serde(default)]
    pub measured: bool,
}

impl Default for StageTimes {
    /// Until the kitchen has a history: a minute to pick up a ticket, four to make, six to bake.
    fn default() -> Self {
        StageTimes { received_secs: 60, preparing_secs: 240, baking_secs: 360, measured: false }
    }
}

impl StageTimes {
    pub fn of(&self, stage: OrderStatus) -> i64 {
        match stage {
            OrderStatus::Received => self.received_secs,
            OrderStatus::Preparing => self.preparing_secs,
            OrderStatus::Baking => self.baking_secs,
            _ => 0,
        }
    }

    /// Averages measured stage durations `(stage, seconds)`, keeping the default for a stage
    /// with no measurement.
    pub fn from_samples(samples: impl IntoIterator<Item = (OrderStatus, i64)>) -> StageTimes {
        let mut sums = [(0i64, 0i64); 3];
        for (stage, secs) in samples {
            if let Some(index) = TIMED_STAGES.iter().position(|s| *s == stage) {
                sums[index].0 += secs.max(0);
                sums[index].1 += 1;
            }
        }
        let defaults = StageTimes::default();
        let average = |index: usize| match sums[index] {
            (_, 0) => defaults.of(TIMED_STAGES[index]),
            (sum, count) => sum / count,
        };
        let measured = sums.iter().all(|(_, count)| *count >= MIN_TIMED);
        StageTimes { received_secs: average(0), preparing_secs: average(1), baking_secs: average(2), measured }
    }

    /// How long an order recently took from New to Ready, once every stage has been timed.
    pub fn preparation_secs(&self) -> Option<i64> {
        self.measured.then(|| TIMED_STAGES.iter().map(|stage| self.of(*stage)).sum())
    }
}

/// What the customer is told.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ReadyEstimate {
    /// Open orders placed before this one that are not ready yet.
    pub ahead: u32,
    pub ready_at: DateTime<Utc>,
}

/// Estimates when `order` will be ready. The stage it is in counts what is left of its average
/// time; each order ahead still waiting to be made adds one preparation time (the prep bench
/// is the bottleneck: the oven takes several at once). A scheduled pickup is never earlier
/// than its time. `None` once the order is ready, collected or cancelled.
pub fn estimate_ready(
    order: &Order,
    open_orders: &[Order],
    times: StageTimes,
    now: DateTime<Utc>,
) -> Option<ReadyEstimate> {
    let current = TIMED_STAGES.iter().position(|stage| *stage == order.status)?;
    let in_stage_secs = (now - order.updated_at).num_seconds().max(0);
    let mut secs = (times.of(order.status) - in_stage_secs).max(0);
    secs += TIMED_STAGES[current + 1..].iter().map(|stage| times.of(*stage)).sum::<i64>();
    let is_ahead = |other: &&Order| {
        other.id != order.id
            && (other.created_at, other.id) < (order.created_at, order.id)
            && TIMED_STAGES.contains(&other.status)
    };
    let ahead: Vec<&Order> = open_orders.iter().filter(is_ahead).collect();
    if order.status == OrderStatus::Received {
        let waiting_to_be_made = ahead.iter().filter(|other| other.status != OrderStatus::Baking).count() as i64;
        secs += waiting_to_be_made * times.preparing_secs;
    }
    let mut ready_at = now + TimeDelta::seconds(secs);
    if let Some(pickup_at) = order.pickup_at {
        ready_at = ready_at.max(pickup_at);
    }
    Some(ReadyEstimate { ahead: ahead.len() as u32, ready_at })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::fixtures;

    fn at(minutes: i64) -> DateTime<Utc> {
        DateTime::from_timestamp(1_800_000_000 + minutes * 60, 0).unwrap()
    }

    fn order(id: i64, status: OrderStatus, created_min: i64, changed_min: i64) -> Order {
        Order { updated_at: at(changed_min), ..fixtures::order(id, status, at(created_min)) }
    }

    #[test]
    fn an_order_alone_takes_the_sum_of_its_stages() {
        let times = StageTimes::default();
        let mine = order(1, OrderStatus::Received, 0, 0);
        let estimate = estimate_ready(&mine, std::slice::from_ref(&mine), times, at(0)).unwrap();
        assert_eq!(estimate, ReadyEstimate { ahead: 0, ready_at: at(0) + TimeDelta::seconds(60 + 240 + 360) });
    }

    #[test]
    fn time_already_spent_in_a_stage_counts_and_never_goes_negative() {
        let times = StageTimes::default();
        let baking = order(1, OrderStatus::Baking, 0, 10);
        assert_eq!(estimate_ready(&baking, &[], times, at(12)).unwrap().ready_at, at(16));
        assert_eq!(estimate_ready(&baking, &[], times, at(30)).unwrap().ready_at, at(30), "late: ready any moment");
    }

    #[test]
    fn orders_ahead_waiting_to_be_made_push_a_new_order_back() {
        let times = StageTimes::default();
        let queue = vec![
            order(1, OrderStatus::Received, 0, 0),
            order(2, OrderStatus::Preparing, 1, 2),
            order(3, OrderStatus::Baking, 1, 3),
            order(4, OrderStatus::Ready, 1, 4),
            order(5, OrderStatus::Received, 5, 5),
            order(6, OrderStatus::Received, 6, 6),
        ];
        let estimate = estimate_ready(&queue[4], &queue, times, at(5)).unwrap();
        assert_eq!(estimate.ahead, 3, "received, preparing and baking orders placed before");
        assert_eq!(estimate.ready_at, at(5) + TimeDelta::seconds(60 + 240 + 360 + 2 * 240));
    }

    #[test]
    fn a_scheduled_pickup_is_the_earliest_estimate() {
        let mine = Order { pickup_at: Some(at(90)), ..order(1, OrderStatus::Received, 0, 0) };
        assert_eq!(estimate_ready(&mine, &[], StageTimes::default(), at(0)).unwrap().ready_at, at(90));
    }

    #[test]
    fn nothing_to_estimate_once_ready() {
        for status in [OrderStatus::Ready, OrderStatus::Collected, OrderStatus::Cancelled] {
            assert_eq!(estimate_ready(&order(1, status, 0, 0), &[], StageTimes::default(), at(0)), None);
        }
    }

    #[test]
    fn averages_measured_durations_per_stage() {
        let times = StageTimes::from_samples([
            (OrderStatus::Preparing, 100),
            (OrderStatus::Preparing, 200),
            (OrderStatus::Baking, 300),
            (OrderStatus::Ready, 999),
        ]);
        assert_eq!(times, StageTimes { received_secs: 60, preparing_secs: 150, baking_secs: 300, measured: false });
        assert_eq!(times.preparation_secs(), None, "the first stage was never timed");
        let one_order = [(OrderStatus::Received, 30), (OrderStatus::Preparing, 100), (OrderStatus::Baking, 300)];
        assert_eq!(StageTimes::from_samples(one_order).preparation_secs(), None, "one order is not a pace");
        let timed = StageTimes::from_samples(one_order.repeat(MIN_TIMED as usize));
        assert_eq!(timed.preparation_secs(), Some(430));
    }
}

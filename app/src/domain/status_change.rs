//! What staff may do to an order's status, and when: the one place these rules live.

use super::order::{Order, OrderStatus, TransitionError};
use super::validation::ValidationError;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// A change staff ask for.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "action", rename_all = "snake_case")]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub enum StatusChange {
    /// One step forward along the happy path.
    MoveTo { status: OrderStatus },
    /// Cancel, saying why (the customer sees the reason).
    Cancel { reason: String },
    /// Take back the last change, shortly after making it.
    Undo,
    /// Bring a recently collected order back to "ready" (it was handed to the wrong person,
    /// or comes back to be fixed).
    Recall,
}

/// The undo button shows this long after an action.
pub const UNDO_WINDOW_SECS: i64 = 10;
/// The server accepts an undo this much later still, for a slow network.
pub const UNDO_GRACE_SECS: i64 = 5;
/// Collected orders can be recalled for this long.
pub const RECALL_WINDOW_SECS: i64 = 30 * 60;
pub const MAX_REASON_CHARS: usize = 200;

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ChangeRefused {
    #[error(transparent)]
    Transition(#[from] TransitionError),
    #[error(transparent)]
    Invalid(#[from] ValidationError),
    #[error("{0}")]
    TooLate(String),
}

/// The order as it is after `change`, or why the change is refused. Bumps the version.
pub fn apply_change(order: &Order, change: &StatusChange, now: DateTime<Utc>) -> Result<Order, ChangeRefused> {
    let since_last_change = (now - order.updated_at).num_seconds();
    let mut changed = order.clone();
    match change {
        StatusChange::MoveTo { status: OrderStatus::Cancelled } => {
            return Err(
                ValidationError::says("reason", "error-reason-missing", &[("max", MAX_REASON_CHARS.into())]).into()
            );
        }
        StatusChange::MoveTo { status } => {
            changed.status = order.status.transition_to(*status)?;
            changed.previous_status = Some(order.status);
            changed.cancel_reason = None;
        }
        StatusChange::Cancel { reason } => {
            let reason = reason.trim();
            if reason.is_empty() || reason.chars().count() > MAX_REASON_CHARS || !super::text::is_printable(reason) {
                return Err(ValidationError::says("reason", "error-reason", &[("max", MAX_REASON_CHARS.into())]).into());
            }
            changed.status = order.status.transition_to(OrderStatus::Cancelled)?;
            changed.previous_status = Some(order.status);
            changed.cancel_reason = Some(reason.to_string());
        }
        StatusChange::Undo => {
            let Some(previous) = order.previous_status else {
                return Err(ChangeRefused::TooLate("there is nothing to undo on this order".into()));
            };
            if since_last_change > UNDO_WINDOW_SECS + UNDO_GRACE_SECS {
                return Err(ChangeRefused::TooLate(format!(
                    "too late to undo: changes can be undone for {UNDO_WINDOW_SECS} seconds"
                )));
            }
            changed.status = previous;
            changed.previous_status = None;
            changed.cancel_reason = None;
        }
        StatusChange::Recall => {
            if order.status != OrderStatus::Collected {
                return Err(ChangeRefused::TooLate("only collected orders can be recalled".into()));
            }
            if since_last_change > RECALL_WINDOW_SECS {
                return Err(ChangeRefused::TooLate("too late to recall: orders can be recalled for 30 minutes".into()));
            }
            changed.status = OrderStatus::Ready;
            changed.previous_status = Some(OrderStatus::Collected);
        }
    }
    changed.version += 1;
    changed.updated_at = now;
    Ok(changed)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Duration;

    fn order(status: OrderStatus, previous: Option<OrderStatus>, changed_secs_ago: i64) -> Order {
        let now = Utc::now();
        Order {
            version: 3,
            updated_at: now - Duration::seconds(changed_secs_ago),
            previous_status: previous,
            ..crate::domain::fixtures::order(1, status, now - Duration::hours(1))
        }
    }

    #[test]
    fn moving_forward_remembers_where_it_came_from() {
        let changed = apply_change(
            &order(OrderStatus::Received, None, 60),
            &StatusChange::MoveTo { status: OrderStatus::Preparing },
            Utc::now(),
        )
        .unwrap();
        assert_eq!(
            (changed.status, changed.previous_status, changed.version),
            (OrderStatus::Preparing, Some(OrderStatus::Received), 4)
        );
        let skip = apply_change(
            &order(OrderStatus::Received, None, 60),
            &StatusChange::MoveTo { status: OrderStatus::Ready },
            Utc::now(),
        );
        assert!(matches!(skip, Err(ChangeRefused::Transition(_))));
    }

    #[test]
    fn cancelling_needs_a_reason() {
        let received = order(OrderStatus::Received, None, 60);
        for reason in ["", "   ", &"x".repeat(MAX_REASON_CHARS + 1)] {
            let refused = apply_change(&received, &StatusChange::Cancel { reason: reason.into() }, Utc::now());
            assert!(matches!(refused, Err(ChangeRefused::Invalid(ref e)) if e.field == "reason"));
        }
        let bare = apply_change(&received, &StatusChange::MoveTo { status: OrderStatus::Cancelled }, Utc::now());
        assert!(matches!(bare, Err(ChangeRefused::Invalid(_))));
        let cancelled =
            apply_change(&received, &StatusChange::Cancel { reason: " out of dough ".into() }, Utc::now()).unwrap();
        assert_eq!(cancelled.status, OrderStatus::Cancelled);
        assert_eq!(cancelled.cancel_reason.as_deref(), Some("out of dough"));
        let collected = order(OrderStatus::Collected, None, 60);
        assert!(apply_change(&collected, &StatusChange::Cancel { reason: "late".into() }, Utc::now()).is_err());
    }

    #[test]
    fn undo_takes_back_the_last_change_within_its_window() {
        let just_advanced = order(OrderStatus::Baking, Some(OrderStatus::Preparing), 3);
        let undone = apply_change(&just_advanced, &StatusChange::Undo, Utc::now()).unwrap();
        assert_eq!((undone.status, undone.previous_status), (OrderStatus::Preparing, None));
        assert!(apply_change(&undone, &StatusChange::Undo, Utc::now()).is_err(), "only the last change");
        let long_ago = order(OrderStatus::Baking, Some(OrderStatus::Preparing), UNDO_WINDOW_SECS + UNDO_GRACE_SECS + 1);
        assert!(matches!(apply_change(&long_ago, &StatusChange::Undo, Utc::now()), Err(ChangeRefused::TooLate(_))));
        let mut cancelled = order(OrderStatus::Cancelled, Some(OrderStatus::Ready), 1);
        cancelled.cancel_reason = Some("mistake".into());
        let restored = apply_change(&cancelled, &StatusChange::Undo, Utc::now()).unwrap();
        assert_eq!((restored.status, restored.cancel_reason), (OrderStatus::Ready, None));
    }

    #[test]
    fn recall_brings_back_recently_collected_orders_only() {
        let collected = order(OrderStatus::Collected, Some(OrderStatus::Ready), 600);
        assert_eq!(apply_change(&collected, &StatusChange::Recall, Utc::now()).unwrap().status, OrderStatus::Ready);
        let old = order(OrderStatus::Collected, Some(OrderStatus::Ready), RECALL_WINDOW_SECS + 1);
        assert!(apply_change(&old, &StatusChange::Recall, Utc::now()).is_err());
        assert!(apply_change(&order(OrderStatus::Ready, None, 1), &StatusChange::Recall, Utc::now()).is_err());
    }
}

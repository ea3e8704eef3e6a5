use super::format_age;
use crate::domain::kitchen::{KitchenSettings, Urgency};
use crate::domain::Order;
use crate::i18n::use_lang;
use crate::live::LiveOrders;
use crate::locale::Lang;
use chrono::{DateTime, Utc};
use leptos::prelude::*;

/// The browser's clock as the domain takes it.
pub fn utc(ms: f64) -> DateTime<Utc> {
    DateTime::from_timestamp_millis(ms as i64).unwrap_or_default()
}

/// An order's clock by the kitchen's thresholds: how long it has been due, and how urgent it
/// is. The wall's tickets and the staff tablet's rows read the same one, so both agree.
#[derive(Clone, Copy)]
pub struct OrderClock {
    order: StoredValue<Order>,
    live: LiveOrders,
    settings: Signal<KitchenSettings>,
}

impl OrderClock {
    pub fn new(order: &Order, live: LiveOrders, settings: Signal<KitchenSettings>) -> OrderClock {
        OrderClock { order: StoredValue::new(order.clone()), live, settings }
    }

    /// Since its fire time: a pre-order is not late before it is due.
    pub fn age_ms(self) -> f64 {
        let fire_at = self.order.with_value(|order| self.settings.get().fire_at(order).timestamp_millis() as f64);
        self.live.now_ms.get() - fire_at
    }

    pub fn urgency(self) -> Urgency {
        self.order.with_value(|order| self.settings.get().urgency(order, utc(self.live.now_ms.get())))
    }
}

/// "▲ waiting" or "■ LATE": said in words too, never by colour alone; nothing when on time.
fn urgency_label(lang: Lang, urgency: Urgency) -> Option<String> {
    (urgency != Urgency::OnTime).then(|| lang.text(&format!("kitchen-urgency-{}", urgency.code())))
}

/// "Late 14 min": the urgency in words and the age.
#[component]
pub fn OrderAge(clock: OrderClock) -> impl IntoView {
    let lang = use_lang();
    view! {
        <span class="ticket-age">
            // Always there, only empty when on time: the server and the browser may see an
            // order on either side of a threshold (their clocks differ by the time the page
            // took), so its presence must not depend on the urgency.
            <span class="urgency-label" data-empty=move || (clock.urgency() == Urgency::OnTime).to_string()>
                {move || urgency_label(lang, clock.urgency()).map(|label| format!("{label} ")).unwrap_or_default()}
            </span>
            {move || format_age(clock.age_ms())}
        </span>
    }
}

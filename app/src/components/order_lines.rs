use crate::domain::Order;
use leptos::prelude::*;

/// The pizzas of an order, one line each: "2 × Margherita (L)".
#[component]
pub fn OrderLines(order: Order, #[prop(optional)] with_prices: bool) -> impl IntoView {
    view! {
        <ul class="order-lines">
            {order
                .lines
                .into_iter()
                .map(|line| {
                    let price = with_prices.then(|| view! { <span class="line-price">{line.total().to_string()}</span> });
                    view! {
                        <li class="order-line">
                            <span class="line-qty">{line.quantity}" ×"</span>
                            " "
                            <span class="line-name">{line.item_name.clone()}</span>
                            " "
                            <span class="line-size" title=line.size.label()>{line.size.code()}</span>
                            {price}
                        </li>
                    }
                })
                .collect_view()}
        </ul>
    }
}

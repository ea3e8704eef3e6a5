use super::Settled;
use crate::domain::{Allergen, Category, Order};
use crate::i18n::{allergen_list, money, size_label, t_with};
use leptos::prelude::*;

/// The items of an order, one line each ("2 × Margherita L"), with what the kitchen must
/// know about each: toppings added and left off, notes and allergens, each set apart.
/// For customers (`with_prices`) every allergen is listed; for the kitchen only those the
/// extras bring beyond the recipe, so a warning stands out instead of being on every line.
#[component]
pub fn OrderLines(order: Order, #[prop(optional)] with_prices: bool) -> impl IntoView {
    // Nothing here changes or waits: the lines are fixed for this version of the order.
    Settled(view! {
        <ul class="order-lines">
            {order
                .lines
                .into_iter()
                .map(|line| {
                    let price = with_prices.then(|| view! { <span class="line-price">{money(line.total())}</span> });
                    let size = (line.category == Category::Pizza)
                        .then(|| view! { " "<span class="line-size" title=size_label(line.size)>{line.size.code()}</span> });
                    view! {
                        <li class="order-line" data-category=line.category.code()>
                            <span class="line-qty">{line.quantity}" ×"</span>
                            " "
                            <span class="line-name">{line.item_name.clone()}</span>
                            {size}
                            {price}
                            <LineDetails
                                added=line.added
                                removed=line.removed
                                notes=line.notes
                                allergens=if with_prices { line.allergens } else { line.added_allergens }
                            />
                        </li>
                    }
                })
                .collect_view()}
        </ul>
        {(!order.notes.is_empty()).then(|| view! {
            <p class="order-notes"><span class="notes-mark" aria-hidden="true">"✎ "</span>{t_with("lines-note", &[("notes", order.notes.into())])}</p>
        })}
    })
}

/// "+ Olives", "− no basil", a note and the allergens of one line. Nothing when plain.
#[component]
pub fn LineDetails(added: Vec<String>, removed: Vec<String>, notes: String, allergens: Vec<Allergen>) -> impl IntoView {
    let plain = added.is_empty() && removed.is_empty() && notes.is_empty() && allergens.is_empty();
    (!plain).then(|| {
        view! {
            <ul class="line-details">
                {added.into_iter().map(|name| view! { <li class="line-added">"+ "{name}</li> }).collect_view()}
                {removed.into_iter().map(|name| view! { <li class="line-removed">"− "{t_with("lines-removed", &[("name", name.into())])}</li> }).collect_view()}
                {(!notes.is_empty()).then(|| view! {
                    <li class="line-notes"><span class="notes-mark" aria-hidden="true">"✎ "</span>{notes}</li>
                })}
                {(!allergens.is_empty()).then(|| {
                    let text = t_with("lines-allergens", &[("list", allergen_list(&allergens).into())]);
                    view! { <li class="line-allergens"><span class="allergen-mark" aria-hidden="true">"⚠ "</span>{text}</li> }
                })}
            </ul>
        }
    })
}

use crate::api::{get_menu, place_order, AppError};
use crate::components::ErrorNotice;
use crate::domain::order::MAX_NAME_CHARS;
use crate::domain::{Cart, Menu, MenuItem, Size};
use crate::shell::TopBar;
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;

/// `/`: the menu, the cart and checkout.
#[component]
pub fn MenuPage() -> impl IntoView {
    let menu = Resource::new(|| (), |_| get_menu());
    view! {
        <TopBar>
            <a href="/kitchen">"Kitchen"</a>
            <a href="/staff">"Staff"</a>
        </TopBar>
        <main class="page menu-page">
            <Suspense fallback=|| view! { <p class="loading">"Loading the menu…"</p> }>
                {move || {
                    menu.get()
                        .map(|result| match result {
                            Ok(menu) => view! { <Ordering menu/> }.into_any(),
                            Err(err) => view! { <p class="error-notice" role="alert">{err.to_string()}</p> }.into_any(),
                        })
                }}
            </Suspense>
        </main>
    }
}

#[component]
fn Ordering(menu: Menu) -> impl IntoView {
    let cart = RwSignal::new(Cart::default());
    let menu = StoredValue::new(menu);
    view! {
        <section class="menu" aria-labelledby="menu-title">
            <h1 id="menu-title">"Our pizzas"</h1>
            <div class="menu-grid">
                {menu.get_value().items.into_iter().map(|item| view! { <MenuCard item cart/> }).collect_view()}
            </div>
        </section>
        <Checkout menu cart/>
    }
}

#[component]
fn MenuCard(item: MenuItem, cart: RwSignal<Cart>) -> impl IntoView {
    let item_id = item.id;
    let sold_out = !item.available;
    view! {
        <article class="menu-card" class:sold-out=sold_out data-item=item.id>
            <h2>{item.name.clone()}</h2>
            <p class="description">{item.description.clone()}</p>
            {sold_out.then(|| view! { <p class="sold-out-label">"Sold out"</p> })}
            <div class="size-buttons" role="group" aria-label=format!("Add {} to the cart", item.name)>
                {Size::ALL
                    .into_iter()
                    .map(|size| {
                        let label = format!("Add {} {} to the cart", size.label(), item.name);
                        view! {
                            <button
                                class="add-button"
                                type="button"
                                data-size=size.code()
                                aria-label=label
                                disabled=sold_out
                                on:click=move |_| cart.update(|cart| cart.add(item_id, size))
                            >
                                <span class="size-code">{size.code()}</span>
                                <span class="size-price">{item.prices.get(size).to_string()}</span>
                            </button>
                        }
                    })
                    .collect_view()}
            </div>
        </article>
    }
}

#[component]
fn Checkout(menu: StoredValue<Menu>, cart: RwSignal<Cart>) -> impl IntoView {
    let name = RwSignal::new(String::new());
    let error = RwSignal::new(None::<AppError>);
    let submitting = RwSignal::new(false);
    let navigate = use_navigate();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if submitting.get_untracked() {
            return;
        }
        submitting.set(true);
        error.set(None);
        let request = cart.with_untracked(|cart| cart.to_request(&name.get_untracked()));
        let navigate = navigate.clone();
        leptos::task::spawn_local(async move {
            match place_order(request).await {
                Ok(placed) => {
                    cart.set(Cart::default());
                    navigate(&format!("/orders/{}", placed.token), Default::default());
                }
                Err(err) => error.set(Some(err)),
            }
            submitting.set(false);
        });
    };
    let lines = move || {
        cart.with(|cart| {
            menu.with_value(|menu| {
                cart.lines
                    .iter()
                    .enumerate()
                    .map(|(index, line)| {
                        let name = menu.item(line.item_id).map(|item| item.name.clone()).unwrap_or_default();
                        let price = cart.line_price(menu, index).map(|p| p.to_string()).unwrap_or_default();
                        (index, name, line.size, line.quantity, price)
                    })
                    .collect::<Vec<_>>()
            })
        })
    };
    view! {
        <section class="checkout" aria-labelledby="cart-title">
            <h2 id="cart-title">"Your order"</h2>
            <Show
                when=move || cart.with(|cart| !cart.lines.is_empty())
                fallback=|| view! { <p class="cart-empty">"Your cart is empty: pick a pizza and a size."</p> }
            >
                <ul class="cart-lines">
                    {move || {
                        lines()
                            .into_iter()
                            .map(|(index, item_name, size, quantity, price)| {
                                view! {
                                    <li class="cart-line">
                                        <span class="cart-line-name">{item_name.clone()}" ("{size.code()}")"</span>
                                        <span class="stepper">
                                            <button type="button" aria-label=format!("One less {item_name}")
                                                on:click=move |_| cart.update(|cart| cart.change_quantity(index, -1))>"−"</button>
                                            <span class="cart-line-qty" aria-label="quantity">{quantity}</span>
                                            <button type="button" aria-label=format!("One more {item_name}")
                                                on:click=move |_| cart.update(|cart| cart.change_quantity(index, 1))>"+"</button>
                                        </span>
                                        <span class="cart-line-price">{price}</span>
                                    </li>
                                }
                            })
                            .collect_view()
                    }}
                </ul>
            </Show>
            <p class="cart-total">
                "Total "<strong data-testid="cart-total">{move || menu.with_value(|menu| cart.with(|cart| cart.total(menu).to_string()))}</strong>
            </p>
            <form class="checkout-form" on:submit=submit>
                <label for="customer-name">"Your name"</label>
                <input
                    id="customer-name"
                    name="customer_name"
                    autocomplete="given-name"
                    maxlength=MAX_NAME_CHARS
                    prop:value=move || name.get()
                    on:input=move |ev| name.set(event_target_value(&ev))
                />
                <ErrorNotice error=error/>
                <button class="primary" type="submit" disabled=move || submitting.get()>
                    {move || if submitting.get() { "Placing your order…" } else { "Place order" }}
                </button>
            </form>
        </section>
    }
}

use crate::api::{edit_menu, get_menu, whoami, AppError};
use crate::components::ErrorNotice;
use crate::domain::{Cents, Menu, MenuEdit, Principal, Size, SizePrices};
use crate::live::use_live_menu;
use crate::shell::TopBar;
use leptos::prelude::*;

/// `/admin/menu`: staff mark items and toppings sold out and back ("86"); admins also change
/// prices. Every open menu page follows at once.
#[component]
pub fn MenuAdminPage() -> impl IntoView {
    let loaded = Resource::new(|| (), |_| async {
        let who = whoami().await?;
        if !who.is_signed_in() {
            return Err(AppError::unauthorized());
        }
        if !who.can_change_orders() {
            return Err(AppError::forbidden());
        }
        Ok((who, get_menu().await?))
    });
    view! {
        <TopBar><a href="/staff">"Staff"</a><a href="/">"Menu"</a><super::SignOutButton/></TopBar>
        <main class="page menu-admin-page">
            <h1>"Menu and availability"</h1>
            <Suspense fallback=|| view! { <p class="loading">"Loading…"</p> }>
                {move || loaded.get().map(|result| super::loaded_or_refused(result, |(who, menu)| {
                    view! { <MenuEditor who menu/> }.into_any()
                }))}
            </Suspense>
        </main>
    }
}

#[component]
fn MenuEditor(who: Principal, menu: Menu) -> impl IntoView {
    let menu = RwSignal::new(menu);
    use_live_menu(menu);
    let error = RwSignal::new(None::<AppError>);
    let is_admin = who.is_admin();
    let send = move |edit: MenuEdit| {
        error.set(None);
        leptos::task::spawn_local(async move {
            match edit_menu(edit).await {
                Ok(change) => menu.update(|menu| menu.apply(&change)),
                Err(err) => error.set(Some(err)),
            }
        });
    };
    let items = move || menu.with(|menu| menu.items.clone());
    let toppings = move || menu.with(|menu| menu.toppings.clone());
    view! {
        <ErrorNotice error/>
        {(!is_admin).then(|| view! { <p class="hint">"Only an admin can change prices."</p> })}
        <section aria-labelledby="items-title">
            <h2 id="items-title">"Items"</h2>
            <table class="menu-admin">
                <thead><tr><th scope="col">"Item"</th><th scope="col">"Prices"</th><th scope="col">"Available"</th></tr></thead>
                <tbody>
                    <For each=items key=|item| (item.id, item.version) let:item>
                        {
                            let id = item.id;
                            let sizes = item.category.sizes();
                            view! {
                                <tr data-item=id>
                                    <th scope="row">{item.name.clone()}</th>
                                    <td>
                                        <PriceEditor
                                            label=item.name.clone()
                                            sizes
                                            prices=item.prices
                                            editable=is_admin
                                            save=move |prices| send(MenuEdit::ItemPrices { item_id: id, prices })
                                        />
                                    </td>
                                    <td>
                                        <AvailabilityToggle name=item.name.clone() available=item.available
                                            set=move |available| send(MenuEdit::ItemAvailability { item_id: id, available })/>
                                    </td>
                                </tr>
                            }
                        }
                    </For>
                </tbody>
            </table>
        </section>
        <section aria-labelledby="toppings-title">
            <h2 id="toppings-title">"Extra toppings"</h2>
            <table class="menu-admin">
                <thead><tr><th scope="col">"Topping"</th><th scope="col">"Price"</th><th scope="col">"Available"</th></tr></thead>
                <tbody>
                    <For each=toppings key=|topping| (topping.id, topping.version) let:topping>
                        {
                            let id = topping.id;
                            let price = topping.price;
                            view! {
                                <tr data-topping=id>
                                    <th scope="row">{topping.name.clone()}</th>
                                    <td>
                                        <PriceEditor
                                            label=topping.name.clone()
                                            sizes=&[Size::M]
                                            prices=SizePrices { s: price, m: price, l: price }
                                            editable=is_admin
                                            save=move |prices: SizePrices| send(MenuEdit::ToppingPrice { topping_id: id, price: prices.m })
                                        />
                                    </td>
                                    <td>
                                        <AvailabilityToggle name=topping.name.clone() available=topping.available
                                            set=move |available| send(MenuEdit::ToppingAvailability { topping_id: id, available })/>
                                    </td>
                                </tr>
                            }
                        }
                    </For>
                </tbody>
            </table>
        </section>
    }
}

/// One button that says what it will do: "Mark sold out" or "Back on the menu".
#[component]
fn AvailabilityToggle(name: String, available: bool, set: impl Fn(bool) + 'static) -> impl IntoView {
    let label = if available { format!("Mark {name} sold out") } else { format!("Put {name} back on the menu") };
    view! {
        <span class="availability" class:sold-out=!available>{if available { "Available" } else { "Sold out" }}</span>
        " "
        <button type="button" class="availability-toggle" aria-label=label on:click=move |_| set(!available)>
            {if available { "Mark sold out" } else { "Back on the menu" }}
        </button>
    }
}

/// Prices in euros, one field per size; saved together.
#[component]
fn PriceEditor(
    label: String,
    sizes: &'static [Size],
    prices: SizePrices,
    editable: bool,
    save: impl Fn(SizePrices) + 'static,
) -> impl IntoView {
    if !editable {
        let text = sizes.iter().map(|size| prices.get(*size).to_string()).collect::<Vec<_>>().join(" / ");
        return view! { <span class="prices">{text}</span> }.into_any();
    }
    let draft = RwSignal::new(prices);
    let invalid = RwSignal::new(false);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if !invalid.get_untracked() {
            save(draft.get_untracked());
        }
    };
    view! {
        <form class="price-editor" on:submit=submit>
            {sizes
                .iter()
                .copied()
                .map(|size| {
                    let field_label = if sizes.len() > 1 { format!("{label} {} price", size.label()) } else { format!("{label} price") };
                    let set = move |ev| match Cents::parse_euros(&event_target_value(&ev)) {
                        Some(cents) => {
                            invalid.set(false);
                            draft.update(|draft| match size {
                                Size::S => draft.s = cents,
                                Size::M => draft.m = cents,
                                Size::L => draft.l = cents,
                            });
                        }
                        None => invalid.set(true),
                    };
                    view! {
                        <input class="price-input" inputmode="decimal" aria-label=field_label
                            value=prices.get(size).euros() on:input=set/>
                    }
                })
                .collect_view()}
            <button type="submit" disabled=move || invalid.get()>"Save"</button>
        </form>
    }
    .into_any()
}

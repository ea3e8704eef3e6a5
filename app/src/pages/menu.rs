use crate::api::{get_menu, get_pickup_options, place_order, AppError};
use crate::components::TopBar;
use crate::components::{ErrorNotice, LineDetails};
use crate::domain::order::{
    price_line, MAX_EXTRA_TOPPINGS, MAX_LINE_NOTES_CHARS, MAX_NAME_CHARS, MAX_ORDER_NOTES_CHARS, MAX_PHONE_CHARS,
};
use crate::domain::pickup::PickupOptions;
use crate::domain::{Allergen, Cart, Category, Cents, LineRequest, Menu, OrderRequest, Size};
use crate::i18n::{allergen_list, category_title, size_label, t, t_with, use_lang};
use crate::live::menu_cache;
use leptos::either::{Either, EitherOf3};
use leptos::prelude::*;

/// `/`: the menu, the cart and checkout. The menu keeps itself current over the live channel
/// (sold out, prices); the cart survives reloads.
#[component]
pub fn MenuPage() -> impl IntoView {
    let noscript = format!(
        r#"<p class="noscript-notice">{}</p>"#,
        t_with("menu-noscript", &[("link", format!(r#"<a href="/order-now">{}</a>"#, t("menu-noscript-link")).into())])
    );
    view! {
        <TopBar>
            <a href="/kitchen">{t("menu-link-kitchen")}</a>
            <a href="/staff">{t("menu-link-staff")}</a>
        </TopBar>
        <main class="page menu-page">
            // Without JavaScript the cart cannot work: point to the form that does.
            <noscript inner_html=noscript></noscript>
            <MenuShop/>
        </main>
    }
}

/// The page's live part: the menu as it changes, the cart and checkout.
#[island(lazy)]
fn MenuShop() -> impl IntoView {
    super::enter_island();
    // Both loads start here, in the island's own body: a resource first created inside a
    // `Suspense` that is still waiting would not be matched with the data the server sent.
    let menu = Resource::new(|| (), |_| get_menu());
    let pickup = Resource::new(|| (), |_| get_pickup_options());
    let lang = use_lang();
    // The page is rendered once the menu has loaded (`SsrMode::Async`), and the island hydrates
    // with it, so the fallback is only ever a notice. Nothing here is erased (`into_any`): an
    // erased view links its asynchronous hydration too, which an island never runs, and the
    // whole shop would be in the bundle twice.
    view! {
        <Suspense fallback=move || view! { <p class="loading">{lang.text("menu-loading")}</p> }>
            {move || {
                menu.get()
                    .map(|result| match result {
                        Ok(menu) => Either::Left(view! { <Ordering menu pickup/> }),
                        Err(err) => Either::Right(view! { <crate::components::ErrorNotice error=Signal::stored(Some(err))/> }),
                    })
            }}
        </Suspense>
    }
}

#[component]
fn Ordering(menu: Menu, pickup: Resource<Result<PickupOptions, AppError>>) -> impl IntoView {
    let menu = RwSignal::new(menu);
    let cart = RwSignal::new(Cart::default());
    menu_cache::keep_current(menu);
    menu_cache::persist_cart(cart);
    // What was last added, said where everyone notices it: on screen and to screen readers.
    let added = RwSignal::new(AddedNotice::default());
    view! {
        <div class="ordering">
            // Present from the start: a live region added later is not always announced.
            <p class="added-notice" role="status" aria-live="polite">
                {move || added.with(|a| a.text.clone()).map(|text| view! { <span class="added-notice-text">{text}</span> })}
            </p>
            <div class="menu" aria-label=t("menu-aria")>
                {Category::ALL
                    .into_iter()
                    .map(|category| {
                        let items = move || menu.with(|menu| menu.in_category(category).map(|item| item.id).collect::<Vec<_>>());
                        view! {
                            <section class="menu-section" aria-labelledby=format!("menu-{}", category.code())>
                                <h1 id=format!("menu-{}", category.code())>{category_title(category)}</h1>
                                <div class="menu-grid">
                                    <For each=items key=|id| *id let:item_id>
                                        <MenuCard item_id menu cart added/>
                                    </For>
                                </div>
                            </section>
                        }
                    })
                    .collect_view()}
            </div>
            <Checkout menu cart pickup/>
            <CartBar menu cart/>
        </div>
    }
}

/// The confirmation of the last thing added to the cart; `serial` tells a newer one apart, so
/// an older one's timer never clears it.
#[derive(Clone, Default)]
struct AddedNotice {
    serial: u32,
    text: Option<String>,
}

/// How long "Added to your cart" stays on screen.
const ADDED_NOTICE_MS: u64 = 4000;

impl AddedNotice {
    fn show(notice: RwSignal<AddedNotice>, text: String) {
        let mut serial = 0;
        notice.update(|notice| {
            notice.serial = notice.serial.wrapping_add(1);
            notice.text = Some(text);
            serial = notice.serial;
        });
        set_timeout(
            move || {
                notice.update(|notice| {
                    if notice.serial == serial {
                        notice.text = None;
                    }
                })
            },
            std::time::Duration::from_millis(ADDED_NOTICE_MS),
        );
    }
}

/// On a phone the cart is below the whole menu: this bar, fixed at the bottom, says what is in
/// it and leads there. Hidden on wider screens, where the cart sits beside the menu.
#[component]
fn CartBar(menu: RwSignal<Menu>, cart: RwSignal<Cart>) -> impl IntoView {
    let lang = use_lang();
    let currency = crate::i18n::use_currency();
    let count = move || cart.with(Cart::item_count);
    let total = move || menu.with(|menu| cart.with(|cart| currency.show(cart.total(menu), lang)));
    view! {
        <Show when=move || count() != 0>
            <a class="cart-bar" href="#cart-title" data-testid="cart-bar">
                <span class="cart-bar-summary">
                    {move || lang.text_with("cart-bar-items", &[("count", count().into())])}" · "<strong>{total}</strong>
                </span>
                <span class="cart-bar-action">{lang.text("cart-bar-order")}</span>
            </a>
        </Show>
    }
}

/// "Vegetarian", "Contains: gluten, milk".
#[component]
fn DietLabels(vegetarian: bool, allergens: Vec<Allergen>) -> impl IntoView {
    view! {
        <p class="diet-labels">
            {vegetarian.then(|| view! { <span class="veg-label">{t("menu-vegetarian")}</span> })}
            {(!allergens.is_empty()).then(|| {
                let text = t_with("menu-contains", &[("list", allergen_list(&allergens).into())]);
                view! { <span class="allergen-label">{text}</span> }
            })}
        </p>
    }
}

#[component]
fn MenuCard(item_id: i64, menu: RwSignal<Menu>, cart: RwSignal<Cart>, added: RwSignal<AddedNotice>) -> impl IntoView {
    let item = move || menu.with(|menu| menu.item(item_id).cloned());
    let first = item()?;
    let sold_out = move || item().is_none_or(|item| !item.available);
    // The choices being made on this card, added to the cart with the next size button.
    let adding = RwSignal::new(Vec::<i64>::new());
    let removing = RwSignal::new(Vec::<String>::new());
    let notes = RwSignal::new(String::new());
    let customise_panel = NodeRef::<leptos::html::Details>::new();
    let lang = use_lang();
    let currency = crate::i18n::use_currency();
    let add = move |size: Size| {
        let line = LineRequest {
            item_id,
            size,
            quantity: 1,
            add: adding.get_untracked(),
            remove: removing.get_untracked(),
            notes: notes.get_untracked().trim().to_string(),
        };
        cart.update(|cart| cart.add(line));
        adding.set(vec![]);
        removing.set(vec![]);
        notes.set(String::new());
        // Done customising: the panel folds away, and the customer hears what was added.
        if let Some(panel) = customise_panel.get_untracked() {
            panel.set_open(false);
        }
        let what = match menu.with_untracked(|menu| menu.item(item_id).map(|item| (item.name.clone(), item.category))) {
            Some((name, Category::Pizza)) => format!("{name} ({})", size_label(size)),
            Some((name, _)) => name,
            None => return,
        };
        AddedNotice::show(added, t_with("cart-added", &[("name", what.into())]));
    };
    let name = first.name.clone();
    let image = first.image.clone();
    Some(view! {
        <article class="menu-card" class:sold-out=sold_out data-item=item_id data-category=first.category.code()>
            {image.map(|src| view! { <img class="menu-image" src=src alt="" width="96" height="96" loading="lazy"/> })}
            <div class="menu-card-body">
                <h2>{first.name.clone()}</h2>
                <p class="description">{first.description.clone()}</p>
                {move || item().map(|item| view! { <DietLabels vegetarian=item.vegetarian allergens=item.allergens/> })}
                <Show when=sold_out>
                    <p class="sold-out-label" role="status">{t("menu-sold-out")}</p>
                </Show>
                {first.takes_toppings().then(|| view! { <Customise item_id menu adding removing notes panel=customise_panel/> })}
                <div class="size-buttons" role="group" aria-label=t_with("menu-add-to-cart", &[("name", name.as_str().into())])>
                    {first
                        .category
                        .sizes()
                        .iter()
                        .copied()
                        .map(|size| {
                            let sized = first.category == Category::Pizza;
                            let label = if sized {
                                t_with("menu-add-size-to-cart", &[("size", size_label(size).into()), ("name", first.name.as_str().into())])
                            } else {
                                t_with("menu-add-to-cart", &[("name", first.name.as_str().into())])
                            };
                            // What a tap adds: the size with the extras being chosen, live.
                            let price = move || {
                                menu.with(|menu| adding.with(|add| {
                                    let line = LineRequest { add: add.clone(), ..LineRequest::plain(item_id, size, 1) };
                                    // Sold out (here or an extra): the size's own price.
                                    price_line(menu, 0, &line).map(|priced| priced.total()).ok()
                                        .or_else(|| menu.item(item_id)?.price(size))
                                }))
                                .map(|price| currency.show(price, lang))
                                .unwrap_or_default()
                            };
                            view! {
                                <button
                                    class="add-button"
                                    type="button"
                                    data-size=size.code()
                                    disabled=sold_out
                                    on:click=move |_| add(size)
                                >
                                    {sized.then(|| view! {
                                        <span class="size-name">{size_label(size)}</span>
                                        <span class="size-diameter">{size.diameter_cm()}" cm"</span>
                                    })}
                                    <span class="size-price">{price}</span>
                                    // Said after what is shown, so the button's name holds its visible words.
                                    <span class="visually-hidden">" · "{label}</span>
                                </button>
                            }
                        })
                        .collect_view()}
                </div>
            </div>
        </article>
    })
}

/// Leave off ingredients, add toppings, a note: folded away until a customer wants it.
#[component]
fn Customise(
    item_id: i64,
    menu: RwSignal<Menu>,
    adding: RwSignal<Vec<i64>>,
    removing: RwSignal<Vec<String>>,
    notes: RwSignal<String>,
    panel: NodeRef<leptos::html::Details>,
) -> impl IntoView {
    let ingredients =
        menu.with_untracked(|menu| menu.item(item_id).map(|item| item.ingredients.clone()).unwrap_or_default());
    let toppings = move || menu.with(|menu| menu.toppings.clone());
    let full = move || adding.with(|adding| adding.len() >= MAX_EXTRA_TOPPINGS);
    let extras = move || {
        menu.with(|menu| {
            adding.with(|adding| {
                adding.iter().filter_map(|id| menu.topping(*id)).map(|topping| topping.price).sum::<Cents>()
            })
        })
    };
    let lang = use_lang();
    let currency = crate::i18n::use_currency();
    view! {
        <details class="customise" node_ref=panel>
            <summary>{t("menu-customise")}</summary>
            {(!ingredients.is_empty()).then(|| view! {
                <fieldset class="remove-ingredients">
                    <legend>{t("menu-leave-off")}</legend>
                    {ingredients
                        .into_iter()
                        .map(|ingredient| {
                            let value = ingredient.clone();
                            let checked = {
                                let value = value.clone();
                                move || removing.with(|r| r.contains(&value))
                            };
                            view! {
                                <label class="choice">
                                    <input type="checkbox" prop:checked=checked
                                        on:change=move |_| removing.update(|r| toggle(r, value.clone()))/>
                                    {t_with("menu-no-ingredient", &[("ingredient", ingredient.into())])}
                                </label>
                            }
                        })
                        .collect_view()}
                </fieldset>
            })}
            <fieldset class="add-toppings">
                <legend>{t_with("menu-add-toppings", &[("max", MAX_EXTRA_TOPPINGS.into())])}</legend>
                <For each=toppings key=|t| (t.id, t.version) let:topping>
                    {
                        let id = topping.id;
                        let checked = move || adding.with(|a| a.contains(&id));
                        view! {
                            <label class="choice" class:sold-out=!topping.available>
                                <input type="checkbox" prop:checked=checked
                                    disabled=move || !topping.available || (full() && !checked())
                                    on:change=move |_| adding.update(|a| toggle(a, id))/>
                                {topping.name.clone()}" "
                                <span class="choice-price">"+"{currency.show(topping.price, lang)}</span>
                                {(!topping.available).then(|| view! { " "<span class="sold-out-label">{lang.text("menu-topping-sold-out")}</span> })}
                            </label>
                        }
                    }
                </For>
            </fieldset>
            // Said as the extras change; the size buttons below show each size's price with them.
            <p class="customise-price" aria-live="polite">
                {move || {
                    let extras = extras();
                    (extras.0 > 0).then(|| lang.text_with("menu-extras-price", &[("price", currency.show(extras, lang).into())]))
                }}
            </p>
            <label class="customise-note">
                {t("menu-line-note")}
                <input type="text" maxlength=MAX_LINE_NOTES_CHARS placeholder=t("menu-line-note-placeholder")
                    prop:value=move || notes.get() on:input=move |ev| notes.set(event_target_value(&ev))/>
            </label>
        </details>
    }
}

fn toggle<T: PartialEq>(list: &mut Vec<T>, value: T) {
    match list.iter().position(|v| *v == value) {
        Some(index) => {
            list.remove(index);
        }
        None => list.push(value),
    }
}

#[component]
fn Checkout(
    menu: RwSignal<Menu>,
    cart: RwSignal<Cart>,
    pickup: Resource<Result<PickupOptions, AppError>>,
) -> impl IntoView {
    let error = RwSignal::new(None::<AppError>);
    let submitting = RwSignal::new(false);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if submitting.get_untracked() {
            return;
        }
        submitting.set(true);
        error.set(None);
        let mut request = None;
        cart.update(|cart| request = Some(cart.to_request(menu_cache::new_idempotency_key)));
        let Some(request) = request else { return };
        leptos::task::spawn_local(async move {
            match place_order(request).await {
                Ok(placed) => {
                    cart.update(Cart::ordered);
                    super::load_page(&format!("/orders/{}", placed.token));
                }
                Err(err) => error.set(Some(err)),
            }
            submitting.set(false);
        });
    };
    let line_count = move || cart.with(|cart| cart.request.lines.len());
    let has_lines = move || line_count() != 0;
    let blocked = move || has_lines() && !menu.with(|menu| cart.with(|cart| cart.is_orderable(menu)));
    let field = |read: fn(&OrderRequest) -> String, write: fn(&mut OrderRequest, String)| {
        (
            move || cart.with(|cart| read(&cart.request)),
            move |ev| cart.update(|cart| write(&mut cart.request, event_target_value(&ev))),
        )
    };
    let (name, set_name) = field(|r| r.customer_name.clone(), |r, v| r.customer_name = v);
    let (phone, set_phone) = field(|r| r.phone.clone(), |r, v| r.phone = v);
    let (notes, set_notes) = field(|r| r.notes.clone(), |r, v| r.notes = v);
    let lang = use_lang();
    let currency = crate::i18n::use_currency();
    view! {
        <section class="checkout" aria-labelledby="cart-title">
            <h2 id="cart-title">{t("cart-title")}</h2>
            <Show
                when=has_lines
                fallback=move || view! { <p class="cart-empty">{lang.text("cart-empty")}</p> }
            >
                <ul class="cart-lines">
                    <For each=move || 0..line_count() key=move |index| (*index, cart.with(|c| c.request.lines.get(*index).cloned())) let:index>
                        <CartLine index menu cart/>
                    </For>
                </ul>
            </Show>
            <p class="cart-total">
                {t("cart-total")}" "<strong data-testid="cart-total">{move || menu.with(|menu| cart.with(|cart| currency.show(cart.total(menu), lang)))}</strong>
            </p>
            <form class="checkout-form" on:submit=submit>
                <label for="customer-name">{t("checkout-name")}</label>
                <input id="customer-name" name="customer_name" autocomplete="given-name"
                    maxlength=MAX_NAME_CHARS prop:value=name on:input=set_name/>
                <label for="customer-phone">{t("checkout-phone")}" "<span class="optional">{t("checkout-phone-optional")}</span></label>
                <input id="customer-phone" name="phone" type="tel" autocomplete="tel"
                    maxlength=MAX_PHONE_CHARS prop:value=phone on:input=set_phone/>
                <label for="pickup-at">{t("checkout-pickup")}</label>
                <Suspense fallback=|| view! { <select id="pickup-at" disabled=true><option>"…"</option></select> }>
                    {move || pickup.get().map(|options| view! { <PickupChoice options cart/> })}
                </Suspense>
                <label for="order-notes">{t("checkout-notes")}" "<span class="optional">{t("optional")}</span></label>
                <textarea id="order-notes" name="notes" rows="2" maxlength=MAX_ORDER_NOTES_CHARS
                    prop:value=notes on:input=set_notes></textarea>
                <ErrorNotice error=error/>
                <Show when=blocked>
                    <p class="hint" role="status">{t("checkout-blocked")}</p>
                </Show>
                <button class="primary" type="submit" disabled=move || submitting.get()>
                    {move || if submitting.get() { lang.text("checkout-placing") } else { lang.text("checkout-place") }}
                </button>
            </form>
        </section>
    }
}

#[component]
fn CartLine(index: usize, menu: RwSignal<Menu>, cart: RwSignal<Cart>) -> impl IntoView {
    let line = move || cart.with(|cart| cart.request.lines.get(index).cloned());
    let first = line()?;
    let item = menu.with_untracked(|menu| menu.item(first.item_id).cloned());
    let item_name = item.as_ref().map(|item| item.name.clone()).unwrap_or_else(|| t("cart-item-gone"));
    let size =
        item.as_ref().filter(|item| item.category == Category::Pizza).map(|_| format!(" ({})", first.size.code()));
    let price = move || menu.with(|menu| cart.with(|cart| cart.line_price(menu, index)));
    let lang = use_lang();
    let currency = crate::i18n::use_currency();
    let added: Vec<String> = menu
        .with_untracked(|menu| first.add.iter().filter_map(|id| menu.topping(*id).map(|t| t.name.clone())).collect());
    Some(view! {
        <li class="cart-line" class:cart-line-refused=move || matches!(price(), Some(Err(_)))>
            <span class="cart-line-name">{item_name.clone()}{size}</span>
            <span class="stepper">
                <button type="button" aria-label=t_with("cart-one-less", &[("name", item_name.as_str().into())])
                    on:click=move |_| cart.update(|cart| cart.change_quantity(index, -1))>"−"</button>
                <span class="cart-line-qty" aria-label=t("cart-quantity")>{move || line().map(|l| l.quantity)}</span>
                <button type="button" aria-label=t_with("cart-one-more", &[("name", item_name.as_str().into())])
                    on:click=move |_| cart.update(|cart| cart.change_quantity(index, 1))>"+"</button>
            </span>
            <span class="cart-line-price">
                {move || match price() {
                    Some(Ok(price)) => EitherOf3::A(currency.show(price, lang)),
                    Some(Err(why)) => EitherOf3::B(view! { <span class="cart-line-problem" role="alert">{why}</span> }),
                    None => EitherOf3::C(()),
                }}
            </span>
            <LineDetails added removed=first.remove.clone() notes=first.notes.clone() allergens=vec![]/>
        </li>
    })
}

#[component]
fn PickupChoice(options: Result<PickupOptions, AppError>, cart: RwSignal<Cart>) -> impl IntoView {
    let options = match options {
        Ok(options) => options,
        Err(err) => return Either::Left(view! { <crate::components::ErrorNotice error=Signal::stored(Some(err))/> }),
    };
    // A slot kept from an earlier visit that has since passed falls back to the first choice.
    let offered = options.slots.iter().map(|slot| slot.at).collect::<Vec<_>>();
    let open_now = options.open_now;
    cart.update_untracked(|cart| {
        if cart.request.pickup_at.is_some_and(|at| !offered.contains(&at))
            || (cart.request.pickup_at.is_none() && !open_now)
        {
            cart.request.pickup_at = offered.first().copied();
        }
    });
    let selected = move || cart.with(|cart| cart.request.pickup_at.map(|at| at.to_rfc3339()).unwrap_or_default());
    let choose = move |ev: leptos::ev::Event| {
        let value = event_target_value(&ev);
        cart.update(|cart| {
            cart.request.pickup_at = chrono::DateTime::parse_from_rfc3339(&value).ok().map(|at| at.to_utc())
        });
    };
    Either::Right(view! {
        <select id="pickup-at" name="pickup_at" prop:value=selected on:change=choose>
            {open_now.then(|| view! { <option value="">{t("checkout-asap")}</option> })}
            {options
                .slots
                .into_iter()
                .map(|slot| view! { <option value=slot.at.to_rfc3339()>{crate::i18n::slot_label(&slot)}</option> })
                .collect_view()}
        </select>
        <p class="hint">{crate::i18n::opening_hours_text(options.opening_hours, &options.timezone)}</p>
    })
}

use crate::api::{edit_menu, get_menu, get_pizzeria, whoami, AppError, SetPizzeriaContact, SetPizzeriaCurrency};
use crate::components::ErrorNotice;
use crate::components::TopBar;
use crate::domain::menu::{MAX_DESCRIPTION_CHARS, MAX_ITEM_NAME_CHARS};
use crate::domain::money::Currency;
use crate::domain::order::MAX_PHONE_CHARS;
use crate::domain::pizzeria::{PizzeriaCard, MAX_ADDRESS_CHARS};
use crate::domain::{Cents, ItemStation, Menu, MenuEdit, MenuItem, Principal, Size, SizePrices, Topping};
use crate::i18n::{size_label, t, t_with, use_lang};
use crate::live::use_live_menu;
use leptos::prelude::*;

/// `/admin/menu`: staff mark items and toppings sold out and back ("86"); admins also change
/// prices. Every open menu page follows at once.
#[component]
pub fn MenuAdminPage() -> impl IntoView {
    view! {
        <TopBar><a href="/staff">{t("menuadmin-nav-staff")}</a><a href="/">{t("menuadmin-nav-menu")}</a><super::SignOutButton/></TopBar>
        <main class="page menu-admin-page">
            <h1>{t("menuadmin-title")}</h1>
            <MenuDesk/>
        </main>
    }
}

/// The page's live part: the editor, once the menu and the signed-in person are known.
#[island(lazy)]
fn MenuDesk() -> impl IntoView {
    super::enter_island();
    let lang = use_lang();
    let loaded = Resource::new(
        || (),
        |_| async {
            let who = whoami().await?;
            if !who.is_signed_in() {
                return Err(AppError::unauthorized());
            }
            if !who.can_change_orders() {
                return Err(AppError::forbidden());
            }
            let pizzeria = if who.is_admin() { Some(get_pizzeria().await?) } else { None };
            Ok((who, get_menu().await?, pizzeria))
        },
    );
    view! {
        <Suspense fallback=move || view! { <p class="loading">{lang.text("loading")}</p> }>
            {move || loaded.get().map(|result| super::loaded_or_refused(result, |(who, menu, pizzeria)| {
                view! {
                    {pizzeria.map(|card| view! { <PizzeriaForm card/> })}
                    <MenuEditor who menu/>
                }
            }))}
        </Suspense>
    }
}

/// The pizzeria's address and phone, as its order pages show them. Admins only.
#[component]
fn PizzeriaForm(card: PizzeriaCard) -> impl IntoView {
    let save = ServerAction::<SetPizzeriaContact>::new();
    let error = Signal::derive(move || save.value().get().and_then(Result::err));
    let saved = move || save.value().with(|saved| matches!(saved, Some(Ok(_))));
    view! {
        <section class="pizzeria-form" aria-labelledby="pizzeria-form-title">
            <h2 id="pizzeria-form-title">{t("admin-pizzeria-title")}</h2>
            <ActionForm action=save attr:class="contact-form">
                <label for="pizzeria-address">{t("admin-pizzeria-address")}</label>
                <textarea id="pizzeria-address" name="address" rows="2" maxlength=MAX_ADDRESS_CHARS>{card.address}</textarea>
                <label for="pizzeria-phone">{t("admin-pizzeria-phone")}</label>
                <input id="pizzeria-phone" name="phone" type="tel" autocomplete="off" maxlength=MAX_PHONE_CHARS value=card.phone/>
                <button class="primary" type="submit">{t("admin-pizzeria-save")}</button>
            </ActionForm>
            <ErrorNotice error/>
            <Show when=saved><p class="saved-note" role="status">{t("admin-pizzeria-saved")}</p></Show>
            <CurrencyForm current=card.currency/>
        </section>
    }
}

/// The currency the pizzeria prices in. Prices keep their numbers: changing it converts none.
#[component]
fn CurrencyForm(current: Currency) -> impl IntoView {
    let lang = use_lang();
    let save = ServerAction::<SetPizzeriaCurrency>::new();
    let error = Signal::derive(move || save.value().get().and_then(Result::err));
    let saved = move || save.value().get().and_then(Result::ok).map(|card| card.currency);
    view! {
        <ActionForm action=save attr:class="inline-form currency-form">
            <label for="pizzeria-currency">{t("admin-currency")}</label>
            <select id="pizzeria-currency" name="currency">
                {Currency::ALL
                    .into_iter()
                    .map(|currency| view! {
                        <option value=currency.code() selected=currency == current>
                            {format!("{} ({})", currency.code(), currency.show(Cents(100), lang))}
                        </option>
                    })
                    .collect_view()}
            </select>
            <button type="submit">{t("admin-currency-save")}</button>
        </ActionForm>
        <p class="hint">{t("admin-currency-explain")}</p>
        <ErrorNotice error/>
        {move || saved().map(|currency| view! {
            <p class="saved-note" role="status">{lang.text_with("admin-currency-saved", &[("code", currency.code().into())])}</p>
        })}
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
    let send = Callback::new(send);
    let items = Signal::derive(move || menu.with(|menu| menu.items.iter().map(MenuEntry::item).collect::<Vec<_>>()));
    let toppings =
        Signal::derive(move || menu.with(|menu| menu.toppings.iter().map(MenuEntry::topping).collect::<Vec<_>>()));
    view! {
        <ErrorNotice error/>
        {(!is_admin).then(|| view! { <p class="hint">{t("menuadmin-admin-only")}</p> })}
        <MenuTable id="items" title=t("menuadmin-items") entry_label=t("menuadmin-item") entries=items is_admin send/>
        <MenuTable id="toppings" title=t("menuadmin-toppings") entry_label=t("menuadmin-topping") entries=toppings is_admin send/>
    }
}

/// An item or a topping as the editor shows it, and the edits that change it.
#[derive(Clone, PartialEq)]
struct MenuEntry {
    id: i64,
    version: i64,
    is_item: bool,
    name: String,
    /// Items only: toppings have no description.
    description: Option<String>,
    sizes: &'static [Size],
    prices: SizePrices,
    available: bool,
    /// Items only: the station whose screen shows it.
    station: Option<ItemStation>,
}

impl MenuEntry {
    fn item(item: &MenuItem) -> MenuEntry {
        MenuEntry {
            id: item.id,
            version: item.version,
            is_item: true,
            name: item.name.clone(),
            description: Some(item.description.clone()),
            sizes: item.category.sizes(),
            prices: item.prices,
            available: item.available,
            station: Some(item.station),
        }
    }

    fn topping(topping: &Topping) -> MenuEntry {
        let price = topping.price;
        MenuEntry {
            id: topping.id,
            version: topping.version,
            is_item: false,
            name: topping.name.clone(),
            description: None,
            sizes: &[Size::M],
            prices: SizePrices { s: price, m: price, l: price },
            available: topping.available,
            station: None,
        }
    }

    fn availability(&self, available: bool) -> MenuEdit {
        match self.is_item {
            true => MenuEdit::ItemAvailability { item_id: self.id, available },
            false => MenuEdit::ToppingAvailability { topping_id: self.id, available },
        }
    }

    fn prices(&self, prices: SizePrices) -> MenuEdit {
        match self.is_item {
            true => MenuEdit::ItemPrices { item_id: self.id, prices },
            false => MenuEdit::ToppingPrice { topping_id: self.id, price: prices.m },
        }
    }
}

/// One table of the editor: the items, or the toppings.
#[component]
fn MenuTable(
    id: &'static str,
    title: String,
    entry_label: String,
    entries: Signal<Vec<MenuEntry>>,
    is_admin: bool,
    send: Callback<MenuEdit>,
) -> impl IntoView {
    let title_id = format!("{id}-title");
    view! {
        <section aria-labelledby=title_id.clone()>
            <h2 id=title_id.clone()>{title}</h2>
            <table class="menu-admin">
                <thead><tr>
                    <th scope="col">{entry_label}</th>
                    <th scope="col">{t("menuadmin-col-prices")}</th>
                    <th scope="col">{t("menuadmin-col-available")}</th>
                    {(id == "items").then(|| view! { <th scope="col">{t("menuadmin-col-station")}</th> })}
                </tr></thead>
                <tbody>
                    <For each=move || entries.get() key=|entry| (entry.id, entry.version) let:entry>
                        <MenuEntryRow entry is_admin send/>
                    </For>
                </tbody>
            </table>
        </section>
    }
}

#[component]
fn MenuEntryRow(entry: MenuEntry, is_admin: bool, send: Callback<MenuEdit>) -> impl IntoView {
    let (item_id, topping_id) = if entry.is_item { (Some(entry.id), None) } else { (None, Some(entry.id)) };
    let wording = entry.description.clone().filter(|_| is_admin).map(|description| {
        let id = entry.id;
        view! { <WordingEditor name=entry.name.clone() description save=move |name, description| send.run(MenuEdit::ItemText { item_id: id, name, description })/> }
    });
    let (for_prices, for_availability) = (entry.clone(), entry.clone());
    let station = entry.station.map(|station| {
        let id = entry.id;
        view! { <td><StationPicker name=entry.name.clone() station editable=is_admin save=move |station| send.run(MenuEdit::ItemStation { item_id: id, station })/></td> }
    });
    view! {
        <tr data-item=item_id data-topping=topping_id>
            <th scope="row">{entry.name.clone()}{wording}</th>
            <td>
                <PriceEditor label=entry.name.clone() sizes=entry.sizes prices=entry.prices editable=is_admin
                    save=move |prices| send.run(for_prices.prices(prices))/>
            </td>
            <td>
                <AvailabilityToggle name=entry.name.clone() available=entry.available
                    set=move |available| send.run(for_availability.availability(available))/>
            </td>
            {station}
        </tr>
    }
}

/// An item's name and description, folded away until an admin opens it.
#[component]
fn WordingEditor(name: String, description: String, save: impl Fn(String, String) + 'static) -> impl IntoView {
    let name_draft = RwSignal::new(name.clone());
    let description_draft = RwSignal::new(description.clone());
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        save(name_draft.get_untracked(), description_draft.get_untracked());
    };
    view! {
        <details class="wording-editor">
            <summary>{t_with("menuadmin-rename", &[("name", name.as_str().into())])}</summary>
            <form on:submit=submit>
                <label>{t("menuadmin-name")}
                    <input required maxlength=MAX_ITEM_NAME_CHARS value=name.clone() on:input=move |ev| name_draft.set(event_target_value(&ev))/>
                </label>
                <label>{t("menuadmin-description")}
                    <textarea maxlength=MAX_DESCRIPTION_CHARS rows="2" on:input=move |ev| description_draft.set(event_target_value(&ev))>{crate::components::textarea_text(&description)}</textarea>
                </label>
                <button type="submit">{t("menuadmin-save-wording")}</button>
            </form>
        </details>
    }
}

/// The station whose screen shows an item: a choice for admins, a word for other staff.
#[component]
fn StationPicker(
    name: String,
    station: ItemStation,
    editable: bool,
    save: impl Fn(ItemStation) + 'static,
) -> impl IntoView {
    let label = |station: ItemStation| t(&format!("station-{}", station.code()));
    if !editable {
        return view! { <span class="station">{label(station)}</span> }.into_any();
    }
    let choose = move |ev| {
        if let Ok(chosen) = event_target_value(&ev).parse::<ItemStation>() {
            save(chosen);
        }
    };
    view! {
        <select class="station-picker" aria-label=t_with("menuadmin-station-of", &[("name", name.as_str().into())]) on:change=choose>
            {ItemStation::ALL
                .into_iter()
                .map(|option| view! { <option value=option.code() selected=option == station>{label(option)}</option> })
                .collect_view()}
        </select>
    }
    .into_any()
}

/// One button that says what it will do: "Mark sold out" or "Back on the menu".
#[component]
fn AvailabilityToggle(name: String, available: bool, set: impl Fn(bool) + 'static) -> impl IntoView {
    let state = t(if available { "menuadmin-available" } else { "menuadmin-sold-out" });
    let action = t(if available { "menuadmin-mark-sold-out" } else { "menuadmin-back-on-menu" });
    view! {
        <span class="availability" class:sold-out=!available>{state}</span>
        " "
        // The item's name is said after the visible words, so the button's name holds them.
        <button type="button" class="availability-toggle" on:click=move |_| set(!available)>
            {action}<span class="visually-hidden">": "{name}</span>
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
        let lang = use_lang();
        let currency = crate::i18n::use_currency();
        let text = sizes.iter().map(|size| currency.show(prices.get(*size), lang)).collect::<Vec<_>>().join(" / ");
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
                    let field_label = if sizes.len() > 1 {
                        t_with("menuadmin-size-price", &[("name", label.as_str().into()), ("size", size_label(size).into())])
                    } else {
                        t_with("menuadmin-price", &[("name", label.as_str().into())])
                    };
                    let set = move |ev| match Cents::parse(&event_target_value(&ev)) {
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
                            value=prices.get(size).plain() on:input=set/>
                    }
                })
                .collect_view()}
            <button type="submit" disabled=move || invalid.get()>{t("menuadmin-save")}</button>
        </form>
    }
    .into_any()
}

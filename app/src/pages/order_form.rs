use crate::api::{get_menu, get_pickup_options, new_checkout_key, AppError, PlaceOrderForm};
use crate::components::ErrorNotice;
use crate::components::TopBar;
use crate::domain::order::{MAX_NAME_CHARS, MAX_ORDER_NOTES_CHARS, MAX_PHONE_CHARS, MAX_QUANTITY_PER_LINE};
use crate::domain::order_form::{quantity_field, PICKUP_ASAP};
use crate::domain::pickup::PickupOptions;
use crate::domain::{Category, Menu};
use crate::i18n::{category_title, money, size_with_diameter, t, t_with, use_lang};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

/// `/order-now`: ordering with a plain HTML form, for browsers without JavaScript (and anyone
/// who prefers it). Quantities per item and size, no extras. It posts to a server function
/// that sends the browser on to the order's page, or back here with the reason.
#[component]
pub fn OrderFormPage() -> impl IntoView {
    let loaded = Resource::new(
        || (),
        |_| async { Ok::<_, AppError>((get_menu().await?, get_pickup_options().await?, new_checkout_key().await?)) },
    );
    let query = use_query_map();
    let typed = move |name: &str| query.read_untracked().get(name).unwrap_or_default();
    let refused = (!typed("error").is_empty()).then(|| AppError::validation(typed("field"), typed("error")));
    #[cfg(feature = "ssr")]
    if refused.is_some() {
        // The form came back refused: say so with the status, as well as on the page.
        if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
            response.set_status(http::StatusCode::UNPROCESSABLE_ENTITY);
        }
    }
    let error = Signal::stored(refused);
    let lang = use_lang();
    view! {
        <TopBar><a href="/">{t("form-full-menu")}</a></TopBar>
        <main class="page order-form-page">
            <h1>{t("form-title")}</h1>
            <p class="hint">{t("form-hint")}" "<a href="/">{t("form-hint-link")}</a>"."</p>
            <ErrorNotice error/>
            <Suspense fallback=move || view! { <p class="loading">{lang.text("menu-loading")}</p> }>
                {move || loaded.get().map(|result| match result {
                    Ok((menu, pickup, key)) => view! { <PlainOrderForm menu pickup key typed/> }.into_any(),
                    Err(err) => view! { <crate::components::ErrorNotice error=Signal::stored(Some(err))/> }.into_any(),
                })}
            </Suspense>
        </main>
    }
}

#[component]
fn PlainOrderForm(
    menu: Menu,
    pickup: PickupOptions,
    key: String,
    typed: impl Fn(&str) -> String + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let place = ServerAction::<PlaceOrderForm>::new();
    // A form sent back keeps its key: it placed nothing, and a repeat must not place twice.
    let key = Some(typed("idempotency_key")).filter(|typed| !typed.is_empty()).unwrap_or(key);
    let field = |name: &str| format!("form[{name}]");
    let chosen_pickup = typed("pickup");
    view! {
        <ActionForm action=place attr:class="plain-order-form">
            {Category::ALL.into_iter().map(|category| view! {
                <fieldset class="plain-order-section">
                    <legend>{category_title(category)}</legend>
                    {menu.in_category(category).map(|item| {
                        let sold_out = !item.available;
                        view! {
                            <div class="plain-order-item" data-item=item.id>
                                <p class="plain-order-name">
                                    <strong>{item.name.clone()}</strong>
                                    {sold_out.then(|| view! { " "<span class="sold-out-label">{t("menu-sold-out")}</span> })}
                                    <span class="description">{item.description.clone()}</span>
                                </p>
                                {item.category.sizes().iter().map(|size| {
                                    let name = quantity_field(item.id, *size);
                                    let price = money(item.prices.get(*size));
                                    let label = if item.category.sizes().len() > 1 {
                                        t_with(
                                            "form-quantity-size",
                                            &[("name", item.name.as_str().into()), ("size", size_with_diameter(*size).into()), ("price", price.as_str().into())],
                                        )
                                    } else {
                                        t_with("form-quantity", &[("name", item.name.as_str().into()), ("price", price.as_str().into())])
                                    };
                                    view! {
                                        <label class="plain-order-qty">
                                            <span aria-hidden="true">{if item.category.sizes().len() > 1 { size_with_diameter(*size) } else { String::new() }}" "{price}</span>
                                            <input type="number" min="0" max=MAX_QUANTITY_PER_LINE inputmode="numeric" name=field(&name)
                                                value=typed(&name) disabled=sold_out aria-label=label/>
                                        </label>
                                    }
                                }).collect_view()}
                            </div>
                        }
                    }).collect_view()}
                </fieldset>
            }).collect_view()}
            <fieldset class="plain-order-section">
                <legend>{t("form-pickup-details")}</legend>
                <label for="plain-name">{t("checkout-name")}</label>
                <input id="plain-name" name=field("customer_name") required maxlength=MAX_NAME_CHARS autocomplete="given-name" value=typed("customer_name")/>
                <label for="plain-phone">{t("checkout-phone")}" "<span class="optional">{t("optional")}</span></label>
                <input id="plain-phone" name=field("phone") type="tel" maxlength=MAX_PHONE_CHARS autocomplete="tel" value=typed("phone")/>
                <label for="plain-pickup">{t("checkout-pickup")}</label>
                <select id="plain-pickup" name=field("pickup")>
                    {pickup.open_now.then(|| view! { <option value=PICKUP_ASAP>{t("checkout-asap")}</option> })}
                    {pickup.slots.iter().map(|slot| {
                        let value = slot.at.to_rfc3339();
                        let selected = value == chosen_pickup;
                        view! { <option value=value selected=selected>{crate::i18n::slot_label(slot)}</option> }
                    }).collect_view()}
                </select>
                <label for="plain-notes">{t("checkout-notes")}" "<span class="optional">{t("optional")}</span></label>
                <textarea id="plain-notes" name=field("notes") rows="2" maxlength=MAX_ORDER_NOTES_CHARS>{crate::components::textarea_text(&typed("notes"))}</textarea>
                <input type="hidden" name=field("idempotency_key") value=key/>
            </fieldset>
            <button class="primary" type="submit">{t("checkout-place")}</button>
        </ActionForm>
    }
}

//! Orders: the menu, placing and moving orders, the kitchen's board and settings.

use super::board_cache::{AsOf, BoardCache};
use super::order_limit::OrderLimit;
use super::writes::WriteRunner;
use super::{require, require_admin, require_kitchen_access, require_staff};
use crate::auth;
use crate::realtime::Hub;
use crate::store::now as store_clock;
use crate::store::{MenuEditRefused, NewOrder, PlaceRefused, StatusChangeRefused, Store, StoreError};
use app::api::{AppError, OrderService};
use app::domain::eta::estimate_ready;
use app::domain::money::Currency;
use app::domain::pickup::{PickupOptions, PickupSlot};
use app::domain::pizzeria::{validate_contact, validate_currency, PizzeriaCard};
use app::domain::reports::{report_start, OrdersExport, Report, ReportOrder};
use app::domain::status_change::RECALL_WINDOW_SECS;
use app::domain::{
    KitchenSettings, LocationId, Menu, MenuChange, MenuEdit, Order, OrderRequest, OrderStatus, PickupRules,
    PlacedOrder, Principal, RequestOrigin, ScreenOptions, Snapshot, StatusChange, ValidationError,
};
use std::sync::Arc;

/// How far back stage times are measured for ready estimates.
const ETA_HISTORY: chrono::TimeDelta = chrono::TimeDelta::hours(2);

pub struct LiveOrderService {
    store: Store,
    hub: Arc<Hub>,
    writes: WriteRunner,
    /// Each pizzeria's open orders as last read, while nothing has happened since.
    boards: BoardCache,
    /// The server's kitchen settings; each screen's own options are added per caller.
    kitchen: KitchenSettings,
    /// One limit on placing orders, however they come.
    order_limit: Arc<OrderLimit>,
}

impl LiveOrderService {
    pub fn new(store: Store, hub: Arc<Hub>, kitchen: KitchenSettings, order_limit: Arc<OrderLimit>) -> Self {
        LiveOrderService {
            store,
            writes: WriteRunner::new(hub.clone()),
            hub,
            boards: BoardCache::default(),
            kitchen,
            order_limit,
        }
    }
}

impl LiveOrderService {
    /// How long the kitchen takes to make an order now: what orders of the last two hours
    /// took from New to Ready, once every stage has been timed often enough; until then the
    /// pizzeria's own setting, else the server's. The measurement is kept within half and twice
    /// that setting: an order held for hours before its fire time, or a rush bumped through in
    /// seconds, must not make orders for later fire hours early or at their pickup.
    async fn preparation_secs(&self, location_id: i64) -> Result<i64, AppError> {
        let own = self.store.location_prep_secs(location_id).await.map_err(AppError::from)?;
        let setting = own.unwrap_or(self.kitchen.prep_secs);
        let since = store_clock() - ETA_HISTORY;
        let measured = self.store.stage_times(location_id, since).await.map_err(AppError::from)?.preparation_secs();
        Ok(measured.map_or(setting, |measured| measured.clamp(setting / 2, setting.saturating_mul(2))))
    }

    /// A pizzeria as its customers see it: name, address, phone and hours.
    async fn pizzeria_card(&self, location_id: i64) -> Result<PizzeriaCard, AppError> {
        let contact = self.store.location_contact(location_id).await.map_err(AppError::from)?;
        let hours = self.store.location_hours(location_id).await.map_err(AppError::from)?;
        Ok(PizzeriaCard {
            name: contact.name,
            address: contact.address,
            phone: contact.phone,
            opening_hours: hours.opening_hours,
            timezone: hours.timezone.name().to_string(),
            // A code this build does not know (set by a newer one) shows as the default.
            currency: Currency::parse(&contact.currency).unwrap_or_default(),
        })
    }

    /// What the owner's report reads: the caller's orders of the last seven days, the
    /// kitchen's thresholds, the pizzeria's time zone, and now. Admins only.
    async fn report_input(
        &self,
        who: &Principal,
    ) -> Result<(Vec<ReportOrder>, KitchenSettings, chrono_tz::Tz, chrono::DateTime<chrono::Utc>), AppError> {
        let location_id = require_admin(who)?;
        let now = store_clock();
        let timezone = self.store.location_hours(location_id).await.map_err(AppError::from)?.timezone;
        let settings = KitchenSettings { prep_secs: self.preparation_secs(location_id).await?, ..self.kitchen };
        let orders =
            self.store.report_orders(location_id, report_start(&timezone, now)).await.map_err(AppError::from)?;
        Ok((orders, settings, timezone, now))
    }

    /// The open orders of a pizzeria, and those collected after `collected_since`: from memory
    /// while the hub has published nothing and this instance committed nothing since the last
    /// read (see [`BoardCache`]).
    async fn board(
        &self,
        location_id: i64,
        collected_since: chrono::DateTime<chrono::Utc>,
    ) -> Result<Snapshot, StoreError> {
        let as_of = AsOf { head: self.hub.head(location_id), commits: self.hub.commits() };
        if let Some(board) = self.boards.get(location_id, as_of, collected_since, chrono::Utc::now()) {
            return Ok(board);
        }
        let board = self.store.open_orders(location_id, collected_since).await?;
        self.boards.put(location_id, &board, as_of.commits, collected_since);
        Ok(board)
    }
}

#[async_trait::async_trait]
impl OrderService for LiveOrderService {
    async fn menu(&self, location: LocationId) -> Result<Menu, AppError> {
        self.store.menu(location.0).await.map_err(AppError::from)
    }

    async fn place_order(
        &self,
        who: &Principal,
        origin: RequestOrigin,
        location: LocationId,
        request: OrderRequest,
    ) -> Result<PlacedOrder, AppError> {
        self.order_limit.check(who, origin.address)?;
        let store = self.store.clone();
        // Staff and API clients order for their own pizzeria, whatever host they called.
        let location_id = who.location_id().unwrap_or(location.0);
        // An order for later fires as long before its pickup as orders take to make now: decided
        // here, once, so every screen fires it alike. Only such orders need the measurement.
        let prep_secs = match request.pickup_at {
            Some(_) => self.preparation_secs(location_id).await?,
            None => 0,
        };
        let token = auth::new_order_token();
        let (actor, key_owner) = (who.actor(), who.key_owner(origin.browser.as_ref()));
        let placed = {
            let token = token.clone();
            self.writes
                .write(async move {
                    let order =
                        NewOrder { location_id, request, token, actor, key_owner, prep_secs, now: store_clock() };
                    store.place_order(order).await
                })
                .await?
        };
        let placed = match placed {
            Ok(placed) => placed,
            Err(PlaceRefused::Invalid(refused)) => return Err(refused.into()),
            Err(PlaceRefused::KeyReused) => {
                return Err(AppError::Conflict {
                    message:
                        "this checkout was already placed with other details: reload the page to start a new order"
                            .into(),
                    current: None,
                    text: None,
                }
                .says("error-checkout-reused", &[]))
            }
        };
        match placed.seq {
            Some(seq) => tracing::info!(order = placed.order.id, seq, total = %placed.order.total, "order placed"),
            None => tracing::info!(order = placed.order.id, "repeated checkout: the order it placed is returned"),
        }
        Ok(PlacedOrder { repeated: placed.seq.is_none(), order: placed.order.shown_to(who), token: placed.token })
    }

    async fn edit_menu(&self, who: &Principal, edit: MenuEdit) -> Result<MenuChange, AppError> {
        let location_id =
            if edit.needs_admin() { require_admin(who)? } else { require(who, Principal::can_mark_sold_out)? };
        edit.validate()?;
        let edit = edit.normalized();
        let store = self.store.clone();
        let actor = who.actor();
        let edited =
            self.writes.write(async move { store.edit_menu(location_id, &edit, &actor, store_clock()).await }).await?;
        let (change, seq) = edited.map_err(|refused| match refused {
            MenuEditRefused::NotFound => AppError::not_found("that menu entry"),
            MenuEditRefused::NameTaken => ValidationError::says("name", "error-name-taken", &[]).into(),
        })?;
        tracing::info!(seq, actor = %who.actor(), "menu edited");
        Ok(change)
    }

    async fn pickup_options(&self, location: LocationId) -> Result<PickupOptions, AppError> {
        let hours = self.store.location_hours(location.0).await.map_err(AppError::from)?;
        let now = store_clock();
        let rules = PickupRules::new(hours.opening_hours, &hours.timezone, now);
        Ok(PickupOptions {
            open_now: rules.is_open_now(),
            slots: rules.slots().into_iter().map(|at| PickupSlot::new(at, &hours.timezone, now)).collect(),
            opening_hours: hours.opening_hours,
            timezone: hours.timezone.name().to_string(),
        })
    }

    async fn pizzeria_of_order(&self, token: &str) -> Result<PizzeriaCard, AppError> {
        let key = self.store.order_key_by_token(token).await.map_err(AppError::from)?;
        let key = key.ok_or_else(|| AppError::not_found("order"))?;
        self.pizzeria_card(key.location_id).await
    }

    async fn report(&self, who: &Principal) -> Result<Report, AppError> {
        let (orders, settings, timezone, now) = self.report_input(who).await?;
        Ok(Report::build(&orders, &settings, &timezone, timezone.name(), now))
    }

    async fn export_orders(&self, who: &Principal) -> Result<OrdersExport, AppError> {
        let (orders, settings, timezone, _) = self.report_input(who).await?;
        let currency = self.pizzeria_card(require_admin(who)?).await?.currency;
        Ok(OrdersExport { currency, rows: orders.iter().map(|order| order.export_row(&settings, &timezone)).collect() })
    }

    async fn pizzeria(&self, who: &Principal) -> Result<PizzeriaCard, AppError> {
        self.pizzeria_card(require_admin(who)?).await
    }

    async fn set_pizzeria_currency(&self, who: &Principal, code: &str) -> Result<PizzeriaCard, AppError> {
        let location_id = require_admin(who)?;
        let currency = validate_currency(code)?;
        self.store.set_location_currency(location_id, currency.code()).await.map_err(AppError::from)?;
        tracing::info!(actor = %who.actor(), currency = currency.code(), "pizzeria's currency changed");
        self.pizzeria_card(location_id).await
    }

    async fn currency(&self, location: LocationId) -> Result<Currency, AppError> {
        let code = self.store.location_currency(location.0).await.map_err(AppError::from)?;
        Ok(code.as_deref().and_then(Currency::parse).unwrap_or_default())
    }

    async fn set_pizzeria_contact(
        &self,
        who: &Principal,
        address: &str,
        phone: &str,
    ) -> Result<PizzeriaCard, AppError> {
        let location_id = require_admin(who)?;
        let (address, phone) = validate_contact(address, phone)?;
        self.store.set_location_contact(location_id, &address, &phone).await.map_err(AppError::from)?;
        tracing::info!(actor = %who.actor(), "pizzeria's address and phone changed");
        self.pizzeria_card(location_id).await
    }

    async fn change_status(
        &self,
        who: &Principal,
        order_id: i64,
        change: StatusChange,
        expected_version: Option<i64>,
    ) -> Result<Order, AppError> {
        let location_id = match who {
            // A screen's bump bar moves a ticket one step along, and nothing else.
            Principal::Device { device_id, location_id, .. } => {
                let options = self.store.screen_options(*device_id).await.map_err(AppError::from)?.unwrap_or_default();
                let bump = matches!(change, StatusChange::MoveTo { status } if status != OrderStatus::Cancelled);
                if !(options.bump_bar && bump) {
                    return Err(AppError::forbidden());
                }
                *location_id
            }
            _ => require_staff(who)?,
        };
        let store = self.store.clone();
        let actor = who.actor();
        let changed = self
            .writes
            .write(async move {
                store.change_status(location_id, order_id, &change, expected_version, &actor, store_clock()).await
            })
            .await?;
        match changed {
            Ok((order, seq)) => {
                tracing::info!(order = order.id, seq, status = %order.status, actor = %who.actor(), "order status changed");
                Ok(order.shown_to(who))
            }
            Err(StatusChangeRefused::NotFound) => Err(AppError::not_found(format!("order {order_id}"))),
            Err(StatusChangeRefused::Refused(refused)) => Err(refused.into()),
            Err(StatusChangeRefused::Stale(current)) => {
                let status = current.status;
                Err(AppError::Conflict {
                    message: format!(
                        "order #{order_id} was changed by someone else: it is now {}",
                        status.label().to_lowercase()
                    ),
                    text: None,
                    current: Some(Box::new(current.shown_to(who))),
                }
                .says("error-order-changed", &[("id", order_id.into()), ("status", status.as_str().into())]))
            }
        }
    }

    async fn advance(&self, who: &Principal, order_id: i64, expected_version: Option<i64>) -> Result<Order, AppError> {
        require_staff(who)?;
        let current = self.order(who, order_id).await?.orders.pop();
        let current = current.ok_or_else(|| AppError::not_found(format!("order {order_id}")))?;
        let next = current.status.next().ok_or_else(|| {
            AppError::InvalidTransition {
                message: format!(
                    "order #{order_id} is {}: it has no next stage",
                    current.status.label().to_lowercase()
                ),
                text: None,
            }
            .says("error-no-next-stage", &[("id", order_id.into()), ("status", current.status.as_str().into())])
        })?;
        let expected = expected_version.unwrap_or(current.version);
        self.change_status(who, order_id, StatusChange::MoveTo { status: next }, Some(expected)).await
    }

    async fn open_orders(&self, who: &Principal) -> Result<Snapshot, AppError> {
        let location_id = require_kitchen_access(who)?;
        let recallable_since = store_clock() - chrono::Duration::seconds(RECALL_WINDOW_SECS);
        Ok(self.board(location_id, recallable_since).await.map_err(AppError::from)?.shown_to(who))
    }

    async fn kitchen_settings(&self, who: &Principal) -> Result<KitchenSettings, AppError> {
        let location_id = require_kitchen_access(who)?;
        let screen = match who {
            Principal::Device { device_id, .. } => {
                self.store.screen_options(*device_id).await.map_err(AppError::from)?.unwrap_or_default()
            }
            _ => ScreenOptions::default(),
        };
        Ok(KitchenSettings { screen, prep_secs: self.preparation_secs(location_id).await?, ..self.kitchen })
    }

    async fn order(&self, who: &Principal, order_id: i64) -> Result<Snapshot, AppError> {
        let location_id = require_kitchen_access(who)?;
        self.store
            .order_snapshot(order_id)
            .await
            .map_err(AppError::from)?
            // Another pizzeria's order does not exist, as far as this caller can tell.
            .filter(|snapshot| snapshot.orders.iter().all(|order| order.location_id == location_id))
            .map(|snapshot| snapshot.shown_to(who))
            .ok_or_else(|| AppError::not_found(format!("order {order_id}")))
    }

    async fn order_by_token(&self, who: &Principal, token: &str) -> Result<Snapshot, AppError> {
        let not_found = || AppError::not_found("this order");
        let order = self.store.order_key_by_token(token).await.map_err(AppError::from)?.ok_or_else(not_found)?;
        let mut snapshot = self.store.order_snapshot(order.id).await.map_err(AppError::from)?.ok_or_else(not_found)?;
        if let Some(order) = snapshot.orders.first().filter(|order| order.status.is_open()) {
            let now = snapshot.taken_at;
            let queue = self.board(order.location_id, now).await.map_err(AppError::from)?;
            let times = self.store.stage_times(order.location_id, now - ETA_HISTORY).await.map_err(AppError::from)?;
            snapshot.estimate = estimate_ready(order, &queue.orders, times, now);
        }
        Ok(snapshot.shown_to(who))
    }

    fn new_checkout_key(&self) -> String {
        auth::new_order_token()
    }
}

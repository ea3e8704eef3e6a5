use super::money::Cents;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// Pizza sizes. Stored and sent as "S", "M", "L".
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub enum Size {
    S,
    M,
    L,
}

impl Size {
    pub const ALL: [Size; 3] = [Size::S, Size::M, Size::L];

    /// The pizza's diameter, said with its size wherever a customer chooses one.
    pub fn diameter_cm(self) -> u32 {
        match self {
            Size::S => 26,
            Size::M => 30,
            Size::L => 36,
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Size::S => "S",
            Size::M => "M",
            Size::L => "L",
        }
    }
}

impl fmt::Display for Size {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl FromStr for Size {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "S" => Ok(Size::S),
            "M" => Ok(Size::M),
            "L" => Ok(Size::L),
            other => Err(format!("unknown size {other:?}")),
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct SizePrices {
    pub s: Cents,
    pub m: Cents,
    pub l: Cents,
}

impl SizePrices {
    pub fn get(&self, size: Size) -> Cents {
        match size {
            Size::S => self.s,
            Size::M => self.m,
            Size::L => self.l,
        }
    }
}

/// Where an item sits on the menu. Only pizzas come in sizes and take toppings.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub enum Category {
    #[default]
    Pizza,
    Drink,
    Dessert,
}

impl Category {
    pub const ALL: [Category; 3] = [Category::Pizza, Category::Drink, Category::Dessert];

    pub fn code(self) -> &'static str {
        match self {
            Category::Pizza => "pizza",
            Category::Drink => "drink",
            Category::Dessert => "dessert",
        }
    }

    /// The sizes an item of this category is sold in. Drinks and desserts come in one size,
    /// stored as `M`.
    pub fn sizes(self) -> &'static [Size] {
        match self {
            Category::Pizza => &Size::ALL,
            Category::Drink | Category::Dessert => &[Size::M],
        }
    }
}

impl FromStr for Category {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Category::ALL.into_iter().find(|c| c.code() == s).ok_or_else(|| format!("unknown category {s:?}"))
    }
}

/// The station that makes a menu item, so a station's screen shows only its own work: the
/// oven line makes pizzas; the pass adds drinks and desserts when the order is handed over.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub enum ItemStation {
    #[default]
    Oven,
    Pass,
}

impl ItemStation {
    pub const ALL: [ItemStation; 2] = [ItemStation::Oven, ItemStation::Pass];

    pub fn code(self) -> &'static str {
        match self {
            ItemStation::Oven => "oven",
            ItemStation::Pass => "pass",
        }
    }

    /// Where an item goes until an admin says otherwise: pizzas to the oven, the rest to the pass.
    pub fn default_for(category: Category) -> ItemStation {
        match category {
            Category::Pizza => ItemStation::Oven,
            Category::Drink | Category::Dessert => ItemStation::Pass,
        }
    }
}

impl FromStr for ItemStation {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        ItemStation::ALL.into_iter().find(|station| station.code() == s).ok_or_else(|| format!("unknown station {s:?}"))
    }
}

/// The fourteen allergens EU law asks a food business to declare.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub enum Allergen {
    Gluten,
    Crustaceans,
    Eggs,
    Fish,
    Peanuts,
    Soy,
    Milk,
    Nuts,
    Celery,
    Mustard,
    Sesame,
    Sulphites,
    Lupin,
    Molluscs,
}

impl Allergen {
    pub const ALL: [Allergen; 14] = [
        Allergen::Gluten,
        Allergen::Crustaceans,
        Allergen::Eggs,
        Allergen::Fish,
        Allergen::Peanuts,
        Allergen::Soy,
        Allergen::Milk,
        Allergen::Nuts,
        Allergen::Celery,
        Allergen::Mustard,
        Allergen::Sesame,
        Allergen::Sulphites,
        Allergen::Lupin,
        Allergen::Molluscs,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Allergen::Gluten => "gluten",
            Allergen::Crustaceans => "crustaceans",
            Allergen::Eggs => "eggs",
            Allergen::Fish => "fish",
            Allergen::Peanuts => "peanuts",
            Allergen::Soy => "soy",
            Allergen::Milk => "milk",
            Allergen::Nuts => "nuts",
            Allergen::Celery => "celery",
            Allergen::Mustard => "mustard",
            Allergen::Sesame => "sesame",
            Allergen::Sulphites => "sulphites",
            Allergen::Lupin => "lupin",
            Allergen::Molluscs => "molluscs",
        }
    }

    /// Parses a comma-separated list such as "gluten,milk" (how the database keeps it).
    pub fn parse_list(s: &str) -> Result<Vec<Allergen>, String> {
        s.split(',')
            .map(str::trim)
            .filter(|code| !code.is_empty())
            .map(|code| {
                Allergen::ALL.into_iter().find(|a| a.code() == code).ok_or_else(|| format!("unknown allergen {code:?}"))
            })
            .collect()
    }

    pub fn join(allergens: &[Allergen]) -> String {
        allergens.iter().map(|a| a.code()).collect::<Vec<_>>().join(",")
    }
}

/// An extra a customer can add to a pizza, at one price whatever the size.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Topping {
    pub id: i64,
    pub name: String,
    pub price: Cents,
    pub available: bool,
    pub vegetarian: bool,
    pub allergens: Vec<Allergen>,
    pub version: i64,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct MenuItem {
    pub id: i64,
    pub name: String,
    pub description: String,
    #[serde(default)]
    pub category: Category,
    pub prices: SizePrices,
    pub available: bool,
    #[serde(default)]
    pub vegetarian: bool,
    #[serde(default)]
    pub allergens: Vec<Allergen>,
    /// What a customer may ask to leave off ("no basil").
    #[serde(default)]
    pub ingredients: Vec<String>,
    /// A picture under `public/`, e.g. `/menu/margherita.svg`.
    #[serde(default)]
    pub image: Option<String>,
    /// The station whose screen shows it.
    #[serde(default)]
    pub station: ItemStation,
    /// Goes up by one on every change, so a client can tell a newer copy from an older one.
    pub version: i64,
}

impl MenuItem {
    /// The price of one in `size`, if it is sold in that size.
    pub fn price(&self, size: Size) -> Option<Cents> {
        self.category.sizes().contains(&size).then(|| self.prices.get(size))
    }

    pub fn takes_toppings(&self) -> bool {
        self.category == Category::Pizza
    }
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Menu {
    pub location_id: i64,
    pub items: Vec<MenuItem>,
    #[serde(default)]
    pub toppings: Vec<Topping>,
    /// The event-log position this copy is current at: a live client resumes from it.
    #[serde(default)]
    pub seq: i64,
}

impl Menu {
    pub fn item(&self, id: i64) -> Option<&MenuItem> {
        self.items.iter().find(|item| item.id == id)
    }

    pub fn topping(&self, id: i64) -> Option<&Topping> {
        self.toppings.iter().find(|topping| topping.id == id)
    }

    pub fn in_category(&self, category: Category) -> impl Iterator<Item = &MenuItem> {
        self.items.iter().filter(move |item| item.category == category)
    }

    /// Applies a changed item or topping, unless this copy already has that version or newer.
    pub fn apply(&mut self, change: &MenuChange) {
        match change {
            MenuChange::Item(item) => upsert_by_version(&mut self.items, item, |i| (i.id, i.version)),
            MenuChange::Topping(topping) => upsert_by_version(&mut self.toppings, topping, |t| (t.id, t.version)),
        }
    }
}

/// One edit an admin made to the menu, as the live channel carries it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MenuChange {
    Item(MenuItem),
    Topping(Topping),
}

/// The most a single price can be, in cents: catches a slip of the finger.
pub const MAX_PRICE_CENTS: i64 = 100_000;

/// A change staff make to the menu. Marking sold out and back is for any staff; prices are
/// for admins.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum MenuEdit {
    ItemAvailability {
        item_id: i64,
        available: bool,
    },
    ItemPrices {
        item_id: i64,
        prices: SizePrices,
    },
    ToppingAvailability {
        topping_id: i64,
        available: bool,
    },
    ToppingPrice {
        topping_id: i64,
        price: Cents,
    },
    /// What the menu calls an item and says about it. Orders keep the name they were placed with.
    ItemText {
        item_id: i64,
        name: String,
        description: String,
    },
    /// Which station's screen shows the item. Orders keep the station they were placed with.
    ItemStation {
        item_id: i64,
        station: ItemStation,
    },
}

/// Item names are 1 to this many characters.
pub const MAX_ITEM_NAME_CHARS: usize = 60;
pub const MAX_DESCRIPTION_CHARS: usize = 300;

impl MenuEdit {
    /// Prices, wording and routing are for admins; availability is for any staff.
    pub fn needs_admin(&self) -> bool {
        matches!(
            self,
            MenuEdit::ItemPrices { .. }
                | MenuEdit::ToppingPrice { .. }
                | MenuEdit::ItemText { .. }
                | MenuEdit::ItemStation { .. }
        )
    }

    /// Trims the wording, so that what is stored is what was checked.
    pub fn normalized(self) -> MenuEdit {
        match self {
            MenuEdit::ItemText { item_id, name, description } => MenuEdit::ItemText {
                item_id,
                name: name.trim().to_string(),
                description: description.trim().to_string(),
            },
            other => other,
        }
    }

    pub fn validate(&self) -> Result<(), super::validation::ValidationError> {
        let check = |field: &str, price: Cents| {
            if (0..=MAX_PRICE_CENTS).contains(&price.0) {
                Ok(())
            } else {
                Err(super::validation::ValidationError::says(
                    field,
                    "error-price",
                    &[("max", Cents(MAX_PRICE_CENTS).to_string().into())],
                ))
            }
        };
        match self {
            MenuEdit::ItemPrices { prices, .. } => {
                check("prices.s", prices.s)?;
                check("prices.m", prices.m)?;
                check("prices.l", prices.l)
            }
            MenuEdit::ToppingPrice { price, .. } => check("price", *price),
            MenuEdit::ItemText { name, description, .. } => {
                let printable = super::text::is_printable;
                let name_chars = name.trim().chars().count();
                if name_chars == 0 || name_chars > MAX_ITEM_NAME_CHARS || !printable(name) {
                    return Err(super::validation::ValidationError::says(
                        "name",
                        "error-item-name",
                        &[("max", MAX_ITEM_NAME_CHARS.into())],
                    ));
                }
                if description.trim().chars().count() > MAX_DESCRIPTION_CHARS || !printable(description) {
                    return Err(super::validation::ValidationError::says(
                        "description",
                        "error-description",
                        &[("max", MAX_DESCRIPTION_CHARS.into())],
                    ));
                }
                Ok(())
            }
            MenuEdit::ItemAvailability { .. } | MenuEdit::ToppingAvailability { .. } | MenuEdit::ItemStation { .. } => {
                Ok(())
            }
        }
    }
}

fn upsert_by_version<T: Clone>(list: &mut Vec<T>, new: &T, id_version: impl Fn(&T) -> (i64, i64)) {
    let (id, version) = id_version(new);
    match list.iter_mut().find(|old| id_version(old).0 == id) {
        Some(old) if id_version(old).1 < version => *old = new.clone(),
        Some(_) => {}
        None => list.push(new.clone()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn size_round_trips_through_its_code() {
        for size in Size::ALL {
            assert_eq!(size.code().parse::<Size>(), Ok(size));
        }
        assert!("XL".parse::<Size>().is_err());
    }

    #[test]
    fn allergen_lists_round_trip_and_refuse_unknown_codes() {
        let all = Allergen::parse_list(&Allergen::join(&Allergen::ALL)).unwrap();
        assert_eq!(all, Allergen::ALL);
        assert_eq!(Allergen::parse_list("").unwrap(), vec![]);
        assert_eq!(Allergen::parse_list(" milk , gluten").unwrap(), vec![Allergen::Milk, Allergen::Gluten]);
        assert!(Allergen::parse_list("gluten,kryptonite").is_err());
    }

    #[test]
    fn only_pizzas_come_in_sizes() {
        let item = |category| MenuItem {
            id: 1,
            name: "x".into(),
            description: String::new(),
            category,
            prices: SizePrices { s: Cents(1), m: Cents(2), l: Cents(3) },
            available: true,
            vegetarian: false,
            allergens: vec![],
            ingredients: vec![],
            image: None,
            station: ItemStation::Oven,
            version: 1,
        };
        assert_eq!(item(Category::Pizza).price(Size::L), Some(Cents(3)));
        assert_eq!(item(Category::Drink).price(Size::M), Some(Cents(2)));
        assert_eq!(item(Category::Drink).price(Size::L), None);
        assert!(!item(Category::Dessert).takes_toppings());
    }

    #[test]
    fn prices_are_bounded_and_only_prices_need_an_admin() {
        let prices = |s| SizePrices { s: Cents(s), m: Cents(100), l: Cents(200) };
        assert!(MenuEdit::ItemPrices { item_id: 1, prices: prices(0) }.validate().is_ok());
        assert_eq!(MenuEdit::ItemPrices { item_id: 1, prices: prices(-1) }.validate().unwrap_err().field, "prices.s");
        assert!(MenuEdit::ToppingPrice { topping_id: 1, price: Cents(MAX_PRICE_CENTS + 1) }.validate().is_err());
        assert!(MenuEdit::ToppingPrice { topping_id: 1, price: Cents(1) }.needs_admin());
        assert!(!MenuEdit::ItemAvailability { item_id: 1, available: false }.needs_admin());
    }

    #[test]
    fn item_wording_is_bounded_trimmed_and_for_admins() {
        let text = |name: &str, description: &str| MenuEdit::ItemText {
            item_id: 1,
            name: name.into(),
            description: description.into(),
        };
        assert!(text("Margherita DOP", "").validate().is_ok());
        assert!(text("Margherita", "Tomato").needs_admin());
        assert_eq!(text("   ", "").validate().unwrap_err().field, "name");
        assert_eq!(text(&"x".repeat(MAX_ITEM_NAME_CHARS + 1), "").validate().unwrap_err().field, "name");
        assert_eq!(text("Ok", &"y".repeat(MAX_DESCRIPTION_CHARS + 1)).validate().unwrap_err().field, "description");
        assert_eq!(text("Bad\u{7}", "").validate().unwrap_err().field, "name");
        assert_eq!(text("  Diavola ", " hot ").normalized(), text("Diavola", "hot"));
    }

    #[test]
    fn menu_changes_apply_by_version() {
        let topping = |version, available| Topping {
            id: 4,
            name: "Olives".into(),
            price: Cents(100),
            available,
            vegetarian: true,
            allergens: vec![],
            version,
        };
        let mut menu = Menu { location_id: 1, items: vec![], toppings: vec![topping(2, true)], seq: 0 };
        menu.apply(&MenuChange::Topping(topping(1, false)));
        assert!(menu.toppings[0].available, "an older copy never wins");
        menu.apply(&MenuChange::Topping(topping(3, false)));
        assert!(!menu.toppings[0].available);
        menu.apply(&MenuChange::Topping(Topping { id: 5, ..topping(1, true) }));
        assert_eq!(menu.toppings.len(), 2);
    }
}

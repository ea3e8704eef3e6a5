//! The demo pizzeria, written on the very first start only, and the menu every new
//! pizzeria starts with.

/// Where the first pizzeria is and when it opens (from the configuration).
#[derive(Clone, Debug)]
pub struct DemoLocation {
    /// An IANA time zone name, e.g. "Europe/Paris".
    pub timezone: String,
    /// "HH:MM-HH:MM" or "always".
    pub opening_hours: String,
}

impl From<&crate::config::Config> for DemoLocation {
    /// The pizzeria seeded on the very first start, as the server is configured.
    fn from(config: &crate::config::Config) -> DemoLocation {
        DemoLocation { timezone: config.timezone.clone(), opening_hours: config.opening_hours.clone() }
    }
}

impl DemoLocation {
    pub(super) fn as_new_location(&self) -> super::NewLocation {
        super::NewLocation {
            slug: "demo".into(),
            name: "Pizzeria Demo".into(),
            host: None,
            timezone: self.timezone.clone(),
            opening_hours: self.opening_hours.clone(),
            prep_secs: None,
        }
    }
}

pub(super) struct DemoItem {
    pub(super) name: &'static str,
    pub(super) description: &'static str,
    pub(super) category: &'static str,
    pub(super) prices: (i64, i64, i64),
    pub(super) vegetarian: bool,
    pub(super) allergens: &'static str,
    pub(super) ingredients: &'static [&'static str],
    pub(super) image: &'static str,
}

const fn pizza(
    name: &'static str,
    description: &'static str,
    prices: (i64, i64, i64),
    vegetarian: bool,
    allergens: &'static str,
    ingredients: &'static [&'static str],
    image: &'static str,
) -> DemoItem {
    DemoItem { name, description, category: "pizza", prices, vegetarian, allergens, ingredients, image }
}

const fn single(
    name: &'static str,
    description: &'static str,
    category: &'static str,
    cents: i64,
    allergens: &'static str,
    image: &'static str,
) -> DemoItem {
    DemoItem {
        name,
        description,
        category,
        prices: (cents, cents, cents),
        vegetarian: true,
        allergens,
        ingredients: &[],
        image,
    }
}

pub(super) const DEMO_MENU: &[DemoItem] = &[
    pizza(
        "Margherita",
        "Tomato, fior di latte, basil, olive oil",
        (800, 1050, 1300),
        true,
        "gluten,milk",
        &["basil", "olive oil"],
        "/menu/margherita.svg",
    ),
    pizza(
        "Marinara",
        "Tomato, garlic, oregano, olive oil",
        (700, 900, 1100),
        true,
        "gluten",
        &["garlic", "oregano"],
        "/menu/marinara.svg",
    ),
    pizza(
        "Diavola",
        "Tomato, mozzarella, spicy salami, chilli",
        (950, 1200, 1450),
        false,
        "gluten,milk",
        &["chilli"],
        "/menu/diavola.svg",
    ),
    pizza(
        "Quattro formaggi",
        "Mozzarella, gorgonzola, parmesan, fontina",
        (1000, 1250, 1500),
        true,
        "gluten,milk",
        &["gorgonzola"],
        "/menu/quattro-formaggi.svg",
    ),
    pizza(
        "Capricciosa",
        "Tomato, mozzarella, ham, mushrooms, artichokes, olives",
        (1050, 1300, 1550),
        false,
        "gluten,milk",
        &["ham", "mushrooms", "artichokes", "olives"],
        "/menu/capricciosa.svg",
    ),
    pizza(
        "Funghi",
        "Tomato, mozzarella, mushrooms, parsley",
        (900, 1150, 1400),
        true,
        "gluten,milk",
        &["parsley"],
        "/menu/funghi.svg",
    ),
    single("Lemonade", "Homemade, with Sicilian lemons", "drink", 350, "", "/menu/lemonade.svg"),
    single("Sparkling water", "50 cl bottle", "drink", 250, "", "/menu/water.svg"),
    single("Chinotto", "Bitter-orange soda, 33 cl", "drink", 300, "", "/menu/chinotto.svg"),
    single("Tiramisù", "Mascarpone, coffee, cocoa", "dessert", 550, "gluten,eggs,milk", "/menu/tiramisu.svg"),
    single("Panna cotta", "With a wild berry coulis", "dessert", 500, "milk", "/menu/panna-cotta.svg"),
];

/// Extra toppings: name, price in cents, vegetarian, allergens.
pub(super) const DEMO_TOPPINGS: &[(&str, i64, bool, &str)] = &[
    ("Extra mozzarella", 150, true, "milk"),
    ("Buffalo mozzarella", 250, true, "milk"),
    ("Mushrooms", 100, true, ""),
    ("Black olives", 100, true, ""),
    ("Rocket", 100, true, ""),
    ("Spicy salami", 200, false, ""),
    ("Prosciutto crudo", 250, false, ""),
    ("Anchovies", 150, false, "fish"),
    ("Fresh chilli", 50, true, ""),
];

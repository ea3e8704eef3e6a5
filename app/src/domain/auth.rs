use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// The menu, staff accounts, kitchen devices and settings, and everything staff do.
    Admin,
    /// Advance and cancel orders.
    Staff,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Staff => "staff",
        }
    }

    pub fn parse(s: &str) -> Option<Role> {
        match s {
            "admin" => Some(Role::Admin),
            "staff" => Some(Role::Staff),
            _ => None,
        }
    }
}

/// The pizzeria a request is about: the caller's own for staff, screens and API clients, and
/// for customers the one whose host name they used (the server decides; see
/// `src/locations.rs`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct LocationId(pub i64);

/// The address a request came from, as the server's middleware decided: what limits count by.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct ClientAddress(pub std::net::IpAddr);

/// Where a request came from, beyond who made it: what the order limit counts by, and whose
/// idempotency keys a customer uses.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RequestOrigin {
    pub address: Option<ClientAddress>,
    pub browser: Option<BrowserId>,
}

/// A browser's own random id, from its `pizzeria_browser` cookie: whose idempotency keys an
/// anonymous checkout uses, so that one customer's key never finds another customer's order.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct BrowserId(String);

impl BrowserId {
    pub const COOKIE: &'static str = "pizzeria_browser";

    /// The id if `raw` is one the server could have made: 32 lowercase hex digits.
    pub fn parse(raw: &str) -> Option<BrowserId> {
        (raw.len() == 32 && raw.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)))
            .then(|| BrowserId(raw.to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Who is making a request. Customers have no account: they hold their order's token instead.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Principal {
    #[default]
    Anonymous,
    User {
        user_id: i64,
        username: String,
        role: Role,
        location_id: i64,
    },
    /// A paired kitchen screen: may watch the kitchen feed, may change nothing.
    Device {
        device_id: i64,
        name: String,
        location_id: i64,
    },
    /// An outside system (a phone-order till, a delivery platform) calling `/api/v1` with an
    /// API key: places, reads and moves orders along, like staff; marks items sold out only
    /// when its key allows it; never administers.
    ApiClient {
        key_id: i64,
        name: String,
        location_id: i64,
        #[serde(default)]
        marks_sold_out: bool,
    },
}

impl Principal {
    pub fn is_signed_in(&self) -> bool {
        !matches!(self, Principal::Anonymous)
    }

    /// Kitchen screens, staff and admins see every order of their pizzeria.
    pub fn can_watch_kitchen(&self) -> bool {
        self.is_signed_in()
    }

    /// Staff, admins and API clients move orders along; devices are read-only.
    pub fn can_change_orders(&self) -> bool {
        matches!(self, Principal::User { .. } | Principal::ApiClient { .. })
    }

    /// Staff, admins, and API clients whose key allows it mark items sold out and back.
    pub fn can_mark_sold_out(&self) -> bool {
        matches!(self, Principal::User { .. } | Principal::ApiClient { marks_sold_out: true, .. })
    }

    pub fn is_admin(&self) -> bool {
        matches!(self, Principal::User { role: Role::Admin, .. })
    }

    /// Whether orders reach this principal with the customer's phone number. Kitchen screens
    /// never show it and hang where anyone may look, so they are never sent it; staff (who
    /// call customers), API clients and a customer reading their own order are.
    pub fn sees_customer_contact(&self) -> bool {
        !matches!(self, Principal::Device { .. })
    }

    /// The pizzeria this principal belongs to (customers belong to none).
    pub fn location_id(&self) -> Option<i64> {
        match self {
            Principal::Anonymous => None,
            Principal::User { location_id, .. }
            | Principal::Device { location_id, .. }
            | Principal::ApiClient { location_id, .. } => Some(*location_id),
        }
    }

    /// How the audit trail names this principal.
    pub fn actor(&self) -> String {
        match self {
            Principal::Anonymous => "customer".to_string(),
            Principal::User { user_id, .. } => format!("user:{user_id}"),
            Principal::Device { device_id, .. } => format!("device:{device_id}"),
            Principal::ApiClient { key_id, .. } => format!("api_key:{key_id}"),
        }
    }

    /// Whose idempotency keys a caller uses: its own account, device or API key; for a
    /// customer, the browser (all customers without the cookie share one scope).
    pub fn key_owner(&self, browser: Option<&BrowserId>) -> String {
        match (self, browser) {
            (Principal::Anonymous, Some(browser)) => format!("browser:{}", browser.as_str()),
            _ => self.actor(),
        }
    }
}

/// A staff account, as admins manage it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffAccount {
    pub id: i64,
    pub username: String,
    pub role: Role,
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub disabled_at: Option<chrono::DateTime<chrono::Utc>>,
}

/// A short name an admin gives something (an account, a screen): trimmed, 1 to 60
/// printable characters; otherwise `message`, about `field`.
pub fn printable_label(field: &str, raw: &str, message_key: &str) -> Result<String, crate::domain::ValidationError> {
    let label = raw.trim();
    if label.is_empty() || label.chars().count() > 60 || !super::text::is_printable(label) {
        return Err(crate::domain::ValidationError::says(field, message_key, &[]));
    }
    Ok(label.to_string())
}

/// Checks a new account's name and password; the same rules for the CLI and the admin page.
pub fn validate_new_account(username: &str, password: &str) -> Result<(), crate::domain::ValidationError> {
    use crate::domain::ValidationError;
    printable_label("username", username, "error-username")?;
    if password.chars().count() < MIN_PASSWORD_CHARS {
        return Err(ValidationError::says("password", "error-password-short", &[("min", MIN_PASSWORD_CHARS.into())]));
    }
    Ok(())
}

/// A kitchen screen, as admins manage it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Device {
    pub id: i64,
    pub name: String,
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub revoked_at: Option<chrono::DateTime<chrono::Utc>>,
    #[serde(default)]
    pub options: ScreenOptions,
}

/// A kitchen screen's hands-free extras, each off until an admin turns it on for that screen.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScreenOptions {
    /// Reads each new order aloud in the screen's language.
    #[serde(default)]
    pub announce: bool,
    /// A bump bar or foot pedal (a keypad that types) moves the oldest ticket of a column
    /// along. The only change such a screen may make.
    #[serde(default)]
    pub bump_bar: bool,
}

/// A device just added, with the one-time link that pairs a screen with it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewDevice {
    pub device: Device,
    /// `/pair/<code>`: open it once on the screen. It expires after [`PAIRING_CODE_MINUTES`].
    pub pairing_path: String,
}

pub const PAIRING_CODE_MINUTES: i64 = 30;

/// A TV pairs itself without anyone typing a link (as device authorization does, RFC 8628):
/// it shows a short code, an admin types that code on `/admin/devices`, and the TV, asking
/// every few seconds, is signed in.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScreenCode {
    /// What the TV shows and the admin types: `XXXX-XXXX`.
    pub user_code: String,
    /// The TV's own secret for asking whether it was approved. Never shown.
    pub poll_token: String,
    pub expires_at: chrono::DateTime<chrono::Utc>,
    /// How often the TV asks.
    pub interval_secs: u32,
    /// A QR code (SVG) of the admin's page with the code filled in, for a phone to scan.
    pub qr_svg: String,
}

/// A screen code lasts this long.
pub const SCREEN_CODE_MINUTES: i64 = 10;

/// The letters of a screen code: no vowels (no words), no 0/O, 1/I/L, 5/S or 2/Z to confuse.
const SCREEN_CODE_ALPHABET: &[u8] = b"BCDFGHJKMNPQRTVWXY346789";
const SCREEN_CODE_LEN: usize = 8;

/// A screen code from random bytes: `XXXX-XXXX`, about 36 bits.
pub fn screen_code_from(random: [u8; SCREEN_CODE_LEN]) -> String {
    let letters: String = random
        .iter()
        .map(|byte| char::from(SCREEN_CODE_ALPHABET[usize::from(*byte) % SCREEN_CODE_ALPHABET.len()]))
        .collect();
    format!("{}-{}", &letters[..4], &letters[4..])
}

/// A code as an admin typed it (any case, with or without the dash or spaces), in the form
/// it was issued; `None` if it cannot be one.
pub fn normalize_screen_code(typed: &str) -> Option<String> {
    let letters: String =
        typed.chars().filter(|c| !c.is_whitespace() && *c != '-').map(|c| c.to_ascii_uppercase()).collect();
    let valid = letters.len() == SCREEN_CODE_LEN && letters.bytes().all(|byte| SCREEN_CODE_ALPHABET.contains(&byte));
    valid.then(|| format!("{}-{}", &letters[..4], &letters[4..]))
}

/// An API key, as admins manage it. The key itself is shown once, when it is created.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApiKey {
    pub id: i64,
    pub name: String,
    /// The key's first characters, to tell keys apart: `pzk_3f9a…`.
    pub prefix: String,
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub revoked_at: Option<chrono::DateTime<chrono::Utc>>,
    /// Whether it may mark menu items and toppings sold out and back, besides orders.
    #[serde(default)]
    pub marks_sold_out: bool,
}

/// A key just created, with its secret: `Authorization: Bearer <secret>`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewApiKey {
    pub key: ApiKey,
    pub secret: String,
}

/// Every API key starts with this, so that the server (and a secret scanner) can tell one
/// from a session token.
pub const API_KEY_PREFIX: &str = "pzk_";

/// Passwords shorter than this are refused when an account is created.
pub const MIN_PASSWORD_CHARS: usize = 10;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn screen_codes_are_short_unambiguous_and_forgiving_to_type() {
        let code = screen_code_from([0, 1, 2, 3, 250, 251, 252, 253]);
        assert_eq!(code.len(), 9);
        assert_eq!(code.as_bytes()[4], b'-');
        assert!(code.chars().filter(|c| *c != '-').all(|c| SCREEN_CODE_ALPHABET.contains(&(c as u8))));
        assert_eq!(normalize_screen_code(&code.to_lowercase()), Some(code.clone()));
        assert_eq!(normalize_screen_code(&code.replace('-', " ")), Some(code.clone()));
        assert_eq!(normalize_screen_code(&code.replace('-', "")), Some(code));
        for wrong in ["", "BCDF-GHJ", "BCDF-GHJKM", "BCDF-GHJ0", "OOOO-OOOO", "BCDF-GHJ\u{7f}"] {
            assert_eq!(normalize_screen_code(wrong), None, "{wrong:?}");
        }
    }

    #[test]
    fn only_people_change_orders_and_only_signed_in_principals_watch() {
        let staff = Principal::User { user_id: 1, username: "s".into(), role: Role::Staff, location_id: 1 };
        let admin = Principal::User { user_id: 2, username: "a".into(), role: Role::Admin, location_id: 1 };
        let device = Principal::Device { device_id: 3, name: "wall".into(), location_id: 1 };
        let anonymous = Principal::Anonymous;
        assert!(staff.can_change_orders() && admin.can_change_orders());
        assert!(!device.can_change_orders() && !anonymous.can_change_orders());
        assert!(staff.can_watch_kitchen() && device.can_watch_kitchen() && !anonymous.can_watch_kitchen());
        assert!(admin.is_admin() && !staff.is_admin());
        assert!(staff.sees_customer_contact() && admin.sees_customer_contact() && anonymous.sees_customer_contact());
        assert!(!device.sees_customer_contact(), "kitchen screens are never sent phone numbers");
        assert_eq!(device.actor(), "device:3");
        assert_eq!(anonymous.actor(), "customer");
    }

    #[test]
    fn api_clients_move_orders_but_never_administer() {
        let client = Principal::ApiClient { key_id: 4, name: "till".into(), location_id: 1, marks_sold_out: false };
        assert!(client.can_change_orders() && client.can_watch_kitchen() && !client.is_admin());
        assert!(client.sees_customer_contact());
        assert_eq!(client.actor(), "api_key:4");
    }

    #[test]
    fn roles_round_trip() {
        for role in [Role::Admin, Role::Staff] {
            assert_eq!(Role::parse(role.as_str()), Some(role));
        }
        assert_eq!(Role::parse("root"), None);
    }
}

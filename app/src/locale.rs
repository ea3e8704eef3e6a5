//! English and French, without Leptos: the languages, translatable texts ([`Text`]) and the
//! Fluent files (`app/locales/<lang>/*.ftl`), embedded at compile time, so the server's render
//! and the browser's hydration read the same ones. The domain uses this module; which
//! language a page is in is `i18n`'s business.

use fluent_templates::fluent_bundle::FluentValue;
use fluent_templates::{static_loader, LanguageIdentifier, Loader};
use serde::{Deserialize, Serialize};
use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::{LazyLock, PoisonError, RwLock};

static_loader! {
    static LOCALES = {
        locales: "./locales",
        fallback_language: "en",
        // No invisible Unicode isolation marks around arguments: they would show in tests
        // and in copied text.
        customise: |bundle| bundle.set_use_isolating(false),
    };
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Lang {
    #[default]
    En,
    Fr,
}

/// The cookie that remembers a chosen language (not HttpOnly: it holds no secret).
pub const LANG_COOKIE: &str = "pizzeria_lang";

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::En, Lang::Fr];

    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Fr => "fr",
        }
    }

    pub fn parse(code: &str) -> Option<Lang> {
        Lang::ALL.into_iter().find(|lang| code.trim().eq_ignore_ascii_case(lang.code()))
    }

    /// The language's own name for itself, for the switch.
    pub fn native_name(self) -> &'static str {
        match self {
            Lang::En => "English",
            Lang::Fr => "Français",
        }
    }

    /// The best of ours for an `Accept-Language` header: by quality, then order.
    pub fn from_accept_language(header: &str) -> Option<Lang> {
        let mut offers: Vec<(f32, usize, Lang)> = header
            .split(',')
            .enumerate()
            .filter_map(|(position, offer)| {
                let mut parts = offer.split(';');
                let tag = parts.next()?.trim();
                let lang = Lang::parse(tag.split('-').next()?)?;
                let quality = parts
                    .find_map(|param| param.trim().strip_prefix("q=").map(|q| q.trim().parse::<f32>().unwrap_or(0.0)))
                    .unwrap_or(1.0);
                (quality > 0.0).then_some((quality, position, lang))
            })
            .collect();
        offers.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        offers.first().map(|offer| offer.2)
    }

    /// The language for a request: the chosen one (cookie), else the browser's preference.
    pub fn for_request(cookie: Option<&str>, accept_language: Option<&str>) -> Lang {
        cookie
            .and_then(Lang::parse)
            .or_else(|| accept_language.and_then(Lang::from_accept_language))
            .unwrap_or_default()
    }

    fn identifier(self) -> LanguageIdentifier {
        match self {
            Lang::En => fluent_templates::langid!("en"),
            Lang::Fr => fluent_templates::langid!("fr"),
        }
    }

    /// The text for `key` in this language.
    ///
    /// Kept once looked up: a Fluent lookup negotiates the language chain every time, and a
    /// kitchen board of 200 tickets asks for the same few labels (sizes, stages) hundreds of
    /// times per render. Keys come from our code, so the cache holds at most every key twice.
    pub fn text(self, key: &str) -> String {
        static TEXTS: LazyLock<[RwLock<HashMap<String, String>>; Lang::ALL.len()]> = LazyLock::new(Default::default);
        let texts = &TEXTS[self as usize];
        if let Some(text) = texts.read().unwrap_or_else(PoisonError::into_inner).get(key) {
            return text.clone();
        }
        let text = LOCALES.lookup(&self.identifier(), key);
        texts.write().unwrap_or_else(PoisonError::into_inner).insert(key.to_string(), text.clone());
        text
    }

    /// The text for `key` with its `{ $name }` placeholders filled in.
    pub fn text_with(self, key: &str, args: &[(&str, Arg)]) -> String {
        let args: HashMap<Cow<'static, str>, FluentValue> =
            args.iter().map(|(name, value)| (Cow::Owned(name.to_string()), value.to_fluent())).collect();
        LOCALES.lookup_with_args(&self.identifier(), key, &args)
    }
}

/// A message that can be shown in any language: its key and the values of its placeholders.
/// Errors carry one, so a page shows a server's refusal in the page's language.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Text {
    pub key: String,
    #[serde(default)]
    pub args: Vec<(String, Arg)>,
}

impl Text {
    pub fn new(key: &str, args: &[(&str, Arg)]) -> Text {
        Text {
            key: key.to_string(),
            args: args.iter().map(|(name, value)| (name.to_string(), value.clone())).collect(),
        }
    }

    pub fn render(&self, lang: Lang) -> String {
        let args: Vec<(&str, Arg)> = self.args.iter().map(|(name, value)| (name.as_str(), value.clone())).collect();
        lang.text_with(&self.key, &args)
    }
}

/// A value for a placeholder: numbers choose plural forms, text is shown as it is.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub enum Arg {
    Number(i64),
    Text(String),
}

impl Arg {
    fn to_fluent(&self) -> FluentValue<'static> {
        match self {
            Arg::Number(n) => FluentValue::from(*n),
            Arg::Text(text) => FluentValue::from(text.clone()),
        }
    }
}

macro_rules! number_arg {
    ($($t:ty),*) => {$(impl From<$t> for Arg { fn from(n: $t) -> Self { Arg::Number(n as i64) } })*};
}
number_arg!(i64, i32, u32, usize, u64);

impl From<String> for Arg {
    fn from(text: String) -> Self {
        Arg::Text(text)
    }
}

impl From<&str> for Arg {
    fn from(text: &str) -> Self {
        Arg::Text(text.to_string())
    }
}

impl From<&String> for Arg {
    fn from(text: &String) -> Self {
        Arg::Text(text.clone())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accept_language_picks_our_best_match() {
        assert_eq!(Lang::from_accept_language("fr-FR,fr;q=0.9,en;q=0.8"), Some(Lang::Fr));
        assert_eq!(Lang::from_accept_language("de-DE,en;q=0.5,fr;q=0.7"), Some(Lang::Fr));
        assert_eq!(Lang::from_accept_language("en-GB, fr"), Some(Lang::En));
        assert_eq!(Lang::from_accept_language("fr;q=0, en;q=0.1"), Some(Lang::En));
        assert_eq!(Lang::from_accept_language("de, it"), None);
        assert_eq!(Lang::from_accept_language(""), None);
    }

    #[test]
    fn a_chosen_language_wins_over_the_browser() {
        assert_eq!(Lang::for_request(Some("fr"), Some("en")), Lang::Fr);
        assert_eq!(Lang::for_request(Some("klingon"), Some("fr")), Lang::Fr);
        assert_eq!(Lang::for_request(None, None), Lang::En);
    }

    /// Every key of one language is in the other, and every text resolves.
    #[test]
    fn both_languages_have_every_key() {
        let keys = |lang: &str| -> std::collections::BTreeSet<String> {
            let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("locales").join(lang);
            std::fs::read_dir(dir)
                .unwrap()
                .flat_map(|entry| {
                    std::fs::read_to_string(entry.unwrap().path())
                        .unwrap()
                        .lines()
                        .map(str::to_string)
                        .collect::<Vec<_>>()
                })
                .filter_map(|line| {
                    let key = line.split_once(" =")?.0.trim().to_string();
                    (!line.starts_with([' ', '#', '*', '[']) && !key.is_empty()).then_some(key)
                })
                .collect()
        };
        // Every placeholder any text uses, filled with a number (which also selects plurals).
        let placeholders: std::collections::BTreeSet<String> = ["en", "fr"]
            .iter()
            .flat_map(|lang| {
                std::fs::read_dir(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("locales").join(lang)).unwrap()
            })
            .flat_map(|entry| {
                let text = std::fs::read_to_string(entry.unwrap().path()).unwrap();
                text.split('$')
                    .skip(1)
                    .map(|rest| rest.chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_').collect::<String>())
                    .collect::<Vec<_>>()
            })
            .collect();
        let args: Vec<(&str, Arg)> = placeholders.iter().map(|name| (name.as_str(), Arg::Number(2))).collect();
        let (en, fr) = (keys("en"), keys("fr"));
        assert!(en.len() > 50, "the English file has the UI's texts");
        assert_eq!(en.difference(&fr).collect::<Vec<_>>(), Vec::<&String>::new(), "missing in French");
        assert_eq!(fr.difference(&en).collect::<Vec<_>>(), Vec::<&String>::new(), "missing in English");
        for key in &en {
            for lang in Lang::ALL {
                let text = lang.text_with(key, &args);
                assert!(!text.is_empty() && !text.contains("Unknown localization"), "{key} in {lang:?}: {text}");
            }
        }
    }

    #[test]
    fn a_text_read_again_is_the_same_in_its_own_language() {
        for _ in 0..2 {
            assert_eq!(Lang::En.text("size-L"), LOCALES.lookup(&Lang::En.identifier(), "size-L"));
            assert_eq!(Lang::Fr.text("size-L"), LOCALES.lookup(&Lang::Fr.identifier(), "size-L"));
        }
        assert_ne!(Lang::En.text("status-ready"), Lang::Fr.text("status-ready"), "each language keeps its own");
    }

    #[test]
    fn placeholders_and_plurals_fill_in() {
        assert_eq!(Lang::En.text_with("order-ahead", &[("count", 0.into())]), "No order ahead of yours");
        assert_eq!(Lang::En.text_with("order-ahead", &[("count", 1.into())]), "1 order ahead of yours");
        assert_eq!(Lang::En.text_with("order-ahead", &[("count", 3.into())]), "3 orders ahead of yours");
        assert_eq!(Lang::Fr.text_with("order-ahead", &[("count", 3.into())]), "3 commandes avant la vôtre");
        assert_eq!(Lang::Fr.text_with("error-sold-out", &[("name", "Diavola".into())]), "Diavola est épuisé");
    }

    #[test]
    fn a_status_in_a_sentence_is_its_label_in_lower_case() {
        for lang in Lang::ALL {
            for status in crate::domain::OrderStatus::ALL {
                let said =
                    lang.text_with("staff-now-status", &[("id", "12".into()), ("status", status.as_str().into())]);
                let label = lang.text(&format!("status-{}", status.as_str())).to_lowercase();
                assert!(said.starts_with("#12 ") && said.ends_with(&format!(" {label}")), "{lang:?}: {said}");
            }
        }
    }
}

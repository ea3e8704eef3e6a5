//! Why an input was refused: the one error type the domain's checks return.

use crate::locale::{Arg, Lang, Text};
use serde::{Deserialize, Serialize};

/// A refused input: which field, and why, in words a customer understands.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[error("{field}: {message}")]
pub struct ValidationError {
    pub field: String,
    /// In English, for API clients and logs.
    pub message: String,
    /// The same message for a page to show in its own language.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<Text>,
}

impl ValidationError {
    pub fn new(field: impl Into<String>, message: impl Into<String>) -> Self {
        ValidationError { field: field.into(), message: message.into(), text: None }
    }

    /// A refusal whose words come from the translations (`errors.ftl`).
    pub fn says(field: impl Into<String>, key: &str, args: &[(&str, Arg)]) -> Self {
        let text = Text::new(key, args);
        ValidationError { field: field.into(), message: text.render(Lang::En), text: Some(text) }
    }
}

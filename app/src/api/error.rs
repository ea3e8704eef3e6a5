use crate::domain::{Order, TransitionError, ValidationError};
use crate::locale::Text;
use leptos::server_fn::codec::JsonEncoding;
use leptos::server_fn::error::{FromServerFnError, ServerFnErrorErr};
use serde::{Deserialize, Serialize};

/// The one error type of the API layer, shared by server functions and JSON routes.
/// Each variant knows its HTTP status, and every one carries a `message` that is safe to show
/// anyone: `{"error": "validation", "field": "lines[0].quantity", "message": "..."}`, in English
/// for API clients. `text`, where set, is the same in words a page translates.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, thiserror::Error)]
#[serde(tag = "error", rename_all = "snake_case", try_from = "AppErrorFields")]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub enum AppError {
    #[error("{message}")]
    Validation {
        field: String,
        message: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        text: Option<Text>,
    },
    #[error("{message}")]
    NotFound {
        message: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        text: Option<Text>,
    },
    /// Not signed in (or the session expired).
    #[error("{message}")]
    Unauthorized {
        message: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        text: Option<Text>,
    },
    /// Signed in, but not allowed to do this.
    #[error("{message}")]
    Forbidden {
        message: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        text: Option<Text>,
    },
    #[error("{message}")]
    InvalidTransition {
        message: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        text: Option<Text>,
    },
    /// Someone else changed the resource first; `current` is what it is now.
    #[error("{message}")]
    Conflict {
        message: String,
        current: Option<Box<Order>>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        text: Option<Text>,
    },
    /// Slow down: a rate limit or connection cap was reached.
    #[error("{message}")]
    TooManyRequests {
        message: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        text: Option<Text>,
    },
    #[error("{message}")]
    Unavailable {
        message: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        text: Option<Text>,
    },
    #[error("{message}")]
    Internal {
        message: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        text: Option<Text>,
    },
    /// The request could not be read (malformed body, wrong types, unknown parameters).
    #[error("{message}")]
    Request {
        message: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        text: Option<Text>,
    },
}

/// An [`AppError`] as it is read: every field any error has (see [`crate::domain::wire`]).
#[derive(Deserialize)]
struct AppErrorFields {
    error: AppErrorKind,
    message: String,
    field: Option<String>,
    text: Option<Text>,
    current: Option<Box<Order>>,
}

#[derive(Deserialize)]
#[serde(rename_all = "snake_case")]
enum AppErrorKind {
    Validation,
    NotFound,
    Unauthorized,
    Forbidden,
    InvalidTransition,
    Conflict,
    TooManyRequests,
    Unavailable,
    Internal,
    Request,
}

impl TryFrom<AppErrorFields> for AppError {
    type Error = String;

    fn try_from(fields: AppErrorFields) -> Result<AppError, String> {
        let (message, text) = (fields.message, fields.text);
        Ok(match fields.error {
            AppErrorKind::Validation => AppError::Validation {
                field: crate::domain::tagged_json::required(fields.field, "field")?,
                message,
                text,
            },
            AppErrorKind::NotFound => AppError::NotFound { message, text },
            AppErrorKind::Unauthorized => AppError::Unauthorized { message, text },
            AppErrorKind::Forbidden => AppError::Forbidden { message, text },
            AppErrorKind::InvalidTransition => AppError::InvalidTransition { message, text },
            AppErrorKind::Conflict => AppError::Conflict { message, current: fields.current, text },
            AppErrorKind::TooManyRequests => AppError::TooManyRequests { message, text },
            AppErrorKind::Unavailable => AppError::Unavailable { message, text },
            AppErrorKind::Internal => AppError::Internal { message, text },
            AppErrorKind::Request => AppError::Request { message, text },
        })
    }
}

/// How long a client refused for too many requests is told to wait (`Retry-After`), when the
/// limit that refused it does not say: orders and connections free up within seconds.
pub const RETRY_AFTER_SECS: &str = "5";

/// An error's `text`, borrowed as the error is (shared or mutable): every variant has one.
macro_rules! text_of {
    ($error:expr) => {
        match $error {
            AppError::Validation { text, .. }
            | AppError::NotFound { text, .. }
            | AppError::Unauthorized { text, .. }
            | AppError::Forbidden { text, .. }
            | AppError::InvalidTransition { text, .. }
            | AppError::Conflict { text, .. }
            | AppError::TooManyRequests { text, .. }
            | AppError::Unavailable { text, .. }
            | AppError::Internal { text, .. }
            | AppError::Request { text, .. } => text,
        }
    };
}

impl AppError {
    pub fn not_found(what: impl std::fmt::Display) -> Self {
        AppError::NotFound { message: format!("{what} not found"), text: None }
    }

    /// A refusal of one field; [`AppError::says`] gives it its words on pages.
    pub fn validation(field: impl Into<String>, message: impl Into<String>) -> Self {
        AppError::Validation { field: field.into(), message: message.into(), text: None }
    }

    pub fn unauthorized() -> Self {
        AppError::Unauthorized { message: "please sign in first".into(), text: None }
    }

    pub fn forbidden() -> Self {
        AppError::Forbidden { message: "your account is not allowed to do this".into(), text: None }
    }

    pub fn unavailable() -> Self {
        AppError::Unavailable { message: "the service is busy or unavailable, please try again".into(), text: None }
    }

    pub fn internal() -> Self {
        AppError::Internal { message: "something went wrong on our side, please try again".into(), text: None }
    }

    /// A request that could not be read (or, in the browser, not sent).
    pub fn request(message: impl Into<String>) -> Self {
        AppError::Request { message: message.into(), text: None }
    }

    pub fn too_many_requests(message: impl Into<String>) -> Self {
        AppError::TooManyRequests { message: message.into(), text: None }
    }

    /// The same error, worded on pages by the translation `key` (the English `message` stays
    /// what API clients read).
    pub fn says(mut self, key: &str, args: &[(&str, crate::locale::Arg)]) -> Self {
        *self.text_mut() = Some(Text::new(key, args));
        self
    }

    fn text(&self) -> Option<&Text> {
        text_of!(self).as_ref()
    }

    fn text_mut(&mut self) -> &mut Option<Text> {
        text_of!(self)
    }

    /// The error as a page in `lang` says it: its own words where it has them, else the general
    /// words for its kind. The server's English `message` never reaches a page, except for a
    /// field's refusal that was already worded (the plain order form's, carried in its URL).
    pub fn text_in(&self, lang: crate::locale::Lang) -> String {
        if let Some(text) = self.text() {
            return text.render(lang);
        }
        let kind = match self {
            AppError::Validation { message, .. } => return message.clone(),
            AppError::NotFound { .. } => "not-found",
            AppError::Unauthorized { .. } => "unauthorized",
            AppError::Forbidden { .. } => "forbidden",
            AppError::InvalidTransition { .. } => "invalid-transition",
            AppError::Conflict { .. } => "conflict",
            AppError::TooManyRequests { .. } => "too-many-requests",
            AppError::Unavailable { .. } => "unavailable",
            AppError::Internal { .. } => "internal",
            AppError::Request { .. } => "request",
        };
        lang.text(&format!("error-{kind}"))
    }

    pub fn status(&self) -> u16 {
        match self {
            AppError::Validation { .. } | AppError::InvalidTransition { .. } => 422,
            AppError::NotFound { .. } => 404,
            AppError::Unauthorized { .. } => 401,
            AppError::Forbidden { .. } => 403,
            AppError::Conflict { .. } => 409,
            AppError::TooManyRequests { .. } => 429,
            AppError::Unavailable { .. } => 503,
            AppError::Internal { .. } => 500,
            AppError::Request { .. } => 400,
        }
    }
}

impl From<ValidationError> for AppError {
    fn from(err: ValidationError) -> Self {
        AppError::Validation { field: err.field, message: err.message, text: err.text }
    }
}

impl From<crate::domain::ChangeRefused> for AppError {
    fn from(refused: crate::domain::ChangeRefused) -> Self {
        match refused {
            crate::domain::ChangeRefused::Invalid(err) => err.into(),
            other => AppError::InvalidTransition { message: other.to_string(), text: None },
        }
    }
}

impl From<TransitionError> for AppError {
    fn from(err: TransitionError) -> Self {
        AppError::InvalidTransition { message: err.to_string(), text: None }
    }
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        match value {
            ServerFnErrorErr::Request(_) => {
                AppError::request("the server could not be reached").says("error-unreachable", &[])
            }
            ServerFnErrorErr::Deserialization(detail) | ServerFnErrorErr::Args(detail) => {
                AppError::request(format!("the request could not be read: {detail}"))
            }
            other => AppError::request(other.to_string()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_error_has_a_client_or_server_status() {
        assert_eq!(AppError::from(ValidationError::new("lines", "empty")).status(), 422);
        assert_eq!(AppError::not_found("order 4").status(), 404);
        assert_eq!(AppError::not_found("order 4").to_string(), "order 4 not found");
        assert_eq!(AppError::internal().status(), 500);
    }

    #[test]
    fn pages_get_words_in_their_language_never_the_servers_english() {
        use crate::locale::Lang;
        let refused = AppError::Unauthorized { message: "wrong username or password".into(), text: None }
            .says("error-sign-in-refused", &[]);
        assert_eq!(refused.text_in(Lang::En), "Wrong username or password.");
        assert_eq!(refused.text_in(Lang::Fr), "Identifiant ou mot de passe incorrect.");
        assert_eq!(refused.to_string(), "wrong username or password", "API clients keep the message");
        // An error without words of its own gets its kind's, in English too.
        let gone = AppError::not_found("order 4");
        assert_eq!(gone.text_in(Lang::En), Lang::En.text("error-not-found"));
        assert_eq!(gone.text_in(Lang::Fr), Lang::Fr.text("error-not-found"));
        // The words travel with the error, as a page receives it.
        let json = serde_json::to_string(&refused).unwrap();
        assert_eq!(serde_json::from_str::<AppError>(&json).unwrap().text_in(Lang::Fr), refused.text_in(Lang::Fr));
    }

    #[test]
    fn serialises_with_a_tag_and_the_field() {
        let json = serde_json::to_value(AppError::from(ValidationError::new("lines", "empty"))).unwrap();
        assert_eq!(json["error"], "validation");
        assert_eq!(json["field"], "lines");
        assert_eq!(json["message"], "empty");
    }

    #[test]
    fn every_error_reads_back_as_written() {
        use crate::domain::{fixtures, OrderStatus};
        let text = crate::locale::Text {
            key: "error-quantity".into(),
            args: vec![("max".into(), crate::locale::Arg::Number(20))],
        };
        let order = fixtures::order(7, OrderStatus::Ready, chrono::Utc::now());
        for err in [
            AppError::Validation { field: "lines[0].quantity".into(), message: "too many".into(), text: Some(text) },
            AppError::validation("phone", "not a number"),
            AppError::not_found("order 4"),
            AppError::unauthorized(),
            AppError::forbidden(),
            AppError::InvalidTransition { message: "already done".into(), text: None },
            AppError::Conflict { message: "changed".into(), current: Some(Box::new(order)), text: None },
            AppError::Conflict { message: "gone".into(), current: None, text: None },
            AppError::too_many_requests("slow down"),
            AppError::unavailable(),
            AppError::internal(),
            AppError::request("bad body"),
            AppError::unauthorized().says("error-sign-in-refused", &[]),
        ] {
            let json = serde_json::to_string(&err).unwrap();
            assert_eq!(serde_json::from_str::<AppError>(&json).unwrap(), err, "{json}");
        }
        assert!(serde_json::from_str::<AppError>(r#"{"error":"validation","message":"no field"}"#).is_err());
        assert!(serde_json::from_str::<AppError>(r#"{"error":"teapot","message":"?"}"#).is_err());
    }
}

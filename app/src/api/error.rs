use crate::domain::{Order, TransitionError, ValidationError};
use leptos::server_fn::codec::JsonEncoding;
use leptos::server_fn::error::{FromServerFnError, ServerFnErrorErr};
use serde::{Deserialize, Serialize};

/// The one error type of the API layer, shared by server functions and JSON routes.
/// Each variant knows its HTTP status, and every one carries a `message` that is safe to show
/// anyone: `{"error": "validation", "field": "lines[0].quantity", "message": "..."}`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, thiserror::Error)]
#[serde(tag = "error", rename_all = "snake_case", try_from = "AppErrorFields")]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub enum AppError {
    #[error("{message}")]
    Validation {
        field: String,
        message: String,
        /// The message for a page to show in its own language.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        text: Option<crate::locale::Text>,
    },
    #[error("{message}")]
    NotFound { message: String },
    /// Not signed in (or the session expired).
    #[error("{message}")]
    Unauthorized { message: String },
    /// Signed in, but not allowed to do this.
    #[error("{message}")]
    Forbidden { message: String },
    #[error("{message}")]
    InvalidTransition { message: String },
    /// Someone else changed the resource first; `current` is what it is now.
    #[error("{message}")]
    Conflict { message: String, current: Option<Box<Order>> },
    /// Slow down: a rate limit or connection cap was reached.
    #[error("{message}")]
    TooManyRequests { message: String },
    #[error("{message}")]
    Unavailable { message: String },
    #[error("{message}")]
    Internal { message: String },
    /// The request could not be read (malformed body, wrong types, unknown parameters).
    #[error("{message}")]
    Request { message: String },
}

/// An [`AppError`] as it is read: every field any error has (see [`crate::domain::wire`]).
#[derive(Deserialize)]
struct AppErrorFields {
    error: AppErrorKind,
    message: String,
    field: Option<String>,
    text: Option<crate::locale::Text>,
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
        let message = fields.message;
        Ok(match fields.error {
            AppErrorKind::Validation => AppError::Validation {
                field: crate::domain::tagged_json::required(fields.field, "field")?,
                message,
                text: fields.text,
            },
            AppErrorKind::NotFound => AppError::NotFound { message },
            AppErrorKind::Unauthorized => AppError::Unauthorized { message },
            AppErrorKind::Forbidden => AppError::Forbidden { message },
            AppErrorKind::InvalidTransition => AppError::InvalidTransition { message },
            AppErrorKind::Conflict => AppError::Conflict { message, current: fields.current },
            AppErrorKind::TooManyRequests => AppError::TooManyRequests { message },
            AppErrorKind::Unavailable => AppError::Unavailable { message },
            AppErrorKind::Internal => AppError::Internal { message },
            AppErrorKind::Request => AppError::Request { message },
        })
    }
}

/// How long a client refused for too many requests is told to wait (`Retry-After`), when the
/// limit that refused it does not say: orders and connections free up within seconds.
pub const RETRY_AFTER_SECS: &str = "5";

impl AppError {
    pub fn not_found(what: impl std::fmt::Display) -> Self {
        AppError::NotFound { message: format!("{what} not found") }
    }

    /// A refusal of one field, in English only.
    pub fn validation(field: impl Into<String>, message: impl Into<String>) -> Self {
        AppError::Validation { field: field.into(), message: message.into(), text: None }
    }

    pub fn unauthorized() -> Self {
        AppError::Unauthorized { message: "please sign in first".into() }
    }

    pub fn forbidden() -> Self {
        AppError::Forbidden { message: "your account is not allowed to do this".into() }
    }

    pub fn unavailable() -> Self {
        AppError::Unavailable { message: "the service is busy or unavailable, please try again".into() }
    }

    pub fn internal() -> Self {
        AppError::Internal { message: "something went wrong on our side, please try again".into() }
    }

    /// The error as `lang` says it. Refusals that carry a [`Text`](crate::locale::Text) are
    /// translated exactly; other errors in French get the general words for their kind.
    pub fn text_in(&self, lang: crate::locale::Lang) -> String {
        if let AppError::Validation { text: Some(text), .. } = self {
            return text.render(lang);
        }
        if lang == crate::locale::Lang::En {
            return self.to_string();
        }
        let kind = match self {
            AppError::Validation { .. } => return self.to_string(),
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
            other => AppError::InvalidTransition { message: other.to_string() },
        }
    }
}

impl From<TransitionError> for AppError {
    fn from(err: TransitionError) -> Self {
        AppError::InvalidTransition { message: err.to_string() }
    }
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        let message = match value {
            ServerFnErrorErr::Request(_) => "the server could not be reached".to_string(),
            ServerFnErrorErr::Deserialization(detail) | ServerFnErrorErr::Args(detail) => {
                format!("the request could not be read: {detail}")
            }
            other => other.to_string(),
        };
        AppError::Request { message }
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
            AppError::InvalidTransition { message: "already done".into() },
            AppError::Conflict { message: "changed".into(), current: Some(Box::new(order)) },
            AppError::Conflict { message: "gone".into(), current: None },
            AppError::TooManyRequests { message: "slow down".into() },
            AppError::unavailable(),
            AppError::internal(),
            AppError::Request { message: "bad body".into() },
        ] {
            let json = serde_json::to_string(&err).unwrap();
            assert_eq!(serde_json::from_str::<AppError>(&json).unwrap(), err, "{json}");
        }
        assert!(serde_json::from_str::<AppError>(r#"{"error":"validation","message":"no field"}"#).is_err());
        assert!(serde_json::from_str::<AppError>(r#"{"error":"teapot","message":"?"}"#).is_err());
    }
}

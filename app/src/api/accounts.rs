use super::AppError;
use crate::domain::Principal;
use leptos::prelude::*;

/// The session cookie: HttpOnly (no script can read it) and SameSite=Lax (not sent on
/// cross-site posts); the server also checks the Origin of every state-changing request.
pub const SESSION_COOKIE: &str = "pizzeria_session";

/// The session token in a request's cookies, if any. The one place the cookie is read, for
/// the server's authentication middleware and for signing out.
#[cfg(feature = "ssr")]
pub fn session_cookie_token(headers: &http::HeaderMap) -> Option<String> {
    cookie_value(headers, SESSION_COOKIE)
}

/// On the server: the language a request asks for (the chosen one, else the browser's).
#[cfg(feature = "ssr")]
pub fn request_lang(headers: &http::HeaderMap) -> crate::locale::Lang {
    let cookie = cookie_value(headers, crate::locale::LANG_COOKIE);
    let accept = headers.get(http::header::ACCEPT_LANGUAGE).and_then(|value| value.to_str().ok());
    crate::locale::Lang::for_request(cookie.as_deref(), accept)
}

/// A cookie's value from a request's headers, if set and not empty.
#[cfg(feature = "ssr")]
pub fn cookie_value(headers: &http::HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(http::header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(';'))
        .find_map(|pair| pair.trim().strip_prefix(name)?.strip_prefix('=').map(str::to_string))
        .filter(|value| !value.is_empty())
}

/// Where to go after signing in: only paths on this site, never another host.
pub fn safe_next(next: Option<&str>) -> String {
    safe_next_or(next, "/staff")
}

/// The longest `next` kept: a real path on this site is far shorter.
const MAX_NEXT_CHARS: usize = 2048;

/// `next` if it is a path on this site, else `fallback`. Every redirect goes through here.
///
/// Only printable ASCII is kept, which is also what a `Location` header may hold: browsers
/// drop tabs and line breaks from a URL, so `/<tab>/evil.example` would become
/// `//evil.example`, another host; and a backslash counts as a slash.
pub fn safe_next_or(next: Option<&str>, fallback: &str) -> String {
    let on_this_site = |path: &str| {
        path.len() <= MAX_NEXT_CHARS
            && path.strip_prefix('/').is_some_and(|rest| !rest.starts_with('/'))
            && path.chars().all(|c| c.is_ascii_graphic() && c != '\\')
    };
    match next {
        Some(path) if on_this_site(path) => path.to_string(),
        _ => fallback.to_string(),
    }
}

#[cfg(feature = "ssr")]
mod cookies {
    use super::SESSION_COOKIE;

    /// Marks cookies Secure when the request came over TLS (directly or through a proxy).
    fn secure_suffix() -> &'static str {
        let secure = leptos::prelude::use_context::<http::request::Parts>().is_some_and(|parts| {
            parts.uri.scheme_str() == Some("https")
                || parts.headers.get("x-forwarded-proto").and_then(|v| v.to_str().ok()) == Some("https")
        });
        if secure {
            "; Secure"
        } else {
            ""
        }
    }

    pub fn session_cookie(token: &str, max_age_secs: i64) -> String {
        format!("{SESSION_COOKIE}={token}; Path=/; HttpOnly; SameSite=Lax; Max-Age={max_age_secs}{}", secure_suffix())
    }

    pub fn cleared_cookie() -> String {
        format!("{SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0{}", secure_suffix())
    }

    pub fn set(value: String) {
        if let (Some(response), Ok(value)) =
            (leptos::prelude::use_context::<leptos_axum::ResponseOptions>(), http::HeaderValue::from_str(&value))
        {
            response.append_header(http::header::SET_COOKIE, value);
        }
    }

    /// The session token the request carries, if any.
    pub fn current_token() -> Option<String> {
        let parts = leptos::prelude::use_context::<http::request::Parts>()?;
        super::session_cookie_token(&parts.headers)
    }
}

/// Gives the browser its session cookie.
#[cfg(feature = "ssr")]
pub(super) fn set_session_cookie(token: &str, max_age_secs: i64) {
    cookies::set(cookies::session_cookie(token, max_age_secs));
}

/// Signs a member of staff in. A plain form post works without JavaScript.
#[server(prefix = "/api", endpoint = "sign_in")]
pub async fn sign_in(username: String, password: String, next: Option<String>) -> Result<(), AppError> {
    use super::context;
    context::respond(
        async {
            let signed_in = context::accounts()?.sign_in(&username, &password).await?;
            set_session_cookie(&signed_in.session_token, signed_in.max_age_secs);
            leptos_axum::redirect(&safe_next(next.as_deref()));
            Ok(())
        }
        .await,
    )
}

#[server(prefix = "/api", endpoint = "sign_out")]
pub async fn sign_out() -> Result<(), AppError> {
    use super::context;
    context::respond(
        async {
            if let Some(token) = cookies::current_token() {
                context::accounts()?.sign_out(&token).await?;
            }
            cookies::set(cookies::cleared_cookie());
            leptos_axum::redirect("/login");
            Ok(())
        }
        .await,
    )
}

/// Who the browser is signed in as, for the navigation.
#[server(prefix = "/api", endpoint = "whoami", input = leptos::server_fn::codec::Json)]
pub async fn whoami() -> Result<Principal, AppError> {
    Ok(super::context::principal())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn next_stays_on_this_site() {
        assert_eq!(safe_next(Some("/kitchen")), "/kitchen");
        assert_eq!(safe_next(Some("//evil.example")), "/staff");
        assert_eq!(safe_next(Some("https://evil.example")), "/staff");
        assert_eq!(safe_next(Some("/\\evil.example")), "/staff");
        assert_eq!(safe_next(None), "/staff");
        for sneaky in ["/\t/evil.example", "/\n/evil.example", "/%0A", "/\n", "/\r", "/\x01", "/\x7f", "/ /x", "/é"] {
            let kept = safe_next(Some(sneaky));
            assert!(kept == "/staff" || kept == sneaky, "{sneaky:?} -> {kept:?}");
            assert!(!kept.chars().any(|c| c.is_control()), "{sneaky:?} -> {kept:?}");
        }
        assert_eq!(safe_next(Some("/\t/evil.example")), "/staff");
        assert_eq!(safe_next(Some("/orders/42?token=abc")), "/orders/42?token=abc");
    }

    proptest::proptest! {
        /// Whatever a client sends, the answer is a valid header value and a path on this site,
        /// also after a browser drops the tabs and line breaks it would ignore.
        #[test]
        fn any_next_is_a_path_on_this_site(next in proptest::option::of(".{0,40}|/[\\t\\n\\r/\\\\a-z%.:]{0,12}")) {
            let kept = safe_next_or(next.as_deref(), "/");
            proptest::prop_assert!(http::HeaderValue::from_str(&kept).is_ok());
            let as_browser_reads_it: String = kept.chars().filter(|c| !matches!(c, '\t' | '\n' | '\r')).collect::<String>().replace('\\', "/");
            proptest::prop_assert!(as_browser_reads_it.starts_with('/'));
            proptest::prop_assert!(!as_browser_reads_it.starts_with("//"), "{:?} -> {:?}", next, kept);
        }
    }
}

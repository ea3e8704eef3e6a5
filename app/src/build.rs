//! Which build of the app is running: the server names it in every page, and a live page
//! whose server reports another build reloads itself.

/// Identifies the running build. The server puts it in every page; a live page whose server
/// reports another build reloads itself, so open screens pick up a deployment by themselves.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BuildId(pub String);

pub const BUILD_META_NAME: &str = "pizzeria-build";

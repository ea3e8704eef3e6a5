//! Every integration test, in one binary (one link, one place to look): each module talks to
//! the server as its clients do (HTTP, WebSocket, SSE), through `support`.

mod support;

mod api;
mod authorization;
mod browser_bundle;
mod checkout;
mod forms_and_languages;
mod fuzz_inputs;
mod live_channel;
mod locations;
mod orders;
mod reports;
mod scale_out;

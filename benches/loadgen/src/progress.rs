//! What a long run is doing while it does it: connecting thousands of subscribers or sending
//! for minutes is otherwise silent. On a terminal, indicatif draws a bar on stderr; elsewhere
//! (a CI log) each stage says one line when it starts, and nothing is redrawn.

use indicatif::{ProgressBar, ProgressStyle};
use std::io::IsTerminal;

/// A bar for `total` steps of `stage` ("connecting subscribers", "sending orders").
pub fn stage(stage: &str, total: usize) -> ProgressBar {
    if !std::io::stderr().is_terminal() {
        eprintln!("{stage}: {total}");
        return ProgressBar::hidden();
    }
    let style = ProgressStyle::with_template("{msg:>24} [{bar:40}] {pos}/{len} {elapsed_precise} (eta {eta})")
        .unwrap_or_else(|_| ProgressStyle::default_bar())
        .progress_chars("=> ");
    ProgressBar::new(total as u64).with_style(style).with_message(stage.to_string())
}

//! The progress bar: drawn on stderr when it is a terminal, nothing when it is
//! piped or redirected (indicatif hides itself then).

use indicatif::{ProgressBar, ProgressStyle};
use social_loop::progress::Progress;

/// A bar of `unit`s and the observer that moves it.
pub fn bar(unit: &str) -> (ProgressBar, Progress) {
    let template = format!("{{bar:40}} {{pos}}/{{len}} {unit}  {{elapsed}} (eta {{eta}})");
    let bar = ProgressBar::new(0).with_style(
        ProgressStyle::with_template(&template).unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    let ticker = bar.clone();
    let progress = Progress::new().on_progress(move |c| {
        ticker.set_length(c.total);
        ticker.set_position(c.done);
    });
    (bar, progress)
}

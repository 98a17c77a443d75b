//! `lztwin analyze [INPUT] [--out DIR]`: the main job.

use super::{not_yet, CliResult};
use lztwin::analysis::matrix::Progress;

/// Arguments of `analyze`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// Scenario file or AWS snapshot directory; the built-in reference environment when absent.
    pub input: Option<String>,
    /// Output directory (default: output/<scenario>/).
    #[arg(long)]
    pub out: Option<String>,
}

/// Run `f` with a progress bar of `len` steps on stderr (hidden when stderr is not a
/// terminal).
pub fn with_progress<T>(what: &str, len: u64, f: impl FnOnce(Progress<'_>) -> T) -> T {
    use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
    use std::io::IsTerminal;
    let bar = if std::io::stderr().is_terminal() {
        ProgressBar::with_draw_target(Some(len), ProgressDrawTarget::stderr())
    } else {
        ProgressBar::hidden()
    };
    if let Ok(style) = ProgressStyle::with_template("{msg:>10} [{bar:40}] {pos}/{len} {elapsed}") {
        bar.set_style(style.progress_chars("=> "));
    }
    bar.set_message(what.to_string());
    let out = f(&|n| bar.inc(n));
    bar.finish_and_clear();
    out
}

/// Run `analyze`.
pub fn run(_a: Args) -> CliResult {
    not_yet("analyze")
}

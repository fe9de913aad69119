//! Tracing to a daily rolling log file in the app's log folder (14 days kept) and to stderr.
//! Level from `PUNTE_LOG` (e.g. `debug`, `punte_engine=trace`); default `info`.

use std::path::Path;

use tracing_appender::{non_blocking::WorkerGuard, rolling};
use tracing_subscriber::{EnvFilter, fmt, layer::SubscriberExt, util::SubscriberInitExt};

/// Installs the global subscriber; returns the guard that flushes the file on exit, or `None` if a
/// subscriber was already installed (tests).
pub fn init(log_dir: &Path) -> Result<Option<WorkerGuard>, Box<dyn std::error::Error>> {
    let appender = rolling::Builder::new()
        .rotation(rolling::Rotation::DAILY)
        .filename_prefix("punte")
        .filename_suffix("log")
        .max_log_files(14)
        .build(log_dir)?;
    let (file_writer, guard) = tracing_appender::non_blocking(appender);
    let filter = EnvFilter::try_from_env("PUNTE_LOG").unwrap_or_else(|_| EnvFilter::new("info"));
    let installed = tracing_subscriber::registry()
        .with(filter)
        .with(fmt::layer().with_writer(file_writer).with_ansi(false))
        .with(fmt::layer().with_writer(std::io::stderr))
        .try_init();
    if installed.is_err() {
        return Ok(None);
    }
    // A panic is logged (its message, never secrets: they are not formatted into messages) so a
    // crash leaves a trace in the file the merchant can send us.
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        tracing::error!(panic = %info, "Punte crashed");
        previous(info);
    }));
    Ok(Some(guard))
}

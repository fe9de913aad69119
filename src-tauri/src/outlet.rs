//! What the backend needs from the app around an engine: the notifier (system notifications, or
//! none when the notification plugin is absent, as in the IPC tests), held back until `armed`
//! (see `notifier::Gated`), and the outlet that forwards every `EngineEvent` to the web view as
//! `engine://event`.

use std::sync::Arc;
use std::sync::atomic::AtomicBool;

use punte_engine::{EngineEvent, NoNotifier, Notifier};
use tauri::{AppHandle, Emitter, Manager, Runtime};
use tokio::sync::broadcast;

use crate::notifier::{DesktopNotifier, Gated};

/// The event every `EngineEvent` is forwarded as, unchanged.
pub const EVENT_ENGINE: &str = "engine://event";

/// What the backend needs from the app: notifications and the event outlet to the web view.
pub trait Outlet: Send + Sync {
    fn notifier(&self, armed: Arc<AtomicBool>) -> Arc<dyn Notifier>;
    fn forward(&self, rx: broadcast::Receiver<EngineEvent>);
}

impl<R: Runtime> Outlet for AppHandle<R> {
    fn notifier(&self, armed: Arc<AtomicBool>) -> Arc<dyn Notifier> {
        // The IPC tests run without the notification plugin.
        let inner: Arc<dyn Notifier> = if self
            .try_state::<tauri_plugin_notification::Notification<R>>()
            .is_some()
        {
            Arc::new(DesktopNotifier::new(self.clone()))
        } else {
            Arc::new(NoNotifier)
        };
        Arc::new(Gated { inner, armed })
    }

    fn forward(&self, rx: broadcast::Receiver<EngineEvent>) {
        forward_events(self.clone(), rx);
    }
}

/// Sends every engine event to the web view as is; a lagging receiver skips, never blocks. Ends
/// when the engine that sends them is gone.
fn forward_events<R: Runtime>(app: AppHandle<R>, mut rx: broadcast::Receiver<EngineEvent>) {
    tauri::async_runtime::spawn(async move {
        loop {
            match rx.recv().await {
                Ok(event) => {
                    if let EngineEvent::RunFinished(run) = &event {
                        // A line per run in the log, window or not (started at login: tray only).
                        tracing::info!(outcome = run.outcome.word(), "sync run finished");
                    }
                    let _ = app.emit(EVENT_ENGINE, &event);
                }
                Err(broadcast::error::RecvError::Lagged(n)) => {
                    tracing::warn!(skipped = n, "UI event forwarder lagged");
                }
                Err(broadcast::error::RecvError::Closed) => break,
            }
        }
    });
}

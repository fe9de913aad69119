//! Desktop notifications for the engine's [`NotificationEvent`]s through
//! tauri-plugin-notification. Best effort: a desktop without a notification daemon loses the
//! message, nothing else. The engine already deduplicates; this only words the message.

use punte_engine::{NotificationEvent, Notifier};
use tauri::{AppHandle, Runtime};
use tauri_plugin_notification::NotificationExt;

/// Shows engine notifications as system notifications.
pub struct DesktopNotifier<R: Runtime> {
    app: AppHandle<R>,
}

impl<R: Runtime> DesktopNotifier<R> {
    pub fn new(app: AppHandle<R>) -> Self {
        Self { app }
    }
}

impl<R: Runtime> Notifier for DesktopNotifier<R> {
    fn notify(&self, event: NotificationEvent) {
        let (title, body) = words(&event);
        tracing::info!(?event, "notification");
        self.app
            .notification()
            .builder()
            .title(title)
            .body(body)
            .show()
            .ok();
    }
}

/// Title and body, Romanian first then English (the OS language is not known here).
fn words(event: &NotificationEvent) -> (String, String) {
    use NotificationEvent as E;
    let (title, body) = match event {
        E::SyncFailed { message, .. } => ("Sincronizare eșuată / Sync failed", message.clone()),
        E::ConfirmationNeeded { changing, in_scope } => (
            "Confirmare necesară / Confirmation needed",
            format!("{changing} / {in_scope} produse s-ar schimba / products would change"),
        ),
        E::SyncHalted { reason } => ("Sincronizare oprită / Sync halted", reason.clone()),
        E::InvoiceFailed { order, message, .. } => (
            "Factură neemisă / Invoice failed",
            format!("#{}: {message}", order.0),
        ),
        E::InvoiceNeedsReview { order, detail } => (
            "Factură de verificat / Invoice needs review",
            format!("#{}: {detail}", order.0),
        ),
        E::NewFindings { count } => (
            "Probleme noi în catalog / New catalogue findings",
            count.to_string(),
        ),
        E::Offline { service } => ("Serviciu indisponibil / Service offline", service.clone()),
        E::BackOnline => ("Din nou online / Back online", String::new()),
        E::StaleOpenOrders { orders } => (
            "Comenzi vechi deschise / Stale open orders",
            orders.len().to_string(),
        ),
    };
    (title.to_owned(), body)
}

//! Desktop notifications for the engine's [`NotificationEvent`]s: what happened and to which
//! product or order, in the window's language ([`UiLanguage`]), sent as "Punte", and a click
//! opens the screen it is about (the window hears `app://navigate` with a route such as
//! `stock/PT-CANA` or `orders/123`). Best effort: a desktop without a notification daemon loses
//! the message, nothing else. The engine already deduplicates; this words and routes.
//!
//! In demo mode nothing is shown until the merchant acts ([`Gated`]): the demo's first sync
//! finds simulated problems, and the desktop must not be told about fake data unasked.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use punte_core::order::OrderId;
use punte_engine::{NotificationEvent, Notifier};
use tauri::{AppHandle, Emitter, Manager, Runtime};

use crate::backend::Backend;
use crate::language::{Lang, UiLanguage};
use crate::notify_words::{Note, words};

/// The event a clicked notification sends to the window; the payload is the route.
pub const EVENT_NAVIGATE: &str = "app://navigate";
/// The name notifications are sent under.
pub const SENDER: &str = "Punte";

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
        tracing::info!(?event, "notification");
        let lang = self
            .app
            .try_state::<UiLanguage>()
            .map_or(Lang::En, |l| l.get());
        let app = self.app.clone();
        tauri::async_runtime::spawn(async move {
            let names = order_names(&app, &event).await;
            show(&app, words(&event, lang, &names));
        });
    }
}

/// Passes notifications on only once `armed` (the demo arms it at the merchant's first action;
/// a real shop starts armed).
pub struct Gated {
    pub inner: Arc<dyn Notifier>,
    pub armed: Arc<AtomicBool>,
}

impl Notifier for Gated {
    fn notify(&self, event: NotificationEvent) {
        if self.armed.load(Ordering::Relaxed) {
            self.inner.notify(event);
        } else {
            tracing::info!(?event, "demo: not shown until the merchant acts");
        }
    }
}

/// The names ("#1002") of the orders an event is about, looked up in the running store.
async fn order_names<R: Runtime>(app: &AppHandle<R>, event: &NotificationEvent) -> Vec<String> {
    let ids: Vec<OrderId> = match event {
        NotificationEvent::InvoiceFailed { order, .. }
        | NotificationEvent::InvoiceNeedsReview { order, .. }
        | NotificationEvent::CollectionNeedsReview { order, .. } => vec![*order],
        NotificationEvent::StaleOpenOrders { orders }
        | NotificationEvent::CodUnpaid { orders, .. } => orders.clone(),
        _ => return Vec::new(),
    };
    let Some(backend) = app.try_state::<Backend>() else {
        return Vec::new();
    };
    let Ok(running) = backend.running().await else {
        return Vec::new();
    };
    let found = running
        .store
        .call(move |s| {
            let mut out = Vec::new();
            for id in ids {
                let name = s
                    .order(id)?
                    .map_or_else(|| format!("#{}", id.0), |d| d.order.name);
                out.push(name);
            }
            Ok(out)
        })
        .await;
    found.unwrap_or_default()
}

/// Shows the window and asks it to open `route`.
pub fn open_route<R: Runtime>(app: &AppHandle<R>, route: &str) {
    crate::tray::show_main_window(app);
    let _ = app.emit(EVENT_NAVIGATE, route);
}

/// Linux: sent directly over D-Bus, as "Punte" (the plugin would send the
/// executable's name), waiting on a blocking thread for a click on it (the `default` action).
#[cfg(target_os = "linux")]
fn show<R: Runtime>(app: &AppHandle<R>, note: Note) {
    let app = app.clone();
    let identifier = app.config().identifier.clone();
    tauri::async_runtime::spawn_blocking(move || {
        let mut n = notify_rust::Notification::new();
        n.appname(SENDER)
            .summary(&note.title)
            .body(&note.body)
            .hint(notify_rust::Hint::DesktopEntry(identifier));
        if note.route.is_some() {
            n.action("default", &note.open);
        }
        match n.show() {
            Ok(handle) => {
                if let Some(route) = note.route {
                    handle.wait_for_action(|action| {
                        if action == "default" {
                            open_route(&app, &route);
                        }
                    });
                }
            }
            Err(e) => tracing::debug!(error = %e, "no notification server"),
        }
    });
}

/// macOS and Windows: through the notification plugin; a click comes back through its
/// `on_action` handler (see [`on_action`]) with the route in the notification's extras.
#[cfg(not(target_os = "linux"))]
fn show<R: Runtime>(app: &AppHandle<R>, note: Note) {
    use tauri_plugin_notification::NotificationExt;
    let mut builder = app
        .notification()
        .builder()
        .title(note.title)
        .body(note.body);
    if let Some(route) = note.route {
        builder = builder.extra("route", route);
    }
    builder.show().ok();
}

/// Registers the click handler of the plugin's notifications (macOS, Windows).
pub fn on_action<R: Runtime>(app: &AppHandle<R>) {
    use tauri_plugin_notification::NotificationExt;
    let handle = app.clone();
    let _ = app.notification().on_action(move |performed| {
        if performed.action_id() != "tap" {
            return;
        }
        let route = performed
            .notification()
            .and_then(|n| n.extra().get("route"))
            .and_then(|r| r.as_str())
            .map(str::to_owned);
        if let Some(route) = route {
            open_route(&handle, &route);
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use punte_engine::RecordingNotifier;

    #[test]
    fn the_demo_holds_notifications_until_the_merchant_acts() {
        let seen = Arc::new(RecordingNotifier::default());
        let armed = Arc::new(AtomicBool::new(false));
        let gated = Gated {
            inner: seen.clone(),
            armed: armed.clone(),
        };
        gated.notify(NotificationEvent::BackOnline);
        assert!(seen.events().is_empty(), "shown before the merchant acted");
        armed.store(true, Ordering::Relaxed);
        gated.notify(NotificationEvent::BackOnline);
        assert_eq!(seen.events(), [NotificationEvent::BackOnline]);
    }
}

//! Desktop notifications go out through a [`Notifier`] the app implements; delivery is best
//! effort and nothing in the engine depends on it. Events are a typed enum, not strings.

use std::sync::{Mutex, PoisonError};

use punte_core::order::OrderId;
use serde::{Deserialize, Serialize};

/// Something worth telling the merchant about outside the window.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum NotificationEvent {
    /// A sync run failed; `code` is the stable error code.
    SyncFailed {
        code: String,
        message: String,
    },
    /// A stock run would change many products and waits for the merchant.
    ConfirmationNeeded {
        changing: usize,
        in_scope: usize,
    },
    /// The run wrote nothing because the billing read looked broken.
    SyncHalted {
        reason: String,
    },
    /// An invoice could not be issued.
    InvoiceFailed {
        order: OrderId,
        code: String,
        message: String,
    },
    /// Whether an invoice exists is unknown; a person must look before retrying.
    InvoiceNeedsReview {
        order: OrderId,
        detail: String,
    },
    /// A cash-on-delivery collection could not be settled by reads or was refused (issue 17).
    CollectionNeedsReview {
        order: OrderId,
        detail: String,
    },
    /// Problems found that were not open before (first seen, or back after closing): what
    /// each is and which product, so the message can name them.
    NewFindings {
        findings: Vec<FindingNote>,
    },
    /// A service became unreachable / reachable again. `service` is "shopify" or "billing";
    /// `code` the stable error code that says how.
    Offline {
        service: String,
        code: String,
    },
    BackOnline,
    /// Orders open for longer than the set number of days still hold stock.
    StaleOpenOrders {
        orders: Vec<OrderId>,
    },
    /// ANAF rejected an invoice in e-Factura (SPV); `reason` is ANAF's text as the billing
    /// service shows it.
    EfacturaRejected {
        order: OrderId,
        invoice: String,
        reason: String,
    },
    /// An invoice not yet accepted in SPV is at most one working day from its deadline (or
    /// past it: `working_days_left` negative).
    EfacturaDeadline {
        order: OrderId,
        invoice: String,
        deadline: chrono::NaiveDate,
        working_days_left: i64,
    },
    /// Cash-on-delivery orders delivered `days` days ago or more and still unpaid (issue 17),
    /// each told once.
    CodUnpaid {
        orders: Vec<OrderId>,
        days: u32,
    },
    /// Cash-on-delivery orders handled before Punte was connected and still unpaid in Shopify
    /// after `days` days: told once, as one count (the Orders filter lists them), never one by
    /// one.
    CodUnpaidBeforeConnection {
        count: u64,
        days: u32,
    },
}

/// One finding in a notification: its kind (as stored) and the product code, if any.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FindingNote {
    pub kind: String,
    pub code: Option<String>,
}

/// Shows notifications. Errors are swallowed by the implementation.
pub trait Notifier: Send + Sync {
    fn notify(&self, event: NotificationEvent);
}

/// Drops every notification.
#[derive(Debug, Default, Clone, Copy)]
pub struct NoNotifier;

impl Notifier for NoNotifier {
    fn notify(&self, _event: NotificationEvent) {}
}

/// Keeps every notification, for tests.
#[derive(Debug, Default)]
pub struct RecordingNotifier {
    seen: Mutex<Vec<NotificationEvent>>,
}

impl RecordingNotifier {
    /// Everything notified so far.
    #[must_use]
    pub fn events(&self) -> Vec<NotificationEvent> {
        self.seen
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }
}

impl Notifier for RecordingNotifier {
    fn notify(&self, event: NotificationEvent) {
        self.seen
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push(event);
    }
}

//! Tokio orchestration without tauri: the scheduler, sync jobs, the invoice outbox and the events
//! the desktop shell turns into UI updates and notifications.
//!
//! # Use from the shell
//! ```ignore
//! let (events, _) = tokio::sync::broadcast::channel(256);
//! let deps = EngineDeps { store, notifier, secrets, clock: Arc::new(SystemClock), events };
//! let engine = Engine::start(config, deps);          // inside the tokio runtime
//! let mut rx = engine.subscribe();                     // forward EngineEvent as-is to the UI
//! engine.sync_now(SyncScope::All).await?;              // RunSummary
//! engine.preview_sync().await?;                        // SyncPlan, nothing written
//! engine.apply_confirmed().await?;                     // a run held by the >30% rail
//! engine.issue_invoice(OrderId(1)).await?;             // InvoiceOutcome; issue_invoices(vec)
//! engine.resolve_review(OrderId(1), Resolution::IssueAnew).await?; // needs-review way out
//! engine.mark_dispatched(OrderId(1)).await?;           // mark_dispatched_all(vec)
//! engine.pause().await; engine.resume().await;
//! engine.status();                                     // Status, no waiting
//! engine.stop().await;                                 // clean, with timeout; drop aborts
//! ```
//! Credentials come from the [`SecretStore`] under [`secrets::SHOPIFY_SECRET`] and
//! [`secrets::BILLING_SECRET`] each time a client is built; they are never logged nor stored in
//! SQLite. Time comes from the [`Clock`]. Database work goes through the `StoreHandle` thread.
//!
//! # A stock cycle
//! See [`cycle`]: Shopify levels A₀ are read before orders are imported, billing stock after
//! both, writes carry `changeFromQuantity = A₀`, stale writes are re-read, re-imported and
//! re-planned. InStock verdicts are recomputed after every import and stock sync (`in_stock`);
//! levels that moved with no order to explain them are drift findings (`seen`).

mod call_windows;
mod cancel_review;
mod catch_up;
mod changes;
mod clamped;
mod clock;
mod cod_unpaid;
mod collect_target;
mod collections;
mod config;
mod context;
mod credit_review;
mod credit_send;
mod credits;
pub mod cycle;
mod cycle_read;
mod discharge;
mod efactura;
mod error;
mod events;
mod findings;
mod freshness;
mod handle;
mod history;
mod import;
mod in_stock;
mod instock_memory;
mod instock_said;
mod invoice_draft;
mod invoice_send;
mod invoicing;
mod jobs;
mod kit_sync;
mod kv;
mod lane;
mod lifecycle;
mod located;
mod mid_read;
mod near;
mod notify;
mod outbox_send;
mod paged;
mod payment;
mod pre_issue;
mod pre_issue_words;
mod products_health;
mod review;
mod review_unread;
mod run;
mod scheduler;
pub mod secrets;
mod seen;
mod settle;
mod store_health;
mod vat_cache;
mod withheld;
mod write;
mod write_findings;

pub use cancel_review::cancellation_review;
pub use clock::{Clock, ManualClock, SystemClock};
pub use collections::CollectionOutcome;
pub use config::{
    AutoInvoice, BillingAccount, Connections, EngineConfig, EngineSettings, OnCancel, Timing,
};
pub use context::EngineDeps;
pub use error::{EngineError, ErrorInfo};
pub use events::{
    ApiCalls, EngineEvent, Outcome, Phase, RunCounts, RunReason, RunState, RunSummary, Status,
};
pub use freshness::{FreshnessSettings, FreshnessStatus};
pub use handle::{Engine, EngineHandle};
pub use instock_memory::{InStockMemory, Refreshed};
pub use invoicing::InvoiceOutcome;
pub use jobs::SyncScope;
/// The setting holding when the first catalogue was read (products first seen later are new).
pub use kv::CATALOGUE_SEEDED as CATALOGUE_SEEDED_SETTING;
pub use notify::{FindingNote, NoNotifier, NotificationEvent, Notifier, RecordingNotifier};
pub use pre_issue::held_key as invoice_held_key;
pub use review::Resolution;
pub use secrets::{MemorySecrets, SecretError, SecretStore};
pub use vat_cache::{COMPANY_VAT, KnownVat, at_connection as vat_at_connection};

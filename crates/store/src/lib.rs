//! The local SQLite store (rusqlite, bundled): the only crate that speaks SQL. Orders,
//! reservations, the invoice outbox, sync runs and the stock audit trail live here, so the
//! merchant can review them offline and nothing is lost on a crash.
//!
//! [`Store`] is synchronous. Async code must not call it on a runtime worker: use
//! [`StoreHandle`], which owns the store on a dedicated thread and returns a [`Reply`] future
//! (no tokio dependency here), or wrap calls in `spawn_blocking`.

mod audit_query;
mod bundle_updates;
mod collections;
mod credit_review;
mod credits;
mod efactura;
mod error;
mod export;
mod findings;
mod instock_changes;
mod instock_detail;
mod instock_input;
mod integrity;
mod kits;
mod locations;
mod migrations;
mod open;
mod order_detail;
mod order_query;
mod order_rows;
mod orders;
mod outbox;
mod outbox_confirm;
mod outbox_draft;
mod outbox_review;
mod outbox_rows;
mod products;
mod reservations;
mod reserving;
mod runs;
mod secrets;
mod settings;
mod sqlval;
mod thread;
mod unpaid_cod;

pub use audit_query::AuditFilter;
pub use collections::{CollectionItem, CollectionSource, CollectionState, PaymentFacts};
pub use credit_review::CreditDecision;
pub use credits::{CreditIntent, CreditItem, CreditState};
pub use efactura::{EfacturaNotice, EfacturaRow, UntrackedInvoice};
pub use error::{Result, StoreError};
pub use findings::{Finding, FindingRow, Notification};
pub use instock_changes::{ReservingChanges, ReservingOrder};
pub use instock_detail::TAKER_NAMES;
pub use integrity::{IntegrityStatus, full_check};
pub use kits::{BundleParent, LineGroup};
pub use migrations::{APPLICATION_ID, LATEST_VERSION, migrations};
pub use open::Store;
pub use order_detail::{HistoryEntry, OrderDetail};
pub use order_query::{EfacturaCell, OrderCursor, OrderQuery, OrderSummary, Page, StatusFilter};
pub use orders::{Change, ImportSummary};
pub use outbox::{InvoiceIntent, IssuedInvoice, OutboxItem, OutboxState};
pub use outbox_confirm::InvoiceConfirmation;
pub use products::{BillingReading, ProductRow, ShopifyLevel};
pub use runs::{AuditEntry, RunEnd, RunId, StockChange, SyncRun};
pub use settings::{ConnectionDescriptor, ServiceKind};
pub use thread::{Reply, StoreHandle};
pub use unpaid_cod::{CodEra, CodPayment, HANDLED_BEFORE_CONNECTION};

// TypeScript mirrors of the Rust types the backend sends (crates/core, crates/store, crates/engine).
// Field names are as serde writes them (snake_case, no rename) unless noted; money and VAT rates are
// rust_decimal values serialised as decimal STRINGS; times are RFC 3339 UTC strings; ids are numbers.

/** Decimal as text, e.g. "1234.50" (rust_decimal with the `serde` feature). Never parsed to float. */
export type DecimalString = string;
/** RFC 3339 UTC timestamp, e.g. "2025-03-30T01:00:00Z". */
export type Rfc3339 = string;
/** Shopify numeric ids (`OrderId(u64)`, `LineId(u64)`, `VariantId(u64)`, `InventoryItemId(u64)`). */
export type OrderId = number;

/** core::order::OrderState — internally tagged with `state`. */
export type OrderState =
  | { state: 'open' }
  | { state: 'invoiced'; stock_discharged: boolean }
  | { state: 'dispatched' }
  | { state: 'cancelled' };

export interface OrderLine {
  id: number;
  code: string | null;
  variant_id: number | null;
  title: string;
  quantity: number;
  refunded: number;
  fulfilled: number;
  unit_price: DecimalString;
  discount: DecimalString;
  vat_rate: DecimalString | null;
  tax: DecimalString;
  taxable: boolean;
}

export interface ShippingLine {
  title: string;
  price: DecimalString;
  discount: DecimalString;
  vat_rate: DecimalString | null;
  tax: DecimalString;
}

export interface Customer {
  name: string;
  email: string | null;
  company: string | null;
  cui: string | null;
  reg_com: string | null;
  address: string;
  city: string;
  county: string;
  country: string;
}

export interface Order {
  id: OrderId;
  name: string;
  created_at: Rfc3339;
  state: OrderState;
  lines: OrderLine[];
  shipping: ShippingLine[];
  customer: Customer;
  currency: string;
  taxes_included: boolean;
  total: DecimalString;
}

/** store::StatusFilter plus `needs_review` (orders whose invoice outbox item needs review). */
export type StatusFilter =
  | 'pending'
  | 'reserving'
  | 'invoiced'
  | 'dispatched'
  | 'cancelled'
  | 'needs_review'
  | 'refund_without_credit'
  | 'all';

export interface OrderCursor {
  created_at: Rfc3339;
  id: OrderId;
}

/** store::OrderQuery. */
export interface OrderQuery {
  status: StatusFilter;
  in_stock: boolean | null;
  search: string | null;
  newest_first: boolean;
  after: OrderCursor | null;
  limit: number;
  /** An e-Factura state code ("rejected", …); null: any. */
  efactura?: EfacturaCode | null;
  /** Only cash-on-delivery orders unpaid after the merchant's N days (issue 17). */
  unpaid_cod?: boolean;
  /** With `unpaid_cod`: the orders handled before Punte was connected instead of its own. */
  unpaid_cod_before_connection?: boolean;
}

/** core::efactura::SpvState's code. */
export type EfacturaCode = 'not_sent' | 'in_progress' | 'accepted' | 'rejected' | 'sent_by_service';

/** core::efactura::SpvState. */
export type SpvState =
  | { state: 'not_sent' }
  | { state: 'in_progress' }
  | { state: 'accepted' }
  | { state: 'rejected'; reason: string }
  | { state: 'sent_by_service'; service: string; link: string | null };

/** store::EfacturaCell: the state, the invoice, and the countdown while SPV has not accepted. */
export interface EfacturaCell {
  state: SpvState;
  invoice: string;
  issued_on: string;
  countdown: { deadline: string; working_days_left: number } | null;
}

/** store::OrderSummary. */
export interface OrderSummary {
  id: OrderId;
  name: string;
  created_at: Rfc3339;
  state: OrderState;
  customer_name: string;
  total: DecimalString;
  currency: string;
  line_count: number;
  in_stock: boolean | null;
  efactura?: EfacturaCell | null;
}

/** store::Page<T, C>. */
export interface Page<T, C> {
  items: T[];
  next: C | null;
}

/** store::HistoryEntry. */
export interface HistoryEntry {
  at: Rfc3339;
  from: OrderState | null;
  to: OrderState;
  reason: string;
  source: string;
  run: number | null;
}

/** store::OutboxState. */
export type OutboxState = 'intent' | 'sent' | 'confirmed' | 'failed' | 'needs_review';

/** store::IssuedInvoice. */
export interface IssuedInvoice {
  series: string;
  number: string;
  link: string | null;
}

/** core::instock::Shortfall / Verdict. */
export interface Shortfall {
  code: string;
  lines: number[];
  needed: number;
  available: number;
  left: number;
  short_by: number;
  earlier_takers: number;
  takers_start: number;
}
export type Verdict = { verdict: 'in_stock' } | { verdict: 'not_in_stock'; shortfalls: Shortfall[] };

/**
 * `order_detail` result: store::OrderDetail plus the invoice fields (NEW in the shell, flattened).
 * `in_stock_detail` is JSON text `{verdict: "not_in_stock", shortfalls}` (see lib/orders.ts
 * `parseVerdict`); the UI words each shortfall as a sentence.
 */
export interface OrderDetailView {
  order: Order;
  history: HistoryEntry[];
  in_stock: boolean | null;
  in_stock_detail: string | null;
  imported_at: Rfc3339;
  updated_at: Rfc3339;
  invoice: IssuedInvoice | null;
  outbox_state: OutboxState | null;
  /** Why the invoice waits for the merchant (needs_review only), Romanian / English. */
  review_detail: string | null;
  /** True while the order's lines count in R(p) (core::Order::reserves_stock). */
  reserves_stock: boolean;
  /** The Shopify bundle each component line was sold in (issue 18); absent: none. */
  groups?: import('./types-locations').LineGroup[];
  /** Every document of the order (invoice attempts, then each refund's credit note). */
  documents?: OrderDocument[];
  /** The invoice in review was held by the pre-issue checks (VAT, SPV) before any call. */
  review_held?: boolean;
  /** Why the Shopify cancellation waits for the merchant (Romanian / English); absent or null
   *  when it does not (or from an older backend). */
  cancel_review?: string | null;
  /** Cash on delivery: Shopify's payment facts and the collection (issue 17); null: none seen. */
  cod?: import('./types-cod').CodView | null;
}

/** The shell's commands::order_documents::OrderDocument (issue 16). */
export interface OrderDocument {
  kind: 'invoice' | 'credit_note';
  state: OutboxState | 'not_needed';
  series: string | null;
  number: string | null;
  link: string | null;
  refund_id: number | null;
  detail: string | null;
}

/** engine::error::ErrorInfo; the shell's CommandError adds `params` (`ro`, `en`, and what the
 *  sentence names, e.g. `order`). */
export interface ErrorInfo {
  code: string;
  message: string;
  params?: Record<string, string>;
}

/** engine::invoicing::InvoiceOutcome — tagged with `result`. */
export type InvoiceOutcome =
  | { result: 'issued'; series: string; number: string }
  | { result: 'already_issued'; series: string; number: string }
  | { result: 'needs_review'; detail: string }
  | { result: 'failed'; error: ErrorInfo }
  | { result: 'waiting'; error: ErrorInfo }
  /** A credit note in review the merchant closed: no document is needed. */
  | { result: 'not_needed' };

/** The merchant's way out of needs-review (src-tauri `ResolutionArgs`). */
export type ReviewResolution =
  | { kind: 'link'; series: string; number: string }
  | { kind: 'issue' }
  /** A refund's credit note in review (issue 16): retry, issued by hand, or not needed. */
  | { kind: 'credit_retry'; refund: number }
  | { kind: 'credit_by_hand'; refund: number; series: string; number: string }
  | { kind: 'credit_not_needed'; refund: number; note: string }
  /** A Shopify cancellation in review (after a partial credit note, or a lost storno answer). */
  | { kind: 'cancel_handled'; note: string };

/** One order's result in a bulk command (the shell maps `Vec<(OrderId, Result<T, EngineError>)>`). */
export interface BulkItem<T> {
  order: OrderId;
  ok: T | null;
  error: ErrorInfo | null;
}

/** engine::events. */
export type Phase =
  | 'read_catalogue'
  | 'read_billing'
  | 'read_levels'
  | 'import_orders'
  | 'plan'
  | 'write_levels'
  | 'invoicing'
  | 'reversals';

export interface RunCounts {
  /** For Sync now: the orders the whole run imported (orders job and stock cycle). */
  orders_imported: number;
  products_in_scope: number;
  products_written: number;
  stale_retries: number;
  findings: number;
  invoices_issued: number;
}
export interface ApiCalls {
  shopify: number;
  shopify_writes: number;
  billing: number;
}
export type Outcome =
  | { outcome: 'ok' }
  | { outcome: 'partial' }
  | { outcome: 'halted'; reason: string }
  | { outcome: 'awaiting_confirmation'; changing: number; in_scope: number }
  | { outcome: 'failed'; error: ErrorInfo };

export interface RunSummary {
  run_id: number | null;
  counts: RunCounts;
  calls: ApiCalls;
  outcome: Outcome;
  started_at: Rfc3339;
  finished_at: Rfc3339;
}

export type RunState = 'running' | 'paused' | 'stopped';

/** engine::events::Status. */
export interface EngineStatus {
  state: RunState;
  offline_since: Rfc3339 | null;
  last_sync: Rfc3339 | null;
  next_sync: Rfc3339 | null;
  awaiting_confirmation: boolean;
  last_error: ErrorInfo | null;
  /** Why the last run started (absent from an older backend). */
  last_run_reason?: import('./types-app').RunReason | null;
  /** How often Punte looks for changes (absent from an older backend; null with looks off). */
  freshness?: FreshnessStatus | null;
}

/** engine::freshness::FreshnessStatus: the cadence of looks and the share of the billing limit. */
export interface FreshnessStatus {
  service: 'smartbill' | 'oblio' | 'fgo';
  /** Share of the stock-read limit looks may use, percent. */
  share_percent: number;
  /** Share they do use, per mille. */
  used_permille: number;
  limit_calls: number;
  limit_seconds: number;
  calls_per_hour: number;
  look_seconds: number;
  /** Every product's billing stock is re-read within this. */
  sweep_seconds: number;
  products: number | null;
}

/** engine::events::EngineEvent — tagged with `type`; RunFinished/Status are newtype variants. */
export type EngineEvent =
  | { type: 'progress'; phase: Phase; done: number; total: number }
  | ({ type: 'run_finished' } & RunSummary)
  | { type: 'order_state_changed'; order: OrderId; from: OrderState | null; to: OrderState }
  | ({ type: 'status' } & EngineStatus)
  | { type: 'findings_changed'; open: number; new: number };

/** engine::jobs::SyncScope. */
export type SyncScope = 'all' | 'stock_only' | 'orders_only' | 'full';

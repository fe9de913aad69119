// Mirrors of the stock, activity, profile and demo types (second half of types.ts, split to keep
// files small). New shell-side view types are marked NEW: the Rust commands must produce them.
import type { DecimalString, Rfc3339 } from './types';
import type { BundleCell, LocationCell } from './types-locations';

/** core::plan::QuantityWrite. */
export interface QuantityWrite {
  inventory_item_id: number;
  code: string;
  available: number;
  expected_current: number | null;
}

/** core::plan::PlanStatus — tagged with `status`; Halted flattens HaltReason (tagged `reason`). */
export type PlanStatus =
  | { status: 'ready' }
  | { status: 'needs_confirmation'; changing: number; in_scope: number }
  | { status: 'halted'; reason: 'billing_read_failed'; message: string }
  | { status: 'halted'; reason: 'billing_empty' }
  | { status: 'halted'; reason: 'billing_shrank'; products: number; previously: number };

/** core::plan::PlanFinding / core::product::ProductFinding — tagged with `kind`. */
export interface PlanFinding {
  kind: string;
  code?: string;
  [field: string]: unknown;
}

/** core::plan::SyncPlan (the `preview_sync` result). */
export interface SyncPlan {
  status: PlanStatus;
  writes: QuantityWrite[];
  findings: PlanFinding[];
  unchanged: number;
}

/** store::Finding / FindingRow. */
export interface Finding {
  key: string;
  kind: string;
  code: string | null;
  message: string;
  what_to_fix: string;
  detail: string | null;
}
export interface FindingRow {
  id: number;
  finding: Finding;
  first_seen: Rfc3339;
  last_seen: Rfc3339;
  seen_count: number;
  resolved_at: Rfc3339 | null;
  run: number | null;
}

/** NEW: one row of `stock_overview` (A, B, R, buffer, target for a Shopify variant). */
export type StockStatus = 'in_sync' | 'will_change' | 'below_zero' | 'finding' | 'untracked' | 'held' | 'write_failed' | 'bundle';
export interface StockRow {
  code: string | null;
  title: string;
  variant_id: number;
  inventory_item_id: number;
  tracked: boolean;
  /** Shopify `available` as last read (A), null if never read. */
  shopify_available: number | null;
  /** Billing stock in whole units (B), null when the code is not in billing. */
  billing_stock: number | null;
  reserved: number;
  buffer: number;
  /** B − R − buffer, null when it cannot be computed. */
  target: number | null;
  status: StockStatus;
  read_at: Rfc3339 | null;
  /** A new product the "next day after HH:MM" rule holds back: when it joins the sync. */
  held_until: Rfc3339 | null;
  /** Per mapped location, only when two or more are mapped (issue 18). */
  locations?: LocationCell[];
  /** A kit or a Shopify bundle parent: what its components allow (issue 18). */
  bundle?: BundleCell | null;
}

/** store::StockChange / AuditEntry. */
export interface StockChange {
  at: Rfc3339;
  code: string;
  inventory_item_id: number | null;
  before: number | null;
  after: number;
  reason: string;
  source: string;
  run: number | null;
}
export interface AuditEntry {
  id: number;
  change: StockChange;
}

/** NEW: `audit_page` query (cursor = the last entry id seen; newest first). */
export interface AuditQuery {
  code: string | null;
  source: string | null;
  after: number | null;
  limit: number;
}

/** store::RunEnd / SyncRun. */
export interface RunEnd {
  outcome: string;
  orders_imported: number;
  products_read: number;
  products_written: number;
  findings: number;
  shopify_calls: number;
  billing_calls: number;
  detail: string | null;
}
export interface SyncRun {
  id: number;
  started_at: Rfc3339;
  ended_at: Rfc3339 | null;
  end: RunEnd | null;
}

/** store::ServiceKind (serde snake_case: SmartBill → "smart_bill"). */
export type ServiceKind = 'shopify' | 'smart_bill' | 'oblio' | 'fgo';
export type BillingKind = Exclude<ServiceKind, 'shopify'>;

/** NEW: a connection as the UI sees it — never a secret, only whether one is saved. */
export interface ConnectionView {
  kind: ServiceKind;
  /** Non-secret fields by name (shop_domain, client_id, location_id, email, cif, cod_unic…). */
  fields: Record<string, string>;
  /** Names of the secret fields that have a value in the keychain. */
  secrets_saved: string[];
  tested_at: Rfc3339 | null;
}
export interface ConnectionsView {
  shopify: ConnectionView | null;
  billing: ConnectionView | null;
  /** The billing connection was saved, but the company's VAT rates could not be read (issue 16). */
  vat_warning?: import('./types').ErrorInfo | null;
}

/** NEW: what `test_connection` sends. Empty secret = keep the saved one. */
export interface ConnectionForm {
  kind: ServiceKind;
  fields: Record<string, string>;
  secrets: Record<string, string>;
}

/** NEW: what `test_connection` downloads. */
export interface ServiceConfig {
  warehouses: string[];
  series: string[];
  vat_rates: DecimalString[];
  locations: { id: number; name: string }[];
}

/** NEW: merchant preferences (flat view of engine::EngineSettings + connection warehouse). */
export type CodeSource = 'Sku' | 'Barcode';
export type AutoInvoice = 'never' | 'on_import' | 'when_paid' | 'when_fulfilled';
export type OnCancel = 'reverse' | 'cancel_invoice' | 'nothing';
export type NewProductPolicy = { policy: 'next_cycle' } | { policy: 'next_day_after'; local_time: string };
export interface Preferences {
  use_warehouse: boolean;
  warehouse: string | null;
  code_source: CodeSource;
  use_stock: boolean;
  sync_stock: boolean;
  stock_sync_every_minutes: number;
  new_products: NewProductPolicy;
  default_buffer: number;
  invoice_series: string;
  use_warehouse_name: boolean;
  vat_payer: boolean;
  vat_standard: DecimalString;
  vat_reduced: DecimalString;
  auto_invoice: AutoInvoice;
  on_cancel: OnCancel;
  /** Where credit notes restock returns; null: the invoice's warehouse (issue 16). */
  credit_restock_warehouse?: string | null;
  /** "COD orders unpaid after N days" (issue 17), 1–90; absent from an older backend. */
  cod_unpaid_days?: number;
  /** Lists downloaded by the last Test connection (read-only here). */
  available: ServiceConfig;
}
export type PreferencesPatch = Partial<Omit<Preferences, 'available'>>;

/** NEW: demo mode. */
export type SimService = 'shopify' | 'billing';
export interface DemoStatus {
  active: boolean;
  offline: SimService[];
  products: { code: string; title: string }[];
}
export interface SimulationResult {
  message: string;
  demo: DemoStatus;
}
export interface ExportResult {
  path: string;
  rows: number;
}

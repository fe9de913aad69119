// The app's upkeep, as Rust serialises it: updates (src-tauri/src/updates.rs) and start at login
// (src-tauri/src/login_start.rs).

/** The `{code, message}` of a command error (CommandError in Rust). */
export interface BackendErrorShape {
  code: string;
  message: string;
}

/** updates::Available. */
export interface AvailableUpdate {
  version: string;
  notes: string | null;
  date: string | null;
}

/** updates::Phase. */
export type UpdatePhase =
  | 'idle'
  | 'checking'
  | 'downloading'
  | 'waiting_for_run'
  | 'installing'
  | 'restarting';

/** updates::UpdateStatus. */
export interface UpdateStatus {
  current: string;
  phase: UpdatePhase;
  available: AvailableUpdate | null;
  last_checked: string | null;
  error: BackendErrorShape | null;
}

/** login_start::LoginStart. */
export interface LoginStart {
  enabled: boolean;
  chosen_by_merchant: boolean;
}

/** engine::RunReason: why the last run started (the status bar words it). */
export type RunReason =
  | 'scheduled'
  | 'first_run'
  | 'missed_while_closed'
  | 'missed_while_asleep'
  | 'manual';

/** first_run::FirstRunView: where the merchant is in the guided first run. */
export type FirstRunStep = 'welcome' | 'shopify' | 'billing' | 'health' | 'preview' | 'demo';
export interface FirstRunView {
  step: FirstRunStep | null;
  done: boolean;
  shopify_saved: boolean;
  billing_saved: boolean;
}

/** profile_check::TestResult: the lists the preferences keep, and what the test learned. */
export interface ScopeView {
  handle: string;
  why: 'products' | 'levels' | 'write_levels' | 'locations' | 'orders';
  granted: boolean;
}
export interface ShopInfo {
  name: string;
  domain: string;
  plan: string | null;
  development: boolean;
  currency: string;
}
export interface WarehouseView {
  id: string;
  name: string;
  work_point: string | null;
  products: number | null;
  /** Of those, the ones with stock above 0 (`null`: not counted). */
  in_stock: number | null;
}
export interface TestResult {
  warehouses: string[];
  series: string[];
  vat_rates: string[];
  locations: { id: number; name: string }[];
  shop: ShopInfo | null;
  scopes: ScopeView[] | null;
  missing_scopes: string[];
  company: { name: string | null; cif: string } | null;
  warehouse_details: WarehouseView[];
  counts_shared: boolean;
  /** The company's VAT rates could not be read (the test and the save go on; issue 16). */
  vat_error?: import('./types').ErrorInfo | null;
}

/** core::health: the products health check, by group. */
export type HealthGroup = 'matched' | 'only_in_shopify' | 'only_in_billing' | 'duplicate_codes' | 'untracked' | 'no_code';
export interface HealthRow {
  code: string | null;
  shopify: string[];
  billing: string[];
  stock: string | null;
  note: string | null;
}
export interface HealthView {
  groups: { group: HealthGroup; count: number; rows: HealthRow[] }[];
  shopify_variants: number;
  billing_products: number;
  matched: number;
}

// The one module through which the UI reaches Rust: every `invoke` and `listen` goes through here,
// so tests can replace the backend in one place and errors arrive in one shape. The contract for
// every command below is written out in ui/BACKEND-CONTRACT.md.
import { invoke } from '@tauri-apps/api/core';
import { listen, type UnlistenFn } from '@tauri-apps/api/event';
import type {
  BulkItem,
  EngineEvent,
  EngineStatus,
  InvoiceOutcome,
  OrderCursor,
  OrderDetailView,
  OrderQuery,
  OrderSummary,
  Page,
  ReviewResolution,
  RunSummary,
  SyncScope,
} from './types';
import type {
  AuditEntry,
  AuditQuery,
  ConnectionForm,
  ConnectionsView,
  DemoStatus,
  ExportResult,
  FindingRow,
  Preferences,
  PreferencesPatch,
  SimService,
  SimulationResult,
  StockChange,
  StockRow,
  SyncPlan,
  SyncRun,
} from './types-stock';

import type { Kit, LocationSettings, MappingView } from './types-locations';
import type { CollectionOutcome, UnpaidCount } from './types-cod';
import type { FirstRunStep, FirstRunView, HealthGroup, HealthView, LoginStart, TestResult, UpdateStatus } from './types-app';

export type * from './types';
export type * from './types-stock';
export type * from './types-app';
export type * from './types-locations';
export type * from './types-cod';

/** What the backend reports about itself (Rust: `commands::AppStatus`, camelCase). */
export interface AppStatus {
  version: string;
  dataDir: string;
  logDir: string;
  roundTrips: number;
}

/** An error from a command: branch on `code`; show it with `errorText` (lib/words.ts), which
 *  picks `params.ro` / `params.en` for the window's language; `field` names the input to fix. */
export class BackendError extends Error {
  readonly code: string;
  readonly field: string | null;
  readonly params: Record<string, string>;
  constructor(code: string, message: string, field: string | null = null, params: Record<string, string> = {}) {
    super(message);
    this.name = 'BackendError';
    this.code = code;
    this.field = field;
    this.params = params;
  }
}

/** Turns whatever `invoke` rejected with into a BackendError. */
export function toBackendError(raw: unknown): BackendError {
  if (raw instanceof BackendError) return raw;
  if (typeof raw === 'object' && raw !== null && 'code' in raw && 'message' in raw) {
    const { code, message, field, params } = raw as { code: unknown; message: unknown; field?: unknown; params?: unknown };
    const words: Record<string, string> = {};
    if (typeof params === 'object' && params !== null) {
      for (const [k, v] of Object.entries(params)) words[k] = String(v);
    }
    return new BackendError(String(code), String(message), typeof field === 'string' ? field : null, words);
  }
  if (raw instanceof Error) return new BackendError('ui.unexpected', raw.message);
  return new BackendError('ui.unexpected', typeof raw === 'string' ? raw : JSON.stringify(raw));
}

async function call<T>(command: string, args?: Record<string, unknown>): Promise<T> {
  try {
    return await invoke<T>(command, args);
  } catch (raw) {
    throw toBackendError(raw);
  }
}

/** Asks the backend for its status; each call is one live round trip to Rust. */
export function appStatus(): Promise<AppStatus> {
  return call<AppStatus>('app_status');
}

// ── Engine and status bar ──────────────────────────────────────────────────────────────────
export const engineStatus = () => call<EngineStatus>('engine_status');
export const syncNow = (scope: SyncScope = 'all') => call<RunSummary>('sync_now', { scope });
export const pauseSync = () => call<EngineStatus>('pause_sync');
export const resumeSync = () => call<EngineStatus>('resume_sync');

// ── Orders ─────────────────────────────────────────────────────────────────────────────────
export const ordersPage = (query: OrderQuery) =>
  call<Page<OrderSummary, OrderCursor>>('orders_page', { query });
export const orderDetail = (id: number) => call<OrderDetailView>('order_detail', { id });
export const issueInvoices = (ids: number[]) =>
  call<BulkItem<InvoiceOutcome>[]>('issue_invoices', { ids });
export const markDispatched = (ids: number[]) => call<BulkItem<null>[]>('mark_dispatched', { ids });
/** Needs-review way out: link the invoice that exists, or issue it; checked by the engine. */
export const resolveReview = (id: number, resolution: ReviewResolution) =>
  call<InvoiceOutcome>('resolve_review', { id, resolution });

/** "Mark as paid (collected)": recorded once on the invoice (a second call says already). */
export const markCollected = (id: number) => call<CollectionOutcome>('mark_collected', { id });
/** How many cash-on-delivery orders are unpaid after the merchant's N days. */
export const unpaidCodCount = () => call<UnpaidCount>('unpaid_cod_count');

// ── Stock ──────────────────────────────────────────────────────────────────────────────────
export const stockOverview = () => call<StockRow[]>('stock_overview');
export const stockHistory = (code: string) => call<StockChange[]>('stock_history', { code });
/** Open findings, or with `closed` the ones a run saw gone. */
export const findings = (closed = false) => call<FindingRow[]>('findings', { closed });
export const previewSync = () => call<SyncPlan>('preview_sync');
/** Runs a stock cycle now; `confirmed` applies a run held by the "changes too many" rail. */
export const applySync = (confirmed: boolean) => call<RunSummary>('apply_sync', { confirmed });

// ── Activity ───────────────────────────────────────────────────────────────────────────────
export const recentRuns = (limit: number) => call<SyncRun[]>('recent_runs', { limit });
export const auditPage = (query: AuditQuery) =>
  call<Page<AuditEntry, number>>('audit_page', { query });
export const exportAuditCsv = (query: AuditQuery) =>
  call<ExportResult>('export_audit_csv', { query });

// ── Profile ────────────────────────────────────────────────────────────────────────────────
export const connections = () => call<ConnectionsView>('connections');
export const testConnection = (form: ConnectionForm) =>
  call<TestResult>('test_connection', { form });
export const saveConnection = (form: ConnectionForm) =>
  call<ConnectionsView>('save_connection', { form });
export const preferences = () => call<Preferences>('preferences');
export const savePreferences = (patch: PreferencesPatch) =>
  call<Preferences>('save_preferences', { patch });

// ── Locations and kits (issue 18) ──────────────────────────────────────────────────────────
/** The mapping with Shopify's locations; `refresh` reads them from Shopify first. */
export const locationMapping = (refresh = false) => call<MappingView>('location_mapping', { refresh });
/** Saves the mapping; the engine takes it at its next start (the backend restarts it). */
export const saveLocationMapping = (mapping: LocationSettings) =>
  call<MappingView>('save_location_mapping', { mapping });
export const kits = () => call<Kit[]>('kits');
/** Saves a kit; `previous` is its code when opened (a renamed kit replaces it). */
export const saveKit = (kit: Kit, previous: string | null) => call<Kit[]>('save_kit', { kit, previous });
export const deleteKit = (code: string) => call<Kit[]>('delete_kit', { code });

// ── Guided first run ───────────────────────────────────────────────────────────────────────
export const firstRun = () => call<FirstRunView>('first_run');
/** Saves the step (resumable); while the path is open on a real shop, scheduled runs wait. */
export const setFirstRunStep = (step: FirstRunStep) => call<FirstRunView>('set_first_run_step', { step });
/** Ends the path after the first sync was applied: the schedule starts. */
export const finishFirstRun = () => call<FirstRunView>('finish_first_run');
/** Reads both catalogues and sorts them into six groups; writes nothing. */
export const productsHealth = () => call<HealthView>('products_health');
/** Writes one health-check group's CSV (WebKitGTK saves no `<a download>`): Downloads, or the
 *  data folder's `exports` when Punte runs on a folder of its own. */
export const saveHealthCsv = (group: HealthGroup, csv: string) =>
  call<ExportResult>('save_health_csv', { group, csv });

// ── Language ───────────────────────────────────────────────────────────────────────────────
/** The merchant's saved language and the OS language, as the backend knows them. */
export interface LanguageView {
  saved: 'ro' | 'en' | null;
  os: 'ro' | 'en' | null;
}
export const uiLanguage = () => call<LanguageView>('ui_language');
/** Tells the backend the window's language (notifications follow); `chosen` saves it. */
export const setUiLanguage = (language: 'ro' | 'en', chosen: boolean) =>
  call<LanguageView>('set_ui_language', { language, chosen });

// ── Demo shop ──────────────────────────────────────────────────────────────────────────────
export const demoStatus = () => call<DemoStatus>('demo_status');
export const simulateOrder = (code: string, quantity: number) =>
  call<SimulationResult>('simulate_order', { code, quantity });
export const simulateReceipt = (code: string, quantity: number) =>
  call<SimulationResult>('simulate_receipt', { code, quantity });
export const simulateDrift = (code: string, delta: number) =>
  call<SimulationResult>('simulate_drift', { code, delta });
export const simulateOffline = (service: SimService, offline: boolean) =>
  call<SimulationResult>('simulate_offline', { service, offline });

// ── Events ─────────────────────────────────────────────────────────────────────────────────
/** Event names, one place (Rust: `tray::EVENT_SYNC_REQUESTED`, the shell's engine forwarder). */
export const EVENTS = {
  syncRequested: 'sync://requested',
  engine: 'engine://event',
  update: 'update://status',
  navigate: 'app://navigate',
} as const;

/** Calls `handler` with the route ("stock/PT-CANA", "orders/123") a clicked notification opens. */
export function onNavigate(handler: (route: string) => void): Promise<UnlistenFn> {
  return listen<string>(EVENTS.navigate, (event) => handler(event.payload));
}

/** Calls `handler` with the source ("tray", …) whenever a sync is requested outside the window. */
export function onSyncRequested(handler: (source: string) => void): Promise<UnlistenFn> {
  return listen<string>(EVENTS.syncRequested, (event) => handler(event.payload));
}

/** Calls `handler` with every EngineEvent the shell forwards. */
export function onEngineEvent(handler: (event: EngineEvent) => void): Promise<UnlistenFn> {
  return listen<EngineEvent>(EVENTS.engine, (event) => handler(event.payload));
}

// ── Updates and start at login ─────────────────────────────────────────────────────────────
export const updateStatus = () => call<UpdateStatus>('update_status');
export const checkUpdate = () => call<UpdateStatus>('check_update');
/** Verifies, waits for the sync run in progress, installs and restarts (the merchant agreed). */
export const installUpdate = () => call<UpdateStatus>('install_update');
export const loginStart = () => call<LoginStart>('login_start');
export const setLoginStart = (enabled: boolean) => call<LoginStart>('set_login_start', { enabled });

/** Calls `handler` whenever the update state changes (checking, found, installing, errors). */
export function onUpdateStatus(handler: (status: UpdateStatus) => void): Promise<UnlistenFn> {
  return listen<UpdateStatus>(EVENTS.update, (event) => handler(event.payload));
}

// DEV/SCREENSHOT ONLY: a fake backend answering every command with demo data through Tauri's
// mockIPC, so `npm run build:mock && npm run preview:mock` shows filled screens in a browser.
// main.ts imports it only when Vite's mode is "mock", so the production bundle never contains it.
import { mockIPC } from '@tauri-apps/api/mocks';
import type { OrderQuery, OrderSummary } from '../lib/types';
import type { AuditQuery, Preferences, StockRow } from '../lib/types-stock';

const TOTAL = 100_000;
const NAMES = ['Ana Popescu', 'Mihai Ionescu', 'Elena Dumitru', 'Andrei Stan', 'Ioana Marin', 'SC Floare SRL', 'Radu Georgescu', 'Maria Constantin'];
const base = Date.parse('2025-06-30T12:00:00Z');
const PRODUCTS = [
  ['TS-ALB-M', 'Tricou alb, M'], ['TS-NEG-L', 'Tricou negru, L'], ['HAN-GRI', 'Hanorac gri'],
  ['CAN-CER', 'Cană ceramică'], ['SAP-BLU', 'Șapcă bleumarin'], ['RUC-15', 'Rucsac 15 l'],
] as const;

function order(i: number): OrderSummary {
  const id = 5_000_000 + i;
  const k = i % 17;
  const state = k < 9 ? { state: 'open' as const } : k < 13 ? { state: 'invoiced' as const, stock_discharged: true }
    : k < 15 ? { state: 'dispatched' as const } : k === 15 ? { state: 'invoiced' as const, stock_discharged: false } : { state: 'cancelled' as const };
  const cents = 4990 + ((i * 7919) % 90000);
  return {
    id, name: `#${1000 + i}`, created_at: new Date(base - (TOTAL - i) * 97_000).toISOString().replace('.000', ''),
    state, customer_name: NAMES[i % NAMES.length]!, total: `${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, '0')}`,
    currency: 'RON', line_count: 1 + (i % 3), in_stock: state.state === 'open' ? i % 5 !== 0 : null,
  };
}

function ordersPage(q: OrderQuery) {
  const fits = (o: OrderSummary) => {
    const s = o.state.state;
    const st = q.status === 'all' || (q.status === 'pending' && s === 'open') ||
      (q.status === 'invoiced' && s === 'invoiced') || q.status === s ||
      (q.status === 'needs_review' && o.id % 997 === 0);
    const inStock = q.in_stock === null || o.in_stock === q.in_stock;
    const text = !q.search || o.name.includes(q.search) || o.customer_name.toLowerCase().includes(q.search.toLowerCase());
    return st && inStock && text;
  };
  const items: OrderSummary[] = [];
  let i = q.after ? q.after.id - 5_000_000 - 1 : TOTAL - 1;
  for (; i >= 0 && items.length < q.limit; i--) {
    const o = order(i);
    if (fits(o)) items.push(o);
  }
  const last = items[items.length - 1];
  return { items, next: i >= 0 && last ? { created_at: last.created_at, id: last.id } : null };
}

function detail(id: number) {
  const s = order(id - 5_000_000);
  return {
    order: {
      id, name: s.name, created_at: s.created_at, state: s.state, currency: 'RON', taxes_included: true, total: s.total,
      lines: [
        { id: 1, code: 'TS-ALB-M', variant_id: 11, title: 'Tricou alb, M', quantity: 2, refunded: 0, fulfilled: 0, unit_price: '79.90', discount: '0', vat_rate: '21', tax: '27.73', taxable: true },
        { id: 2, code: 'CAN-CER', variant_id: 14, title: 'Cană ceramică', quantity: 1, refunded: 0, fulfilled: 0, unit_price: '45.00', discount: '0', vat_rate: '21', tax: '7.81', taxable: true },
      ],
      shipping: [{ title: 'Curier', price: '19.99', discount: '0', vat_rate: '21', tax: '3.47' }],
      customer: { name: s.customer_name, email: 'client@example.ro', company: null, cui: null, reg_com: null, address: 'Str. Lalelelor 4', city: 'Cluj-Napoca', county: 'Cluj', country: 'RO' },
    },
    history: [
      { at: s.created_at, from: null, to: { state: 'open' }, reason: 'importată din Shopify', source: 'import', run: 41 },
      ...(s.state.state !== 'open' ? [{ at: '2025-06-30T09:12:00Z', from: { state: 'open' }, to: s.state, reason: 'factură emisă', source: 'manual', run: null }] : []),
    ],
    in_stock: s.in_stock,
    in_stock_detail: s.in_stock === false ? JSON.stringify({ verdict: 'not_in_stock', shortfalls: [{ code: 'TS-ALB-M', lines: [1], needed: 2, available: 5, left: 1, short_by: 1, takers: ['#1001', '#1002'], takers_total: 2 }] }) : null,
    imported_at: s.created_at, updated_at: s.created_at,
    invoice: s.state.state === 'invoiced' ? { series: 'FCT', number: String(s.id % 10000), link: 'https://example.invalid/factura' } : null,
    outbox_state: s.state.state === 'invoiced' ? 'confirmed' : null,
    review_detail: null,
    reserves_stock: s.state.state === 'open' || (s.state.state === 'invoiced' && !s.state.stock_discharged),
  };
}

const stock: StockRow[] = PRODUCTS.map(([code, title], i) => {
  const billing = [24, 12, 7, 40, 0, 9][i]!;
  const reserved = [3, 2, 1, 0, 1, 0][i]!;
  const target = billing - reserved;
  const shopify = [21, 12, 6, 40, 0, 9][i]!;
  return { code, title, variant_id: 11 + i, inventory_item_id: 101 + i, tracked: i !== 5, shopify_available: shopify,
    billing_stock: billing, reserved, buffer: 0, target: i === 5 ? null : target,
    status: i === 5 ? 'untracked' : target < 0 ? 'below_zero' : shopify === target ? 'in_sync' : 'will_change', read_at: '2025-06-30T11:45:00Z', held_until: null };
});

const prefs: Preferences = {
  use_warehouse: true, warehouse: 'Depozit central', code_source: 'Sku', use_stock: true, sync_stock: true,
  stock_sync_every_minutes: 15, new_products: { policy: 'next_day_after', local_time: '07:00' }, default_buffer: 0,
  invoice_series: 'FCT', use_warehouse_name: false, vat_payer: true, vat_standard: '21', vat_reduced: '11',
  auto_invoice: 'never', on_cancel: 'reverse',
  available: { warehouses: ['Depozit central', 'Magazin Cluj'], series: ['FCT', 'PUN'], vat_rates: ['21', '11', '0'], locations: [{ id: 7001, name: 'Depozit' }] },
};
const mapping = {
  locations: [{ id: 7001, name: 'Depozit' }, { id: 7002, name: 'Magazin Cluj' }, { id: 7003, name: 'Târg' }],
  warehouses: [{ id: 'Depozit central', work_point: null, name: 'Depozit central' }, { id: 'Magazin Cluj', work_point: null, name: 'Magazin Cluj' }],
  billing: 'smart_bill', connection_location: 7001, connection_warehouse: 'Depozit central', unmapped: [7003],
  mapping: { split: 'all_to_first', links: [
    { location_id: 7001, name: 'Depozit', warehouse: 'Depozit central', share_percent: 0 },
    { location_id: 7002, name: 'Magazin Cluj', warehouse: 'Magazin Cluj', share_percent: 0 }] },
};
const kitList = [{ code: 'SET-CADOU', title: 'Set cadou', components: [{ code: 'CAN-CER', quantity: 2 }, { code: 'TS-ALB-M', quantity: 1 }] }];
const demo = { active: true, offline: [] as string[], products: PRODUCTS.map(([code, title]) => ({ code, title })) };
const status = { state: 'running', offline_since: null, last_sync: '2025-06-30T11:45:00Z', next_sync: '2025-06-30T12:00:00Z', awaiting_confirmation: false, last_error: null };
const audit = (q: AuditQuery) => Array.from({ length: 24 }, (_, i) => ({
  id: 900 - i, change: { at: new Date(base - i * 3_600_000).toISOString(), code: PRODUCTS[i % 6]![0], inventory_item_id: 101 + (i % 6), before: 20 - (i % 5), after: 21 - (i % 4), reason: i % 3 ? 'B − R' : 'NIR recepționat', source: i % 4 ? 'sync' : 'manual', run: 41 - i },
})).filter((a) => !q.code || a.change.code.includes(q.code.toUpperCase()));

const answers: Record<string, (a: Record<string, unknown>) => unknown> = {
  app_status: () => ({ version: '0.1.0', dataDir: '/home/demo/.local/share/punte', logDir: '/tmp', roundTrips: 1 }),
  engine_status: () => status,
  demo_status: () => demo,
  orders_page: (a) => ordersPage(a.query as OrderQuery),
  order_detail: (a) => detail(a.id as number),
  stock_overview: () => stock,
  ui_language: () => ({ saved: null, os: null }),
  set_ui_language: () => ({ saved: null, os: null }),
  findings: (a) => a.closed ? [] : [
    { id: 1, finding: { key: 'tracking_off:RUC-15', kind: 'tracking_off', code: 'RUC-15', message: 'tracking off', what_to_fix: 'În Shopify: Produse → Rucsac 15 l → Editează varianta → bifați „Track quantity”.', detail: null }, first_seen: '2025-06-28T08:00:00Z', last_seen: '2025-06-30T11:45:00Z', seen_count: 12, resolved_at: null, run: 41 },
    { id: 2, finding: { key: 'code_missing_in_billing:SAP-BLU', kind: 'code_missing_in_billing', code: 'SAP-BLU', message: 'missing', what_to_fix: 'Adăugați produsul cu codul SAP-BLU în nomenclatorul din SmartBill (același cod ca SKU-ul din Shopify).', detail: null }, first_seen: '2025-06-29T08:00:00Z', last_seen: '2025-06-30T11:45:00Z', seen_count: 4, resolved_at: null, run: 41 },
  ],
  stock_history: () => Array.from({ length: 12 }, (_, i) => ({ at: new Date(base - (12 - i) * 7_200_000).toISOString(), code: 'TS-ALB-M', inventory_item_id: 101, before: null, after: [30, 29, 27, 27, 25, 22, 40, 38, 35, 33, 30, 21][i]!, reason: 'sync', source: 'sync', run: null })),
  preview_sync: () => ({ status: { status: 'ready' }, writes: [{ inventory_item_id: 101, code: 'TS-ALB-M', available: 21, expected_current: 24 }, { inventory_item_id: 103, code: 'HAN-GRI', available: 6, expected_current: 7 }], findings: [], unchanged: 3 }),
  recent_runs: () => Array.from({ length: 8 }, (_, i) => ({ id: 41 - i, started_at: new Date(base - i * 900_000).toISOString(), ended_at: new Date(base - i * 900_000 + 4000).toISOString(), end: { outcome: i === 3 ? 'partial' : 'ok', orders_imported: (i * 3) % 7, products_read: 6, products_written: i % 3, findings: 2, shopify_calls: 4 + i, billing_calls: 1, detail: null } })),
  audit_page: (a) => ({ items: audit(a.query as AuditQuery), next: null }),
  connections: () => ({
    shopify: { kind: 'shopify', fields: { shop_domain: 'demo-punte.myshopify.com', client_id: 'a1b2c3', location_id: '7001', auth: 'dev' }, secrets_saved: ['client_secret'], tested_at: '2025-06-30T08:00:00Z' },
    billing: { kind: 'smart_bill', fields: { email: 'contabil@floare.ro', cif: 'RO12345678' }, secrets_saved: ['api_token'], tested_at: '2025-06-30T08:00:00Z' },
  }),
  preferences: () => prefs,
  test_connection: () => prefs.available,
  location_mapping: () => mapping,
  save_location_mapping: (a) => ({ ...mapping, mapping: a.mapping }),
  kits: () => kitList,
  save_kit: (a) => [...kitList, a.kit],
  delete_kit: () => kitList,
};

export function installMock(): void {
  mockIPC((cmd, args) => {
    const answer = answers[cmd];
    if (!answer) throw { code: 'ui.mock_missing', message: `The demo mock has no answer for ${cmd}` };
    return answer((args ?? {}) as Record<string, unknown>);
  }, { shouldMockEvents: true });
}

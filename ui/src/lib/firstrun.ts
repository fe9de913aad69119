// Pure logic of the guided first run: when it shows, the step order, the largest changes of the
// first sync's plan, whether the health check lets the merchant go on, and the CSV of a group.
import type { FirstRunStep, FirstRunView, HealthRow, HealthView, TestResult } from './types-app';
import type { QuantityWrite } from './types-stock';

/** The five steps after the welcome, in order (the welcome is step 0). */
export const STEPS: FirstRunStep[] = ['welcome', 'shopify', 'billing', 'health', 'preview'];

/** Whether the window opens on the guided path: it is open on a step, or nothing is connected
 *  yet and the merchant has not chosen the demo or finished it. */
export function showsFirstRun(v: FirstRunView | null): boolean {
  if (!v || v.done) return false;
  if (v.step === 'demo') return false;
  if (v.step !== null) return true;
  return !v.shopify_saved && !v.billing_saved;
}

/** The step to open: the saved one, or the welcome. */
export function startStep(v: FirstRunView): FirstRunStep {
  return v.step && v.step !== 'demo' ? v.step : 'welcome';
}

/** The next and previous step. */
export function nextStep(s: FirstRunStep): FirstRunStep {
  const i = STEPS.indexOf(s);
  return STEPS[Math.min(i + 1, STEPS.length - 1)] ?? 'preview';
}
export function previousStep(s: FirstRunStep): FirstRunStep {
  const i = STEPS.indexOf(s);
  return STEPS[Math.max(i - 1, 0)] ?? 'welcome';
}

/** The warehouse the billing save will keep (the chosen one, else the first) when the test
 *  says it holds no product in stock (none listed, or all at 0: the first sync would empty the
 *  shop): the merchant must choose another or fill it. */
export function emptyWarehouse(test: TestResult | null, chosen: string): string | null {
  if (!test || test.warehouse_details.length === 0) return null;
  const w = test.warehouse_details.find((x) => x.id === chosen) ?? test.warehouse_details[0];
  return w && (w.products === 0 || w.in_stock === 0) ? w.name : null;
}

/** The test found the company but no warehouse holding anything (SmartBill lists only the
 *  warehouses its stock report names, so an account whose stock was never entered lists none):
 *  the sync would have nothing to read. FGO's shared stock is not counted, so never "none". */
export function noWarehouse(test: TestResult | null): boolean {
  return Boolean(test?.company) && !test?.counts_shared && test?.warehouse_details.length === 0;
}

/** The `n` writes that move a level most (unknown current levels count from 0). */
export function largestChanges(writes: QuantityWrite[], n = 5): QuantityWrite[] {
  const size = (w: QuantityWrite) => Math.abs(w.available - (w.expected_current ?? 0));
  return [...writes].sort((a, b) => size(b) - size(a) || a.code.localeCompare(b.code)).slice(0, n);
}

/** What stops the health check: codes on several products (the merchant must see them, and
 *  may then go on with the matched products only), or nothing matched at all (a hard stop). */
export function healthBlocks(h: HealthView): 'duplicates' | 'none' | null {
  const dup = h.groups.find((g) => g.group === 'duplicate_codes');
  if (dup && dup.count > 0) return 'duplicates';
  return h.matched === 0 ? 'none' : null;
}

/** The codes found on several products (the health check names them). */
export function duplicateCodes(h: HealthView): string[] {
  const rows = h.groups.find((g) => g.group === 'duplicate_codes')?.rows ?? [];
  return [...new Set(rows.map((r) => r.code ?? '').filter((c) => c !== ''))];
}

/** One group as CSV (RFC 4180: fields with a comma, quote or line break are quoted). */
export function healthCsv(rows: HealthRow[]): string {
  const cell = (v: string) => (/[",\r\n]/.test(v) ? `"${v.replaceAll('"', '""')}"` : v);
  const lines = ['code,shopify,billing,stock,note'];
  for (const r of rows) {
    lines.push([r.code ?? '', r.shopify.join(' | '), r.billing.join(' | '), r.stock ?? '', r.note ?? ''].map(cell).join(','));
  }
  return lines.join('\r\n') + '\r\n';
}

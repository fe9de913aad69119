import { describe, expect, it } from 'vitest';
import { duplicateCodes, emptyWarehouse, healthBlocks, healthCsv, largestChanges, nextStep, noWarehouse, previousStep, showsFirstRun, startStep } from './firstrun';
import type { FirstRunView, HealthView, TestResult } from './types-app';

const view = (v: Partial<FirstRunView>): FirstRunView => ({ step: null, done: false, shopify_saved: false, billing_saved: false, ...v });

describe('showsFirstRun', () => {
  it('opens on a fresh install and on a saved step, never after the demo choice or the end', () => {
    expect(showsFirstRun(view({}))).toBe(true);
    expect(showsFirstRun(view({ step: 'health', shopify_saved: true, billing_saved: true }))).toBe(true);
    expect(showsFirstRun(view({ step: 'demo' }))).toBe(false);
    expect(showsFirstRun(view({ step: 'preview', done: true }))).toBe(false);
    // Connected before the guided path existed: the window opens as before.
    expect(showsFirstRun(view({ shopify_saved: true, billing_saved: true }))).toBe(false);
    expect(showsFirstRun(null)).toBe(false);
  });
  it('resumes on the saved step', () => {
    expect(startStep(view({ step: 'billing' }))).toBe('billing');
    expect(startStep(view({}))).toBe('welcome');
    expect(nextStep('health')).toBe('preview');
    expect(nextStep('preview')).toBe('preview');
    expect(previousStep('shopify')).toBe('welcome');
  });
});

describe('emptyWarehouse', () => {
  const test = (products: (number | null)[], inStock: (number | null)[] = products): TestResult => ({
    warehouses: [], series: [], vat_rates: [], locations: [], shop: null, scopes: null, missing_scopes: [],
    company: { name: null, cif: 'RO1' }, counts_shared: false,
    warehouse_details: products.map((p, i) => ({ id: `W${i}`, name: `Gestiune ${i}`, work_point: null, products: p, in_stock: inStock[i] ?? null })),
  });
  it('names the chosen (or first) warehouse when it holds nothing', () => {
    expect(emptyWarehouse(test([0, 4]), '')).toBe('Gestiune 0');
    expect(emptyWarehouse(test([0, 4]), 'W1')).toBeNull();
    expect(emptyWarehouse(test([null]), '')).toBeNull();
    expect(emptyWarehouse(null, '')).toBeNull();
  });
  it('stops on an account that lists no warehouse, except for shared (FGO) stock', () => {
    expect(noWarehouse(test([]))).toBe(true);
    expect(noWarehouse({ ...test([]), counts_shared: true })).toBe(false);
    expect(noWarehouse(test([2]))).toBe(false);
    expect(noWarehouse(null)).toBe(false);
  });
  it('counts a warehouse whose products all stand at 0 as empty', () => {
    expect(emptyWarehouse(test([3, 4], [0, 4]), 'W0')).toBe('Gestiune 0');
    expect(emptyWarehouse(test([3, 4], [1, 4]), 'W0')).toBeNull();
  });
});

describe('largestChanges', () => {
  it('orders by the size of the move, unknown levels counted from zero', () => {
    const w = (code: string, available: number, expected_current: number | null) => ({ inventory_item_id: 1, code, available, expected_current });
    const got = largestChanges([w('A', 5, 4), w('B', 0, 30), w('C', 12, null), w('D', 7, 7)], 3);
    expect(got.map((x) => x.code)).toEqual(['B', 'C', 'A']);
  });
});

describe('health', () => {
  const h = (dup: number, matched: number): HealthView => ({
    groups: [{ group: 'matched', count: matched, rows: [] }, { group: 'duplicate_codes', count: dup, rows: [] }],
    shopify_variants: 3, billing_products: 3, matched,
  });
  it('stops on duplicate codes and on nothing matched, otherwise goes on with the matched', () => {
    expect(healthBlocks(h(1, 5))).toBe('duplicates');
    expect(healthBlocks(h(0, 0))).toBe('none');
    expect(healthBlocks(h(0, 2))).toBeNull();
  });
  it('names each duplicate code once', () => {
    const v: HealthView = { groups: [{ group: 'duplicate_codes', count: 2, rows: [
      { code: 'X', shopify: ['a', 'b'], billing: [], stock: null, note: 'shopify' },
      { code: 'X', shopify: [], billing: ['c', 'd'], stock: null, note: 'billing' }] }], shopify_variants: 0, billing_products: 0, matched: 0 };
    expect(duplicateCodes(v)).toEqual(['X']);
  });
  it('writes CSV with quoting', () => {
    const csv = healthCsv([{ code: 'PT-1', shopify: ['Cană, mare', 'Cană "S"'], billing: [], stock: '3', note: null }]);
    expect(csv).toBe('code,shopify,billing,stock,note\r\nPT-1,"Cană, mare | Cană ""S""",,3,\r\n');
  });
});

// The Locations tab's draft and checks, and the Stock table's per-location columns (issue 18).
import { describe, expect, it } from 'vitest';
import { draftFromView, locationColumns, mappingProblems, moveUp, toSettings } from './locations';
import type { MappingView } from './types-locations';
import type { StockRow } from './types-stock';

const view: MappingView = {
  locations: [
    { id: 1, name: 'Depozit' },
    { id: 2, name: 'Showroom' },
    { id: 3, name: 'Târg' },
  ],
  warehouses: [{ id: 'Central', work_point: null, name: 'Central' }],
  billing: 'smart_bill',
  mapping: { links: [{ location_id: 2, name: 'Showroom', warehouse: 'Central', share_percent: 0 }], split: 'all_to_first' },
  connection_location: 2,
  connection_warehouse: 'Central',
  unmapped: [1, 3],
};

describe('location mapping draft', () => {
  it('lists mapped locations first, then the unmapped ones as not synced', () => {
    const d = draftFromView(view);
    expect(d.rows.map((r) => [r.location_id, r.warehouse])).toEqual([[2, 'Central'], [1, ''], [3, '']]);
  });

  it('needs at least one location mapped', () => {
    const d = draftFromView(view);
    d.rows[0]!.warehouse = '';
    expect(mappingProblems(d).map((p) => p.key)).toEqual(['loc.err.none']);
  });

  it('checks that the shares of a shared warehouse add up to 100 %, only under fixed shares', () => {
    const d = draftFromView(view);
    d.rows[1]!.warehouse = 'Central';
    d.rows[0]!.share = 60;
    d.rows[1]!.share = 30;
    expect(mappingProblems(d)).toEqual([]);
    d.split = 'fixed_shares';
    expect(mappingProblems(d)).toEqual([{ field: 'shares', key: 'loc.err.total', params: { warehouse: 'Central', total: 90 } }]);
    d.rows[1]!.share = 40;
    expect(mappingProblems(d)).toEqual([]);
    d.rows[1]!.share = 40.5;
    expect(mappingProblems(d).map((p) => p.field)).toContain('location.1');
  });

  it('saves mapped rows only, in order; a warehouse of one location gets 100 %', () => {
    const d = draftFromView(view);
    d.rows[1]!.warehouse = 'Central';
    d.rows[2]!.warehouse = 'Magazin';
    d.split = 'fixed_shares';
    d.rows[0]!.share = 70;
    d.rows[1]!.share = 30;
    moveUp(d, 1);
    expect(toSettings(d)).toEqual({
      split: 'fixed_shares',
      links: [
        { location_id: 1, name: 'Depozit', warehouse: 'Central', share_percent: 30 },
        { location_id: 2, name: 'Showroom', warehouse: 'Central', share_percent: 70 },
        { location_id: 3, name: 'Târg', warehouse: 'Magazin', share_percent: 100 },
      ],
    });
  });
});

describe('per-location Stock columns', () => {
  const row = (locations: StockRow['locations']): StockRow => ({
    code: 'A', title: 'A', variant_id: 1, inventory_item_id: 1, tracked: true, shopify_available: 1,
    billing_stock: 1, reserved: 0, buffer: 0, target: 1, status: 'in_sync', read_at: null, held_until: null, locations,
  });

  it('are shown only with two or more mapped locations', () => {
    expect(locationColumns([row(undefined)])).toEqual([]);
    expect(locationColumns([row([])])).toEqual([]);
    expect(locationColumns([row([{ location_id: 1, name: 'Depozit', available: 1, reserved: 0 }])])).toEqual([]);
    const two = [
      { location_id: 1, name: 'Depozit', available: 1, reserved: 0 },
      { location_id: 2, name: 'Showroom', available: 0, reserved: 2 },
    ];
    expect(locationColumns([row(two)])).toEqual([{ location_id: 1, name: 'Depozit' }, { location_id: 2, name: 'Showroom' }]);
  });
});

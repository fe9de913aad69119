import { describe, expect, it } from 'vitest';
import { chartPoints } from './chart';
import type { StockChange } from './types-stock';

const change = (at: string, after: number): StockChange => ({
  at, code: 'A', inventory_item_id: 1, before: null, after, reason: 'sync', source: 'engine', run: null,
});

describe('chartPoints', () => {
  it('orders points by time and draws a step line', () => {
    const c = chartPoints([change('2025-01-02T00:00:00Z', 5), change('2025-01-01T00:00:00Z', 10)], 100, 50, 10);
    expect(c.points.map((p) => p.value)).toEqual([10, 5]);
    expect(c.path.startsWith('M10.0,')).toBe(true);
    expect(c.path).toContain(' H92.0 V');
    expect(c.max).toBe(10);
    expect(c.min).toBe(0);
  });
  it('puts a higher value higher on screen', () => {
    const c = chartPoints([change('2025-01-01T00:00:00Z', 2), change('2025-01-02T00:00:00Z', 8)], 100, 50, 10);
    expect(c.points[1]!.y).toBeLessThan(c.points[0]!.y);
  });
  it('has no path for no changes', () => {
    expect(chartPoints([], 100, 50, 10).path).toBe('');
  });
});

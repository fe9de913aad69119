// The order detail's grouping of a Shopify bundle's component lines (issue 18).
import { describe, expect, it } from 'vitest';
import { groupLines } from './lineGroups';
import type { OrderLine } from './types';
import type { LineGroup } from './types-locations';

const line = (id: number, code: string, quantity: number): OrderLine => ({
  id, code, variant_id: null, title: `Produs ${code}`, quantity, refunded: 0, fulfilled: 0,
  unit_price: '10', discount: '0', vat_rate: '21', tax: '1.74', taxable: true,
});
const group = (lineId: number, id: number, quantity: number): LineGroup => ({
  line: lineId, group_id: id, title: `Cutie ${id}`, quantity, sku: `BOX-${id}`,
});

describe('order lines grouped by bundle', () => {
  it('puts a bundle’s components under one bundle row where its first component stood', () => {
    const lines = [line(1, 'C', 1), line(2, 'A', 4), line(3, 'B', 2), line(4, 'D', 1)];
    const rows = groupLines(lines, [group(2, 77, 2), group(3, 77, 2)]);
    expect(rows.map((r) => r.kind)).toEqual(['line', 'bundle', 'line']);
    const bundle = rows[1];
    if (bundle?.kind !== 'bundle') throw new Error('a bundle row');
    expect(bundle.bundle).toEqual({ group_id: 77, title: 'Cutie 77', quantity: 2, sku: 'BOX-77' });
    expect(bundle.lines.map((l) => l.code)).toEqual(['A', 'B']);
  });

  it('keeps two bundles apart, even interleaved, and every line exactly once', () => {
    const lines = [line(1, 'A', 2), line(2, 'A', 2), line(3, 'B', 1), line(4, 'B', 1)];
    const rows = groupLines(lines, [group(1, 5, 1), group(2, 6, 1), group(3, 5, 1), group(4, 6, 1)]);
    expect(rows.map((r) => (r.kind === 'bundle' ? [r.bundle.group_id, r.lines.map((l) => l.id)] : r.line.id)))
      .toEqual([[5, [1, 3]], [6, [2, 4]]]);
  });

  it('shows every line on its own when no group is known (an order before issue 18)', () => {
    const lines = [line(1, 'A', 1), line(2, 'B', 1)];
    expect(groupLines(lines)).toEqual([{ kind: 'line', line: lines[0] }, { kind: 'line', line: lines[1] }]);
    expect(groupLines(lines, [group(99, 1, 1)]).every((r) => r.kind === 'line')).toBe(true);
  });
});

import { describe, expect, it } from 'vitest';
import { parseRoute } from './route';

describe('parseRoute', () => {
  it('opens what a notification names', () => {
    expect(parseRoute('stock/PT-CANA')).toEqual({ view: 'stock', order: null, code: 'PT-CANA' });
    expect(parseRoute('orders/123')).toEqual({ view: 'orders', order: 123, code: null });
    expect(parseRoute('activity')).toEqual({ view: 'activity', order: null, code: null });
    expect(parseRoute('#/stock/A%2FB')).toEqual({ view: 'stock', order: null, code: 'A/B' });
  });
  it('ignores what it does not know', () => {
    expect(parseRoute('settings')).toBeNull();
    expect(parseRoute('orders/abc')).toEqual({ view: 'orders', order: null, code: null });
  });
});

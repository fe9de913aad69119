// Pure order-list logic: the filter chips map to the store's OrderQuery, and an OrderState maps to
// the words and styles the list shows. Kept out of components so it is unit-tested.
import type { MessageKey } from './i18n/ro';
import type { OrderCursor, OrderQuery, OrderState, Verdict } from './types';

export const ORDER_FILTERS = [
  'all',
  'open',
  'in_stock',
  'not_in_stock',
  'invoiced',
  'dispatched',
  'cancelled',
  'needs_review',
] as const;
export type OrderFilter = (typeof ORDER_FILTERS)[number];

export const PAGE_SIZE = 200;

/** The query for one page of the list (newest first; `after` continues from the last page). */
export function filterToQuery(
  filter: OrderFilter,
  search: string,
  after: OrderCursor | null = null,
  limit = PAGE_SIZE,
): OrderQuery {
  const text = search.trim();
  const base = { in_stock: null, search: text === '' ? null : text, newest_first: true, after, limit };
  switch (filter) {
    case 'all':
      return { ...base, status: 'all' };
    case 'open':
      return { ...base, status: 'pending' };
    case 'in_stock':
      return { ...base, status: 'pending', in_stock: true };
    case 'not_in_stock':
      return { ...base, status: 'pending', in_stock: false };
    case 'invoiced':
    case 'dispatched':
    case 'cancelled':
    case 'needs_review':
      return { ...base, status: filter };
  }
}

/** The label key for an order state. */
export function stateKey(state: OrderState): MessageKey {
  switch (state.state) {
    case 'open':
      return 'state.open';
    case 'invoiced':
      return state.stock_discharged ? 'state.invoiced' : 'state.invoicedKept';
    case 'dispatched':
      return 'state.dispatched';
    case 'cancelled':
      return 'state.cancelled';
  }
}

/** Whether an order in this state can still be invoiced / marked Dispatched (UI hint only). */
export function canInvoice(state: OrderState): boolean {
  return state.state === 'open';
}
export function canDispatch(state: OrderState): boolean {
  return state.state === 'open' || (state.state === 'invoiced' && !state.stock_discharged);
}

/** The InStock explanation stored as text: a serialised Verdict when it parses, else null. */
export function parseVerdict(text: string | null): Verdict | null {
  if (!text) return null;
  try {
    const v: unknown = JSON.parse(text);
    if (typeof v === 'object' && v !== null && 'verdict' in v) {
      const verdict = (v as { verdict: unknown }).verdict;
      if (verdict === 'in_stock') return { verdict: 'in_stock' };
      if (verdict === 'not_in_stock' && Array.isArray((v as { shortfalls?: unknown }).shortfalls)) {
        return v as Verdict;
      }
    }
  } catch {
    // Plain text: shown as is.
  }
  return null;
}

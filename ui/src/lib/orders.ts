// Pure order-list logic: the filter chips map to the store's OrderQuery, and an OrderState maps to
// the words and styles the list shows. Kept out of components so it is unit-tested.
import type { MessageKey } from './i18n/ro';
import type { OrderCursor, OrderDocument, OrderQuery, OrderState, Shortfall, SpvState } from './types';

export const ORDER_FILTERS = [
  'all',
  'open',
  'in_stock',
  'not_in_stock',
  'invoiced',
  'dispatched',
  'cancelled',
  'needs_review',
  'refund_without_credit',
  'spv_rejected',
  'spv_not_sent',
  'spv_in_progress',
  'cod_unpaid',
  'cod_unpaid_before',
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
    case 'refund_without_credit':
      return { ...base, status: filter };
    case 'spv_rejected':
      return { ...base, status: 'all', efactura: 'rejected' };
    case 'spv_not_sent':
      return { ...base, status: 'all', efactura: 'not_sent' };
    case 'spv_in_progress':
      return { ...base, status: 'all', efactura: 'in_progress' };
    case 'cod_unpaid':
      // The cut-off (now minus the merchant's N days) is the backend's: it knows the setting.
      return { ...base, status: 'all', unpaid_cod: true };
    case 'cod_unpaid_before':
      // Fulfilled before Punte was connected: their own list, so they never bury Punte's own.
      return { ...base, status: 'all', unpaid_cod: true, unpaid_cod_before_connection: true };
  }
}

/** The label key of an e-Factura state. */
export function spvKey(state: SpvState): MessageKey {
  switch (state.state) {
    case 'not_sent':
      return 'spv.not_sent';
    case 'in_progress':
      return 'spv.in_progress';
    case 'accepted':
      return 'spv.accepted';
    case 'rejected':
      return 'spv.rejected';
    case 'sent_by_service':
      return 'spv.sent_by_service';
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

/** One product an order is short of, as the backend explains it (store `instock_detail`):
 *  the names of the older InStock orders that took it (the first few) and how many there were. */
export interface Explained {
  code: string;
  needed: number;
  available: number;
  left: number;
  short_by: number;
  takers: string[];
  takers_total: number;
}

/** The InStock explanation stored as text: `{verdict: "not_in_stock", shortfalls}` (or, from
 *  older versions, a bare list of shortfalls without names); null when it does not parse. */
export function parseVerdict(text: string | null): Explained[] | null {
  if (!text) return null;
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    return null;
  }
  const list = Array.isArray(v)
    ? v
    : typeof v === 'object' && v !== null && (v as { verdict?: unknown }).verdict === 'not_in_stock'
      ? (v as { shortfalls?: unknown }).shortfalls
      : null;
  if (!Array.isArray(list)) return null;
  return list.map((raw) => {
    const s = raw as Partial<Shortfall & Explained>;
    const takers = Array.isArray(s.takers) ? s.takers.map(String) : [];
    return {
      code: String(s.code ?? ''),
      needed: Number(s.needed ?? 0),
      available: Number(s.available ?? 0),
      left: Number(s.left ?? 0),
      short_by: Number(s.short_by ?? 0),
      takers,
      takers_total: Number(s.takers_total ?? s.earlier_takers ?? takers.length),
    };
  });
}

/** One row of the order's documents as the detail view shows it: what it is, its number (or a
 *  dash while it has none), the state's label key and whether it waits for the merchant. */
export function documentRow(d: OrderDocument): {
  kindKey: MessageKey;
  label: string;
  stateKey: MessageKey;
  attention: boolean;
} {
  const label = d.series && d.number ? `${d.series} ${d.number}` : '—';
  return {
    kindKey: d.kind === 'invoice' ? 'doc.invoice' : 'doc.credit',
    label,
    stateKey: d.state === 'not_needed' ? 'doc.notNeeded' : `outbox.${d.state}`,
    attention: d.state === 'needs_review' || d.state === 'failed',
  };
}

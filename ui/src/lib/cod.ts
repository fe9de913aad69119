// Cash on delivery in the window (issue 17), kept out of components so it is unit-tested: when
// the order detail offers "Mark as paid (collected)", how the answer and the recorded collection
// are worded, and the Orders chip's label with the merchant's N days and the count.
import { t } from './i18n/index.svelte';
import type { MessageKey } from './i18n/ro';
import { errorText, pickLanguage } from './words';
import type { CollectionOutcome, CollectionView, UnpaidCount } from './types-cod';
import type { ErrorInfo, OrderDetailView } from './types';

/** A text to show: a dictionary key with its parameters, a backend error, or a "ro / en" text. */
export type Worded =
  | { key: MessageKey; params?: Record<string, string | number> }
  | { error: ErrorInfo }
  | { text: string };

/** The button shows for a cash-on-delivery order with a confirmed invoice, not cancelled, whose
 *  collection is not recorded yet (none, or one still on its way: pressing again settles it). */
export function canMarkPaid(d: OrderDetailView): boolean {
  const cod = d.cod;
  if (!cod || !cod.cash_on_delivery) return false;
  if (!d.invoice || d.order.state.state === 'cancelled') return false;
  const c = cod.collection;
  return c === null || c.state === 'intent' || c.state === 'sent';
}

/** What the merchant reads after pressing the button. */
export function collectionNote(o: CollectionOutcome): Worded {
  switch (o.result) {
    case 'recorded':
      return { key: 'cod.recorded', params: { invoice: o.invoice } };
    case 'already_recorded':
      return { key: 'cod.already', params: { invoice: o.invoice } };
    case 'waiting_for_invoice':
      return { key: 'cod.waitingInvoice' };
    case 'waiting_for_credit':
      return { key: 'cod.waitingCredit' };
    case 'waiting':
      return { error: o.error };
    case 'needs_review':
      return { text: o.detail };
    case 'unsettled':
      return { key: 'cod.unsettled', params: { until: o.until } };
  }
}

/** One line for the collection the order has (or a dash key when none). */
export function collectionLine(c: CollectionView | null): Worded {
  if (!c) return { key: 'cod.none' };
  const invoice = c.invoice ?? '—';
  switch (c.state) {
    case 'confirmed':
      return { key: 'cod.collected', params: { on: c.collected_on, invoice, amount: c.amount ?? '—' } };
    case 'needs_review':
      return c.detail ? { text: c.detail } : { key: 'outbox.needs_review' };
    case 'intent':
    case 'sent':
      return { key: 'cod.pending', params: { on: c.collected_on } };
  }
}

/** The chip "Cash on delivery unpaid after N days (count)"; without an answer yet, no numbers. */
export function unpaidChip(count: UnpaidCount | null): Worded {
  return count
    ? { key: 'orders.filter.cod_unpaid', params: { days: t('count.days', { n: count.days }), n: count.count } }
    : { key: 'orders.filter.cod_unpaidPlain' };
}

/** The chip of unpaid cash on delivery from before Punte was connected: shown only while there
 *  are some (or while it is the chosen filter, so the merchant is never left on a hidden chip). */
export function beforeChip(count: UnpaidCount | null, chosen: boolean): Worded | null {
  const n = count?.before_connection ?? 0;
  if (n > 0 && count) return { key: 'orders.filter.cod_unpaid_before', params: { n } };
  return chosen ? { key: 'orders.filter.cod_unpaid_beforePlain' } : null;
}

/** The text of `w` in the window's language. */
export function say(w: Worded): string {
  if ('key' in w) return t(w.key, w.params);
  if ('error' in w) return errorText(w.error);
  return pickLanguage(w.text);
}

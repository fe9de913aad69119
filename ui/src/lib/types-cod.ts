// Cash on delivery (issue 17): the order detail's payment facts and collection, the outcome of
// "Mark as paid (collected)" and the Orders chip's count. Mirrors src-tauri commands/collections.rs.
import type { ErrorInfo, Rfc3339 } from './types';

/** store::CollectionState. */
export type CollectionState = 'intent' | 'sent' | 'confirmed' | 'needs_review';

/** The shell's CollectionView: a collection recorded (or on its way) on the order's invoice. */
export interface CollectionView {
  state: CollectionState;
  source: 'shopify' | 'merchant';
  /** yyyy-mm-dd, Europe/Bucharest. */
  collected_on: string;
  /** "FCT 0007": the invoice it was recorded on. */
  invoice: string | null;
  amount: string | null;
  /** Why it waits for the merchant (Romanian / English), or how it was settled. */
  detail: string | null;
}

/** The shell's CodView: store::CodPayment flattened, plus the collection. */
export interface CodView {
  cash_on_delivery: boolean;
  financial_status: string | null;
  fulfillment_status: string;
  fulfilled_at: Rfc3339 | null;
  paid_at: Rfc3339 | null;
  collection: CollectionView | null;
}

/** engine::collections::CollectionOutcome — tagged with `result`. */
export type CollectionOutcome =
  | { result: 'recorded'; invoice: string }
  | { result: 'already_recorded'; invoice: string }
  | { result: 'waiting_for_invoice' }
  | { result: 'waiting_for_credit' }
  | { result: 'waiting'; error: ErrorInfo }
  | { result: 'needs_review'; detail: string }
  /** A lost answer not settled yet: read again after `until` ("yyyy-mm-dd hh:mm", Bucharest). */
  | { result: 'unsettled'; until: string };

/** `unpaid_cod_count`: COD orders unpaid after `days` days (the merchant's setting). */
export interface UnpaidCount {
  days: number;
  count: number;
  /** The same, for orders handled before Punte was connected (their own chip); absent from an
   *  older backend. */
  before_connection?: number;
}

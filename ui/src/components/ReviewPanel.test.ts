// The review panel's way out for a Shopify cancellation in review (issue 16): shown only while
// the backend says the cancellation waits, it sends "handled in the billing service" with the
// merchant's note through `resolve_review`; a failed credit note gets the way out of one in review.
import { afterEach, describe, expect, it } from 'vitest';
import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { clearMocks, mockIPC } from '@tauri-apps/api/mocks';
import { setLocale } from '../lib/i18n/index.svelte';
import type { OrderDetailView } from '../lib/types';
import ReviewPanel from './ReviewPanel.svelte';

afterEach(() => clearMocks());

const cancelled = (why: string | null): OrderDetailView =>
  ({
    order: { id: 7, name: '#1007', state: { state: 'cancelled' } },
    outbox_state: 'confirmed',
    review_detail: null,
    documents: [
      { kind: 'invoice', state: 'confirmed', series: 'FCT', number: '0001', link: null, refund_id: null, detail: null },
      { kind: 'credit_note', state: 'confirmed', series: 'FCT', number: '0002', link: null, refund_id: 9001, detail: null },
    ],
    cancel_review: why,
  }) as unknown as OrderDetailView;

describe('Review panel, cancellation in review', () => {
  it('offers "handled in the billing service" with a note, and only when the cancellation waits', async () => {
    setLocale('en');
    const sent: unknown[] = [];
    const notes: unknown[] = [];
    mockIPC((cmd, args) => {
      if (cmd === 'resolve_review') {
        sent.push(args);
        return { result: 'not_needed' };
      }
      throw { code: 'ui.missing', message: cmd };
    });
    const why = 'Comanda a fost anulată … / The order was cancelled in Shopify after a credit note for part of its invoice';
    render(ReviewPanel, { id: 7, detail: cancelled(why), onresult: (n: unknown) => notes.push(n) });
    expect(screen.getByTestId('cancel-review-detail').textContent).toContain('after a credit note');
    expect(screen.queryByTestId('order-review')).toBeNull();
    await fireEvent.input(screen.getByTestId('cancel-note'), { target: { value: 'Storno pentru rest emis manual' } });
    await fireEvent.click(screen.getByTestId('cancel-handled'));
    await waitFor(() => expect(sent).toHaveLength(1));
    expect(sent[0]).toEqual({ id: 7, resolution: { kind: 'cancel_handled', note: 'Storno pentru rest emis manual' } });
    await waitFor(() => expect(notes).toEqual([{ text: 'Noted: the cancellation was handled in the billing service.' }]));
  });

  it('shows nothing for a cancellation that does not wait', () => {
    render(ReviewPanel, { id: 7, detail: cancelled(null), onresult: () => {} });
    expect(screen.queryByTestId('cancel-review')).toBeNull();
  });
});

const credit = (state: string, detail: string | null) => ({
  kind: 'credit_note', state, series: null, number: null, link: null, refund_id: 9002, detail,
});

const invoiced = (documents: unknown[]): OrderDetailView => ({
  outbox_state: 'confirmed', review_detail: null, review_held: false,
  invoice: { series: 'FCT', number: '0001', link: null },
  documents: [
    { kind: 'invoice', state: 'confirmed', series: 'FCT', number: '0001', link: null, refund_id: null, detail: null },
    ...documents,
  ],
} as unknown as OrderDetailView);

describe('a failed credit note has the same way out as one in review (s6-credfix)', () => {
  it('offers retry, issued by hand and not needed for a failed credit note, and says why it failed', async () => {
    setLocale('en');
    const sent: unknown[] = [];
    mockIPC((cmd, args) => {
      if (cmd === 'resolve_review') {
        sent.push((args as { resolution: unknown }).resolution);
        return { result: 'issued', series: 'FCT', number: '0003' };
      }
      throw { code: 'ui.missing', message: cmd };
    });
    const notes: unknown[] = [];
    const refused = 'SmartBill did not accept the credentials. Check the e-mail, token or key in the settings.';
    render(ReviewPanel, { id: 7, detail: invoiced([credit('failed', refused)]), onresult: (n) => notes.push(n) });
    const card = await screen.findByTestId('credit-review');
    expect(card.dataset.state).toBe('failed');
    expect(card.textContent).toContain('refund 9002');
    expect(screen.getByTestId('credit-review-detail').textContent).toBe(refused);
    expect(screen.getByTestId('credit-by-hand')).toBeTruthy();
    expect(screen.getByTestId('credit-not-needed')).toBeTruthy();
    await fireEvent.click(screen.getByTestId('credit-retry'));
    await waitFor(() => expect(sent).toEqual([{ kind: 'credit_retry', refund: 9002 }]));
    await waitFor(() => expect(notes).toHaveLength(1));
  });

  it('offers nothing for a credit note on its way or confirmed', () => {
    setLocale('en');
    render(ReviewPanel, {
      id: 7,
      detail: invoiced([credit('sent', null), { ...credit('confirmed', null), refund_id: 9003 }]),
      onresult: () => {},
    });
    expect(screen.queryByTestId('credit-review')).toBeNull();
  });
});

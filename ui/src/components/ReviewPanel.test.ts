import { afterEach, describe, expect, it } from 'vitest';
import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { clearMocks, mockIPC } from '@tauri-apps/api/mocks';
import { setLocale } from '../lib/i18n/index.svelte';
import type { OrderDetailView } from '../lib/types';
import ReviewPanel from './ReviewPanel.svelte';

afterEach(() => clearMocks());

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

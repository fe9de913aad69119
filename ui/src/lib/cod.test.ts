import { describe, expect, it } from 'vitest';
import { setLocale } from './i18n/index.svelte';
import { canMarkPaid, collectionLine, collectionNote, say, unpaidChip } from './cod';
import type { CodView, CollectionView } from './types-cod';
import type { OrderDetailView, OrderState } from './types';

const collection = (state: CollectionView['state']): CollectionView => ({
  state, source: 'merchant', collected_on: '2026-11-30', invoice: 'FCT 0007', amount: '242.00', detail: null,
});

function detail(opts: { cod?: boolean | null; invoiced?: boolean; state?: OrderState; collection?: CollectionView | null }) {
  const cod: CodView | null =
    opts.cod === null ? null
    : { cash_on_delivery: opts.cod ?? true, financial_status: 'PENDING', fulfillment_status: 'FULFILLED',
        fulfilled_at: '2026-11-20T10:00:00Z', paid_at: null, collection: opts.collection ?? null };
  return {
    order: { state: opts.state ?? { state: 'invoiced', stock_discharged: true } },
    invoice: opts.invoiced === false ? null : { series: 'FCT', number: '0007', link: null },
    cod,
  } as unknown as OrderDetailView;
}

describe('"Mark as paid (collected)" is offered', () => {
  it.each([
    ['a COD order, invoiced, nothing collected', {}, true],
    ['a collection still on its way (pressing again settles it)', { collection: collection('intent') }, true],
    ['a collection sent, answer not read yet', { collection: collection('sent') }, true],
    ['already collected', { collection: collection('confirmed') }, false],
    ['a collection waiting for the merchant in review', { collection: collection('needs_review') }, false],
    ['not invoiced yet', { invoiced: false }, false],
    ['paid by card', { cod: false }, false],
    ['no payment facts imported', { cod: null }, false],
    ['cancelled', { state: { state: 'cancelled' } as OrderState }, false],
  ] as const)('%s → %s', (_name, opts, shown) => {
    expect(canMarkPaid(detail(opts))).toBe(shown);
  });
});

describe('the words around a collection', () => {
  it('say what happened after the click, in the window’s language', () => {
    setLocale('en');
    expect(say(collectionNote({ result: 'recorded', invoice: 'FCT 0007' }))).toContain('recorded on invoice FCT 0007');
    expect(say(collectionNote({ result: 'already_recorded', invoice: 'FCT 0007' }))).toMatch(/^Already collected/);
    expect(say(collectionNote({ result: 'needs_review', detail: 'Verificați / Check it' }))).toBe('Check it');
    const error = { code: 'billing.unavailable', message: 'x', params: { ro: 'Indisponibil', en: 'Unavailable' } };
    expect(say(collectionNote({ result: 'waiting', error }))).toBe('Unavailable');
    setLocale('ro');
    expect(say(collectionNote({ result: 'already_recorded', invoice: 'FCT 0007' }))).toMatch(/^Comanda este deja încasată/);
    expect(say(collectionLine(collection('confirmed')))).toBe('Încasată pe 2026-11-30: 242.00 pe factura FCT 0007.');
    expect(say(collectionLine(null))).toBe('Nicio încasare înregistrată încă.');
  });

  it('label the unpaid chip with the days and the count', () => {
    setLocale('ro');
    expect(say(unpaidChip({ days: 10, count: 3 }))).toBe('Ramburs neîncasat după 10 zile (3)');
    expect(say(unpaidChip({ days: 20, count: 0 }))).toBe('Ramburs neîncasat după 20 de zile (0)');
    expect(say(unpaidChip({ days: 1, count: 1 }))).toBe('Ramburs neîncasat după 1 zi (1)');
    setLocale('en');
    expect(say(unpaidChip({ days: 10, count: 3 }))).toBe('Cash on delivery unpaid after 10 days (3)');
    expect(say(unpaidChip(null))).toBe('Cash on delivery unpaid');
  });
});

describe('every collection outcome has words (s6-credfix)', () => {
  it('says a collection waits for a credit note, and until when a lost answer stays unsettled', () => {
    setLocale('en');
    expect(say(collectionNote({ result: 'waiting_for_credit' }))).toBe(
      'A credit note of this order is not issued yet (on its way, or waiting for your decision): the collection is recorded after it, for the amount left.',
    );
    expect(say(collectionNote({ result: 'unsettled', until: '2026-12-05 14:30' }))).toBe(
      'The answer to the collection was lost. Punte reads the invoice again after 2026-12-05 14:30 (Romania time) and sends nothing before.',
    );
    setLocale('ro');
    expect(say(collectionNote({ result: 'waiting_for_credit' }))).toBe(
      'O notă de credit a comenzii nu este emisă încă (e în curs sau așteaptă decizia dumneavoastră): încasarea se înregistrează după ea, cu suma rămasă.',
    );
    expect(say(collectionNote({ result: 'unsettled', until: '2026-12-05 14:30' }))).toBe(
      'Răspunsul la încasare s-a pierdut. Punte citește din nou factura după 2026-12-05 14:30 (ora României) și nu trimite nimic până atunci.',
    );
  });
});

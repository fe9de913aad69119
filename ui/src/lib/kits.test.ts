// The kit editor's checks before a recipe is sent (issue 18).
import { describe, expect, it } from 'vitest';
import { cleanKit, kitProblems, newKit } from './kits';
import type { Kit } from './types-locations';

const kit = (code: string, parts: [string, number][]): Kit => ({
  code,
  title: code,
  components: parts.map(([c, quantity]) => ({ code: c, quantity })),
});

describe('kit editor checks', () => {
  const others = [kit('BOX', [['C', 1]]), kit('BIG', [['GIFT-2', 1]])];

  it('accepts a recipe of distinct codes with whole quantities from 1', () => {
    expect(kitProblems(kit('GIFT', [['A', 2], ['B', 1]]), others)).toEqual([]);
  });

  it.each([
    [kit('', [['A', 1]]), 'code', 'kit.err.code'],
    [kit('GIFT', []), 'components', 'kit.err.empty'],
    [kit('GIFT', [['A', 0]]), 'components.0', 'kit.err.quantity'],
    [kit('GIFT', [['A', 1.5]]), 'components.0', 'kit.err.quantity'],
    [kit('GIFT', [['A', 1], ['A', 2]]), 'components.1', 'kit.err.twice'],
    [kit('GIFT', [['BOX', 1]]), 'components.0', 'kit.err.nested'],
    [kit('GIFT', [['GIFT', 1]]), 'components.0', 'kit.err.itself'],
    [kit('GIFT', [['', 1]]), 'components.0', 'kit.err.noCode'],
    [kit('GIFT-2', [['A', 1]]), 'code', 'kit.err.inKit'],
    [kit('BOX', [['A', 1]]), 'code', 'kit.err.taken'],
  ])('refuses %j on %s', (k, field, key) => {
    expect(kitProblems(k, others)).toContainEqual(expect.objectContaining({ field, key }));
  });

  it('trims codes and drops blank rows before sending', () => {
    const draft = { ...newKit(), code: ' GIFT ', components: [{ code: ' A ', quantity: 2 }, { code: '', quantity: '' as unknown as number }] };
    expect(cleanKit(draft).components).toEqual([{ code: 'A', quantity: 2 }]);
    expect(cleanKit(draft).code).toBe('GIFT');
  });
});

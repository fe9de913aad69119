import { describe, expect, it } from 'vitest';
import {
  formatDateTime as fmtDate,
  formatMoney as fmtMoney,
  formatPercent,
  formatQty,
  roundDecimal,
} from './format';

// Intl puts no-break spaces in amounts and dates; compare with plain spaces.
const plain = (s: string) => s.replace(/[\u00a0\u202f]/g, ' ');
const formatMoney = (...a: Parameters<typeof fmtMoney>) => plain(fmtMoney(...a));
const formatDateTime = (...a: Parameters<typeof fmtDate>) => plain(fmtDate(...a));

describe('formatMoney', () => {
  it.each([
    ['0', '0,00 RON'],
    ['1234.5', '1.234,50 RON'],
    ['1234567.891', '1.234.567,89 RON'],
    ['-12.345', '-12,35 RON'],
    ['-0.004', '0,00 RON'],
    ['-0.5', '-0,50 RON'],
    ['0.005', '0,01 RON'],
    ['999.995', '1.000,00 RON'],
    // Beyond float precision: 2^53 + 1 would lose its last digit in a Number.
    ['9007199254740993.10', '9.007.199.254.740.993,10 RON'],
  ])('%s → %s', (raw, shown) => {
    expect(formatMoney(raw)).toBe(shown);
  });

  it('keeps text that is not a decimal visible', () => {
    expect(formatMoney('abc')).toBe('abc RON');
  });

  it('formats other currencies the same way', () => {
    expect(formatMoney('10', 'EUR')).toBe('10,00 EUR');
  });
});

describe('roundDecimal', () => {
  it('rounds half away from zero like rust_decimal', () => {
    expect(roundDecimal('2.345')).toEqual({ negative: false, int: 2n, frac: '35' });
    expect(roundDecimal('-2.345')).toEqual({ negative: true, int: 2n, frac: '35' });
    expect(roundDecimal('2.344')).toEqual({ negative: false, int: 2n, frac: '34' });
  });
  it('rejects what is not a decimal', () => {
    expect(() => roundDecimal('1e5')).toThrow(RangeError);
  });
});

describe('formatPercent', () => {
  it('drops trailing zeros and uses a comma', () => {
    expect(formatPercent('21.00')).toBe('21 %');
    expect(formatPercent('9.50')).toBe('9,5 %');
  });
});

describe('formatDateTime (Europe/Bucharest)', () => {
  it('shows winter time as UTC+2', () => {
    expect(formatDateTime('2025-01-15T10:00:00Z', 'ro')).toBe('15.01.2025, 12:00');
  });
  it('shows summer time as UTC+3', () => {
    expect(formatDateTime('2025-07-15T10:00:00Z', 'ro')).toBe('15.07.2025, 13:00');
  });
  it('jumps an hour at the spring DST change (30 March 2025, 03:00 → 04:00)', () => {
    expect(formatDateTime('2025-03-30T00:30:00Z', 'ro', 'time')).toBe('02:30');
    expect(formatDateTime('2025-03-30T01:30:00Z', 'ro', 'time')).toBe('04:30');
  });
  it('repeats an hour at the autumn DST change (26 October 2025)', () => {
    expect(formatDateTime('2025-10-26T00:30:00Z', 'en', 'time')).toBe('03:30');
    expect(formatDateTime('2025-10-26T01:30:00Z', 'en', 'time')).toBe('03:30');
  });
  it('crosses midnight into the Bucharest date', () => {
    expect(formatDateTime('2025-12-31T22:30:00Z', 'en', 'date')).toBe('01/01/2026');
  });
  it('shows a dash for no time and the raw text for a bad one', () => {
    expect(formatDateTime(null, 'ro')).toBe('—');
    expect(formatDateTime('soon', 'ro')).toBe('soon');
  });
});

describe('formatQty', () => {
  it('groups thousands the Romanian way', () => {
    expect(formatQty(12345)).toBe('12.345');
    expect(formatQty(null)).toBe('—');
  });
});

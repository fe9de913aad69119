// Formatting for people: amounts in RON (ro-RO) straight from decimal strings, and times in
// Europe/Bucharest. Money never goes through floating point: the decimal string is rounded as
// text and only the integer part is handed to Intl as a BigInt, for grouping.

const DECIMAL = /^([+-])?(\d+)(?:\.(\d+))?$/;

/** Rounds a decimal string to `places` digits, half away from zero (as rust_decimal's round_dp). */
export function roundDecimal(value: string, places = 2): { negative: boolean; int: bigint; frac: string } {
  const m = DECIMAL.exec(value.trim());
  if (!m) throw new RangeError(`not a decimal: ${JSON.stringify(value)}`);
  const negative = m[1] === '-';
  const fracAll = (m[3] ?? '').padEnd(places + 1, '0');
  const scaled = BigInt((m[2] ?? '0') + fracAll.slice(0, places));
  const roundUp = Number(fracAll[places]) >= 5;
  const total = scaled + (roundUp ? 1n : 0n);
  const unit = 10n ** BigInt(places);
  const int = total / unit;
  const frac = places === 0 ? '' : (total % unit).toString().padStart(places, '0');
  const zero = total === 0n;
  return { negative: negative && !zero, int, frac };
}

const moneyFormats = new Map<string, Intl.NumberFormat>();
function moneyFormat(currency: string): Intl.NumberFormat {
  let f = moneyFormats.get(currency);
  if (!f) {
    f = new Intl.NumberFormat('ro-RO', { style: 'currency', currency, minimumFractionDigits: 2 });
    moneyFormats.set(currency, f);
  }
  return f;
}

/** "1234.5" → "1.234,50 RON". Shows the raw text if it is not a decimal, rather than failing. */
export function formatMoney(value: string, currency = 'RON'): string {
  let r: ReturnType<typeof roundDecimal>;
  try {
    r = roundDecimal(value, 2);
  } catch {
    return `${value} ${currency}`;
  }
  // Format ±1 (or the integer) to get sign, grouping and currency placement, then put our digits in.
  const parts = moneyFormat(currency).formatToParts(r.negative ? -(r.int === 0n ? 1n : r.int) : r.int);
  const intText = new Intl.NumberFormat('ro-RO').format(r.int);
  let intDone = false;
  return parts
    .map((p) => {
      if (p.type === 'integer' || p.type === 'group') {
        if (intDone) return '';
        intDone = true;
        return intText;
      }
      if (p.type === 'fraction') return r.frac;
      return p.value;
    })
    .join('');
}

/** "21.00" → "21 %", "9.5" → "9,5 %" (text only: no float). */
export function formatPercent(value: string): string {
  const m = DECIMAL.exec(value.trim());
  if (!m) return value;
  const frac = (m[3] ?? '').replace(/0+$/, '');
  return `${m[1] === '-' ? '-' : ''}${m[2]}${frac ? `,${frac}` : ''} %`;
}

export const BUCHAREST = 'Europe/Bucharest';
export type Locale = 'ro' | 'en';
const intlLocale = (l: Locale) => (l === 'ro' ? 'ro-RO' : 'en-GB');

const dateFormats = new Map<string, Intl.DateTimeFormat>();
function dateFormat(locale: Locale, kind: 'datetime' | 'date' | 'time'): Intl.DateTimeFormat {
  const key = `${locale}:${kind}`;
  let f = dateFormats.get(key);
  if (!f) {
    const opts: Intl.DateTimeFormatOptions =
      kind === 'datetime'
        ? { dateStyle: 'short', timeStyle: 'short' }
        : kind === 'date'
          ? { dateStyle: 'short' }
          : { timeStyle: 'short' };
    f = new Intl.DateTimeFormat(intlLocale(locale), { ...opts, timeZone: BUCHAREST });
    dateFormats.set(key, f);
  }
  return f;
}

/** An RFC 3339 UTC time shown as Bucharest wall-clock time; "—" for null, raw text if invalid. */
export function formatDateTime(
  value: string | null | undefined,
  locale: Locale,
  kind: 'datetime' | 'date' | 'time' = 'datetime',
): string {
  if (!value) return '—';
  const d = new Date(value);
  if (Number.isNaN(d.getTime())) return value;
  return dateFormat(locale, kind).format(d);
}

/** Whole numbers (stock quantities) with ro-RO grouping; "—" for null. */
export function formatQty(value: number | null | undefined): string {
  return value === null || value === undefined ? '—' : new Intl.NumberFormat('ro-RO').format(value);
}

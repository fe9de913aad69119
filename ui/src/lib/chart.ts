// Geometry for the stock-history chart: changes (oldest first after sorting) to SVG points and a
// step path. Pure, so it is unit-tested without a DOM.
import type { StockChange } from './types-stock';

export interface ChartPoint {
  x: number;
  y: number;
  value: number;
  at: string;
}

export function chartPoints(changes: StockChange[], width: number, height: number, pad: number) {
  const sorted = [...changes].sort((a, b) => a.at.localeCompare(b.at));
  const values = sorted.map((c) => c.after);
  const min = Math.min(0, ...values);
  const max = Math.max(1, ...values);
  const span = max - min || 1;
  const n = sorted.length;
  const x = (i: number) => (n <= 1 ? width / 2 : pad + (i * (width - pad - 8)) / (n - 1));
  const y = (v: number) => height - pad - ((v - min) * (height - pad - 8)) / span;
  const points: ChartPoint[] = sorted.map((c, i) => ({ x: x(i), y: y(c.after), value: c.after, at: c.at }));
  let path = '';
  points.forEach((p, i) => {
    if (i === 0) path = `M${p.x.toFixed(1)},${p.y.toFixed(1)}`;
    else path += ` H${p.x.toFixed(1)} V${p.y.toFixed(1)}`;
  });
  return { points, path, min, max };
}

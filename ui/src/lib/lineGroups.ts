// Pure logic of the order detail's lines (issue 18): the component lines of one Shopify bundle
// (`lineItemGroup`) shown together under one bundle row, where the bundle's first component
// stood; every other line, and a line whose group names no line of the order, on its own.
import type { OrderLine } from './types';
import type { LineGroup } from './types-locations';

export interface BundleHead {
  group_id: number;
  title: string;
  /** Bundles ordered. */
  quantity: number;
  sku: string | null;
}

export type LineRow =
  | { kind: 'line'; line: OrderLine }
  | { kind: 'bundle'; bundle: BundleHead; lines: OrderLine[] };

/** The order's lines in their order, each bundle's components gathered under it. */
export function groupLines(lines: OrderLine[], groups: LineGroup[] = []): LineRow[] {
  const byLine = new Map(groups.map((g) => [g.line, g]));
  const bundles = new Map<number, Extract<LineRow, { kind: 'bundle' }>>();
  const rows: LineRow[] = [];
  for (const line of lines) {
    const g = byLine.get(line.id);
    if (!g) {
      rows.push({ kind: 'line', line });
      continue;
    }
    let row = bundles.get(g.group_id);
    if (!row) {
      row = {
        kind: 'bundle',
        bundle: { group_id: g.group_id, title: g.title, quantity: g.quantity, sku: g.sku },
        lines: [],
      };
      bundles.set(g.group_id, row);
      rows.push(row);
    }
    row.lines.push(line);
  }
  return rows;
}

// Routes the window can open: from the address (#/stock/PT-CANA, handy for tests and
// screenshots) or from a clicked system notification (`app://navigate`, e.g. "orders/123").
export type View = 'orders' | 'stock' | 'activity' | 'profile';
export const VIEW_IDS: readonly View[] = ['orders', 'stock', 'activity', 'profile'];

export interface Route {
  view: View;
  /** An order to open (orders/<id>). */
  order: number | null;
  /** A product to pick (stock/<code>). */
  code: string | null;
}

/** The route of "view[/arg]"; null for anything else. */
export function parseRoute(route: string): Route | null {
  const [to, ...rest] = route.replace(/^#?\/?/, '').split('/');
  const view = VIEW_IDS.find((v) => v === to);
  if (!view) return null;
  const arg = rest.join('/');
  const id = view === 'orders' && /^\d+$/.test(arg) ? Number(arg) : null;
  let code: string | null = null;
  if (view === 'stock' && arg) {
    try {
      code = decodeURIComponent(arg);
    } catch {
      code = arg;
    }
  }
  return { view, order: id, code };
}

import { describe, expect, it } from 'vitest';
import { applyEvent, live, progressPercent } from './live.svelte';

describe('live engine state', () => {
  it('shows progress, then clears it and bumps the revision when the run finishes', () => {
    const before = live.revision;
    applyEvent({ type: 'progress', phase: 'write_levels', done: 5, total: 20 });
    expect(progressPercent(live.progress)).toBe(25);
    applyEvent({
      type: 'run_finished', run_id: 9, outcome: { outcome: 'ok' }, started_at: 'a', finished_at: 'b',
      counts: { orders_imported: 1, products_in_scope: 2, products_written: 3, stale_retries: 0, findings: 0, invoices_issued: 0 },
      calls: { shopify: 1, shopify_writes: 1, billing: 1 },
    });
    expect(live.progress).toBeNull();
    expect(live.lastRun?.run_id).toBe(9);
    expect(live.lastRun).not.toHaveProperty('type');
    expect(live.revision).toBe(before + 1);
  });
  it('takes the status from a status event', () => {
    applyEvent({ type: 'status', state: 'paused', offline_since: null, last_sync: null, next_sync: null, awaiting_confirmation: false, last_error: null });
    expect(live.status?.state).toBe('paused');
  });
  it('has no percent for an unknown total', () => {
    expect(progressPercent({ phase: 'plan', done: 0, total: 0 })).toBeNull();
  });
});

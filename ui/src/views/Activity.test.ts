// Activity: the audit filter goes to the backend as typed (code substring, source), and
// "Export CSV" sends that same filter and shows where the file went, or the error message.
import { afterEach, describe, expect, it } from 'vitest';
import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { clearMocks, mockIPC } from '@tauri-apps/api/mocks';
import { setLocale } from '../lib/i18n/index.svelte';
import type { AuditQuery } from '../lib/types-stock';
import Activity from './Activity.svelte';

afterEach(() => clearMocks());

const entry = (id: number, code: string) => ({
  id,
  change: { at: '2026-09-01T08:00:00Z', code, inventory_item_id: 1, before: 5, after: 4, reason: 'B − R', source: 'sync', run: 1 },
});

function backend(pages: AuditQuery[], exports: AuditQuery[], exportAnswer: () => unknown) {
  mockIPC((cmd, args) => {
    const a = (args ?? {}) as Record<string, unknown>;
    if (cmd === 'recent_runs') return [];
    if (cmd === 'audit_page') {
      pages.push(a.query as AuditQuery);
      return { items: [entry(2, 'TRC-ALB-M')], next: null };
    }
    if (cmd === 'export_audit_csv') {
      exports.push(a.query as AuditQuery);
      return exportAnswer();
    }
    throw { code: 'ui.missing', message: `no ${cmd}` };
  });
}

describe('Activity view', () => {
  it('filters the audit by code and exports the same filter', async () => {
    setLocale('en');
    const pages: AuditQuery[] = [];
    const exports: AuditQuery[] = [];
    backend(pages, exports, () => ({ path: '/tmp/punte-audit.csv', rows: 3 }));
    render(Activity);
    await screen.findByTestId('audit-table');
    await fireEvent.input(screen.getByTestId('audit-filter-code'), { target: { value: ' alb ' } });
    await waitFor(() => expect(pages.at(-1)?.code).toBe('alb'));
    await fireEvent.click(screen.getByTestId('audit-export'));
    const note = await screen.findByTestId('audit-export-result');
    expect(note.textContent).toContain('3 rows saved to /tmp/punte-audit.csv');
    expect(exports).toEqual([{ code: 'alb', source: null, after: null, limit: 100 }]);
  });

  it('shows the backend message when the export fails', async () => {
    setLocale('en');
    backend([], [], () => {
      throw { code: 'export.io', message: 'The CSV file could not be written to /x' };
    });
    render(Activity);
    await fireEvent.click(await screen.findByTestId('audit-export'));
    expect((await screen.findByTestId('audit-export-result')).textContent).toContain('could not be written');
  });
});

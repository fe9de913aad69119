// Profile → Kits (issue 18): a recipe is checked before it is sent, saved, and deleted after a
// second click.
import { afterEach, describe, expect, it } from 'vitest';
import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { clearMocks, mockIPC } from '@tauri-apps/api/mocks';
import { setLocale } from '../lib/i18n/index.svelte';
import type { Kit } from '../lib/types-locations';
import KitEditor from './KitEditor.svelte';

afterEach(() => clearMocks());

describe('KitEditor', () => {
  it('checks a recipe, saves it, and deletes a kit on the second click', async () => {
    setLocale('en', false);
    let saved: Kit[] = [{ code: 'BOX', title: 'Box', components: [{ code: 'C', quantity: 1 }] }];
    const calls: string[] = [];
    mockIPC((cmd, args) => {
      calls.push(cmd);
      const a = args as { kit?: Kit; previous?: string | null; code?: string };
      if (cmd === 'kits') return saved;
      if (cmd === 'save_kit' && a.kit) {
        saved = [...saved.filter((k) => k.code !== a.previous), a.kit];
        return saved;
      }
      if (cmd === 'delete_kit') {
        saved = saved.filter((k) => k.code !== a.code);
        return saved;
      }
      throw new Error(cmd);
    });
    render(KitEditor);
    await screen.findByTestId('kit');
    await fireEvent.click(screen.getByTestId('kit-new'));
    await fireEvent.input(screen.getByTestId('kit-code'), { target: { value: 'GIFT' } });
    await fireEvent.input(screen.getByTestId('kit-component-code-0'), { target: { value: 'BOX' } });
    await fireEvent.input(screen.getByTestId('kit-component-qty-0'), { target: { value: '0' } });
    await fireEvent.click(screen.getByTestId('kit-save'));
    const problems = await screen.findByTestId('kit-problems');
    expect(problems.textContent).toContain('BOX is itself a kit');
    expect(problems.textContent).toContain('from 1 to 10000');
    expect(calls).not.toContain('save_kit');
    await fireEvent.input(screen.getByTestId('kit-component-code-0'), { target: { value: 'A' } });
    await fireEvent.input(screen.getByTestId('kit-component-qty-0'), { target: { value: '2' } });
    await fireEvent.click(screen.getByTestId('kit-add'));
    await fireEvent.input(screen.getByTestId('kit-component-code-1'), { target: { value: 'B' } });
    await fireEvent.click(screen.getByTestId('kit-save'));
    await waitFor(() => expect(saved.map((k) => k.code)).toEqual(['BOX', 'GIFT']));
    expect(saved[1]?.components).toEqual([{ code: 'A', quantity: 2 }, { code: 'B', quantity: 1 }]);
    await fireEvent.click(screen.getByTestId('kit-delete-BOX'));
    expect(calls).not.toContain('delete_kit');
    await fireEvent.click(screen.getByTestId('kit-delete-BOX'));
    await waitFor(() => expect(saved.map((k) => k.code)).toEqual(['GIFT']));
  });
});

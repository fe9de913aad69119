// Profile → Locations (issue 18): shares of a shared warehouse must add up to 100 % before
// anything is sent, unmapped locations are said to be left alone, and Save sends the mapping.
import { afterEach, describe, expect, it } from 'vitest';
import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { clearMocks, mockIPC } from '@tauri-apps/api/mocks';
import { setLocale } from '../lib/i18n/index.svelte';
import type { LocationSettings, MappingView } from '../lib/types-locations';
import LocationMapping from './LocationMapping.svelte';

afterEach(() => clearMocks());

const view: MappingView = {
  locations: [
    { id: 1, name: 'Depozit' },
    { id: 2, name: 'Showroom' },
    { id: 3, name: 'Târg' },
  ],
  warehouses: [
    { id: 'Sediu / Central', work_point: 'Sediu', name: 'Central' },
    { id: 'Cluj / Magazin', work_point: 'Cluj', name: 'Magazin' },
  ],
  billing: 'oblio',
  mapping: { links: [{ location_id: 1, name: 'Depozit', warehouse: 'Sediu / Central', share_percent: 0 }], split: 'all_to_first' },
  connection_location: 1,
  connection_warehouse: 'Sediu / Central',
  unmapped: [2, 3],
};

function backend(saves: LocationSettings[]) {
  mockIPC((cmd, args) => {
    if (cmd === 'location_mapping') return view;
    if (cmd === 'save_location_mapping') {
      const mapping = (args as { mapping: LocationSettings }).mapping;
      saves.push(mapping);
      return { ...view, mapping, unmapped: [3] };
    }
    throw new Error(cmd);
  });
}

describe('LocationMapping', () => {
  it('refuses shares that do not add up to 100 %, then saves the fixed shares', async () => {
    setLocale('en', false);
    const saves: LocationSettings[] = [];
    backend(saves);
    render(LocationMapping);
    const second = (await screen.findByTestId('location-warehouse-2')) as HTMLSelectElement;
    expect([...second.options].map((o) => o.textContent)).toEqual(['Not synced', 'Sediu · Central', 'Cluj · Magazin']);
    expect(screen.getByTestId('locations-unmapped').textContent).toContain('2 locations are not synced');
    await fireEvent.change(second, { target: { value: 'Sediu / Central' } });
    await fireEvent.click(screen.getByTestId('locations-split-fixed_shares'));
    await fireEvent.input(screen.getByTestId('location-share-1'), { target: { value: '60' } });
    await fireEvent.input(screen.getByTestId('location-share-2'), { target: { value: '30' } });
    await fireEvent.click(screen.getByTestId('locations-save'));
    const problems = await screen.findByTestId('locations-problems');
    expect(problems.textContent).toContain('add up to 90%, not 100%');
    expect(saves).toEqual([]);
    await fireEvent.input(screen.getByTestId('location-share-2'), { target: { value: '40' } });
    await fireEvent.click(screen.getByTestId('locations-save'));
    await waitFor(() => expect(saves).toHaveLength(1));
    expect(saves[0]).toEqual({
      split: 'fixed_shares',
      links: [
        { location_id: 1, name: 'Depozit', warehouse: 'Sediu / Central', share_percent: 60 },
        { location_id: 2, name: 'Showroom', warehouse: 'Sediu / Central', share_percent: 40 },
      ],
    });
    expect(await screen.findByTestId('locations-saved')).toBeTruthy();
  });

  it('shows the backend refusal in the window language', async () => {
    setLocale('ro', false);
    mockIPC((cmd) => {
      if (cmd === 'location_mapping') return view;
      throw { code: 'input.invalid', message: 'Gestiunea nu este în listă / The warehouse is not in the list', field: 'location.1' };
    });
    render(LocationMapping);
    await fireEvent.click(await screen.findByTestId('locations-save'));
    const err = await screen.findByTestId('locations-save-error');
    expect(err.textContent).toBe('Gestiunea nu este în listă');
    expect(err.dataset.field).toBe('location.1');
  });
});

// @vitest-environment jsdom
import { afterEach, describe, expect, it } from 'vitest';
import { fireEvent, screen, within } from '@testing-library/react';
import { Sources } from '../../renderer/src/views/Sources.tsx';
import { PUBLISHER_RU } from './fake-data.ts';
import { cleanup, flush, renderWithApi } from './render.tsx';

afterEach(cleanup);

describe('Sources', () => {
  it('shows each channel with its status in words, and the list it served', async () => {
    await renderWithApi(<Sources />);
    expect(screen.getByText('3 of 7 channels answered.')).toBeTruthy();
    const row = (loc: RegExp) => screen.getByRole('row', { name: loc });
    expect(row(/mirror-one/).textContent).toContain('OK');
    expect(row(/mirror-one/).textContent).toContain('v42 by Steppe Volunteers');
    expect(row(/_porthole\.lists/).textContent).toContain('OK, unchanged');
    expect(row(/t\.me/).textContent).toContain('Blocked');
    expect(row(/cdn\.example/).textContent).toContain('No answer');
    expect(row(/blog\.example/).textContent).toContain('Bad signature');
    expect(row(/mirror-two/).textContent).toContain('Too large');
    expect(row(/lists-march/).textContent).toContain('File');
  });

  it('shows publishers with version, expiry and fingerprint words', async () => {
    await renderWithApi(<Sources />);
    const items = screen.getAllByRole('listitem');
    expect(items).toHaveLength(2);
    const ru = items.find((li) => li.textContent?.includes('Open Nets'))!;
    expect(ru.textContent).toContain(PUBLISHER_RU.words.join(' · '));
    expect(ru.textContent).toContain('7');
    expect(within(ru).getByText('trusted')).toBeTruthy();
  });

  it('stops trusting a publisher only after confirmation', async () => {
    const { api } = await renderWithApi(<Sources />);
    const ru = screen.getAllByRole('listitem').find((li) => li.textContent?.includes('Open Nets'))!;
    fireEvent.click(within(ru).getByRole('button', { name: 'Stop trusting' }));
    expect(api.calls.some((c) => c.method === 'untrust')).toBe(false);
    fireEvent.click(within(ru).getByRole('button', { name: 'Yes, stop trusting' }));
    await flush();
    expect(api.calls.at(-1)).toEqual({ method: 'untrust', request: { fingerprint: PUBLISHER_RU.fingerprint } });
    expect(screen.getAllByRole('listitem')).toHaveLength(1);
  });

  it('refreshes sources', async () => {
    const { api } = await renderWithApi(<Sources />);
    fireEvent.click(screen.getByRole('button', { name: 'Check for new lists' }));
    await flush();
    expect(api.calls.at(-1)?.method).toBe('refreshSources');
  });

  it('speaks Kazakh', async () => {
    await renderWithApi(<Sources />, { lang: 'kk' });
    expect(screen.getByRole('heading', { name: 'Дереккөздер', level: 1 })).toBeTruthy();
    expect(screen.getAllByText('Бұғатталған').length).toBeGreaterThan(0);
  });
});

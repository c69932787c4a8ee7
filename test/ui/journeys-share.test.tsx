// @vitest-environment jsdom
// Share on several servers: the SMS count, the short form, and codes for many people at once
// (the app's side of `porthole code batch`).
import { afterEach, describe, expect, it } from 'vitest';
import { fireEvent, screen, within } from '@testing-library/react';
import { Servers } from '../../renderer/src/views/Servers.tsx';
import { cleanup, flush, renderWithApi } from './render.tsx';
import { FakeApi } from './fake-api.ts';

afterEach(cleanup);

describe('share on several servers', () => {
  it('shows the SMS count, switches to the short form, and makes a batch of codes with a CSV', async () => {
    const api = new FakeApi();
    api.realisticShare = true;
    await renderWithApi(<Servers />, { api });
    fireEvent.click(screen.getByRole('checkbox', { name: 'Select Frankfurt-2' }));
    fireEvent.click(screen.getByRole('checkbox', { name: 'Select Amsterdam-1' }));
    fireEvent.click(screen.getByRole('button', { name: /Share selected/ }));
    await flush();
    const panel = await screen.findByRole('region', { name: 'Share 2 servers' });
    const full = panel.querySelector('.share-code')!.textContent!;
    expect(within(panel).getByText(`${full.length} characters: 2 SMS. Send all the parts.`)).toBeTruthy();
    fireEvent.click(within(panel).getByRole('radio', { name: /Short form, for people who already trust you/ }));
    const short = panel.querySelector('.share-code')!.textContent!;
    expect(short.length).toBeLessThan(full.length);
    expect((within(panel).getByLabelText('Message to send') as HTMLTextAreaElement).value).toContain(short);
    fireEvent.change(within(panel).getByLabelText(/How many codes/), { target: { value: '10' } });
    fireEvent.click(within(panel).getByRole('button', { name: 'Make codes' }));
    await flush();
    expect(api.calls.at(-1)).toEqual({ method: 'shareBatch', request: { ids: ['fra-2', 'ams-1'], count: 10, perCode: 1, short: true } });
    expect(panel.textContent).toContain('Made 10 codes; each server is in about 5 of them.');
    const link = within(panel).getByRole('link', { name: 'Download the list (CSV)' }) as HTMLAnchorElement;
    expect(decodeURIComponent(link.href)).toContain('number,code,servers,expires');
  });
});

// @vitest-environment jsdom
import { afterEach, describe, expect, it } from 'vitest';
import { fireEvent, screen, within } from '@testing-library/react';
import { Servers } from '../../renderer/src/views/Servers.tsx';
import { FakeApi } from './fake-api.ts';
import { cleanup, flush, renderWithApi } from './render.tsx';

afterEach(cleanup);

const names = () => screen.getAllByRole('row').slice(1).map((r) => within(r).getByRole('rowheader').firstChild?.textContent);

describe('Servers', () => {
  it('lists every server with its measurements, fastest first, failures and untested last', async () => {
    await renderWithApi(<Servers />);
    expect(names()).toEqual(['Frankfurt-2', 'Amsterdam-1', 'Almaty home', 'Warsaw-1', 'Helsinki-3', 'Tallinn-1', 'Vilnius-2']);
    const fra = screen.getByRole('row', { name: /Frankfurt-2/ });
    const cells = within(fra).getAllByRole('cell').map((c) => c.textContent);
    expect(cells).toContain('SOCKS5');
    expect(cells).toContain('Germany');
    expect(cells).toContain('84 ms');
    expect(cells).toContain('88%');
    expect(cells).toContain('Steppe Volunteers');
    expect(fra.querySelector('svg.sparkline path')).not.toBeNull();
    const vno = screen.getByRole('row', { name: /Vilnius-2/ });
    expect(vno.textContent).toContain('Blocked (page replaced)');
    expect(screen.getByRole('row', { name: /Almaty home/ }).textContent).toContain('Added by you');
    expect(screen.getByRole('row', { name: /Tallinn-1/ }).textContent).toContain('never');
    expect(screen.getByText('7 servers, 4 working.')).toBeTruthy();
  });

  it('marks a server whose list expired, with the date it is dropped', async () => {
    const api = new FakeApi();
    api.servers = api.servers.map((s) => (s.label === 'Warsaw-1' ? { ...s, expired: { since: '2026-11-01T00:00:00.000Z', usedUntil: '2026-12-01T00:00:00.000Z' } } : s));
    await renderWithApi(<Servers />, { api });
    const badge = within(screen.getByRole('row', { name: /Warsaw-1/ })).getByText('list expired');
    expect(badge.getAttribute('title')).toMatch(/expired on .*2026.*until .*2026/);
    expect(screen.getByRole('row', { name: /Frankfurt-2/ }).textContent).not.toContain('list expired');
  });

  it('sorts by a column and announces the order', async () => {
    await renderWithApi(<Servers />);
    const nameHeader = screen.getByRole('columnheader', { name: /Name/ });
    expect(nameHeader.getAttribute('aria-sort')).toBe('none');
    fireEvent.click(within(nameHeader).getByRole('button'));
    expect(nameHeader.getAttribute('aria-sort')).toBe('ascending');
    expect(names()[0]).toBe('Almaty home');
    fireEvent.click(within(nameHeader).getByRole('button'));
    expect(nameHeader.getAttribute('aria-sort')).toBe('descending');
    expect(names()[0]).toBe('Warsaw-1');
    fireEvent.click(within(screen.getByRole('columnheader', { name: /Success/ })).getByRole('button'));
    expect(names().slice(0, 3)).toEqual(['Almaty home', 'Amsterdam-1', 'Frankfurt-2']);
  });

  it('tests all servers with a progress bar', async () => {
    const { api } = await renderWithApi(<Servers />);
    fireEvent.click(screen.getByRole('button', { name: 'Test all' }));
    await flush(api);
    expect(api.calls.some((c) => c.method === 'testAll')).toBe(true);
    const bar = screen.getByRole('progressbar') as HTMLProgressElement;
    expect(bar.value).toBe(7);
    expect(screen.getByText('Test finished: 7 checked')).toBeTruthy();
    // Tallinn-1 got its first sample.
    expect(screen.getByRole('row', { name: /Tallinn-1/ }).textContent).toContain('150 ms');
  });

  it('picks, pins and unpins a server', async () => {
    const { api } = await renderWithApi(<Servers />);
    fireEvent.click(screen.getByRole('button', { name: 'Use Amsterdam-1' }));
    await flush();
    expect(api.calls.at(-1)).toEqual({ method: 'pick', request: { id: 'ams-1' } });
    expect(screen.getByRole('row', { name: /Amsterdam-1/ }).textContent).toContain('in use');
    const pin = screen.getByRole('button', { name: 'Pin Warsaw-1' });
    expect(pin.getAttribute('aria-pressed')).toBe('false');
    fireEvent.click(pin);
    await flush();
    expect(screen.getByRole('button', { name: 'Pin Warsaw-1' }).getAttribute('aria-pressed')).toBe('true');
    fireEvent.click(screen.getByRole('button', { name: 'Pin Warsaw-1' }));
    await flush();
    expect(api.calls.at(-1)).toEqual({ method: 'unpin', request: { id: 'waw-1' } });
  });

  it('adds a server by link and rejects a bad one', async () => {
    await renderWithApi(<Servers />);
    const input = screen.getByLabelText('Add your own server');
    fireEvent.change(input, { target: { value: 'ftp://nope' } });
    fireEvent.click(screen.getByRole('button', { name: 'Add' }));
    await flush();
    expect(screen.getByRole('alert').textContent).toContain('not a server link');
    fireEvent.change(input, { target: { value: 'socks5://my.vps.example:1080' } });
    fireEvent.click(screen.getByRole('button', { name: 'Add' }));
    await flush();
    expect(screen.getByRole('row', { name: /my\.vps\.example/ })).toBeTruthy();
    expect((input as HTMLInputElement).value).toBe('');
  });

  it('removes one of your own servers (publisher servers cannot be removed)', async () => {
    const { api } = await renderWithApi(<Servers />);
    expect(screen.queryByRole('button', { name: 'Remove Frankfurt-2' })).toBeNull();
    fireEvent.click(screen.getByRole('button', { name: 'Remove Almaty home' }));
    await flush();
    expect(api.calls.at(-1)).toEqual({ method: 'removeServer', request: { id: 'ala-home' } });
    expect(screen.queryByRole('row', { name: /Almaty home/ })).toBeNull();
  });

  it('shares the selected servers as a code, a message and a QR picture', async () => {
    const { api } = await renderWithApi(<Servers />);
    const share = () => screen.getByRole('button', { name: /Share selected/ }) as HTMLButtonElement;
    expect(share().disabled).toBe(true);
    fireEvent.click(screen.getByRole('checkbox', { name: 'Select Frankfurt-2' }));
    fireEvent.click(screen.getByRole('checkbox', { name: 'Select Amsterdam-1' }));
    expect(share().textContent).toBe('Share selected (2)');
    fireEvent.click(share());
    await flush();
    expect(api.calls.at(-1)).toEqual({ method: 'shareServers', request: { ids: ['fra-2', 'ams-1'] } });
    const panel = await screen.findByRole('region', { name: 'Share 2 servers' });
    expect(within(panel).getByText(/^PH1-SHR2-/)).toBeTruthy();
    const message = (within(panel).getByLabelText('Message to send') as HTMLTextAreaElement).value;
    expect(message).toMatch(/^Porthole code: PH1-SHR2-\S+\nWith Porthole installed, open this link: porthole:\/\/import\?c=PH1-SHR2-/);
    const img = within(panel).getByRole('img', { name: 'QR code with the same Porthole code' }) as HTMLImageElement;
    expect(img.src.startsWith('data:image/png;base64,')).toBe(true);
    fireEvent.click(within(panel).getByRole('button', { name: 'Close' }));
    expect(screen.queryByRole('region', { name: 'Share 2 servers' })).toBeNull();
  });

  it('an empty list tells what to do', async () => {
    const api = new FakeApi();
    api.servers = [];
    await renderWithApi(<Servers />, { api });
    expect(screen.getByText(/No servers yet/)).toBeTruthy();
    expect(screen.queryByRole('table')).toBeNull();
  });

  it('uses Russian plural forms', async () => {
    await renderWithApi(<Servers />, { lang: 'ru' });
    expect(screen.getByText('7 серверов, работают: 4.')).toBeTruthy();
    expect(screen.getByRole('columnheader', { name: /Задержка/ })).toBeTruthy();
  });
});

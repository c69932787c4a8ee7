// @vitest-environment jsdom
// Issue 17 in the UI: a fresh install leads with "Paste a code" (QR and .porthole file on Home);
// the search that goes on while nothing works; a degraded server said in words; Open Firefox says
// what happened with the address to set by hand; the port in Settings is the bridge's.
import { afterEach, describe, expect, it } from 'vitest';
import { fireEvent, screen, waitFor } from '@testing-library/react';
import { Home } from '../../renderer/src/views/Home.tsx';
import { Settings } from '../../renderer/src/views/Settings.tsx';
import { FAKE_CODES, FakeApi } from './fake-api.ts';
import { cleanup, flush, renderWithApi } from './render.tsx';

afterEach(cleanup);

describe('fresh install', () => {
  it('with no servers, the main action is "Paste a code", and a dropped .porthole file imports right on Home', async () => {
    const api = new FakeApi();
    api.servers = [];
    const navigated: string[] = [];
    await renderWithApi(<Home onNavigate={(v) => navigated.push(v)} />, { api });
    expect(screen.getByRole('status').textContent).toContain('Porthole has no servers yet');
    expect(screen.queryByRole('button', { name: 'Connect' })).toBeNull();
    fireEvent.click(screen.getByRole('button', { name: 'Paste a code' }));
    expect(navigated).toEqual(['paste']);
    fireEvent.drop(screen.getByTestId('qr-drop'), { dataTransfer: { files: [new File([`From mom: ${FAKE_CODES.good}`], 'from-mom.porthole', { type: '' })] } });
    await waitFor(() => expect(api.calls.some((c) => c.method === 'importText')).toBe(true));
    await flush(api);
    // The import added a server and connected: Home now shows the search / connection, not "no servers".
    await waitFor(() => expect(api.calls.some((c) => c.method === 'connect')).toBe(true));
    await waitFor(() => expect(screen.getByRole('status').textContent).not.toContain('no servers yet'));
  });
});

describe('the search goes on', () => {
  it('offline: says Porthole keeps searching, with the next try counting down', async () => {
    const api = new FakeApi();
    api.setState({ phase: 'offline', offlineReason: 'all-failed', retryAt: new Date(Date.now() + 42_000).toISOString() });
    await renderWithApi(<Home onNavigate={() => {}} />, { api });
    const status = screen.getByRole('status').textContent ?? '';
    expect(status).toContain('keeps searching by itself');
    expect(status).toMatch(/Next try in 4[12] s/);
    fireEvent.click(screen.getByRole('button', { name: 'Try again' }));
    await flush(api);
    expect(api.calls.some((c) => c.method === 'connect')).toBe(true);
  });

  it('a degraded server in use is explained in words (ru)', async () => {
    const api = new FakeApi();
    api.setState({ phase: 'connected', current: { serverId: 'fra-2', label: 'Frankfurt-2', latencyMs: null, reason: 'degraded' } });
    await renderWithApi(<Home onNavigate={() => {}} />, { api, lang: 'ru' });
    expect(screen.getByRole('status').textContent).toContain('ни один сервер не прошёл полную проверку'.replace(/^н/, 'Н'));
  });

  it('another program holds the port: Home says so', async () => {
    const api = new FakeApi();
    api.setState({ phase: 'connected', bridge: { socks: { host: '127.0.0.1', port: 1081 }, http: { host: '127.0.0.1', port: 1081 } }, portConflict: { wanted: 1080, using: 1081 } });
    await renderWithApi(<Home onNavigate={() => {}} />, { api });
    expect(screen.getByText(/Port 1080 is used by another program, so Porthole listens on 1081 for now/)).toBeTruthy();
  });
});

describe('Open an app: what happened', () => {
  it('started: says so', async () => {
    const api = new FakeApi();
    api.setState({ phase: 'connected', bridge: { socks: { host: '127.0.0.1', port: 1080 }, http: { host: '127.0.0.1', port: 1080 } } });
    await renderWithApi(<Home onNavigate={() => {}} />, { api });
    fireEvent.click(screen.getByRole('button', { name: 'Open Firefox' }));
    await flush(api);
    await waitFor(() => expect(screen.getByText('Firefox started. It goes through Porthole by itself.')).toBeTruthy());
  });

  it('failed to start: the reason in plain words and the proxy address with a copy button (kk)', async () => {
    const api = new FakeApi();
    api.setState({ phase: 'connected', bridge: { socks: { host: '127.0.0.1', port: 1080 }, http: { host: '127.0.0.1', port: 1080 } } });
    api.openResults.chrome = { ok: false, reason: 'failed', message: 'Chromium closed right after it started (exit code 1)' };
    await renderWithApi(<Home onNavigate={() => {}} />, { api, lang: 'kk' });
    fireEvent.click(screen.getByRole('button', { name: /Chrome/ }));
    await flush(api);
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('іске қосылмады');
    expect(alert.textContent).toContain('exit code 1');
    expect(alert.textContent).toContain('127.0.0.1:1080');
    expect(screen.getByRole('button', { name: 'Мекенжайды көшіру' })).toBeTruthy();
  });
});

describe('Settings: the port', () => {
  it('shows where the bridge listens, the same port as the field', async () => {
    const api = new FakeApi();
    api.setState({ phase: 'connected', bridge: { socks: { host: '127.0.0.1', port: 1080 }, http: { host: '127.0.0.1', port: 1080 } } });
    await renderWithApi(<Settings />, { api });
    expect(screen.getByText('Porthole listens on 127.0.0.1:1080 now (SOCKS5 and HTTP).')).toBeTruthy();
    expect((screen.getByLabelText('Port') as HTMLInputElement).value).toBe(String(1080));
  });
});

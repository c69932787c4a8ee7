// @vitest-environment jsdom
import { afterEach, describe, expect, it, vi } from 'vitest';
import { fireEvent, screen, within } from '@testing-library/react';
import { Home } from '../../renderer/src/views/Home.tsx';
import { FakeApi } from './fake-api.ts';
import { cleanup, flush, renderWithApi } from './render.tsx';

afterEach(cleanup);

describe('Home', () => {
  it('idle: says it is not connected and offers one big Connect button', async () => {
    await renderWithApi(<Home onNavigate={() => {}} />);
    expect(screen.getByRole('status').textContent).toContain('Not connected');
    expect(screen.getByRole('button', { name: 'Connect' })).toBeTruthy();
    // Browser buttons wait for a connection.
    expect((screen.getByRole('button', { name: 'Open Firefox' }) as HTMLButtonElement).disabled).toBe(true);
  });

  it('connect: searches, then names the fastest server and why it was chosen', async () => {
    const { api } = await renderWithApi(<Home onNavigate={() => {}} />);
    fireEvent.click(screen.getByRole('button', { name: 'Connect' }));
    await flush(api);
    expect(api.calls.some((c) => c.method === 'connect')).toBe(true);
    const status = screen.getByRole('status');
    expect(status.textContent).toContain('Connected through Frankfurt-2, 84 ms');
    expect(status.textContent).toContain('fastest');
    expect(screen.getByRole('button', { name: 'Disconnect' })).toBeTruthy();
    expect(screen.getByText('SOCKS5 and HTTP proxy: 127.0.0.1:1080')).toBeTruthy();
  });

  it('searching: shows "tested X of Y" with a progress bar and a Stop button', async () => {
    const api = new FakeApi();
    api.setState({ phase: 'searching', progress: { tested: 37, total: 120, running: true } });
    await renderWithApi(<Home onNavigate={() => {}} />, { api });
    expect(screen.getByRole('status').textContent).toContain('Looking for a way through…');
    expect(screen.getByText('Tested 37 of 120')).toBeTruthy();
    const bar = screen.getByRole('progressbar', { name: 'Servers tested' }) as HTMLProgressElement;
    expect(bar.value).toBe(37);
    expect(bar.max).toBe(120);
    fireEvent.click(screen.getByRole('button', { name: 'Stop' }));
    await flush();
    expect(api.calls.at(-1)?.method).toBe('disconnect');
  });

  it('offline: explains what to do and links to the paste screen', async () => {
    const api = new FakeApi();
    api.setState({ phase: 'offline', offlineReason: 'all-failed' });
    const onNavigate = vi.fn();
    await renderWithApi(<Home onNavigate={onNavigate} />, { api });
    expect(screen.getByRole('status').textContent).toContain('Nothing works right now');
    const help = screen.getByRole('region', { name: 'What you can do' });
    expect(within(help).getAllByRole('listitem').length).toBeGreaterThanOrEqual(4);
    fireEvent.click(within(help).getByRole('button', { name: 'Paste a code' }));
    expect(onNavigate).toHaveBeenCalledWith('paste');
    expect(screen.getByRole('button', { name: 'Try again' })).toBeTruthy();
  });

  it('the status updates from engine events (aria-live region)', async () => {
    const { api } = await renderWithApi(<Home onNavigate={() => {}} />);
    const status = screen.getByRole('status');
    expect(status.getAttribute('aria-live')).toBe('polite');
    await flush();
    api.setState({ phase: 'offline', offlineReason: 'no-servers' });
    await flush();
    expect(status.textContent).toContain('no servers yet');
  });

  it('opens a browser when connected, and explains a missing one', async () => {
    const api = new FakeApi();
    api.setState({ phase: 'connected', browsers: { firefox: true, chrome: false, telegram: true } });
    await renderWithApi(<Home onNavigate={() => {}} />, { api });
    expect(screen.queryByRole('button', { name: 'Open Chrome' })).toBeNull();
    fireEvent.click(screen.getByRole('button', { name: 'Open Firefox' }));
    await flush();
    expect(api.calls.at(-1)).toEqual({ method: 'openBrowser', request: { browser: 'firefox' } });
    api.state = { ...api.state, browsers: { ...api.state.browsers, telegram: false } };
    fireEvent.click(screen.getByRole('button', { name: 'Open Telegram' }));
    await flush();
    expect(screen.getByRole('alert').textContent).toContain('Telegram was not found');
  });

  it('shows an engine error as an alert', async () => {
    const api = new FakeApi();
    api.failNext('connect');
    await renderWithApi(<Home onNavigate={() => {}} />, { api });
    fireEvent.click(screen.getByRole('button', { name: 'Connect' }));
    await flush();
    expect(screen.getByRole('alert').textContent).toContain('engine is busy');
  });

  it('speaks Russian and Kazakh', async () => {
    await renderWithApi(<Home onNavigate={() => {}} />, { lang: 'ru' });
    expect(screen.getByRole('button', { name: 'Подключиться' })).toBeTruthy();
    cleanup();
    await renderWithApi(<Home onNavigate={() => {}} />, { lang: 'kk' });
    expect(screen.getByRole('button', { name: 'Қосылу' })).toBeTruthy();
  });
});

// @vitest-environment jsdom
import { afterEach, describe, expect, it } from 'vitest';
import { fireEvent, screen } from '@testing-library/react';
import { App } from '../../renderer/src/App.tsx';
import { FAKE_CODES, FakeApi } from './fake-api.ts';
import { cleanup, flush, renderWithApi } from './render.tsx';

afterEach(cleanup);

describe('App', () => {
  it('navigates between screens with a labelled nav and aria-current', async () => {
    await renderWithApi(<App />);
    const nav = screen.getByRole('navigation', { name: 'Main' });
    expect(nav.querySelector('[aria-current="page"]')?.textContent).toBe('Home');
    fireEvent.click(screen.getByRole('link', { name: 'Servers' }));
    expect(screen.getByRole('heading', { level: 1, name: 'Servers' })).toBeTruthy();
    expect(nav.querySelector('[aria-current="page"]')?.textContent).toBe('Servers');
    expect(document.title).toBe('Porthole — Servers');
    fireEvent.click(screen.getByRole('link', { name: 'Settings' }));
    expect(screen.getByRole('heading', { level: 1, name: 'Settings' })).toBeTruthy();
  });

  it('follows the language setting and sets lang and dir on the document', async () => {
    const api = new FakeApi();
    api.settings = { ...api.settings, language: 'kk' };
    await renderWithApi(<App />, { api });
    await flush();
    expect(screen.getByRole('link', { name: 'Серверлер' })).toBeTruthy();
    expect(document.documentElement.lang).toBe('kk');
    expect(document.documentElement.dir).toBe('ltr');
    api.emit({ type: 'settings', settings: { ...api.settings, language: 'ru' } });
    await flush();
    expect(screen.getByRole('link', { name: 'Серверы' })).toBeTruthy();
    expect(document.documentElement.lang).toBe('ru');
  });

  it('auto language follows the browser languages', async () => {
    await renderWithApi(<App languages={['ru-RU', 'en']} />);
    await flush();
    expect(screen.getByRole('button', { name: 'Подключиться' })).toBeTruthy();
  });

  it('a porthole:// link opened in the shell goes straight to import', async () => {
    const { api } = await renderWithApi(<App />);
    api.emit({ type: 'import-request', text: `porthole://import?c=${FAKE_CODES.good}`, origin: 'link' });
    await flush(api);
    expect(screen.getByRole('heading', { level: 1, name: 'Paste a code' })).toBeTruthy();
    expect(screen.getByText('Added 1 server.')).toBeTruthy();
  });

  it('a code in the clipboard is offered, never used without asking', async () => {
    const { api } = await renderWithApi(<App />);
    api.emit({ type: 'import-request', text: FAKE_CODES.good, origin: 'clipboard' });
    await flush();
    expect(screen.getByText('You copied a Porthole code. Use it now?')).toBeTruthy();
    expect(api.calls.some((c) => c.method === 'importText')).toBe(false);
    fireEvent.click(screen.getByRole('button', { name: 'No, thanks' }));
    expect(screen.queryByText('You copied a Porthole code. Use it now?')).toBeNull();

    api.emit({ type: 'import-request', text: FAKE_CODES.good, origin: 'clipboard' });
    await flush();
    fireEvent.click(screen.getByRole('button', { name: 'Use the code' }));
    await flush(api);
    expect(api.calls.filter((c) => c.method === 'importText')).toHaveLength(1);
    expect(screen.getByText('Added 1 server.')).toBeTruthy();
  });

  it('shows a clear message when the engine cannot be reached', async () => {
    const api = new FakeApi();
    api.failNext('getState');
    await renderWithApi(<App />, { api });
    expect(screen.getByRole('alert').textContent).toContain('could not start its engine');
  });
});

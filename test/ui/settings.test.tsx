// @vitest-environment jsdom
import { afterEach, describe, expect, it } from 'vitest';
import { fireEvent, screen } from '@testing-library/react';
import { Settings } from '../../renderer/src/views/Settings.tsx';
import { cleanup, flush, renderWithApi } from './render.tsx';

afterEach(cleanup);

const input = (label: string) => screen.getByLabelText(label) as HTMLInputElement;

describe('Settings', () => {
  it('shows the current settings', async () => {
    await renderWithApi(<Settings />);
    expect(input('Port').value).toBe('1080');
    expect(input('Use Porthole for the whole computer').checked).toBe(false);
    expect(input('Test address').value).toBe('https://www.gstatic.com/generate_204');
    expect((screen.getByLabelText('Language') as HTMLSelectElement).value).toBe('auto');
    // LAN credentials only appear when sharing is on.
    expect(screen.queryByLabelText('Password')).toBeNull();
  });

  it('saves changed settings', async () => {
    const { api } = await renderWithApi(<Settings />);
    fireEvent.change(input('Port'), { target: { value: '1090' } });
    fireEvent.click(input('Start Porthole when I log in'));
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    await flush();
    expect(api.settings.port).toBe(1090);
    expect(api.settings.startAtLogin).toBe(true);
    expect(screen.getByText('Saved.')).toBeTruthy();
  });

  it('refuses a privileged port before calling the engine', async () => {
    const { api } = await renderWithApi(<Settings />);
    fireEvent.change(input('Port'), { target: { value: '80' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    await flush();
    expect(screen.getByRole('alert').textContent).toContain('from 1024 to 65535');
    expect(api.calls.some((c) => c.method === 'setSettings')).toBe(false);
  });

  it('LAN sharing needs a password of 8 characters', async () => {
    const { api } = await renderWithApi(<Settings />);
    fireEvent.click(input('Let other devices on this network use Porthole'));
    fireEvent.change(input('Password'), { target: { value: 'short' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    await flush();
    expect(screen.getByRole('alert').textContent).toContain('at least 8 characters');
    fireEvent.change(input('Password'), { target: { value: 'long enough pass' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    await flush();
    expect(api.settings.lanSharing).toBe(true);
    expect(api.settings.lanPassword).toBe('long enough pass');
  });

  it('changes the language at once', async () => {
    const { api } = await renderWithApi(<Settings />);
    fireEvent.change(screen.getByLabelText('Language'), { target: { value: 'ru' } });
    await flush();
    expect(api.calls.at(-1)).toEqual({ method: 'setSettings', request: { language: 'ru' } });
    expect(api.settings.language).toBe('ru');
  });

  it('shows an engine refusal', async () => {
    const { api } = await renderWithApi(<Settings />);
    api.failNext('setSettings');
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    await flush();
    expect(screen.getByRole('alert').textContent).toContain('engine is busy');
  });
});

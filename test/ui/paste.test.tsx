// @vitest-environment jsdom
import { afterEach, describe, expect, it, vi } from 'vitest';
import { fireEvent, screen, within } from '@testing-library/react';
import { Paste } from '../../renderer/src/views/Paste.tsx';
import { FAKE_CODES, FakeApi } from './fake-api.ts';
import { PUBLISHER_NEW } from './fake-data.ts';
import { cleanup, flush, renderWithApi } from './render.tsx';

afterEach(cleanup);

async function paste(text: string) {
  fireEvent.change(screen.getByLabelText('The message you received'), { target: { value: text } });
  fireEvent.click(screen.getByRole('button', { name: 'Add and connect' }));
  await flush();
}

describe('Paste a code', () => {
  it('finds the code inside a whole message, adds the server and connects', async () => {
    const { api } = await renderWithApi(<Paste onNavigate={() => {}} />);
    await paste(`Привет! Вот код для интернета:\n${FAKE_CODES.good}\nобнимаю`);
    expect(api.calls.find((c) => c.method === 'importText')?.request).toEqual({ text: expect.stringContaining(FAKE_CODES.good) });
    expect(screen.getByText('Added 1 server.')).toBeTruthy();
    expect(screen.getByText(/Signed by Steppe Volunteers/)).toBeTruthy();
    expect(api.calls.some((c) => c.method === 'connect')).toBe(true);
  });

  it('the submit button is disabled while the box is empty', async () => {
    await renderWithApi(<Paste onNavigate={() => {}} />);
    expect((screen.getByRole('button', { name: 'Add and connect' }) as HTMLButtonElement).disabled).toBe(true);
  });

  it('says when the code was already added, and does not reconnect when already connected', async () => {
    const api = new FakeApi();
    await renderWithApi(<Paste onNavigate={() => {}} />, { api });
    await paste(FAKE_CODES.good);
    await flush(api);
    const connects = api.calls.filter((c) => c.method === 'connect').length;
    await paste(FAKE_CODES.good);
    expect(screen.getByText('You already have these servers.')).toBeTruthy();
    expect(api.calls.filter((c) => c.method === 'connect').length).toBe(connects);
  });

  it.each([
    ['PH1-7QRT-M2XD-K4ZZ', 'This code is damaged: a character is wrong.'],
    ['PH1-CUT-M2XD', 'This code is cut off: its end is missing.'],
    [FAKE_CODES.expired, 'This code expired on'],
    ['hello, how are you?', 'No Porthole code was found in this text.'],
  ])('explains %s', async (text, message) => {
    const { api } = await renderWithApi(<Paste onNavigate={() => {}} />);
    await paste(text);
    expect(screen.getByRole('alert').textContent).toContain(message);
    expect(api.calls.some((c) => c.method === 'connect')).toBe(false);
  });

  it('asks to compare the check numbers before trusting a new publisher (its own name marked as unchecked, the ID as detail), then imports', async () => {
    const { api } = await renderWithApi(<Paste onNavigate={() => {}} />);
    await paste(FAKE_CODES.untrusted);
    const dialog = screen.getByRole('alertdialog');
    expect(dialog.textContent).toContain('A new sender, who calls themselves “Aunt Gulnara”, sent this code.');
    expect(dialog.textContent).toContain('The name is what the sender typed: nobody checked it.');
    expect(dialog.textContent).toContain('Publisher ID: gulnara7x2k3m4pq');
    const words = within(dialog).getByRole('list', { name: 'Numbers to compare' });
    expect(within(words).getAllByRole('listitem').map((li) => li.textContent)).toEqual(PUBLISHER_NEW.words);
    fireEvent.click(within(dialog).getByRole('button', { name: 'The numbers match: trust and add' }));
    await flush();
    expect(api.calls.find((c) => c.method === 'trustPublisher')?.request).toEqual({ fingerprint: PUBLISHER_NEW.fingerprint });
    expect(screen.getByText('Added 1 server.')).toBeTruthy();
  });

  it('declining trust imports nothing', async () => {
    const { api } = await renderWithApi(<Paste onNavigate={() => {}} />);
    await paste(FAKE_CODES.untrusted);
    fireEvent.click(screen.getByRole('button', { name: 'Do not trust' }));
    await flush();
    expect(screen.queryByRole('alertdialog')).toBeNull();
    expect(api.calls.some((c) => c.method === 'trustPublisher')).toBe(false);
  });

  it('imports the text of a QR code from a chosen picture', async () => {
    const decode = vi.fn(async () => `porthole://import?c=${FAKE_CODES.good}`);
    const { api } = await renderWithApi(<Paste onNavigate={() => {}} decodeQr={decode} />);
    const input = screen.getByLabelText('Choose a picture') as HTMLInputElement;
    const file = new File([new Uint8Array([137, 80, 78, 71])], 'qr.png', { type: 'image/png' });
    fireEvent.change(input, { target: { files: [file] } });
    await flush();
    expect(decode).toHaveBeenCalledWith(file);
    expect(api.calls.find((c) => c.method === 'importText')?.request).toEqual({ text: `porthole://import?c=${FAKE_CODES.good}` });
    expect(screen.getByText('Added 1 server.')).toBeTruthy();
  });

  it('accepts a QR picture dropped on the drop target, and says when none is found', async () => {
    const decode = vi.fn(async () => null);
    await renderWithApi(<Paste onNavigate={() => {}} decodeQr={decode} />);
    const file = new File(['x'], 'photo.jpg', { type: 'image/jpeg' });
    fireEvent.drop(screen.getByTestId('qr-drop'), { dataTransfer: { files: [file] } });
    await flush();
    expect(decode).toHaveBeenCalled();
    expect(screen.getByRole('alert').textContent).toContain('No QR code was found');
    fireEvent.drop(screen.getByTestId('qr-drop'), { dataTransfer: { files: [new File(['x'], 'a.exe', { type: 'application/octet-stream' })] } });
    await flush();
    expect(screen.getByRole('alert').textContent).toContain('neither a picture nor a Porthole file');
  });

  it('imports a Porthole file (a .porthole or .signed list, a saved message) dropped on the target', async () => {
    const { api } = await renderWithApi(<Paste onNavigate={() => {}} decodeQr={vi.fn(async () => null)} />);
    fireEvent.drop(screen.getByTestId('qr-drop'), { dataTransfer: { files: [new File([`From mom: ${FAKE_CODES.good}`], 'from-mom.porthole', { type: '' })] } });
    await flush();
    await flush();
    const calls = api.calls.filter((c) => c.method === 'importText');
    expect(calls).toHaveLength(1);
    expect(JSON.stringify(calls[0])).toContain(FAKE_CODES.good);
    expect(screen.getByText('Added 1 server.')).toBeTruthy();
  });

  it('imports a request from the shell (opened link) right away', async () => {
    const { api } = await renderWithApi(<Paste onNavigate={() => {}} request={{ text: FAKE_CODES.good, seq: 1 }} />);
    await flush();
    expect((screen.getByLabelText('The message you received') as HTMLTextAreaElement).value).toBe(FAKE_CODES.good);
    expect(api.calls.filter((c) => c.method === 'importText')).toHaveLength(1);
  });
});

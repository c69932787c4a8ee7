import { describe, expect, it } from 'vitest';
import { parseChannelSpec } from './index.ts';
import { raceStaggered, type AllFailedError } from './race.ts';
import { PortholeError } from '../../../shared/errors.ts';
import { classifyError } from './result.ts';

describe('parseChannelSpec', () => {
  it.each([
    ['https://Mirror.Example/lists/today.signed', 'https://mirror.example/lists/today.signed'],
    ['http://mirror.example', 'http://mirror.example/'],
    ['  https://mirror.example/a#frag ', 'https://mirror.example/a'],
    ['page:https://t.me/s/porthole_lists', 'page:https://t.me/s/porthole_lists'],
    ['dns:Lists.Example.ORG.', 'dns:lists.example.org'],
    ['dns:_porthole.example.org@127.0.0.1:5353,[::1]:53', 'dns:_porthole.example.org@127.0.0.1:5353,[::1]:53'],
    ['doh:https://dns.example/dns-query,https://doh.example/q?x=1#Lists.Example.org', 'doh:https://dns.example/dns-query,https://doh.example/q?x=1#lists.example.org'],
    ['file:/media/usb/porthole', 'file:/media/usb/porthole'],
    ['file:///media/usb/list.signed', 'file:/media/usb/list.signed'],
  ])('%s → %s, and the canonical spec parses to itself', (input, canonical) => {
    const ch = parseChannelSpec(input);
    expect(ch.spec).toBe(canonical);
    expect(parseChannelSpec(ch.spec).spec).toBe(canonical);
  });

  it('resolves a relative file path', () => {
    expect(parseChannelSpec('file:lists').spec).toBe(`file:${process.cwd()}/lists`);
  });

  it.each([
    ['ftp://x.example/l', /expected https/],
    ['mirror.example/list', /expected https:\/\/…/],
    ['page:ftp://x.example', /page: expected an https/],
    ['page:nonsense', /page: "nonsense" is not a URL/],
    ['dns:bad name', /not a valid DNS name/],
    ['dns:x.example@8.8.8', /not a DNS server address/],
    ['doh:https://dns.example/dns-query', /doh:URL/],
    ['doh:#x.example', /no endpoint/],
    ['file:', /file:PATH/],
  ])('rejects %s', (input, message) => {
    expect(() => parseChannelSpec(input)).toThrow(expect.objectContaining({ name: 'PortholeError', code: 'bad-channel' }));
    expect(() => parseChannelSpec(input)).toThrow(message);
  });
});

describe('classifyError', () => {
  it('maps codes to statuses', () => {
    const e = (code: string): Error => Object.assign(new Error('x'), { code });
    expect(classifyError(e('ECONNRESET'))).toEqual({ status: 'blocked', detail: 'ECONNRESET' });
    expect(classifyError(e('ETIMEOUT'))).toEqual({ status: 'timeout', detail: 'timed out' });
    expect(classifyError(e('ECONNREFUSED'))).toEqual({ status: 'error', detail: 'ECONNREFUSED' });
    expect(classifyError(Object.assign(new Error('wrapped'), { cause: e('EREFUSED') }))).toEqual({ status: 'blocked', detail: 'EREFUSED' });
  });
});

describe('raceStaggered', () => {
  const wait = (ms: number, value: string, fail = false) => (signal: AbortSignal): Promise<string> =>
    new Promise((resolve, reject) => {
      const t = setTimeout(() => (fail ? reject(new Error(value)) : resolve(value)), ms);
      signal.addEventListener('abort', () => {
        clearTimeout(t);
        reject(new Error('aborted'));
      });
    });

  it('starts the next task after the stagger, and the first success wins', async () => {
    const t0 = Date.now();
    await expect(raceStaggered([wait(30_000, 'slow'), wait(10, 'fast')], 50, AbortSignal.timeout(60_000))).resolves.toBe('fast');
    expect(Date.now() - t0).toBeLessThan(15_000); // not after the slow one (wide: 2 shared cores)
  });

  it('starts the next task at once when the running one fails', async () => {
    const t0 = Date.now();
    await expect(raceStaggered([wait(5, 'bad', true), wait(5, 'good')], 30_000, AbortSignal.timeout(60_000))).resolves.toBe('good');
    expect(Date.now() - t0).toBeLessThan(15_000); // not after the 30 s stagger
  });

  it('rejects with every error when all fail, and with the reason on abort', async () => {
    const err = await raceStaggered([wait(5, 'a', true), wait(5, 'b', true)], 10, AbortSignal.timeout(5_000)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PortholeError);
    expect(err).toMatchObject({ code: 'all-failed' });
    expect((err as AllFailedError).errors.map((x) => (x as Error).message)).toEqual(['a', 'b']);
    const ac = new AbortController();
    setTimeout(() => ac.abort(new Error('stop')), 20);
    await expect(raceStaggered([wait(1_000, 'x')], 10, ac.signal)).rejects.toThrow('stop');
  });
});

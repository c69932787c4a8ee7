// The volunteer's and the family member's CLI journeys, as a new user would walk them: codes
// that fit one SMS, durations checked alike everywhere, relative paths from the person's own
// folder, ids never blamed on the user, one publisher ID, code expiry shown, batches of codes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { porthole, type CliResult } from '../helpers/cli.ts';
import { createCode } from '../../electron/core/codes/codes.ts';
import { readSecretKey } from '../../electron/core/lists/keyfiles.ts';
import { parseProxyLink } from '../../shared/proxy-link.ts';

const REPO = fileURLToPath(new URL('../..', import.meta.url));
let dir: string;
const p = (...parts: string[]): string => join(dir, ...parts);
const KEY = (): string => p('pub', 'publisher.key');
const SMS_LINE = /^(\d+) characters: (\d+) SMS/m;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'porthole-journeys-'));
  expect((await porthole(['keygen', '--out', p('pub'), '--name', 'Volunteers KZ'])).code).toBe(0);
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Runs a command line the way a person does, in `cwd`, with the Node the tests run on first on PATH. */
function shell(command: string, cwd: string, env: NodeJS.ProcessEnv = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', ['-c', command], { cwd, env: { ...process.env, PATH: `${join(process.execPath, '..')}:${process.env.PATH}`, npm_lifecycle_event: '', INIT_CWD: '', PORTHOLE_CWD: '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

describe('code new: one SMS by default, the SMS count when it does not fit', { timeout: 120_000 }, () => {
  it("the README's example code is one SMS and names the sender by its publisher ID and check numbers", async () => {
    const r = await porthole(['code', 'new', '--key', KEY(), '--server', 'socks5://u:p@198.51.100.7:1080', '--expires', '3d']);
    expect(r.code).toBe(0);
    const code = r.stdout.trim();
    expect(code.length).toBeLessThanOrEqual(160);
    expect(r.stderr).toMatch(SMS_LINE);
    expect(r.stderr.match(SMS_LINE)![2]).toBe('1');
    expect(r.stderr).toMatch(/publisher ID [a-z2-7]{16}, check numbers (\d{4} ){4}\d{4}/);
  });

  it('servers that do not fit say how many SMS, and offer the short form when it fits fewer', async () => {
    const servers = [1, 2, 3, 4].flatMap((i) => ['--server', `socks5://user:pass@198.51.100.${i}:1080`]);
    const r = await porthole(['code', 'new', '--key', KEY(), ...servers]);
    expect(r.code).toBe(0);
    const [, length, sms] = r.stderr.match(SMS_LINE)!;
    expect(Number(length)).toBe(r.stdout.trim().length);
    expect(Number(sms)).toBe(Math.ceil(Number(length) / 153));
    expect(Number(sms)).toBeGreaterThan(1);
    const two = await porthole(['code', 'new', '--key', KEY(), ...servers.slice(0, 4)]);
    expect(two.stderr.match(SMS_LINE)![2]).toBe('2');
    expect(two.stderr).toMatch(/--short makes it \d+ characters \(1 SMS\) for people who already trust you/);
    const json = JSON.parse((await porthole(['code', 'new', '--json', '--key', KEY(), '--server', 'socks5://u:p@198.51.100.7:1080'])).stdout) as { sms: number; length: number; senderName: string | null };
    expect(json.sms).toBe(1);
    expect(json.length).toBeLessThanOrEqual(160);
  });
});

describe('durations are checked the same way everywhere', { timeout: 120_000 }, () => {
  const codeNew = (expires: string): Promise<CliResult> => porthole(['code', 'new', '--key', KEY(), '--server', 'socks5://u:p@198.51.100.7:1080', '--expires', expires]);
  const sign = (expires: string): Promise<CliResult> => porthole(['sign', '--key', KEY(), '--in', p('list.json'), '--out', p('d.signed'), '--expires', expires]);

  beforeAll(async () => {
    await writeFile(p('list.json'), JSON.stringify({ entries: [{ url: 'socks5://u:p@198.51.100.7:1080' }] }));
  });

  it.each([
    ['3', /"3" has no unit: write 3d \(days\), 3h \(hours\) or 3m \(minutes\)/],
    ['0s', /"0s" would expire at once/],
    ['-1d', /"-1d" is in the past/],
    ['2001-01-01', /"2001-01-01" is in the past/],
    ['soon', /"soon" is not a duration \(3d, 12h, 30m\) or a date/],
  ])('--expires %s is refused by code new, code batch and sign alike', async (value, message) => {
    for (const r of [await codeNew(value), await sign(value), await porthole(['code', 'batch', '--key', KEY(), '--servers', p('list.json'), '--count', '1', '--per-code', '1', '--out', p('never'), '--expires', value])]) {
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(message);
      expect(r.stderr.split('\n').filter(Boolean)).toHaveLength(1);
    }
  });

  it('a code cannot outlive what its record can say', async () => {
    const r = await codeNew('2000d');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/too long: at most 1095d/);
  });
});

describe('relative paths mean the folder the person ran the command in', { timeout: 120_000 }, () => {
  it('npm run cli from another folder writes and reads there, and errors show absolute paths', async () => {
    const here = p('elsewhere');
    await mkdir(here, { recursive: true });
    const k = await shell(`npm --prefix ${JSON.stringify(REPO)} run --silent cli -- keygen --out mykey`, here);
    expect(k.stderr).toBe('');
    expect(k.code).toBe(0);
    expect((await stat(join(here, 'mykey', 'publisher.key'))).isFile()).toBe(true);
    await stat(join(REPO, 'mykey')).then(() => expect.unreachable('written into the repository'), () => undefined);
    const miss = await shell(`npm --prefix ${JSON.stringify(REPO)} run --silent cli -- verify --trust missing.pub list.signed`, here);
    expect(miss.code).not.toBe(0);
    expect(miss.stderr).toContain(`cannot read ${join(here, 'missing.pub')}: no such file`);
  });

  it('so does scripts/dev npm run cli', async () => {
    const here = p('elsewhere2');
    await mkdir(here, { recursive: true });
    await writeFile(join(here, 'list.json'), JSON.stringify({ entries: [{ url: 'socks5://u:p@198.51.100.7:1080' }] }));
    const r = await shell(`${JSON.stringify(join(REPO, 'scripts', 'dev'))} npm run --silent cli -- sign --key ${JSON.stringify(KEY())} --in list.json --out out/kz.signed`, here);
    expect(r.stderr).not.toMatch(/porthole:/);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`signed ${join(here, 'out', 'kz.signed')}`);
    expect((await stat(join(here, 'out', 'kz.signed'))).isFile()).toBe(true);
  });
});

describe('sign never blames a field the user did not write', { timeout: 120_000 }, () => {
  const ss = (pw: string): string => `ss://${Buffer.from(`chacha20-ietf-poly1305:${pw}`).toString('base64url')}@198.51.100.8:8388`;

  it('two accounts on one server get their own ids', async () => {
    await writeFile(p('two.json'), JSON.stringify({ entries: [{ url: ss('alice-secret') }, { url: ss('bob-secret') }, { url: 'socks5://a:1@198.51.100.9:1080' }, { url: 'socks5://a:2@198.51.100.9:1080' }] }));
    const r = await porthole(['sign', '--key', KEY(), '--in', p('two.json'), '--out', p('two.signed')]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const v = JSON.parse((await porthole(['verify', '--json', '--trust', p('pub', 'publisher.pub'), p('two.signed')])).stdout) as { entries: number };
    expect(v.entries).toBe(4);
  });

  it('the same server twice, or an id written twice, is named by what the user wrote', async () => {
    await writeFile(p('dup.json'), JSON.stringify({ entries: [{ url: ss('same') }, { url: ss('same') }] }));
    const dup = await porthole(['sign', '--key', KEY(), '--in', p('dup.json'), '--out', p('dup.signed')]);
    expect(dup.code).not.toBe(0);
    expect(dup.stderr).toMatch(/entries\.1: the same server as entries\.0/);
    expect(dup.stderr).not.toMatch(/\.id/);
    await writeFile(p('ids.json'), JSON.stringify({ entries: [{ url: ss('a'), id: 'x' }, { url: ss('b'), id: 'x' }] }));
    const ids = await porthole(['sign', '--key', KEY(), '--in', p('ids.json'), '--out', p('ids.signed')]);
    expect(ids.stderr).toMatch(/entries\.1\.id: "x" is also the id of entries\.0/);
  });
});

describe('one publisher ID everywhere; code expiry shown', { timeout: 120_000 }, () => {
  it('the untrusted-list error names the ID that trust list then shows, and says how to trust', async () => {
    const data = p('client');
    await porthole(['sign', '--key', KEY(), '--in', p('list.json'), '--out', p('one.signed')]);
    const rej = await porthole(['import', p('one.signed'), '--data-dir', data]);
    expect(rej.code).toBe(3);
    const id = /publisher ([a-z2-7]{16})/.exec(rej.stderr)![1]!;
    expect(rej.stderr).toContain('"Volunteers KZ"');
    expect(rej.stderr).toContain('porthole trust add publisher.pub');
    expect((await porthole(['trust', 'add', p('pub', 'publisher.pub'), '--data-dir', data])).stdout).toContain(`publisher ${id} ("Volunteers KZ")`);
    const list = await porthole(['trust', 'list', '--data-dir', data]);
    expect(list.stdout).toMatch(new RegExp(`^${id}\\s+Volunteers KZ\\s.*(\\d{4} ){4}\\d{4}$`, 'm'));
    expect((await porthole(['import', p('one.signed'), '--data-dir', data])).code).toBe(0);
    expect((await porthole(['lists', '--data-dir', data])).stdout).toMatch(new RegExp(`^${id}\\s+-?\\s*`, 'm'));
  });

  it('lists shows a code\'s expiry (not its import date), in text and JSON; inspect says when a code expired', async () => {
    const data = p('client2');
    const made = await porthole(['code', 'new', '--key', KEY(), '--server', 'socks5://u:p@198.51.100.7:1080', '--expires', '30d']);
    const imported = await porthole(['import', made.stdout.trim(), '--yes', '--data-dir', data]);
    expect(imported.code).toBe(0);
    expect(imported.stdout).toMatch(/publisher ID [a-z2-7]{16}/);
    const json = JSON.parse((await porthole(['lists', '--json', '--data-dir', data])).stdout) as { codes: { expires: string; expired: boolean }[] };
    const expires = json.codes[0]!.expires;
    expect(Date.parse(expires) - Date.now()).toBeGreaterThan(29 * 86400_000);
    expect(json.codes[0]!.expired).toBe(false);
    expect((await porthole(['lists', '--data-dir', data])).stdout).toContain(expires.slice(0, 16).replace('T', ' '));
    const key = await readSecretKey(KEY());
    const old = createCode({ key, servers: [parseProxyLink('socks5://u:p@198.51.100.7:1080')], expires: new Date(Date.now() - 86400_000) });
    const inspect = await porthole(['code', 'inspect', old]);
    expect(inspect.code).toBe(0);
    expect(inspect.stdout).toMatch(/EXPIRED: ask the sender for a new code/);
    expect(JSON.parse((await porthole(['code', 'inspect', '--json', old])).stdout)).toMatchObject({ expired: true });
  });
});

describe('code batch: many one-SMS codes, evenly spread, with a ledger', { timeout: 120_000 }, () => {
  it('makes N different sets, each server in about N·M/S codes; CSV, sheets and ledger agree', async () => {
    const servers = Array.from({ length: 13 }, (_, i) => `socks5://u${i}:p@198.51.100.${i + 1}:1080`);
    await writeFile(p('servers.txt'), `# our servers\n${servers.join('\n')}\n`);
    const r = await porthole(['code', 'batch', '--key', KEY(), '--servers', p('servers.txt'), '--count', '40', '--per-code', '2', '--short', '--out', p('batch'), '--json'], { timeoutMs: 60_000 });
    expect(r.stderr).toBe('');
    const summary = JSON.parse(r.stdout) as { codes: number; usesPerServer: { min: number; max: number }; longestCode: number };
    expect(summary.codes).toBe(40);
    expect(summary.longestCode).toBeLessThanOrEqual(160);
    // 40·2/13 ≈ 6.2: every server in 6 or 7 codes
    expect(summary.usesPerServer.min).toBeGreaterThanOrEqual(6);
    expect(summary.usesPerServer.max).toBeLessThanOrEqual(7);
    const csv = (await readFile(p('batch', 'codes.csv'), 'utf8')).trim().split('\r\n');
    expect(csv[0]).toBe('number,code,servers,expires');
    expect(csv).toHaveLength(41);
    const sets = csv.slice(1).map((l) => l.split(',')[2]!);
    expect(new Set(sets).size).toBe(40);
    expect(((await stat(p('batch', 'codes.csv'))).mode & 0o777)).toBe(0o600);
    const pages = await readdir(p('batch', 'sheets'));
    expect(pages).toEqual(['page-001.html', 'page-002.html', 'page-003.html', 'page-004.html']);
    expect(await readFile(p('batch', 'sheets', 'page-001.html'), 'utf8')).toMatch(/<svg[\s\S]*#12<\/b> <code>PH1:/);
    const ledger = await porthole(['code', 'ledger', '--out', p('batch'), '--server', '198.51.100.3:1080', '--json']);
    const hits = JSON.parse(ledger.stdout) as { codes: { number: number; code: string }[] };
    const expected = csv.slice(1).filter((l) => l.split(',')[2]!.split(' ').includes('socks5://198.51.100.3:1080'));
    expect(hits.codes.map((c) => c.number)).toEqual(expected.map((l) => Number(l.split(',')[0])));
    // the same answer by full link, and a plain error for a server that was never in the batch
    const byLink = JSON.parse((await porthole(['code', 'ledger', '--out', p('batch'), '--server', servers[2]!, '--json'])).stdout) as typeof hits;
    expect(byLink.codes).toEqual(hits.codes);
    const none = await porthole(['code', 'ledger', '--out', p('batch'), '--server', '203.0.113.1:1080']);
    expect(none.code).toBe(1);
    expect(none.stderr).toMatch(/no server of this batch matches "203.0.113.1:1080"/);
    // a second batch never overwrites the first one's ledger
    const again = await porthole(['code', 'batch', '--key', KEY(), '--servers', p('servers.txt'), '--count', '2', '--per-code', '1', '--out', p('batch')]);
    expect(again.stderr).toMatch(/already holds a batch/);
  });

  it('says plainly when the sets run out or the codes would not fit one SMS', async () => {
    await writeFile(p('three.txt'), 'socks5://u:p@198.51.100.1:1080\nsocks5://u:p@198.51.100.2:1080\nsocks5://u:p@198.51.100.3:1080\n');
    const few = await porthole(['code', 'batch', '--key', KEY(), '--servers', p('three.txt'), '--count', '4', '--per-code', '2', '--short', '--out', p('b2')]);
    expect(few.code).toBe(2);
    expect(few.stderr).toMatch(/3 servers make only 3 different sets of 2/);
    const long = await porthole(['code', 'batch', '--key', KEY(), '--servers', p('three.txt'), '--count', '3', '--per-code', '2', '--out', p('b3')]);
    expect(long.code).toBe(2);
    expect(long.stderr).toMatch(/2 SMS: use a smaller --per-code, --max-sms 2, --short/);
  });
});

// Local sources: a file, a folder (USB stick). What a paste or a dropped file yields: lists/candidates.test.ts.
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { armor } from '../../../shared/armor.ts';
import { parseChannelSpec, type ChannelFetchResult } from './index.ts';
import { fakeSignedList } from '../../../test/fixtures/channels/lists.ts';

const list = fakeSignedList(3_000, 'a');
const list2 = fakeSignedList(2_000, 'b');
const list3 = fakeSignedList(1_000, 'c');
const list4 = fakeSignedList(1_500, 'd');
const MiB = 1 << 20;
let root: string;
let stick: string;

function fetchPath(path: string, opts: { etag?: string; maxBytes?: number } = {}, maxFiles?: number): Promise<ChannelFetchResult> {
  return parseChannelSpec(`file:${path}`, maxFiles ? { maxFiles } : {}).fetch({
    signal: AbortSignal.timeout(5_000),
    maxBytes: opts.maxBytes ?? MiB,
    ...(opts.etag ? { etag: opts.etag } : {}),
  });
}

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'porthole-local-'));
  writeFileSync(join(root, 'one.signed'), list);
  writeFileSync(join(root, 'post.txt'), `forwarded message:\n\n${armor('LIST', list2)}\n`);
  stick = join(root, 'stick');
  mkdirSync(join(stick, 'porthole'), { recursive: true });
  mkdirSync(join(stick, 'porthole', 'old'), { recursive: true });
  mkdirSync(join(stick, '.Trash'), { recursive: true });
  writeFileSync(join(stick, 'a-list.signed'), list);
  writeFileSync(join(stick, 'b-copy.porthole'), list); // the same list twice: delivered once
  writeFileSync(join(stick, 'c-note.TXT'), `from a friend\n${armor('LIST', list2)}`);
  writeFileSync(join(stick, 'd-saved.html'), `<html><body><p>${armor('LIST', list3).trimEnd().replaceAll('\n', '<br>')}</p></body></html>`);
  writeFileSync(join(stick, 'e-readme.md'), armor('LIST', list4)); // not a list extension
  writeFileSync(join(stick, 'f-photo.jpg'), Buffer.alloc(100, 1));
  writeFileSync(join(stick, 'porthole', 'g-nested.signed'), list4); // one level down: read
  writeFileSync(join(stick, 'porthole', 'old', 'h-deep.signed'), fakeSignedList(900, 'deep')); // two levels: not read
  writeFileSync(join(stick, '.Trash', 'i-hidden.signed'), fakeSignedList(900, 'hidden'));
  writeFileSync(join(stick, 'z-huge.signed'), fakeSignedList(300_000, 'huge'));
});

afterAll(() => {
  if (root) rmSync(root, { recursive: true, force: true });
});

describe('file: a single file', () => {
  it('delivers a raw signed list byte for byte, with an ETag that detects no change', async () => {
    const r = await fetchPath(join(root, 'one.signed'));
    expect(r).toMatchObject({ channel: `file:${join(root, 'one.signed')}`, status: 'ok' });
    expect(r.blobs).toEqual([list]);
    expect(r.etag).toBeTruthy();
    const again = await fetchPath(join(root, 'one.signed'), { etag: r.etag ?? '' });
    expect(again).toMatchObject({ status: 'not-modified', blobs: [] });
  });

  it('finds the armored block in a text file', async () => {
    const r = await fetchPath(join(root, 'post.txt'));
    expect(r.blobs).toEqual([list2]);
  });

  it('refuses a file over the cap', async () => {
    const r = await fetchPath(join(root, 'one.signed'), { maxBytes: 1_000 });
    expect(r).toMatchObject({ status: 'too-large', detail: 'exceeded 1000 bytes', blobs: [] });
  });

  it('reports a missing path', async () => {
    const r = await fetchPath(join(root, 'nope.signed'));
    expect(r).toMatchObject({ status: 'error', detail: 'ENOENT', blobs: [] });
  });
});

describe('file: a folder (USB stick)', () => {
  it('reads list files one level deep, skips hidden, other and oversized files, and de-duplicates', async () => {
    const r = await fetchPath(stick, { maxBytes: 100_000 });
    expect(r.status).toBe('ok');
    expect(r.blobs).toEqual([list, list2, list3, list4]);
    expect(r.detail).toBe('z-huge.signed: over 100000 bytes');
  });

  it('reads at most maxFiles files and says how many were left', async () => {
    const r = await fetchPath(stick, { maxBytes: 100_000 }, 2);
    expect(r.blobs).toEqual([list]);
    expect(r.detail).toBe('4 more files not read (limit 2)');
  });

  it('answers not-modified until a file changes', async () => {
    const first = await fetchPath(stick);
    expect((await fetchPath(stick, { etag: first.etag ?? '' })).status).toBe('not-modified');
    const later = new Date(Date.now() + 60_000);
    utimesSync(join(stick, 'c-note.TXT'), later, later);
    expect((await fetchPath(stick, { etag: first.etag ?? '' })).status).toBe('ok');
  });

  it('says so when a folder holds nothing useful', async () => {
    const empty = join(root, 'empty');
    mkdirSync(empty, { recursive: true });
    writeFileSync(join(empty, 'notes.txt'), 'just notes');
    const r = await fetchPath(empty);
    expect(r).toMatchObject({ status: 'ok', blobs: [], detail: 'no signed list or armored block in 1 files' });
  });
});

// The walk from a channel's bytes to a selected server, proved at run time. A real Engine (the
// wiring the product uses) refreshes a real channel (a file, an HTTP mirror, a web page on
// loopback) holding a signed list; each step of the walk (bytes → candidates → accept → verify →
// held → server set → selection) records who called it, read from the stack (V8 keeps `at async`
// frames). The files the data ran through must lie in catalog/, lists/ and selection/ — never
// engine/ — and be the ones docs/architecture.md names.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { armor } from '../../shared/armor.ts';
import type { Entry } from '../../shared/entry.ts';
import type * as AcceptModule from '../../electron/core/catalog/accept.ts';
import type * as CatalogModule from '../../electron/core/catalog/catalog.ts';
import { HeldLists } from '../../electron/core/catalog/held-lists.ts';
import { LiveCatalog } from '../../electron/core/catalog/live.ts';
import { Engine } from '../../electron/core/engine/engine.ts';
import type * as CandidatesModule from '../../electron/core/lists/candidates.ts';
import type * as VerifyModule from '../../electron/core/lists/verify.ts';
import { Selection } from '../../electron/core/selection/selection.ts';
import { MODULE_DEPS } from '../../scripts/architecture/rules.ts';
import { startServer, type Handler, type TestServer } from '../fixtures/channels/servers.ts';
import { makeList, makePublisher, type TestPublisher } from '../helpers/publishers.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const THIS_FILE = relative(ROOT, fileURLToPath(import.meta.url)).split(sep).join('/');
/** The folders the walk may pass through, and the limit the issue sets on their number. */
const WALK_FOLDERS = ['electron/core/catalog', 'electron/core/lists', 'electron/core/selection'];
const MAX_FOLDERS = 3;

type Step = 'candidates' | 'accept' | 'verify' | 'hold' | 'build' | 'select';
/** Each step of the walk: the file it happens in. */
const STEP_FILES: Record<Step, string> = {
  candidates: 'electron/core/lists/candidates.ts',
  accept: 'electron/core/catalog/accept.ts',
  verify: 'electron/core/lists/verify.ts',
  hold: 'electron/core/catalog/held-lists.ts',
  build: 'electron/core/catalog/catalog.ts',
  select: 'electron/core/selection/selection.ts',
};

interface Passage {
  step: Step;
  /** The files that called the step, innermost first (the test driving it left out). */
  path: string[];
  entries?: readonly Entry[];
}

// Steps are recorded by wrapping the real functions; the first two frames of each stack are the recorder and the wrapper.
const trace = vi.hoisted(() => {
  const passages: { step: string; stack: string; entries?: readonly unknown[] }[] = [];
  const record = (step: string, entries?: readonly unknown[]): void => {
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 100;
    passages.push({ step, stack: new Error(step).stack ?? '', ...(entries ? { entries } : {}) });
    Error.stackTraceLimit = limit;
  };
  return { passages, record };
});

vi.mock('../../electron/core/lists/candidates.ts', async (importOriginal) => {
  const real = await importOriginal<typeof CandidatesModule>();
  return {
    ...real,
    candidatesFromBytes: (bytes: Uint8Array) => (trace.record('candidates'), real.candidatesFromBytes(bytes)),
    candidatesFromText: (text: string) => (trace.record('candidates'), real.candidatesFromText(text)),
  };
});
vi.mock('../../electron/core/catalog/accept.ts', async (importOriginal) => {
  const real = await importOriginal<typeof AcceptModule>();
  return { ...real, acceptList: (...args: Parameters<typeof real.acceptList>) => (trace.record('accept'), real.acceptList(...args)) };
});
vi.mock('../../electron/core/lists/verify.ts', async (importOriginal) => {
  const real = await importOriginal<typeof VerifyModule>();
  return { ...real, verifyList: (...args: Parameters<typeof real.verifyList>) => (trace.record('verify'), real.verifyList(...args)) };
});
vi.mock('../../electron/core/catalog/catalog.ts', async (importOriginal) => {
  const real = await importOriginal<typeof CatalogModule>();
  return { ...real, buildCatalog: (...args: Parameters<typeof real.buildCatalog>) => (trace.record('build'), real.buildCatalog(...args)) };
});

/** Our source files on a stack, innermost first (node internals and node_modules left out). */
function filesOn(stack: string): string[] {
  const files: string[] = [];
  for (const line of stack.split('\n').slice(1)) {
    // "    at [async ]fn (/abs/path.ts:1:2)" or "    at /abs/path.ts:1:2"; one bounded, linear match per line.
    const m = /((?:file:\/\/)?\/[^():\s]+):\d+:\d+\)?\s*$/.exec(line.slice(0, 1000));
    if (!m?.[1]) continue;
    const path = m[1].startsWith('file://') ? fileURLToPath(m[1]) : m[1];
    const rel = relative(ROOT, path).split(sep).join('/');
    if (rel.startsWith('..') || rel.startsWith('node_modules/')) continue;
    files.push(rel);
  }
  return files;
}

/**
 * The callers on a recorded stack: past the recorder and the wrapper (the first two frames), up to
 * what drives the walk (the outermost frames: this test, and the front door it came in by, if any).
 */
function pathOf(stack: string, drivers: readonly string[]): string[] {
  const files = filesOn(stack).slice(2);
  let end = files.length;
  while (end > 0 && drivers.includes(files[end - 1]!)) end--;
  return files.slice(0, end);
}

/** What was recorded, each step's callers read up to `frontDoor` (a file the test enters by). */
function passages(frontDoor?: string): Passage[] {
  const drivers = frontDoor ? [THIS_FILE, frontDoor] : [THIS_FILE];
  return trace.passages.map((p) => ({ step: p.step as Step, path: pathOf(p.stack, drivers), ...(p.entries ? { entries: p.entries as readonly Entry[] } : {}) }));
}

const folderOf = (file: string): string => file.slice(0, file.lastIndexOf('/'));
/** Files outside the walk's folders (empty when the walk holds). */
const strays = (files: Iterable<string>): string[] => [...new Set(files)].filter((file) => !WALK_FOLDERS.includes(folderOf(file)));

/**
 * The files the data ran through: each step's file and its callers. The walk starts with the bytes
 * in a channel's hand, so the channel that calls the first step (and the round awaiting that
 * channel) are where it starts, not steps of it.
 */
function walkFiles(seen: readonly Passage[]): string[] {
  const files = new Set<string>();
  for (const p of seen) {
    files.add(STEP_FILES[p.step]);
    let from = 0;
    if (p.step === 'candidates') while (from < p.path.length && p.path[from]!.startsWith('electron/core/channels/')) from++;
    const callers = p.path.slice(from);
    for (const file of callers) files.add(file);
  }
  return [...files].sort();
}

/** Records every set a selection receives (the Engine's one too) and the held lists. */
function watchHandOvers(): void {
  const setEntries = Selection.prototype.setEntries;
  vi.spyOn(Selection.prototype, 'setEntries').mockImplementation(function (this: Selection, entries: readonly Entry[]) {
    trace.record('select', entries);
    setEntries.call(this, entries);
  });
  const put = HeldLists.prototype.put;
  vi.spyOn(HeldLists.prototype, 'put').mockImplementation(function (this: HeldLists, list: VerifyModule.VerifiedList) {
    trace.record('hold');
    return put.call(this, list);
  });
}

/** The walk's table in docs/architecture.md: the files of its rows, in order. */
async function documentedWalk(): Promise<string[]> {
  const doc = await readFile(join(ROOT, 'docs/architecture.md'), 'utf8');
  const section = doc.slice(doc.indexOf('## From a channel'));
  return [...section.matchAll(/^\| \d+ \| `([^`]+)` \|/gm)].map((m) => m[1]!);
}

describe('the walk from a channel\'s bytes to a selected server', () => {
  let dir = '';
  let pub: TestPublisher;
  let engine: Engine | null = null;
  const servers: TestServer[] = [];
  const serve = async (routes: Record<string, Handler>): Promise<TestServer> => {
    const server = await startServer(routes);
    servers.push(server);
    return server;
  };

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'porthole-walk-'));
    pub = makePublisher();
    trace.passages.length = 0;
    watchHandOvers();
  });

  afterEach(async () => {
    await engine?.stop();
    engine = null;
    for (const server of servers.splice(0)) await server.close();
    vi.restoreAllMocks();
    await rm(dir, { recursive: true, force: true });
  });

  const idsOf = (entries: readonly Entry[] | undefined): string[] => (entries ?? []).map((e) => e.id).sort();

  /** Where the signed list waits, and the channel spec that fetches it. */
  const CHANNELS: { name: string; fetcher: string; serve(list: Uint8Array): Promise<string> }[] = [
    {
      name: 'a file channel (an armored block in a saved page)',
      fetcher: 'electron/core/channels/local.ts',
      serve: async (list) => {
        const page = join(dir, 'post.html');
        await writeFile(page, `<html><body><p>Today's list:</p><pre>${armor('LIST', list)}</pre></body></html>`);
        return `file:${page}`;
      },
    },
    {
      name: 'an HTTP mirror (the raw signed list)',
      fetcher: 'electron/core/channels/http-channel.ts',
      serve: async (list) => `${(await serve({ '/list.signed': (_req, res) => res.end(list) })).url}/list.signed`,
    },
    {
      name: 'a web page (an armored block in a post)',
      fetcher: 'electron/core/channels/http-channel.ts',
      serve: async (list) => `page:${(await serve({ '/post': (_req, res) => res.end(`<p>${armor('LIST', list).replaceAll('\n', '<br>')}</p>`) })).url}/post`,
    },
  ];

  it.each(CHANNELS)('from $name to the selection: catalog/, lists/ and selection/, never engine/', async ({ fetcher, serve: place }) => {
    const list = makeList(pub, { version: 1, urls: ['socks5://127.0.0.1:1081#a', 'socks5://127.0.0.1:1082#b'] });
    engine = new Engine({ dataDir: join(dir, 'client'), pinned: [pub.chain], skipBootstrap: true, channels: [await place(list)] });
    await engine.open();
    trace.passages.length = 0; // opening built the (empty) set: the walk starts at the channel's bytes
    expect((await engine.refreshNow()).map((r) => r.status)).toEqual(['ok']);
    await vi.waitFor(() => expect(trace.passages.some((p) => p.step === 'select')).toBe(true), { timeout: 10_000 });

    const seen = passages();
    // Every step happened, in the walk's order, once for this one list.
    expect(seen.map((p) => p.step)).toEqual(['candidates', 'accept', 'verify', 'hold', 'build', 'select']);
    const handOver = seen[seen.length - 1]!;
    expect(idsOf(handOver.entries)).toEqual(idsOf(engine.servers().map((s) => s.entry)));
    expect(handOver.entries).toHaveLength(2);
    // The channel only fetched: it handed its bytes to the first step.
    expect(seen[0]!.path[0]).toBe(fetcher);
    // The set goes from the live catalog straight to the selection.
    expect(handOver.path[0]).toBe('electron/core/catalog/live.ts');
    const files = walkFiles(seen);
    expect(strays(files)).toEqual([]);
    expect(new Set(files.map(folderOf)).size).toBeLessThanOrEqual(MAX_FOLDERS);
    expect(files.length).toBeLessThanOrEqual(10);
    // And the page in docs/architecture.md names exactly these files.
    expect([...await documentedWalk()].sort()).toEqual(files);
  });

  it('from a paste (the raw signed list) to the selection, through the same folders', async () => {
    engine = new Engine({ dataDir: join(dir, 'client'), pinned: [pub.chain], skipBootstrap: true });
    await engine.open();
    trace.passages.length = 0;
    const outcomes = await engine.importText(makeList(pub, { version: 3, urls: ['socks5://127.0.0.1:1083#c'] }));
    expect(outcomes.map((o) => o.status)).toEqual(['added']);
    // A paste comes in by the engine's front door (its Api hands the text to the catalog): from there on, the walk.
    const seen = passages('electron/core/engine/engine.ts');
    expect(seen.map((p) => p.step)).toEqual(['accept', 'verify', 'hold', 'build', 'select']);
    const handOver = seen[seen.length - 1]!;
    expect(idsOf(handOver.entries)).toEqual(idsOf(engine.servers().map((s) => s.entry)));
    expect(handOver.entries).toHaveLength(1);
    expect(handOver.path[0]).toBe('electron/core/catalog/live.ts');
    // The paste is awaited to its end, so the awaiting catalog functions are on the path too.
    expect(strays(walkFiles(seen))).toEqual([]);
    expect(walkFiles(seen)).toContain('electron/core/catalog/import.ts');
  });

  it('sees a hand-over routed through any other file (a relay planted between catalog and selection)', async () => {
    const selection = new Selection();
    const relay = { setEntries: (entries: readonly Entry[]): void => selection.setEntries(entries) };
    const catalog = new LiveCatalog({ dataDir: join(dir, 'client'), pinned: [pub.chain], skipBootstrap: true }, {
      log: () => undefined,
      changed: () => undefined,
      reports: () => undefined,
      refreshingChanged: () => undefined,
      proxyUrl: () => undefined,
    }, relay);
    await catalog.open();
    await catalog.importText(makeList(pub, { version: 1, urls: ['socks5://127.0.0.1:1084#d'] }));
    const seen = passages();
    const handOver = seen[seen.length - 1]!;
    expect(idsOf(handOver.entries)).toEqual(idsOf(catalog.servers().map((s) => s.entry)));
    expect(handOver.path[0]).toBe(THIS_FILE);
    expect(strays(walkFiles(seen))).toEqual([THIS_FILE]);
  });
});

describe('the walk as docs/architecture.md tells it', () => {
  it('names about 10 files in at most 3 folders, whose modules have no import cycle', async () => {
    const files = await documentedWalk();
    expect(files.length).toBeGreaterThanOrEqual(6);
    expect(files.length).toBeLessThanOrEqual(10);
    for (const file of files) await expect(readFile(join(ROOT, file), 'utf8')).resolves.toMatch(/^\/\/ /);
    expect(strays(files)).toEqual([]);
    // No cycle: along the lint's module DAG, no module of the walk reaches back to itself.
    const reaches = (from: string, seen = new Set<string>()): Set<string> => {
      for (const next of MODULE_DEPS[from] ?? []) if (!seen.has(next)) reaches(next, seen.add(next));
      return seen;
    };
    const modules = [...new Set(files.map((file) => folderOf(file).split('/').pop()!))];
    expect(modules.sort()).toEqual(['catalog', 'lists', 'selection']);
    for (const name of modules) expect(reaches(name).has(name), `${name} reaches itself`).toBe(false);
    expect(reaches('catalog').has('lists')).toBe(true); // the one edge between them: the catalog verifies with lists/
  });
});

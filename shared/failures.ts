// The one table of failure kinds. Every expected failure in Porthole — a probe, the bridge, a
// channel, a list check, a pasted code, the CLI, the Api — carries one of these codes (see
// shared/errors.ts). Each row says what kind of failure it is, whether trying again (later, or
// with another server) may help, whether it counts against the server, the CLI exit code, the Api
// wire code (when the Api may show it), the renderer's i18n key and a short English phrase for
// one-line messages ("<phrase> (<stage>): <detail>"). The narrower vocabularies (probe kinds,
// upstream kinds, list rejections, code problems, …) are subsets of this table, declared below.

/** What a failure is about: reaching a server, what came back, what the person typed, this
 * computer (disk, browsers, system settings, sockets), or a bug. */
export type FailureCategory = 'network' | 'content' | 'input' | 'system' | 'internal';

/** The Api's wire error codes (shared/api-results.ts keeps this contract). */
export type ApiWireCode = 'bad-request' | 'not-found' | 'unavailable' | 'internal';

export interface FailureInfo {
  category: FailureCategory;
  /** Trying again (later, or through another server) may work. */
  retryable: boolean;
  /** Counts against the server (selection, failure history); false = says nothing about it. */
  serverFault: boolean;
  /** `porthole` exit code when this failure ends a command. */
  exit: number;
  /** The Api error code it is sent as; absent = an unexpected failure there (sent as 'internal error'). */
  api?: ApiWireCode;
  /** Key of the renderer's i18n text (renderer/src/i18n), present in kk, ru and en. */
  i18n: string;
  /** Short English phrase for one-line messages and logs. */
  text: string;
}

type Row = Omit<FailureInfo, 'i18n'> & { i18n?: string };
const net = (text: string, o: Partial<Row> = {}): Row => ({ category: 'network', retryable: true, serverFault: true, exit: 1, text, ...o });
const content = (text: string, o: Partial<Row> = {}): Row => ({ category: 'content', retryable: false, serverFault: false, exit: 3, text, ...o });
const input = (text: string, o: Partial<Row> = {}): Row => ({ category: 'input', retryable: false, serverFault: false, exit: 2, text, ...o });
const system = (text: string, o: Partial<Row> = {}): Row => ({ category: 'system', retryable: true, serverFault: false, exit: 1, text, ...o });

const ROWS = {
  // ---- reaching a server (probe, bridge upstreams, channels)
  refused: net('connection refused'),
  timeout: net('timed out'),
  reset: net('connection reset'),
  auth: net('authentication failed', { retryable: false }),
  'bad-reply': net('not a working proxy (bad reply)', { retryable: false }),
  /** The proxy (or the way to a channel) works, but what lies behind is refused or replaced on the way. */
  blocked: net('proxy works, but the probe URL is blocked', { i18n: 'failure.wrong-content' }),
  /** The wire name of a blocked server in the Api (a page came back, but not the one asked for). */
  'wrong-content': net('blocked (page replaced)'),
  unreachable: net('network unreachable'),
  dns: net('name not found'),
  /** This computer ran out of sockets, file descriptors or ports: the server could not be tested. */
  local: system('out of local sockets (not the server\'s fault)'),
  aborted: system('cancelled', { retryable: false }),
  other: net('failed'),
  'no-upstream': system('no upstream available'),
  unsupported: system('not supported', { retryable: false }),
  'all-failed': net('every attempt failed'),
  'http-error': net('the server answered with an HTTP error'),
  // ---- what came back: signed lists, codes, links (a list check's rejection ends a command with 3)
  'bad-signature': content('bad signature'),
  'unknown-key': content('signed by an unknown key'),
  'below-threshold': content('not enough valid signatures'),
  'rolled-back': content('rolled back'),
  unchanged: content('unchanged'),
  expired: content('expired'),
  'too-large': content('too large'),
  malformed: content('malformed'),
  'root-conflict': content('conflicts with a trusted root'),
  damaged: content('damaged'),
  'already-added': content('already added'),
  'not-trusted': content('publisher not trusted'),
  'from-the-future': content('dated in the future'),
  'code-only': content('only for codes'),
  'cut-off': content('cut off'),
  'wrong-case': content('letter case changed'),
  'newer-version': content('made by a newer version'),
  /** A refusal whose message already says why (the CLI's "rejected: …" lines). */
  rejected: content('rejected'),
  'bad-link': content('not a link Porthole reads', { exit: 2 }),
  /** An Outline dynamic key (ssconf://): not a server itself, its server is fetched from the https address it names. */
  'dynamic-key': content('an Outline dynamic key (its server is fetched)', { exit: 2 }),
  /** A JSON/YAML config or subscription that cannot be read (broken, too large, nested too deeply). */
  'bad-config': content('not a config Porthole reads', { exit: 2 }),
  /** An Outline key's provider answered with an error message of its own (shown as it wrote it). */
  'provider-message': content('the key\'s provider answered with an error', { exit: 2 }),
  'bad-ledger': content('not a code ledger', { exit: 1 }),
  // ---- what the person typed (CLI flags, Api requests)
  usage: input('bad usage'),
  'bad-channel': input('not a channel'),
  'bad-batch': input('these codes cannot be made'),
  'bad-request': input('bad request', { api: 'bad-request' }),
  'not-found': input('not found', { exit: 1, api: 'not-found' }),
  // ---- this computer
  unavailable: system('not available now', { api: 'unavailable' }),
  storage: system('cannot save or read data', { exit: 4 }),
  'browser-not-found': system('browser not installed', { retryable: false }),
  'browser-failed': system('browser did not start'),
  'firefox-running': system('Firefox is running'),
  'system-proxy': system('system proxy not changed'),
  // ---- a bug
  internal: { category: 'internal', retryable: false, serverFault: false, exit: 70, api: 'internal', text: 'internal error' },
} as const satisfies Record<string, Row>;

export type FailureCode = keyof typeof ROWS;

/** The table: every code with its row (i18n key defaults to `failure.<code>`). */
export const FAILURES: Readonly<Record<FailureCode, Readonly<FailureInfo>>> = Object.fromEntries(
  Object.entries(ROWS).map(([code, row]: [string, Row]) => [code, { ...row, i18n: row.i18n ?? `failure.${code}` }]),
) as Record<FailureCode, FailureInfo>;

export const FAILURE_CODES = Object.keys(ROWS) as readonly FailureCode[];

export function isFailureCode(value: unknown): value is FailureCode {
  return typeof value === 'string' && Object.hasOwn(ROWS, value);
}

// ---------------------------------------------------------------- the narrower vocabularies

/** Why an upstream (a proxy the bridge or the prober goes through) failed. */
export const UPSTREAM_FAILURES = ['refused', 'timeout', 'reset', 'auth', 'bad-reply', 'unreachable', 'dns', 'local', 'aborted', 'other'] as const satisfies readonly FailureCode[];
export type UpstreamFailureCode = (typeof UPSTREAM_FAILURES)[number];

/**
 * Why a probe failed: the upstream kinds, plus 'blocked' – the proxy works (handshake done) but
 * the probe URL is refused by the path to it (451/403/other non-2xx, a reset or a block page).
 */
export const PROBE_FAILURES = [...UPSTREAM_FAILURES, 'blocked'] as const satisfies readonly FailureCode[];
export type ProbeFailureCode = (typeof PROBE_FAILURES)[number];

/** Why a whole bridge dial failed: the last upstream's kind, or a bridge-side reason. */
export const DIAL_FAILURES = [...UPSTREAM_FAILURES, 'no-upstream', 'unsupported'] as const satisfies readonly FailureCode[];
export type DialFailureCode = (typeof DIAL_FAILURES)[number];

/** Why a signed list (or a code's signed content) was not accepted. */
export const LIST_REJECTIONS = [
  'bad-signature', 'unknown-key', 'below-threshold', 'rolled-back', 'unchanged', 'expired', 'too-large', 'malformed',
  'root-conflict', 'damaged', 'already-added', 'not-trusted', 'from-the-future', 'code-only',
] as const satisfies readonly FailureCode[];
export type ListRejectionCode = (typeof LIST_REJECTIONS)[number];

/** Why a link, a config or an Outline key was not read (every one carries its message for people). */
export const LINK_FAILURES = ['bad-link', 'dynamic-key', 'bad-config', 'provider-message'] as const satisfies readonly FailureCode[];
export type LinkFailureCode = (typeof LINK_FAILURES)[number];

/** Why a pasted code cannot be read. */
export const CODE_PROBLEMS = ['damaged', 'cut-off', 'wrong-case', 'newer-version'] as const satisfies readonly FailureCode[];

/** Why a server last failed, as the Api sends it (shared/api-models.ts): a probe kind, or 'wrong-content'/'expired'. */
export const SERVER_FAILURES = ['refused', 'timeout', 'reset', 'auth', 'bad-reply', 'unreachable', 'dns', 'aborted', 'wrong-content', 'expired', 'other'] as const satisfies readonly FailureCode[];
export type ServerFailureCode = (typeof SERVER_FAILURES)[number];

/** The Api name of a server's failure: a blocked probe URL is 'wrong-content'; kinds the Api has no name for are 'other'. */
export function serverFailure(code: FailureCode): ServerFailureCode {
  if (code === 'blocked') return 'wrong-content';
  return (SERVER_FAILURES as readonly FailureCode[]).includes(code) ? (code as ServerFailureCode) : 'other';
}

/** Whether a failure of this kind counts against the server. */
export function isServerFault(code: FailureCode): boolean {
  return FAILURES[code].serverFault;
}

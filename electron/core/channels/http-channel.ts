// HTTPS mirrors ('https://…', 'http://…') and web pages or pastes ('page:https://…').
// A mirror serves the raw signed-list file or a text with armored blocks; a page is any
// text or HTML (a public Telegram channel preview, a forum post) searched for armored blocks.
import { candidatesDetail, candidatesFromBytes, candidatesFromText, type Candidates } from '../lists/candidates.ts';
import { httpRequest } from './http-get.ts';
import { classifyError, startFetch } from './result.ts';
import type { Channel, ChannelFetchOptions, ChannelFetchResult, ChannelSettings } from './types.ts';

/** Fetches `url` and turns the body into candidates with `extract`. */
async function fetchUrl(
  spec: string,
  url: string,
  extract: (body: Buffer) => Candidates,
  opts: ChannelFetchOptions,
  settings: ChannelSettings,
): Promise<ChannelFetchResult> {
  const done = startFetch(spec);
  try {
    const out = await httpRequest(
      { url, signal: opts.signal, maxBytes: opts.maxBytes, ...(opts.etag ? { etag: opts.etag } : {}), ...(opts.proxy ? { proxy: opts.proxy } : {}) },
      settings,
    );
    switch (out.kind) {
      case 'not-modified':
        return done({ status: 'not-modified', blobs: [], ...((out.etag ?? opts.etag) ? { etag: out.etag ?? opts.etag } : {}) });
      case 'status':
        return done({ status: out.statusCode === 451 ? 'blocked' : 'http-error', detail: `HTTP ${out.statusCode}`, blobs: [] });
      case 'ok': {
        const found = extract(out.body);
        const detail = candidatesDetail(found);
        return done({ status: 'ok', blobs: found.blobs, ...(detail ? { detail } : {}), ...(out.etag ? { etag: out.etag } : {}) });
      }
    }
  } catch (err) {
    return done({ ...classifyError(err, opts.signal), blobs: [] });
  }
}

export class HttpChannel implements Channel {
  readonly spec: string;
  readonly url: string;
  readonly settings: ChannelSettings;
  constructor(url: string, settings: ChannelSettings) {
    this.url = url;
    this.spec = url;
    this.settings = settings;
  }
  fetch(opts: ChannelFetchOptions): Promise<ChannelFetchResult> {
    return fetchUrl(this.spec, this.url, candidatesFromBytes, opts, this.settings);
  }
}

export class PageChannel implements Channel {
  readonly spec: string;
  readonly url: string;
  readonly settings: ChannelSettings;
  constructor(url: string, settings: ChannelSettings) {
    this.url = url;
    this.spec = `page:${url}`;
    this.settings = settings;
  }
  fetch(opts: ChannelFetchOptions): Promise<ChannelFetchResult> {
    const extract = (body: Buffer): Candidates => candidatesFromText(new TextDecoder('utf-8', { fatal: false }).decode(body));
    return fetchUrl(this.spec, this.url, extract, opts, this.settings);
  }
}

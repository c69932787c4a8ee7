// Import requests from links, files and the clipboard, held until the page can receive them,
// then sent as `import-request` events. Links and files bring the window forward; clipboard
// offers don't (and are dropped rather than queued: they only make sense while the user looks).
import type { ApiEvent } from '../../shared/api.ts';

export interface ImportRequest {
  text: string;
  origin: 'link' | 'file' | 'clipboard';
}

export class ImportInbox {
  private queue: ImportRequest[] = [];
  private ready = false;
  private readonly send: (event: ApiEvent) => void;
  private readonly show: () => void;

  constructor(send: (event: ApiEvent) => void, show: () => void) {
    this.send = send;
    this.show = show;
  }

  push(request: ImportRequest): void {
    if (!this.ready) {
      if (request.origin !== 'clipboard' && this.queue.length < 20) this.queue.push(request);
      return;
    }
    this.send({ type: 'import-request', text: request.text, origin: request.origin });
    if (request.origin !== 'clipboard') this.show();
  }

  /** The page finished loading (and subscribed to events): deliver what waited. */
  pageReady(): void {
    this.ready = true;
    for (const r of this.queue.splice(0)) this.push(r);
  }

  /** The page is (re)loading: hold requests until it is back. */
  pageGone(): void {
    this.ready = false;
  }
}

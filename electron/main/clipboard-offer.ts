// Offers a copied code once: only when the window gains focus (the user is looking at Porthole),
// never by polling in the background, and never twice for the same clipboard text.
import { createHash } from 'node:crypto';
import { MAX_IMPORT_TEXT } from '../../shared/api.ts';

export interface ClipboardOfferOptions {
  readText(): string | Promise<string>;
  isImportable(text: string): boolean;
  offer(text: string): void;
  /** How many offered texts to remember. */
  memory?: number;
}

export class ClipboardOffer {
  private readonly seen: string[] = [];
  private readonly options: ClipboardOfferOptions;

  constructor(options: ClipboardOfferOptions) {
    this.options = options;
  }

  /** Call from the window's focus event. Resolves to whether an offer was made. */
  async onFocus(): Promise<boolean> {
    const text = (await this.options.readText()).trim();
    if (!text || text.length > MAX_IMPORT_TEXT || !this.options.isImportable(text)) return false;
    const hash = createHash('sha256').update(text).digest('hex');
    if (this.seen.includes(hash)) return false;
    this.seen.push(hash);
    if (this.seen.length > (this.options.memory ?? 50)) this.seen.shift();
    this.options.offer(text);
    return true;
  }
}

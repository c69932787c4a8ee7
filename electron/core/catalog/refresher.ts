// Keeps the lists fresh: fetches every channel (the ones given and the ones the lists name) now
// and then in the background, backing off while nothing comes through, and keeps each channel's
// last report for the UI and the CLI.
import type { Channel, ChannelSettings } from '../channels/index.ts';
import type { ClientStores } from './open.ts';
import type { ListOutcome } from './accept.ts';
import { channelsOf, refreshChannels, type ChannelReport } from './refresh.ts';
import { z } from 'zod';
import { JsonFile } from '../fs/json-file.ts';

const EtagsSchema = z.record(z.string().max(4096), z.string().max(1024));

export interface SourceRefresherOptions {
  stores: () => ClientStores;
  /** Channel specs to fetch, read at each refresh (lists may have named new ones). */
  specs: () => string[];
  settings?: Partial<ChannelSettings> | undefined;
  deadlineMs?: number | undefined;
  /** Background period (default 30 min); it backs off up to 8x while channels fail. */
  everyMs?: number | undefined;
  onAccepted: (outcome: ListOutcome, channel: string) => void;
  onReports: (reports: ChannelReport[]) => void;
  onRefreshing: (refreshing: boolean) => void;
  log: (level: 'warn' | 'info', message: string) => void;
  /** Where ETags are kept between runs, so an unchanged mirror answers 304 after a restart. */
  etagFile?: string | undefined;
}

export class SourceRefresher {
  private readonly options: SourceRefresherOptions;
  private readonly reports = new Map<string, ChannelReport>();
  private readonly etags = new Map<string, string>();
  private etagsLoaded = false;
  private failures = 0;
  private timer: NodeJS.Timeout | null = null;
  private stopped = false;
  refreshing = false;

  constructor(options: SourceRefresherOptions) {
    this.options = options;
  }

  channelReports(): ChannelReport[] {
    return [...this.reports.values()];
  }

  /** Fetches every channel now; resolves at the refresh deadline (slow channels go on). */
  async refreshNow(): Promise<ChannelReport[]> {
    if (this.stopped) return [];
    const channels = this.channels();
    if (channels.length === 0) return [];
    this.setRefreshing(true);
    await this.loadEtags();
    let accepted = false;
    const round = refreshChannels(this.options.stores(), channels, {
      deadlineMs: this.options.deadlineMs ?? 15_000,
      etags: this.etags,
      onAccepted: (o, ch) => {
        accepted = true;
        this.options.onAccepted(o, ch);
      },
      onReport: (r) => {
        this.reports.set(r.channel, r);
        this.options.onReports(this.channelReports());
      },
    });
    const reports = await round.atDeadline;
    void round.finished.then(async () => {
      this.setRefreshing(false);
      await this.saveEtags();
    });
    const good = accepted || reports.some((r) => r.status === 'ok' || r.status === 'not-modified');
    this.failures = good ? 0 : this.failures + 1;
    return reports;
  }

  /** Refreshes in the background from now on. */
  schedule(): void {
    if (this.stopped) return;
    const base = this.options.everyMs ?? 30 * 60_000;
    // Back off while nothing comes through: 1x, 2x, 4x… up to 8x, with jitter.
    const factor = Math.min(8, 2 ** Math.max(0, this.failures - 1));
    this.timer = setTimeout(() => void this.refreshNow().finally(() => this.schedule()), base * factor * (0.8 + Math.random() * 0.4));
    this.timer.unref();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
  }

  private async loadEtags(): Promise<void> {
    if (this.etagsLoaded || !this.options.etagFile) return;
    this.etagsLoaded = true;
    try {
      const loaded = await new JsonFile<Record<string, string>>(this.options.etagFile, EtagsSchema, () => ({})).load();
      for (const [k, v] of Object.entries(loaded.value)) if (!this.etags.has(k)) this.etags.set(k, v);
    } catch (err) {
      this.options.log('warn', `channel cache ignored: ${(err as Error).message}`);
    }
  }

  private async saveEtags(): Promise<void> {
    if (!this.options.etagFile) return;
    await new JsonFile<Record<string, string>>(this.options.etagFile, EtagsSchema, () => ({})).save(Object.fromEntries([...this.etags].slice(-500)))
      .catch((err: Error) => this.options.log('warn', `could not save the channel cache: ${err.message}`));
  }

  private setRefreshing(refreshing: boolean): void {
    this.refreshing = refreshing;
    this.options.onRefreshing(refreshing);
  }

  private channels(): Channel[] {
    return channelsOf(this.options.specs(), this.options.settings, (_spec, err) => this.options.log('warn', `channel ignored: ${err.message}`));
  }
}

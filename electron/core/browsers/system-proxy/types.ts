// The contract between the system-proxy manager and the per-desktop backends.

export type SettingValue = string | number | boolean | null;
/** One configurable thing (Windows' Internet Settings, one macOS network service, GNOME, KDE): field → value. */
export type ItemState = Record<string, SettingValue>;

/** What the system proxy is pointed at. */
export interface ProxyTarget {
  host: string;
  port: number;
  /** The PAC file served by the bridge. */
  pacUrl: string;
}

export interface ProxyBackend {
  /** 'windows' | 'macos' | 'gnome' | 'kde' */
  readonly name: string;
  /** Current settings of every item this backend manages on this machine. */
  read(): Promise<Record<string, ItemState>>;
  /** The fields Porthole writes, in the order they are written. */
  target(item: string, t: ProxyTarget): ItemState;
  /** Whether the item's settings still send traffic to this target. */
  pointsAt(current: ItemState, t: ProxyTarget): boolean;
  /** Whether the settings point at some Porthole bridge (e.g. left over from a lost journal). */
  isPorthole(current: ItemState): boolean;
  /** "No proxy", used as the previous state when the previous state was Porthole's own. */
  neutral(item: string): ItemState;
  /** Writes these fields (null = remove/unset). */
  write(item: string, fields: ItemState): Promise<void>;
  /** Makes running programs notice the change (WinINet refresh, KIO reparse); after a batch of writes. */
  commit(): Promise<void>;
}


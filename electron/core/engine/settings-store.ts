// The person's settings, in the data dir, validated on load and on every change. The LAN
// password is sealed with the OS keychain when there is one (EngineHost.secrets); without one it
// is kept in the clear in a file only this user can read (0600 in a 0700 folder).
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { SettingsPatchSchema, SettingsSchema, type Settings, type SettingsPatch } from '../../../shared/api-models.ts';
import type { SecretBox } from '../../../shared/api-backend.ts';
import { JsonFile } from '../fs/json-file.ts';

export const DEFAULT_TEST_URL = 'http://cp.cloudflare.com/generate_204';

export function defaultSettings(): Settings {
  return SettingsSchema.parse({
    language: 'auto',
    port: 1080,
    lanSharing: false,
    lanUsername: 'porthole',
    // Generated so that turning sharing on never leaves the bridge open without a password.
    lanPassword: randomBytes(12).toString('base64url'),
    systemProxy: false,
    startAtLogin: false,
    testUrl: DEFAULT_TEST_URL,
  });
}

/** settings.json: the settings, with the LAN password either sealed or (no keychain) in the clear. */
const DiskSchema = SettingsPatchSchema.extend({ lanPasswordSealed: z.string().max(4096).optional() });
type Disk = z.infer<typeof DiskSchema>;

export class SettingsStore {
  private readonly file: JsonFile<Disk>;
  private readonly secrets: SecretBox | undefined;
  private value: Settings = defaultSettings();
  /** Set when something had to be repaired while loading (said once in the log). */
  warning?: string;

  constructor(dataDir: string, secrets?: SecretBox) {
    this.file = new JsonFile(join(dataDir, 'settings.json'), DiskSchema, () => this.toDisk(defaultSettings()));
    this.secrets = secrets;
  }

  async load(): Promise<this> {
    const disk = (await this.file.load()).value;
    const { lanPasswordSealed, ...plain } = disk;
    let lanPassword = plain.lanPassword;
    if (lanPasswordSealed !== undefined) {
      try {
        if (!this.secrets?.available) throw new Error('no keychain');
        lanPassword = this.secrets.open(lanPasswordSealed);
      } catch {
        lanPassword = undefined;
        this.warning = 'the LAN sharing password could not be unlocked with this computer\'s keychain: a new one was made';
      }
    }
    const merged = SettingsSchema.safeParse({ ...defaultSettings(), ...plain, ...(lanPassword === undefined ? { lanPassword: defaultSettings().lanPassword } : { lanPassword }) });
    this.value = merged.success ? merged.data : defaultSettings();
    if (!merged.success) this.warning = 'settings.json did not hold valid settings: the defaults are used';
    // A password found in the clear is sealed now that a keychain is there, the backup copy included.
    const needsSeal = this.secrets?.available === true && disk.lanPassword !== undefined;
    if (needsSeal || this.warning) await this.file.save(this.toDisk(this.value), { sameBackup: true });
    return this;
  }

  get(): Settings {
    return { ...this.value };
  }

  /** Applies a patch; throws a zod error naming the field when the result is invalid. */
  async update(patch: SettingsPatch): Promise<Settings> {
    const next = SettingsSchema.parse({ ...this.value, ...patch });
    // The previous copy is not kept when the password changed: it would keep the old one readable.
    await this.file.save(this.toDisk(next), { sameBackup: next.lanPassword !== this.value.lanPassword });
    this.value = next;
    return this.get();
  }

  private toDisk(settings: Settings): Disk {
    if (!this.secrets?.available) return settings;
    const { lanPassword, ...rest } = settings;
    return { ...rest, lanPasswordSealed: this.secrets.seal(lanPassword) };
  }
}

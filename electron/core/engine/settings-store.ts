// The person's settings, in the data dir, validated on load and on every change.
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { SettingsSchema, type Settings, type SettingsPatch } from '../../../shared/api-models.ts';
import { JsonFile } from '../store/json-file.ts';

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

export class SettingsStore {
  private readonly file: JsonFile<Settings>;
  private value: Settings = defaultSettings();

  constructor(dataDir: string) {
    this.file = new JsonFile(join(dataDir, 'settings.json'), SettingsSchema, defaultSettings);
  }

  async load(): Promise<this> {
    this.value = (await this.file.load()).value;
    return this;
  }

  get(): Settings {
    return { ...this.value };
  }

  /** Applies a patch; throws a zod error naming the field when the result is invalid. */
  async update(patch: SettingsPatch): Promise<Settings> {
    const next = SettingsSchema.parse({ ...this.value, ...patch });
    await this.file.save(next);
    this.value = next;
    return this.get();
  }
}

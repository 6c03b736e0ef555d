// The app's settings file (settings.json in the data folder). It is small and read on every
// change, so a change made meanwhile by another Lacuna process (the CLI, a second window) is
// merged rather than overwritten; changes in this process are applied one at a time. Writes are
// atomic (temp file + rename), so a crash leaves the old file or the new one. A damaged file never
// stops the app: what is valid in it is kept field by field, the rest falls back to defaults, the
// damaged file is kept beside it for the user, and the settings view says so.
import { readFile, rename } from 'node:fs/promises';
import { join } from 'node:path';
import { AppSettingsSchema, type AppSettingsDto, type SettingsPatchDto } from '../../api/schemas/settings';
import { writeFileAtomic } from '../util/atomicWrite';

export const SETTINGS_FILE = 'settings.json';

export const DEFAULT_SETTINGS: AppSettingsDto = AppSettingsSchema.parse({});

interface ReadResult {
  settings: AppSettingsDto;
  /** Why (part of) the file was not used, or null. */
  warning: string | null;
}

/** Reads what is valid of `text` field by field; the fields that are not fall back to defaults. */
export function parseSettingsText(text: string): ReadResult {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    return { settings: DEFAULT_SETTINGS, warning: `the settings file is not valid JSON (${(e as Error).message}); the defaults are used` };
  }
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) {
    return { settings: DEFAULT_SETTINGS, warning: 'the settings file does not hold settings; the defaults are used' };
  }
  const whole = AppSettingsSchema.safeParse(raw);
  if (whole.success) return { settings: whole.data, warning: null };
  const shape = AppSettingsSchema.shape;
  const kept: Record<string, unknown> = {};
  const bad: string[] = [];
  for (const key of Object.keys(shape) as (keyof typeof shape)[]) {
    const field = shape[key].safeParse((raw as Record<string, unknown>)[key]);
    if (field.success) kept[key] = field.data;
    else bad.push(key);
  }
  return { settings: AppSettingsSchema.parse(kept), warning: `these settings were not valid and are back to their defaults: ${bad.join(', ')}` };
}

export function applySettingsPatch(settings: AppSettingsDto, patch: SettingsPatchDto & { packDirs?: string[] }): AppSettingsDto {
  const { proxy, ...rest } = patch;
  return AppSettingsSchema.parse({ ...settings, ...rest, proxy: { ...settings.proxy, ...proxy } });
}

export class AppSettingsStore {
  #current: AppSettingsDto = DEFAULT_SETTINGS;
  #warning: string | null = null;
  /** Updates queue here, so two at once cannot both start from the same old settings. */
  #chain: Promise<unknown> = Promise.resolve();

  private constructor(readonly file: string) {}

  static async open(dataDir: string): Promise<AppSettingsStore> {
    const store = new AppSettingsStore(join(dataDir, SETTINGS_FILE));
    await store.#reload();
    return store;
  }

  /** The settings as last read or written (kept in memory: hot paths such as media requests read it). */
  get current(): AppSettingsDto {
    return this.#current;
  }

  get warning(): string | null {
    return this.#warning;
  }

  /** Re-reads the file (another process may have changed it) and returns the settings. */
  async read(): Promise<AppSettingsDto> {
    await this.#enqueue(() => this.#reload());
    return this.#current;
  }

  /**
   * Applies `change` to the settings as they are on disk now and writes the result. `change` gets
   * the fresh settings, so a list edit (add a pack folder) never drops another writer's entry.
   */
  update(change: (settings: AppSettingsDto) => AppSettingsDto): Promise<AppSettingsDto> {
    return this.#enqueue(async () => {
      await this.#reload();
      const next = AppSettingsSchema.parse(change(this.#current));
      await writeFileAtomic(this.file, `${JSON.stringify(next, null, 2)}\n`);
      this.#current = next;
      // What was damaged has been replaced by a valid file now.
      this.#warning = null;
      return next;
    });
  }

  #enqueue<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.#chain.then(fn, fn);
    this.#chain = run.catch(() => {});
    return run;
  }

  async #reload(): Promise<void> {
    let text: string;
    try {
      text = await readFile(this.file, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') {
        this.#current = DEFAULT_SETTINGS;
        return;
      }
      // Unreadable (permissions): keep what is in memory, and say so.
      this.#warning = `the settings file ${this.file} cannot be read (${(e as Error).message}); the last settings are used`;
      return;
    }
    const { settings, warning } = parseSettingsText(text);
    this.#current = settings;
    if (!warning) return;
    // Keep the damaged file for the user (or a bug report) before the next write replaces it.
    const aside = `${this.file}.damaged`;
    const kept = await rename(this.file, aside).then(
      () => true,
      () => false,
    );
    this.#warning = `${warning}${kept ? `; the damaged file was kept as ${aside}` : ''}`;
    if (kept) await writeFileAtomic(this.file, `${JSON.stringify(settings, null, 2)}\n`).catch(() => {});
  }
}

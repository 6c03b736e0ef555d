import { z } from 'zod';
import { DeliveryCodecSchema } from './jobs';

/**
 * The app's own settings (not a project's): persisted as JSON in the data folder by
 * src/engine/app/appSettings.ts. Every field has a default, so a file from an older version, or
 * one with a field missing, still reads; an unknown field is dropped.
 */
export const ProviderPreferenceSchema = z.enum(['auto', 'cuda', 'dml', 'coreml', 'cpu']);

export const ProxySettingsSchema = z.object({
  /** The viewer's preview transcodes' height cap, in pixels (image sequences, codecs Chromium cannot play). */
  maxHeight: z.number().int().min(144).max(2160).default(720),
  /** Preview transcodes allowed at once (each is a real-time ffmpeg); more are refused and retried. */
  maxConcurrent: z.number().int().min(1).max(8).default(3),
});

export const AppSettingsSchema = z.object({
  /** A removal engine id from jobs.kinds ("lgvi", "lite"); null: the preferred installed one. */
  defaultEngine: z.string().min(1).nullable().default(null),
  /** The codec removal takes are written in when a request names none. */
  renderCodec: DeliveryCodecSchema.default('prores_hq'),
  /** Where renders of never-saved projects go (they move beside the project on its first save); null: the data folder. */
  rendersDir: z.string().min(1).nullable().default(null),
  /** Which onnxruntime execution provider LGVI uses. */
  providers: ProviderPreferenceSchema.default('auto'),
  proxy: ProxySettingsSchema.default({ maxHeight: 720, maxConcurrent: 3 }),
  /** Model pack folders the user added (the bundled and user models folders are searched as well). */
  packDirs: z.array(z.string().min(1)).max(100).default([]),
});
export type AppSettingsDto = z.infer<typeof AppSettingsSchema>;

/** settings.update: only the fields given change (pack folders change through models.add / models.remove). */
export const SettingsPatchSchema = z
  .object({
    defaultEngine: z.string().min(1).nullable(),
    renderCodec: DeliveryCodecSchema,
    rendersDir: z.string().trim().min(1, 'give a folder, or clear it to use the default').nullable(),
    providers: ProviderPreferenceSchema,
    proxy: ProxySettingsSchema.partial().strict(),
  })
  .partial()
  .strict();
export type SettingsPatchDto = z.infer<typeof SettingsPatchSchema>;

export const SettingsViewSchema = z.object({
  settings: AppSettingsSchema,
  /** The settings file, and why it was set aside and defaults used, if it was damaged. */
  file: z.string(),
  warning: z.string().nullable(),
  /** Where never-saved projects' renders go with these settings (the default spelled out). */
  effectiveRendersDir: z.string(),
  /** The codecs a take can be written in, as the engine names them ("ProRes 422 HQ (.mov)"). */
  codecs: z.array(z.object({ value: DeliveryCodecSchema, label: z.string() })),
});
export type SettingsViewDto = z.infer<typeof SettingsViewSchema>;

export const ProviderStatusSchema = z.object({
  name: z.enum(['cuda', 'dml', 'coreml', 'cpu']),
  title: z.string(),
  available: z.boolean(),
  reason: z.string(),
});

export const PackVerificationSchema = z.discriminatedUnion('state', [
  z.object({ state: z.literal('unverified') }),
  z.object({ state: z.literal('ok'), at: z.string() }),
  /** `problems`: one sentence each, the first ones shown (a broken pack can list many). */
  z.object({ state: z.literal('failed'), at: z.string(), problems: z.array(z.string()) }),
]);

export const ModelPackSchema = z.object({
  dir: z.string(),
  /** From the manifest; null when it cannot be read (then verification says why). */
  id: z.string().nullable(),
  name: z.string().nullable(),
  version: z.string().nullable(),
  /** 'added': a folder the user added (removable from the list); 'found': in a models folder. */
  source: z.enum(['added', 'found']),
  /** The engines this pack provides ("lgvi", "lgvi-i"); empty when another pack already provides them. */
  engines: z.array(z.string()),
  verification: PackVerificationSchema,
});
export type ModelPackDto = z.infer<typeof ModelPackSchema>;

export const ModelsViewSchema = z.object({
  packs: z.array(ModelPackSchema),
  /** Execution providers on this machine, in the order they are tried. */
  providers: z.array(ProviderStatusSchema),
  /** The providers a session will try with the current preference, first that starts wins. */
  candidates: z.array(z.string()),
  /** Every removal engine installed now (Lite always), preferred first. */
  engines: z.array(z.object({ id: z.string(), label: z.string() })),
});
export type ModelsViewDto = z.infer<typeof ModelsViewSchema>;

// The model pack's manifest.json: the code's source of truth for its structure. models/README.md
// explains every field for people who build packs, and models/manifest.schema.json states the same
// structure as JSON Schema for their tools; test/pack/manifestSchema.test.ts keeps the three in
// step. What JSON Schema cannot say (tensor names per model, dims consistent with the working size)
// lives in ./contract.
import { z } from 'zod';

/** The `format` value every Lacuna LGVI pack declares, so a stray manifest.json is not mistaken for one. */
export const PACK_FORMAT = 'lacuna.lgvi-pack';
/** The newest manifest layout this build reads; a pack from a newer Lacuna says so instead of failing oddly. */
export const PACK_FORMAT_VERSION = 1;

/**
 * Symbolic dimensions: B batch, T frames, H and W the image height and width in pixels, h and w the
 * latent height and width (H/8, W/8). A number instead fixes the dimension.
 */
/** B batch, T frames, H x W image, h x w latents, L text tokens (an LGVI-I pack's U-Net: the instruction's length). */
export const DIM_SYMBOLS = ['B', 'T', 'H', 'W', 'h', 'w', 'L'] as const;
export type DimSymbol = (typeof DIM_SYMBOLS)[number];

export const TENSOR_DTYPES = ['float32', 'float16', 'int64', 'int32'] as const;
export type TensorDType = (typeof TENSOR_DTYPES)[number];

export const DimSchema = z.union([z.int().min(1), z.enum(DIM_SYMBOLS)]);
export type Dim = z.infer<typeof DimSchema>;

export const TensorSpecSchema = z.strictObject({
  name: z.string().min(1),
  dtype: z.enum(TENSOR_DTYPES),
  shape: z.array(DimSchema),
});
export type TensorSpec = z.infer<typeof TensorSpecSchema>;

/**
 * A path inside the pack: forward slashes, relative, no "..", so a manifest cannot point the loader
 * at files outside its own folder.
 */
export const PackPathSchema = z
  .string()
  .min(1)
  .regex(/^(?!\/)(?![A-Za-z]:)(?!.*\\)(?!(?:.*\/)?\.\.(?:\/|$)).+$/, 'must be a relative path inside the pack (forward slashes, no "..")');

export const Sha256Schema = z.string().regex(/^[0-9a-f]{64}$/, 'must be 64 lowercase hex digits');

export const FileRefSchema = z.strictObject({
  path: PackPathSchema,
  size: z.int().min(0),
  sha256: Sha256Schema,
});
export type FileRef = z.infer<typeof FileRefSchema>;

const modelFileFields = {
  path: PackPathSchema,
  size: z.int().min(0),
  sha256: Sha256Schema,
  /** ONNX external-data files the model reads (weights over protobuf's 2 GB limit live there). */
  data: z.array(FileRefSchema).optional(),
  inputs: z.array(TensorSpecSchema).min(1),
  outputs: z.array(TensorSpecSchema).min(1),
};

export const ModelVariantSchema = z.strictObject(modelFileFields);
export type ModelVariant = z.infer<typeof ModelVariantSchema>;

export const ModelFileSchema = z.strictObject({
  ...modelFileFields,
  /** Half-precision build of the same model, preferred on GPUs. Same tensor names and shapes. */
  fp16: ModelVariantSchema.optional(),
});
export type ModelFile = z.infer<typeof ModelFileSchema>;

/**
 * diffusers' scheduler_config.json, copied as-is. Only what every scheduler needs is required;
 * the schedulers module reads the rest (beta schedule, prediction type, spacing ...).
 */
export const SchedulerConfigSchema = z.looseObject({
  _class_name: z.string().min(1),
  num_train_timesteps: z.int().min(1),
});
export type SchedulerConfig = z.infer<typeof SchedulerConfigSchema>;

export const MODEL_ROLES = ['textEncoder', 'vaeEncoder', 'vaeDecoder', 'unet'] as const;
export type ModelRole = (typeof MODEL_ROLES)[number];

export const PackManifestSchema = z.strictObject({
  $schema: z.string().optional(),
  format: z.literal(PACK_FORMAT),
  formatVersion: z.int().min(1),
  id: z.string().regex(/^[a-z0-9][a-z0-9._-]{0,63}$/, 'must be 1-64 of a-z 0-9 . _ - starting with a letter or digit'),
  name: z.string().min(1),
  version: z.string().min(1),
  description: z.string().optional(),
  source: z.strictObject({
    url: z.string().min(1),
    revision: z.string().optional(),
    paper: z.string().optional(),
    notes: z.string().optional(),
  }),
  licence: z.strictObject({
    name: z.string().min(1),
    url: z.string().optional(),
    file: PackPathSchema.optional(),
  }),
  working: z.strictObject({
    width: z.int().min(8).multipleOf(8),
    height: z.int().min(8).multipleOf(8),
    frames: z.int().min(1),
    latentScale: z.number().positive(),
  }),
  defaults: z.strictObject({
    guidanceScale: z.number().min(0),
    imageGuidanceScale: z.number().min(0),
    steps: z.int().min(1),
  }),
  scheduler: SchedulerConfigSchema,
  files: z.strictObject({
    textEncoder: ModelFileSchema,
    vaeEncoder: ModelFileSchema,
    vaeDecoder: ModelFileSchema,
    unet: ModelFileSchema,
    tokenizer: FileRefSchema,
  }),
});
export type PackManifest = z.infer<typeof PackManifestSchema>;

/** The file name a pack's manifest has; the loader looks for nothing else. */
export const MANIFEST_FILE = 'manifest.json';

/** Every file a model variant reads: the .onnx itself and its external-data files. */
export function variantFiles(variant: ModelVariant): FileRef[] {
  return [{ path: variant.path, size: variant.size, sha256: variant.sha256 }, ...(variant.data ?? [])];
}

// The LGVI model contract: which tensors each of the pack's four ONNX models takes and returns,
// with which element types and shapes. The manifest restates them per file (so a pack says what it
// contains, and a tool can read it without this code); this module checks that what it states is
// what the engine will feed and read. Shapes use the manifest's symbols: B batch, T frames, H x W
// the image in pixels, h x w the latent (H/8 x W/8).
import {
  MODEL_ROLES,
  type Dim,
  type DimSymbol,
  type ModelRole,
  type ModelVariant,
  type PackManifest,
  type TensorDType,
  type TensorSpec,
} from './manifest';

/** CLIP ViT-L/14's context length and width: what the U-Net's cross-attention was trained on. */
export const TEXT_TOKENS = 77;
export const TEXT_WIDTH = 768;
/** SD 1.x VAE: 4 latent channels at 1/8 of the image size. */
export const LATENT_CHANNELS = 4;
export const VAE_DOWNSAMPLE = 8;

export interface TensorContract {
  readonly name: string;
  /** Allowed element types; the first is what a fresh fp32 export uses. */
  readonly dtypes: readonly TensorDType[];
  /** Allowed shapes; the first is the canonical one. Only the mask has a choice (latent or image size). */
  readonly shapes: readonly (readonly Dim[])[];
  readonly meaning: string;
}

export interface ModelContract {
  readonly role: ModelRole;
  /** The file name packs use for this model (a convention, not a requirement: the manifest has the path). */
  readonly file: string;
  readonly title: string;
  readonly inputs: readonly TensorContract[];
  readonly outputs: readonly TensorContract[];
}

const FLOAT: readonly TensorDType[] = ['float32', 'float16'];

/**
 * The U-Net's timestep is float32 of shape [B]: one value per batch item, so the three
 * classifier-free-guidance passes can run as one batch, and float because diffusers' schedulers
 * produce fractional timesteps (Euler, DPM++ with Karras sigmas) that an int64 input would truncate.
 */
export const LGVI_CONTRACT: Readonly<Record<ModelRole, ModelContract>> = {
  textEncoder: {
    role: 'textEncoder',
    file: 'text_encoder.onnx',
    title: 'text encoder',
    inputs: [{ name: 'input_ids', dtypes: ['int64', 'int32'], shapes: [['B', TEXT_TOKENS]], meaning: 'CLIP token ids, padded to 77' }],
    outputs: [
      {
        name: 'last_hidden_state',
        dtypes: FLOAT,
        shapes: [['B', TEXT_TOKENS, TEXT_WIDTH]],
        meaning: 'CLIP text encoder final layer (after final layer norm): encoder_hidden_states for the U-Net',
      },
    ],
  },
  vaeEncoder: {
    role: 'vaeEncoder',
    file: 'vae_encoder.onnx',
    title: 'VAE encoder',
    inputs: [{ name: 'image', dtypes: FLOAT, shapes: [['B', 3, 'H', 'W']], meaning: 'RGB frames in [-1, 1]' }],
    outputs: [
      { name: 'latent_mean', dtypes: FLOAT, shapes: [['B', LATENT_CHANNELS, 'h', 'w']], meaning: 'mean of the latent distribution (unscaled)' },
      { name: 'latent_logvar', dtypes: FLOAT, shapes: [['B', LATENT_CHANNELS, 'h', 'w']], meaning: 'log-variance of the latent distribution (clamped to [-30, 20] as diffusers does)' },
    ],
  },
  vaeDecoder: {
    role: 'vaeDecoder',
    file: 'vae_decoder.onnx',
    title: 'VAE decoder',
    inputs: [{ name: 'latent', dtypes: FLOAT, shapes: [['B', LATENT_CHANNELS, 'h', 'w']], meaning: 'unscaled latents (already divided by the latent scale)' }],
    outputs: [{ name: 'image', dtypes: FLOAT, shapes: [['B', 3, 'H', 'W']], meaning: 'RGB frames in about [-1, 1] (not clamped)' }],
  },
  unet: {
    role: 'unet',
    file: 'unet.onnx',
    title: 'U-Net',
    inputs: [
      { name: 'sample', dtypes: FLOAT, shapes: [['B', LATENT_CHANNELS, 'T', 'h', 'w']], meaning: 'noisy latents, after scale_model_input' },
      { name: 'timestep', dtypes: FLOAT, shapes: [['B']], meaning: 'scheduler timestep, one per batch item' },
      {
        name: 'encoder_hidden_states',
        dtypes: FLOAT,
        // 77 CLIP tokens; or any length ("L"), which an LGVI-I pack's U-Net needs for its instructions.
        shapes: [
          ['B', TEXT_TOKENS, TEXT_WIDTH],
          ['B', 'L', TEXT_WIDTH],
        ],
        meaning: 'text condition',
      },
      { name: 'img_condition', dtypes: FLOAT, shapes: [['B', LATENT_CHANNELS, 'T', 'h', 'w']], meaning: 'scaled source-clip latents (zeros for the unconditional pass)' },
    ],
    outputs: [
      { name: 'noise_pred', dtypes: FLOAT, shapes: [['B', LATENT_CHANNELS, 'T', 'h', 'w']], meaning: "the model's prediction (epsilon or v, as the scheduler's prediction_type says)" },
      {
        name: 'mask',
        dtypes: FLOAT,
        shapes: [
          ['B', 1, 'T', 'h', 'w'],
          ['B', 1, 'T', 'H', 'W'],
        ],
        meaning: 'sigmoid mask of the object being removed, at latent or image size',
      },
    ],
  },
};

export interface ContractProblem {
  /** Manifest field path, e.g. "files.unet.inputs[1].shape". */
  readonly field: string;
  readonly message: string;
}

/** The concrete sizes the working resolution gives each symbol; B is free. */
export function boundDims(manifest: Pick<PackManifest, 'working'>): Partial<Record<DimSymbol, number>> {
  const { width, height, frames } = manifest.working;
  return { T: frames, H: height, W: width, h: height / VAE_DOWNSAMPLE, w: width / VAE_DOWNSAMPLE };
}

export const formatShape = (shape: readonly (Dim | string)[]): string => `[${shape.join(', ')}]`;

/**
 * Whether a manifest shape fits a contract shape: same rank, and each dim either the contract's
 * own number or symbol, or a number equal to what the working size gives that symbol (a pack
 * exported with fixed sizes, e.g. for TensorRT, writes numbers; B may be any number).
 */
function shapeFits(actual: readonly Dim[], expected: readonly Dim[], bound: Partial<Record<DimSymbol, number>>): boolean {
  if (actual.length !== expected.length) return false;
  return expected.every((want, i) => {
    const got = actual[i];
    if (got === want) return true;
    if (typeof want === 'number' || typeof got !== 'number') return false;
    const value = bound[want];
    return value === undefined ? want === 'B' : got === value;
  });
}

function checkTensors(
  kind: 'inputs' | 'outputs',
  specs: readonly TensorSpec[],
  contracts: readonly TensorContract[],
  base: string,
  title: string,
  bound: Partial<Record<DimSymbol, number>>,
  problems: ContractProblem[],
): void {
  const expectedNames = contracts.map((c) => c.name);
  const seen = new Set<string>();
  specs.forEach((spec, i) => {
    const field = `${base}.${kind}[${i}]`;
    if (seen.has(spec.name)) {
      problems.push({ field: `${field}.name`, message: `"${spec.name}" is listed twice` });
      return;
    }
    seen.add(spec.name);
    const contract = contracts.find((c) => c.name === spec.name);
    if (!contract) {
      problems.push({
        field: `${field}.name`,
        message: `"${spec.name}" is not an ${kind === 'inputs' ? 'input' : 'output'} of the LGVI ${title} (expected ${expectedNames.join(', ')})`,
      });
      return;
    }
    if (!contract.dtypes.includes(spec.dtype)) {
      problems.push({ field: `${field}.dtype`, message: `${spec.name} must be ${contract.dtypes.join(' or ')}, not ${spec.dtype}` });
    }
    if (!contract.shapes.some((s) => shapeFits(spec.shape, s, bound))) {
      const want = contract.shapes.map(formatShape).join(' or ');
      const rank = contract.shapes[0].length;
      const rankNote = spec.shape.length !== rank ? ` (rank ${spec.shape.length}, expected rank ${rank})` : '';
      problems.push({ field: `${field}.shape`, message: `${spec.name} must have shape ${want}, got ${formatShape(spec.shape)}${rankNote}` });
    }
  });
  for (const name of expectedNames) {
    if (!seen.has(name)) problems.push({ field: `${base}.${kind}`, message: `missing ${kind === 'inputs' ? 'input' : 'output'} "${name}"` });
  }
}

/** Numeric batch sizes must agree within a model: a model fixed at B=2 cannot return B=1. */
function checkBatch(variant: ModelVariant, base: string, problems: ContractProblem[]): void {
  const fixed = new Set<number>();
  for (const spec of [...variant.inputs, ...variant.outputs]) {
    const b = spec.shape[0];
    if (typeof b === 'number' && spec.shape.length > 0) fixed.add(b);
  }
  if (fixed.size > 1) problems.push({ field: base, message: `tensors fix different batch sizes (${[...fixed].join(', ')})` });
}

function sameGeometry(a: ModelVariant, b: ModelVariant): string | undefined {
  for (const kind of ['inputs', 'outputs'] as const) {
    for (const spec of a[kind]) {
      const other = b[kind].find((s) => s.name === spec.name);
      if (!other) return `has no ${kind === 'inputs' ? 'input' : 'output'} "${spec.name}"`;
      if (formatShape(other.shape) !== formatShape(spec.shape)) {
        return `${spec.name} has shape ${formatShape(other.shape)} but the fp32 model has ${formatShape(spec.shape)}`;
      }
    }
  }
  return undefined;
}

/** Everything the manifest states that the contract does not allow, each naming its field. */
export function checkContract(manifest: PackManifest): ContractProblem[] {
  const problems: ContractProblem[] = [];
  const bound = boundDims(manifest);
  for (const role of MODEL_ROLES) {
    const contract = LGVI_CONTRACT[role];
    const entry = manifest.files[role];
    const variants: [string, ModelVariant][] = [[`files.${role}`, entry]];
    if (entry.fp16) variants.push([`files.${role}.fp16`, entry.fp16]);
    for (const [base, variant] of variants) {
      checkTensors('inputs', variant.inputs, contract.inputs, base, contract.title, bound, problems);
      checkTensors('outputs', variant.outputs, contract.outputs, base, contract.title, bound, problems);
      checkBatch(variant, base, problems);
    }
    if (entry.fp16) {
      const mismatch = sameGeometry(entry, entry.fp16);
      if (mismatch) problems.push({ field: `files.${role}.fp16`, message: `the fp16 model must match the fp32 one: ${mismatch}` });
    }
  }
  return problems;
}

/** Whether the U-Net's mask comes at latent size (h x w) or image size (H x W), as the manifest says. */
export function maskResolution(manifest: PackManifest): 'latent' | 'image' {
  const mask = manifest.files.unet.outputs.find((o) => o.name === 'mask');
  const bound = boundDims(manifest);
  const dim = mask?.shape[3];
  return dim === 'H' || dim === bound.H ? 'image' : 'latent';
}

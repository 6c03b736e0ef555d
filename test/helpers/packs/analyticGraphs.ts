// ONNX graphs of the ANALYTIC fixture pack: each computes the closed-form function that
// test/helpers/analyticReference.ts documents and implements in TypeScript. They are cheap at any
// size (pools, 1x1 convs, elementwise), which also makes them the benchmark pack's models: real
// LGVI tensor sizes, near-zero compute, so a benchmark measures the engine around the models.
import { GraphBuilder, type GraphDim, type GraphDType } from '../../../src/engine/onnx/graphBuilder';
import { ANALYTIC, TEXT_TOKENS, TEXT_WIDTH, VOCAB_MODULUS } from '../analyticReference';

export interface GraphPrecision {
  /** Element type of float inputs and outputs as the file declares them (compute stays float32). */
  readonly float: GraphDType;
  /** Element type of the text encoder's input_ids. */
  readonly ids: 'int64' | 'int32';
}

export function analyticTextEncoder(p: GraphPrecision): GraphBuilder {
  const g = new GraphBuilder('analytic_text_encoder');
  const ids = g.input('input_ids', p.ids, ['B', TEXT_TOKENS]);
  const modulus = p.ids === 'int64' ? g.initializer('int64', [], BigInt64Array.of(BigInt(VOCAB_MODULUS))) : g.initializer('int32', [], Int32Array.of(VOCAB_MODULUS));
  const row = g.op('Mod', [ids, modulus], { fmod: 0 });
  const embedded = g.gather(g.f32([VOCAB_MODULUS, TEXT_WIDTH], ANALYTIC.textTable), row, 0);
  const out = g.add(embedded, g.f32([TEXT_TOKENS, TEXT_WIDTH], ANALYTIC.textPos));
  g.output(out, 'last_hidden_state', p.float, ['B', TEXT_TOKENS, TEXT_WIDTH], 'float32');
  return g;
}

export function analyticVaeEncoder(p: GraphPrecision): GraphBuilder {
  const g = new GraphBuilder('analytic_vae_encoder');
  const image = g.inputAs('image', p.float, ['B', 3, 'H', 'W'], 'float32');
  const pooled = g.averagePool(image, [8, 8]);
  const mean = g.conv(pooled, g.f32([4, 3, 1, 1], ANALYTIC.encWeight), g.f32([4], ANALYTIC.encBias));
  // A zero-weight conv with the constants as bias: logvar at the latent's shape without shape ops.
  const logvar = g.conv(pooled, g.f32([4, 3, 1, 1], new Float32Array(12)), g.f32([4], ANALYTIC.logvar));
  g.output(mean, 'latent_mean', p.float, ['B', 4, 'h', 'w'], 'float32');
  g.output(logvar, 'latent_logvar', p.float, ['B', 4, 'h', 'w'], 'float32');
  return g;
}

export function analyticVaeDecoder(p: GraphPrecision): GraphBuilder {
  const g = new GraphBuilder('analytic_vae_decoder');
  const latent = g.inputAs('latent', p.float, ['B', 4, 'h', 'w'], 'float32');
  const rgb = g.conv(latent, g.f32([3, 4, 1, 1], ANALYTIC.decWeight), g.f32([3], ANALYTIC.decBias));
  const image = g.resize(rgb, [1, 1, 8, 8]);
  g.output(image, 'image', p.float, ['B', 3, 'H', 'W'], 'float32');
  return g;
}

/**
 * Deliberate departures from the contract in the U-Net file's declared signature (the graph still
 * computes the same), for tests of the loader's checks: a renamed tensor, another rank or dtype,
 * a fixed dim, an input the manifest does not know.
 */
export interface SignatureTweak {
  readonly rename?: Readonly<Record<string, string>>;
  readonly shapes?: Readonly<Record<string, readonly GraphDim[]>>;
  readonly dtypes?: Readonly<Record<string, GraphDType>>;
  readonly extraInput?: string;
}

export function analyticUnet(p: GraphPrecision, maskSize: 'latent' | 'image', tweak: SignatureTweak = {}): GraphBuilder {
  const g = new GraphBuilder('analytic_unet');
  const declare = (name: string, shape: readonly GraphDim[]) =>
    g.inputAs(tweak.rename?.[name] ?? name, tweak.dtypes?.[name] ?? p.float, tweak.shapes?.[name] ?? shape, 'float32');
  const sample = declare('sample', ['B', 4, 'T', 'h', 'w']);
  const timestep = declare('timestep', ['B']);
  const text = declare('encoder_hidden_states', ['B', TEXT_TOKENS, TEXT_WIDTH]);
  const cond = declare('img_condition', ['B', 4, 'T', 'h', 'w']);
  if (tweak.extraInput) g.input(tweak.extraInput, 'float32', ['B']);

  const perChannel = (values: Float32Array) => g.f32([1, 4, 1, 1, 1], values);
  const linear = g.add(g.mul(sample, perChannel(ANALYTIC.unetA)), g.mul(cond, perChannel(ANALYTIC.unetB)));
  const textMean = g.unsqueeze(g.reduceMean(text, [1, 2], false), [1, 2, 3, 4]);
  const withText = g.add(linear, g.mul(textMean, g.scalar(ANALYTIC.unetC)));
  const time = g.unsqueeze(timestep, [1, 2, 3, 4]);
  const noise = g.add(withText, g.mul(time, g.scalar(ANALYTIC.unetDPer1000)));
  g.output(noise, tweak.rename?.noise_pred ?? 'noise_pred', p.float, ['B', 4, 'T', 'h', 'w'], 'float32');

  const channel = g.slice(cond, [ANALYTIC.maskChannel], [ANALYTIC.maskChannel + 1], [1]);
  let mask = g.sigmoid(g.mul(channel, g.scalar(ANALYTIC.maskK)));
  if (maskSize === 'image') mask = g.resize(mask, [1, 1, 1, 8, 8]);
  g.output(mask, tweak.rename?.mask ?? 'mask', p.float, maskSize === 'image' ? ['B', 1, 'T', 'H', 'W'] : ['B', 1, 'T', 'h', 'w'], 'float32');
  return g;
}

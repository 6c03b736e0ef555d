// ONNX graphs of the TINY RANDOM fixture pack: the LGVI contract's exact inputs and outputs with
// the architecture's shape in miniature (strided-conv VAE encoder, upsampling decoder, a U-Net
// that runs 2-D convs per frame, a temporal conv across frames, and mixes in the timestep and the
// text) but 8-16 hidden channels and seeded random weights. It exercises the same onnxruntime
// paths as the real pack (Conv3d, Resize, Gather on int64 ids) in milliseconds.
import { GraphBuilder } from '../../../src/engine/onnx/graphBuilder';
import type { GraphPrecision } from './analyticGraphs';
import { seededRandom, type SeededRandom } from './seededRandom';

const TOKENS = 77;
const WIDTH = 768;
const HIDDEN = 8;

/** He-style scaling keeps activations O(1) through a few random layers. */
function weights(g: GraphBuilder, rng: SeededRandom, dims: number[]): string {
  const fanIn = dims.slice(1).reduce((a, b) => a * b, 1);
  return g.f32(dims, rng.normals(dims.reduce((a, b) => a * b, 1), Math.sqrt(2 / fanIn)));
}

function bias(g: GraphBuilder, rng: SeededRandom, n: number): string {
  return g.f32([n], rng.normals(n, 0.1));
}

export function randomTextEncoder(p: GraphPrecision, seed: number): GraphBuilder {
  const rng = seededRandom(seed);
  const g = new GraphBuilder('tiny_text_encoder');
  const ids = g.input('input_ids', p.ids, ['B', TOKENS]);
  const vocab = 1024;
  const modulus = p.ids === 'int64' ? g.initializer('int64', [], BigInt64Array.of(BigInt(vocab))) : g.initializer('int32', [], Int32Array.of(vocab));
  const tokens = g.gather(g.f32([vocab, 16], rng.normals(vocab * 16)), g.op('Mod', [ids, modulus], { fmod: 0 }), 0);
  const positioned = g.add(tokens, g.f32([TOKENS, 16], rng.normals(TOKENS * 16, 0.1)));
  const hidden = g.tanh(g.matMul(positioned, weights(g, rng, [16, WIDTH])));
  g.output(hidden, 'last_hidden_state', p.float, ['B', TOKENS, WIDTH], 'float32');
  return g;
}

function conv2d(g: GraphBuilder, rng: SeededRandom, x: string, cin: number, cout: number, k: number, stride = 1): string {
  const pad = (k - 1) / 2;
  return g.conv(x, weights(g, rng, [cout, cin, k, k]), bias(g, rng, cout), { kernel_shape: [k, k], strides: [stride, stride], pads: [pad, pad, pad, pad] });
}

export function randomVaeEncoder(p: GraphPrecision, seed: number): GraphBuilder {
  const rng = seededRandom(seed);
  const g = new GraphBuilder('tiny_vae_encoder');
  let x = g.inputAs('image', p.float, ['B', 3, 'H', 'W'], 'float32');
  x = g.silu(conv2d(g, rng, x, 3, HIDDEN, 3, 2));
  x = g.silu(conv2d(g, rng, x, HIDDEN, HIDDEN, 3, 2));
  x = g.silu(conv2d(g, rng, x, HIDDEN, HIDDEN, 3, 2));
  const moments = conv2d(g, rng, x, HIDDEN, 8, 1);
  const mean = g.slice(moments, [0], [4], [1]);
  // diffusers clamps the log-variance to [-30, 20]; the contract says the export does too.
  const logvar = g.op('Clip', [g.slice(moments, [4], [8], [1]), g.scalar(-30), g.scalar(20)]);
  g.output(mean, 'latent_mean', p.float, ['B', 4, 'h', 'w'], 'float32');
  g.output(logvar, 'latent_logvar', p.float, ['B', 4, 'h', 'w'], 'float32');
  return g;
}

export function randomVaeDecoder(p: GraphPrecision, seed: number): GraphBuilder {
  const rng = seededRandom(seed);
  const g = new GraphBuilder('tiny_vae_decoder');
  let x = g.inputAs('latent', p.float, ['B', 4, 'h', 'w'], 'float32');
  x = g.silu(conv2d(g, rng, x, 4, HIDDEN, 3));
  for (let i = 0; i < 3; i++) x = g.silu(conv2d(g, rng, g.resize(x, [1, 1, 2, 2]), HIDDEN, HIDDEN, 3));
  const image = g.tanh(conv2d(g, rng, x, HIDDEN, 3, 3));
  g.output(image, 'image', p.float, ['B', 3, 'H', 'W'], 'float32');
  return g;
}

/** A Conv over [B, C, T, h, w] with kernel [kt, k, k]: kt = 1 is per-frame, k = 1 is temporal. */
function conv3d(g: GraphBuilder, rng: SeededRandom, x: string, cin: number, cout: number, kt: number, k: number): string {
  const pt = (kt - 1) / 2;
  const ps = (k - 1) / 2;
  return g.conv(x, weights(g, rng, [cout, cin, kt, k, k]), bias(g, rng, cout), { kernel_shape: [kt, k, k], pads: [pt, ps, ps, pt, ps, ps] });
}

/** [B, n] -> [B, HIDDEN, 1, 1, 1]: a per-item vector broadcast over frames and positions. */
function perItem(g: GraphBuilder, rng: SeededRandom, x: string, n: number): string {
  return g.unsqueeze(g.matMul(x, weights(g, rng, [n, HIDDEN])), [2, 3, 4]);
}

/** `anyTextLength`: the text input's length is the symbol L (an LGVI-I U-Net), else CLIP's 77. */
export function randomUnet(p: GraphPrecision, seed: number, maskSize: 'latent' | 'image', anyTextLength = false): GraphBuilder {
  const rng = seededRandom(seed);
  const g = new GraphBuilder('tiny_unet');
  const sample = g.inputAs('sample', p.float, ['B', 4, 'T', 'h', 'w'], 'float32');
  const timestep = g.inputAs('timestep', p.float, ['B'], 'float32');
  const text = g.inputAs('encoder_hidden_states', p.float, ['B', anyTextLength ? 'L' : TOKENS, WIDTH], 'float32');
  const cond = g.inputAs('img_condition', p.float, ['B', 4, 'T', 'h', 'w'], 'float32');

  // conv_in on the noisy latents plus a separate conv on the source latents, as LGVI adds them.
  let x = g.add(conv3d(g, rng, sample, 4, HIDDEN, 1, 3), conv3d(g, rng, cond, 4, HIDDEN, 1, 3));
  const time = g.unsqueeze(g.mul(timestep, g.scalar(1 / 1000)), [1]);
  x = g.add(x, perItem(g, rng, time, 1));
  x = g.add(x, perItem(g, rng, g.reduceMean(text, [1], false), WIDTH));
  x = g.silu(x);
  x = g.silu(conv3d(g, rng, x, HIDDEN, HIDDEN, 3, 1)); // temporal mixing across frames
  const noise = conv3d(g, rng, x, HIDDEN, 4, 1, 3);
  let mask = g.sigmoid(conv3d(g, rng, x, HIDDEN, 1, 1, 1));
  if (maskSize === 'image') mask = g.resize(mask, [1, 1, 1, 8, 8], 'nearest');
  g.output(noise, 'noise_pred', p.float, ['B', 4, 'T', 'h', 'w'], 'float32');
  g.output(mask, 'mask', p.float, maskSize === 'image' ? ['B', 1, 'T', 'H', 'W'] : ['B', 1, 'T', 'h', 'w'], 'float32');
  return g;
}

// The ANALYTIC fixture pack's models, as plain TypeScript. Each of the pack's four ONNX graphs
// (test/helpers/packs/analyticGraphs.ts) computes a simple closed-form function of its inputs;
// these functions compute the same thing without onnxruntime, so a whole sampling loop run on the
// analytic pack can be checked number for number against the same loop run on these. The
// parameters live here and both sides read them, so they agree by construction; the test that
// ORT's outputs equal these functions checks the graphs' semantics.
//
// The functions (b batch item, s token, d hidden unit, c channel, t frame, y/x position):
//   text encoder:  E[b,s,d] = TABLE[ids[b,s] mod 251][d] + POS[s][d]
//   VAE encoder:   P = 8x8 average pool of the image; mean[c] = sum_k ENC_W[c][k] P[k] + ENC_B[c];
//                  logvar[c] = LOGVAR[c] (constant)
//   VAE decoder:   image[c] = nearest x8 upsample of (sum_k DEC_W[c][k] latent[k] + DEC_B[c]);
//                  DEC is the pseudo-inverse of ENC, so decode(encode(x)) is x pixelated 8x8
//   U-Net:         noise_pred[b,c,t,y,x] = A[c] sample + B[c] img_condition + C mean(E[b]) + (D/1000) timestep[b]
//                  mask[b,0,t,y,x] = sigmoid(K img_condition[b,0,t,y,x]), at latent size or
//                  nearest-upsampled x8 to image size

export interface RefTensor {
  readonly data: Float32Array;
  readonly dims: readonly number[];
}

export const TEXT_TOKENS = 77;
export const TEXT_WIDTH = 768;
export const VOCAB_MODULUS = 251;

const f32 = Math.fround;

function table(rows: number, cols: number, f: (r: number, c: number) => number): Float32Array {
  const out = new Float32Array(rows * cols);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[r * cols + c] = f(r, c);
  return out;
}

/** 3x3 inverse (for the decoder's pseudo-inverse); the encoder matrix is fixed and well conditioned. */
function inverse3(m: number[][]): number[][] {
  const [[a, b, c], [d, e, f], [g, h, i]] = m;
  const A = e * i - f * h;
  const B = -(d * i - f * g);
  const C = d * h - e * g;
  const det = a * A + b * B + c * C;
  return [
    [A / det, -(b * i - c * h) / det, (b * f - c * e) / det],
    [B / det, (a * i - c * g) / det, -(a * f - c * d) / det],
    [C / det, -(a * h - b * g) / det, (a * e - b * d) / det],
  ];
}

const ENC = [
  [0.4, 0.35, 0.25],
  [-0.3, 0.1, 0.2],
  [0.15, -0.45, 0.3],
  [0.2, 0.2, -0.4],
];
const ENC_BIAS = [0.05, -0.02, 0.01, 0];

/** Moore-Penrose pseudo-inverse of ENC (4x3): (ENC^T ENC)^-1 ENC^T, a 3x4 matrix. */
function pseudoInverse(): number[][] {
  const ete = [0, 1, 2].map((i) => [0, 1, 2].map((j) => ENC.reduce((s, row) => s + row[i] * row[j], 0)));
  const inv = inverse3(ete);
  return [0, 1, 2].map((i) => [0, 1, 2, 3].map((c) => inv[i].reduce((s, v, j) => s + v * ENC[c][j], 0)));
}
const DEC = pseudoInverse();

export const ANALYTIC = {
  /** [251, 768]: a row per id class; the second term varies the row mean so prompts shift mean(E). */
  textTable: table(VOCAB_MODULUS, TEXT_WIDTH, (v, d) => 0.5 * Math.sin(0.37 * v + 0.011 * d + 0.3) + 0.25 * Math.cos(1.3 * v)),
  /** [77, 768] position term. */
  textPos: table(TEXT_TOKENS, TEXT_WIDTH, (s, d) => 0.1 * Math.cos(0.05 * s + 0.007 * d)),
  /** [4, 3] and [4]: latent = ENC_W . pooled RGB + ENC_B. */
  encWeight: table(4, 3, (c, k) => ENC[c][k]),
  encBias: Float32Array.from(ENC_BIAS),
  logvar: Float32Array.from([-3, -2.5, -2, -1.5]),
  /** [3, 4] and [3]: the decoder undoes the encoder's linear map (bias included). */
  decWeight: table(3, 4, (k, c) => DEC[k][c]),
  decBias: Float32Array.from([0, 1, 2].map((k) => -DEC[k].reduce((s, v, c) => s + v * ENC_BIAS[c], 0))),
  unetA: Float32Array.from([0.9, 0.7, 0.5, 0.3]),
  unetB: Float32Array.from([0.2, -0.1, 0.3, -0.2]),
  unetC: f32(0.5),
  /** D / 1000 as the float32 the graph stores. */
  unetDPer1000: f32(0.1 / 1000),
  maskK: f32(4),
  maskChannel: 0,
} as const;

const count = (dims: readonly number[]): number => dims.reduce((a, b) => a * b, 1);

export function refTextEncoder(ids: Int32Array | BigInt64Array, dims: readonly number[]): RefTensor {
  const [batch, tokens] = dims;
  const out = new Float32Array(batch * tokens * TEXT_WIDTH);
  for (let i = 0; i < batch * tokens; i++) {
    const s = i % tokens;
    const row = Number(ids[i]) % VOCAB_MODULUS;
    for (let d = 0; d < TEXT_WIDTH; d++) {
      out[i * TEXT_WIDTH + d] = f32(ANALYTIC.textTable[row * TEXT_WIDTH + d] + ANALYTIC.textPos[s * TEXT_WIDTH + d]);
    }
  }
  return { data: out, dims: [batch, tokens, TEXT_WIDTH] };
}

export function refVaeEncoder(image: RefTensor): { latent_mean: RefTensor; latent_logvar: RefTensor } {
  const [batch, , height, width] = image.dims;
  const h = height / 8;
  const w = width / 8;
  const plane = height * width;
  const mean = new Float32Array(batch * 4 * h * w);
  const logvar = new Float32Array(batch * 4 * h * w);
  for (let b = 0; b < batch; b++) {
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        const pooled = [0, 1, 2].map((k) => {
          let sum = 0;
          const base = (b * 3 + k) * plane;
          for (let dy = 0; dy < 8; dy++) for (let dx = 0; dx < 8; dx++) sum += image.data[base + (y * 8 + dy) * width + x * 8 + dx];
          return sum / 64;
        });
        for (let c = 0; c < 4; c++) {
          let v = ANALYTIC.encBias[c];
          for (let k = 0; k < 3; k++) v += ANALYTIC.encWeight[c * 3 + k] * pooled[k];
          const at = ((b * 4 + c) * h + y) * w + x;
          mean[at] = v;
          logvar[at] = ANALYTIC.logvar[c];
        }
      }
    }
  }
  return { latent_mean: { data: mean, dims: [batch, 4, h, w] }, latent_logvar: { data: logvar, dims: [batch, 4, h, w] } };
}

export function refVaeDecoder(latent: RefTensor): RefTensor {
  const [batch, , h, w] = latent.dims;
  const height = h * 8;
  const width = w * 8;
  const out = new Float32Array(batch * 3 * height * width);
  for (let b = 0; b < batch; b++) {
    for (let k = 0; k < 3; k++) {
      for (let y = 0; y < height; y++) {
        for (let x = 0; x < width; x++) {
          const ly = y >> 3;
          const lx = x >> 3;
          let v = ANALYTIC.decBias[k];
          for (let c = 0; c < 4; c++) v += ANALYTIC.decWeight[k * 4 + c] * latent.data[((b * 4 + c) * h + ly) * w + lx];
          out[((b * 3 + k) * height + y) * width + x] = v;
        }
      }
    }
  }
  return { data: out, dims: [batch, 3, height, width] };
}

export interface RefUnetInputs {
  readonly sample: RefTensor;
  readonly timestep: RefTensor;
  readonly encoder_hidden_states: RefTensor;
  readonly img_condition: RefTensor;
}

export function refUnet(inputs: RefUnetInputs, maskSize: 'latent' | 'image' = 'latent'): { noise_pred: RefTensor; mask: RefTensor } {
  const { sample, timestep, encoder_hidden_states: ehs, img_condition: cond } = inputs;
  const [batch, channels, frames, h, w] = sample.dims;
  const perItem = count(sample.dims.slice(1));
  const perChannel = frames * h * w;
  const textPerItem = count(ehs.dims.slice(1));
  const noise = new Float32Array(sample.data.length);
  for (let b = 0; b < batch; b++) {
    let sum = 0;
    for (let i = 0; i < textPerItem; i++) sum += ehs.data[b * textPerItem + i];
    const textTerm = f32(ANALYTIC.unetC * f32(sum / textPerItem));
    const timeTerm = f32(ANALYTIC.unetDPer1000 * timestep.data[b]);
    for (let c = 0; c < channels; c++) {
      for (let i = 0; i < perChannel; i++) {
        const at = b * perItem + c * perChannel + i;
        const linear = f32(f32(ANALYTIC.unetA[c] * sample.data[at]) + f32(ANALYTIC.unetB[c] * cond.data[at]));
        noise[at] = f32(f32(linear + textTerm) + timeTerm);
      }
    }
  }
  const scale = maskSize === 'image' ? 8 : 1;
  const mh = h * scale;
  const mw = w * scale;
  const mask = new Float32Array(batch * frames * mh * mw);
  for (let b = 0; b < batch; b++) {
    for (let t = 0; t < frames; t++) {
      for (let y = 0; y < mh; y++) {
        for (let x = 0; x < mw; x++) {
          const src = cond.data[b * perItem + ANALYTIC.maskChannel * perChannel + (t * h + Math.floor(y / scale)) * w + Math.floor(x / scale)];
          mask[((b * frames + t) * mh + y) * mw + x] = 1 / (1 + Math.exp(-ANALYTIC.maskK * src));
        }
      }
    }
  }
  return { noise_pred: { data: noise, dims: sample.dims }, mask: { data: mask, dims: [batch, 1, frames, mh, mw] } };
}

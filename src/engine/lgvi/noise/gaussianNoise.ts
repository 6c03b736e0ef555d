// Seeded standard-normal noise for sampling: the initial latents, ancestral steps, and the VAE
// posterior sample. "Same seed, clip and settings give the same output" must hold on every machine,
// so the bits come from Philox4x32-10 (integer only) and the Gaussian transform is Box-Muller in
// float64 (V8 computes Math.log/sqrt/cos/sin with its own fdlibm port, not the platform's libm), then
// rounded once to float32.
//
// Streams are keyed, not sequential: `noiseFor(seed, 'initial-latents', frame)` names the noise of
// one frame, so a window that is re-run, skipped or processed out of order draws exactly the noise it
// would have drawn in a full run, and two purposes never share numbers.
import { LacunaError } from '../../util/errors';
import { philox4x32 } from './philox';

/** Anything that can fill a buffer with N(0, 1) samples: what stochastic scheduler steps draw from. */
export interface NoiseSource {
  fill(out: Float32Array): Float32Array;
}

/** Counter word 3 tags what a Philox block is for, so sample blocks and key-derivation blocks never coincide. */
const DOMAIN_SAMPLES = 0;
const DOMAIN_STREAM_NAME = 0x6e616d65; // "name"
const DOMAIN_STREAM_INDEX = 0x696e6478; // "indx"

const TWO_POW_26 = 67108864;
const TWO_POW_32 = 4294967296;
const TWO_POW_53 = 9007199254740992;
const TWO_PI = 2 * Math.PI;

/** A seed must be a whole number a person can type and a project can store exactly. */
export function checkSeed(seed: number): void {
  if (!Number.isSafeInteger(seed) || seed < 0) {
    throw new LacunaError(
      'BAD_ARGUMENT',
      `seed ${String(seed)} is not a whole number from 0 to ${Number.MAX_SAFE_INTEGER}`,
      'Use a non-negative whole number as the seed (any number gives a valid, repeatable result).',
    );
  }
}

function checkIndex(index: number): void {
  if (!Number.isSafeInteger(index) || index < 0) {
    throw new Error(`noise stream index must be a non-negative safe integer, got ${String(index)}`);
  }
}

/**
 * A stream of standard-normal float32 values. Element n is fixed by the stream's key and n alone;
 * `fill` continues from where the previous call stopped, so filling 10 then 20 values gives the same
 * 30 values as filling 30 at once.
 */
export class GaussianNoise implements NoiseSource {
  /** How many values have been drawn so far. */
  private drawn = 0;
  /** The second Box-Muller value of the last block, when `drawn` is odd. */
  private pending = 0;
  private readonly counter = new Uint32Array(4);
  private readonly block = new Uint32Array(4);
  private readonly one = new Float32Array(1);

  private constructor(private readonly key: Uint32Array) {}

  /** The root stream of a seed. Prefer `noiseFor`, which names the purpose. */
  static fromSeed(seed: number): GaussianNoise {
    checkSeed(seed);
    return new GaussianNoise(Uint32Array.of(seed % TWO_POW_32, Math.floor(seed / TWO_POW_32)));
  }

  /**
   * An independent stream derived from this one's key, a name and an index (e.g. a frame number).
   * Deriving does not advance or touch this stream.
   */
  fork(stream: string, index = 0): GaussianNoise {
    checkIndex(index);
    const key = Uint32Array.from(this.key);
    const out = new Uint32Array(4);
    // Absorb the name's UTF-8 bytes 8 at a time; each block's output becomes the next key, so every
    // byte (and the chunk position) changes the final key.
    const bytes = new TextEncoder().encode(stream);
    const chunks = Math.max(1, Math.ceil(bytes.length / 8));
    for (let c = 0; c < chunks; c++) {
      let w0 = 0;
      let w1 = 0;
      for (let b = 0; b < 4; b++) {
        w0 |= (bytes[c * 8 + b] ?? 0) << (8 * b);
        w1 |= (bytes[c * 8 + 4 + b] ?? 0) << (8 * b);
      }
      philox4x32([w0 >>> 0, w1 >>> 0, c, DOMAIN_STREAM_NAME], key, out);
      key[0] = out[0];
      key[1] = out[1];
    }
    // The byte length separates "a" from "a\0"; the index selects the frame (or step, or window).
    philox4x32([index % TWO_POW_32, Math.floor(index / TWO_POW_32), bytes.length, DOMAIN_STREAM_INDEX], key, out);
    return new GaussianNoise(Uint32Array.of(out[0], out[1]));
  }

  /** Values drawn from this stream so far. */
  get position(): number {
    return this.drawn;
  }

  /** The next value. */
  next(): number {
    return this.fillRange(this.one, 0, 1)[0];
  }

  /** Fills all of `out` with the stream's next values. */
  fill(out: Float32Array): Float32Array {
    return this.fillRange(out, 0, out.length);
  }

  /** Fills `out[start, end)` with the stream's next values. */
  fillRange(out: Float32Array, start: number, end: number): Float32Array {
    let i = start;
    if (i < end && (this.drawn & 1) === 1) {
      out[i++] = this.pending;
      this.drawn++;
    }
    const counter = this.counter;
    const block = this.block;
    while (i < end) {
      const blockIndex = this.drawn / 2;
      counter[0] = blockIndex % TWO_POW_32;
      counter[1] = Math.floor(blockIndex / TWO_POW_32);
      counter[2] = 0;
      counter[3] = DOMAIN_SAMPLES;
      philox4x32(counter, this.key, block);
      // Two 53-bit uniforms from the four words; u1 in (0, 1] keeps the logarithm finite.
      const u1 = 1 - ((block[0] >>> 5) * TWO_POW_26 + (block[1] >>> 6)) / TWO_POW_53;
      const u2 = ((block[2] >>> 5) * TWO_POW_26 + (block[3] >>> 6)) / TWO_POW_53;
      const radius = Math.sqrt(-2 * Math.log(u1));
      const angle = TWO_PI * u2;
      out[i++] = radius * Math.cos(angle);
      const second = radius * Math.sin(angle);
      if (i < end) {
        out[i++] = second;
        this.drawn += 2;
      } else {
        this.pending = second;
        this.drawn += 1;
      }
    }
    return out;
  }
}

/**
 * The noise stream for one purpose and index under a seed, e.g.
 * `noiseFor(seed, 'initial-latents', frameIndex)`: independent of every other (purpose, index) pair
 * and of the order streams are created in.
 */
export function noiseFor(seed: number, stream: string, index = 0): GaussianNoise {
  return GaussianNoise.fromSeed(seed).fork(stream, index);
}

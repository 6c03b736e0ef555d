// The boundary between the engine's arrays and onnxruntime tensors. The engine works in float32
// (and int32 token ids) whatever the pack's precision; this converts to the element type the
// manifest states for each tensor (float16 bit patterns, int64 ids) on the way in and back to
// float32 on the way out, and checks the engine's shapes against the manifest first, so a wrong
// shape fails with the model file, tensor and dimension named instead of deep inside onnxruntime.
import type { Tensor } from 'onnxruntime-node';
import { float16ToFloat32, float32ToFloat16 } from '../../onnx/float16';
import { VAE_DOWNSAMPLE } from './contract';
import type { DimSymbol, TensorSpec } from './manifest';

export type HostData = Float32Array | Int32Array | BigInt64Array;

export interface HostTensor {
  readonly data: HostData;
  readonly dims: readonly number[];
  /**
   * The caller never changes `data` while it may run it again (the sampler's text and image
   * condition, the same every step of a window): a runner may then keep its own copy between runs
   * and skip sending it again while the same array comes back.
   */
  readonly constant?: boolean;
}

export interface FloatTensor {
  readonly data: Float32Array;
  readonly dims: readonly number[];
}

export type HostFeeds = Readonly<Record<string, HostTensor>>;
export type HostOutputs = Record<string, FloatTensor>;

const count = (dims: readonly number[]): number => dims.reduce((a, b) => a * b, 1);

/**
 * Checks feeds against the manifest's input specs: every input present, ranks and fixed dims as
 * stated, and each symbol the same size wherever it appears (B of `sample` equal to B of
 * `timestep`). Image sizes must be multiples of 8, which the VAE's three 2x downsamplings need.
 * A mismatch is a bug in the engine, so it is a plain Error.
 */
export function checkFeeds(file: string, specs: readonly TensorSpec[], feeds: HostFeeds): Map<DimSymbol, number> {
  for (const [name, feed] of Object.entries(feeds)) {
    if (feed.data.length !== count(feed.dims)) {
      throw new Error(`${file}: input "${name}" has ${feed.data.length} values for dims [${feed.dims.join(', ')}]`);
    }
  }
  return checkShapes(file, specs, Object.fromEntries(Object.entries(feeds).map(([name, feed]) => [name, feed.dims])));
}

/** The shape half of checkFeeds, for feeds that are made elsewhere (a denoising loop on the onnxruntime thread). */
export function checkShapes(file: string, specs: readonly TensorSpec[], shapes: Readonly<Record<string, readonly number[]>>): Map<DimSymbol, number> {
  const bound = new Map<DimSymbol, { value: number; from: string }>();
  for (const spec of specs) {
    const dims = shapes[spec.name];
    if (!dims) throw new Error(`${file}: input "${spec.name}" was not given (inputs: ${specs.map((s) => s.name).join(', ')})`);
    if (dims.length !== spec.shape.length) {
      throw new Error(`${file}: input "${spec.name}" has rank ${dims.length} [${dims.join(', ')}], the manifest says [${spec.shape.join(', ')}]`);
    }
    spec.shape.forEach((want, i) => {
      const got = dims[i];
      if (typeof want === 'number') {
        if (got !== want) throw new Error(`${file}: input "${spec.name}" dim ${i} is ${got}, the manifest fixes it at ${want}`);
        return;
      }
      const prior = bound.get(want);
      if (prior && prior.value !== got) {
        throw new Error(`${file}: input "${spec.name}" dim ${i} (${want}) is ${got} but "${prior.from}" has ${want}=${prior.value}`);
      }
      if ((want === 'H' || want === 'W') && got % VAE_DOWNSAMPLE !== 0) {
        throw new Error(`${file}: input "${spec.name}" dim ${i} (${want}) is ${got}, which is not a multiple of ${VAE_DOWNSAMPLE}`);
      }
      bound.set(want, { value: got, from: spec.name });
    });
  }
  for (const name of Object.keys(shapes)) {
    if (!specs.some((s) => s.name === name)) throw new Error(`${file}: "${name}" is not an input of this model`);
  }
  return new Map([...bound].map(([k, v]) => [k, v.value]));
}

function isFloat(spec: TensorSpec): boolean {
  return spec.dtype === 'float32' || spec.dtype === 'float16';
}

/** An onnxruntime tensor of the manifest's element type holding `feed`'s values. */
/** `TensorClass` is onnxruntime's Tensor, passed in so this module never loads the runtime itself. */
export function toOrtTensor(file: string, spec: TensorSpec, feed: HostTensor, TensorClass: typeof Tensor): Tensor {
  const dims = [...feed.dims];
  const { data } = feed;
  if (isFloat(spec)) {
    if (!(data instanceof Float32Array)) throw new Error(`${file}: input "${spec.name}" takes Float32Array data`);
    return spec.dtype === 'float16' ? new TensorClass('float16', float32ToFloat16(data), dims) : new TensorClass('float32', data, dims);
  }
  if (data instanceof Float32Array) throw new Error(`${file}: input "${spec.name}" takes integer data (Int32Array or BigInt64Array)`);
  if (spec.dtype === 'int64') {
    const ids = data instanceof BigInt64Array ? data : BigInt64Array.from(data, (v) => BigInt(v));
    return new TensorClass('int64', ids, dims);
  }
  const ids = data instanceof Int32Array ? data : Int32Array.from(data, (v) => Number(v));
  return new TensorClass('int32', ids, dims);
}

/** A model output as float32, whatever precision the model computed it in. */
export function fromOrtTensor(file: string, spec: TensorSpec, value: Tensor): FloatTensor {
  const dims = [...value.dims];
  if (value.type === 'float32') return { data: value.data as Float32Array, dims };
  if (value.type === 'float16') {
    const raw = value.data;
    // onnxruntime returns Uint16Array bit patterns, or a Float16Array where the runtime has one.
    const data = raw instanceof Uint16Array ? float16ToFloat32(raw) : Float32Array.from(raw as ArrayLike<number>);
    return { data, dims };
  }
  throw new Error(`${file}: output "${spec.name}" came back as ${value.type}, the manifest says ${spec.dtype}`);
}

/** The slice [start, end) of a tensor along its first (batch) axis, sharing memory. */
export function sliceBatch<T extends HostTensor>(t: T, start: number, end: number): T {
  const per = count(t.dims.slice(1));
  const data = t.data.subarray(start * per, end * per);
  return { ...t, data, dims: [end - start, ...t.dims.slice(1)] };
}

/** Tensors stacked along the batch axis (the inverse of sliceBatch over a split). */
export function concatBatch(parts: readonly FloatTensor[]): FloatTensor {
  if (parts.length === 1) return parts[0];
  const total = parts.reduce((n, p) => n + p.data.length, 0);
  const data = new Float32Array(total);
  let offset = 0;
  for (const p of parts) {
    data.set(p.data, offset);
    offset += p.data.length;
  }
  return { data, dims: [parts.reduce((n, p) => n + p.dims[0], 0), ...parts[0].dims.slice(1)] };
}

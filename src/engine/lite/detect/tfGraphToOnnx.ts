import type { io } from '@tensorflow/tfjs-core';
import { GraphBuilder, type AttrValue } from '../../onnx/graphBuilder';
import { float16ToFloat32 } from '../../onnx/float16';

/**
 * Rewrites a TensorFlow.js graph model (the detector's model.json and weights, as they ship in an
 * npm package) as an ONNX graph, so onnxruntime's native CPU kernels run it instead of tfjs's
 * WebAssembly ones: the same weights, the same arithmetic, in a fraction of the time (measured in
 * bench/lite-detect.ts). TF graphs are NHWC; the ONNX graph is NCHW, so weights are transposed
 * here and the caller feeds and reads NCHW.
 *
 * Only the ops convolutional detectors of this kind use are known (convolutions with their fused
 * bias and activation, depthwise convolutions, elementwise arithmetic with constants, means over
 * the picture, bilinear upsampling, concatenation); any other op on the way to the outputs fails
 * the conversion with its name, so a model that cannot be converted is never run half-converted.
 *
 * Upsampling is written as a scale (the model's fixed output size over its input's, at the
 * model's own input size), so the graph also runs on other input sizes that are multiples of the
 * network's largest stride: a letterboxed 16:9 frame need not be padded to a square.
 */
export interface TfGraphConversion {
  /** The TF input (Placeholder) name and its NHWC size in the model as shipped. */
  input: string;
  /** TF node names to output, each in NCHW (an output named as its TF node). */
  outputs: string[];
}

export interface TfNode {
  name: string;
  op: string;
  input?: string[];
  attr?: Record<string, TfAttr>;
}

interface TfAttr {
  list?: { i?: string[]; s?: string[] };
  s?: string;
  i?: string;
  b?: boolean;
  shape?: { dim?: { size: string }[] };
  /** Read by tfjs, not by the conversion (constants come from the weight specs). */
  type?: string;
  tensor?: unknown;
}

interface ConstValue {
  shape: number[];
  data: Float32Array | Int32Array;
}

/** A converted value: its ONNX name and its NCHW shape at the shipped input size. */
interface Value {
  name: string;
  shape: number[];
}

/** The weights of a tfjs graph model by name, dequantized to float32 (or int32). */
export function decodeTfjsWeights(specs: io.WeightsManifestEntry[], data: ArrayBuffer): Map<string, ConstValue> {
  const out = new Map<string, ConstValue>();
  let offset = 0;
  for (const spec of specs) {
    const n = spec.shape.reduce((a, b) => a * b, 1);
    const q = spec.quantization;
    const stored = q?.dtype ?? spec.dtype;
    const bytes = stored === 'float16' || stored === 'uint16' ? 2 : stored === 'uint8' ? 1 : 4;
    const raw = data.slice(offset, offset + n * bytes);
    offset += n * bytes;
    let values: Float32Array | Int32Array;
    if (stored === 'float16') values = float16ToFloat32(new Uint16Array(raw));
    else if (stored === 'uint8' || stored === 'uint16') {
      const ints = stored === 'uint8' ? new Uint8Array(raw) : new Uint16Array(raw);
      const scale = q!.scale ?? 1;
      const min = q!.min ?? 0;
      values = Float32Array.from(ints, (v) => v * scale + min);
    } else if (spec.dtype === 'int32') values = new Int32Array(raw);
    else if (spec.dtype === 'float32') values = new Float32Array(raw);
    else throw new Error(`weight ${spec.name}: dtype ${spec.dtype} is not supported`);
    out.set(spec.name, { shape: spec.shape, data: values });
  }
  return out;
}

const decodeString = (s: string) => Buffer.from(s, 'base64').toString('utf8');
const ints = (a: TfAttr | undefined) => (a?.list?.i ?? []).map(Number);
const strings = (a: TfAttr | undefined) => (a?.list?.s ?? []).map(decodeString);

/** The shape elementwise arithmetic gives two shapes (numpy broadcasting). */
function broadcastShape(a: number[], b: number[]): number[] {
  const n = Math.max(a.length, b.length);
  return Array.from({ length: n }, (_, i) => Math.max(a[a.length - n + i] ?? 1, b[b.length - n + i] ?? 1));
}

/** NHWC axis (negative: from the end) → NCHW axis. */
const nchwAxis = (a: number) => [0, 2, 3, 1][a < 0 ? a + 4 : a];

/**
 * The ONNX model (serialized) of `topology`'s path from `conversion.input` to its outputs, for an
 * NCHW float input of `height` x `width` (default: the shipped size).
 */
export function tfGraphToOnnx(
  topology: { node: TfNode[] },
  weights: Map<string, ConstValue>,
  conversion: TfGraphConversion,
  size?: { width: number; height: number },
): Uint8Array {
  const nodes = new Map(topology.node.map((n) => [n.name, n]));
  const g = new GraphBuilder('converted', { opset: 17, producerName: 'lacuna tfGraphToOnnx' });
  const values = new Map<string, Value>();
  const inputNode = nodes.get(conversion.input);
  if (!inputNode || inputNode.op !== 'Placeholder') throw new Error(`tfGraphToOnnx: no input ${conversion.input}`);
  const dims = (inputNode.attr?.shape?.shape?.dim ?? []).map((d) => Number(d.size));
  if (dims.length !== 4) throw new Error(`tfGraphToOnnx: input ${conversion.input} is not NHWC`);
  const [, shippedH, shippedW, channels] = dims;
  const at = size ?? { width: shippedW, height: shippedH };
  values.set(conversion.input, { name: g.input('input', 'float32', [1, channels, at.height, at.width]), shape: [1, channels, shippedH, shippedW] });

  const constOf = (ref: string): ConstValue => {
    const c = weights.get(ref);
    if (!c) throw new Error(`tfGraphToOnnx: ${ref} is not a constant`);
    return c;
  };
  const isConst = (ref: string) => nodes.get(ref)?.op === 'Const';

  // Depth first from the outputs, so only what they need is converted.
  const convert = (ref: string): Value => {
    const name = ref.replace(/:0$/, '');
    const done = values.get(name);
    if (done) return done;
    const node = nodes.get(name);
    if (!node) throw new Error(`tfGraphToOnnx: no node ${name}`);
    const v = convertNode(node);
    values.set(name, v);
    return v;
  };

  const activation = (x: Value, op: string): Value => {
    if (op === 'Relu') return { name: g.op('Relu', [x.name]), shape: x.shape };
    if (op === 'Relu6') return { name: g.op('Clip', [x.name, g.scalar(0), g.scalar(6)]), shape: x.shape };
    throw new Error(`tfGraphToOnnx: fused activation ${op} is not supported`);
  };

  const conv = (node: TfNode, depthwise: boolean): Value => {
    const [xRef, wRef, bRef] = node.input!;
    const x = convert(xRef);
    const w = constOf(wRef);
    const [kh, kw, ci, co] = w.shape;
    // TF: [kh, kw, in, out] (depthwise: [kh, kw, in, multiplier], output channel = in * multiplier + m).
    const outC = depthwise ? ci * co : co;
    const inPerGroup = depthwise ? 1 : ci;
    const wt = new Float32Array(outC * inPerGroup * kh * kw);
    for (let y = 0; y < kh; y++)
      for (let xx = 0; xx < kw; xx++)
        for (let i = 0; i < ci; i++)
          for (let o = 0; o < co; o++) {
            const src = w.data[((y * kw + xx) * ci + i) * co + o];
            const oc = depthwise ? i * co + o : o;
            const ic = depthwise ? 0 : i;
            wt[((oc * inPerGroup + ic) * kh + y) * kw + xx] = src;
          }
    const fused = strings(node.attr?.fused_ops);
    const hasBias = fused[0] === 'BiasAdd';
    if (fused.length > 0 && !hasBias) throw new Error(`tfGraphToOnnx: ${node.name} fuses ${fused.join('+')}`);
    const args = [x.name, g.initializer('float32', [outC, inPerGroup, kh, kw], wt)];
    if (hasBias) {
      const b = constOf(bRef);
      args.push(g.initializer('float32', [outC], Float32Array.from(b.data)));
    }
    const strides = ints(node.attr?.strides).slice(1, 3);
    const dilations = ints(node.attr?.dilations).slice(1, 3);
    const padding = decodeString(node.attr?.padding?.s ?? '');
    if (padding !== 'SAME' && padding !== 'VALID') throw new Error(`tfGraphToOnnx: ${node.name} has padding ${padding}`);
    const attrs: Record<string, AttrValue> = {
      kernel_shape: [kh, kw],
      strides: strides.length ? strides : [1, 1],
      dilations: dilations.length ? dilations : [1, 1],
      // TF's SAME puts the odd pixel of padding at the end, as ONNX's SAME_UPPER does.
      auto_pad: padding === 'SAME' ? 'SAME_UPPER' : 'VALID',
    };
    if (depthwise) attrs.group = ci;
    const [sh, sw] = attrs.strides as number[];
    const [, , h, wd] = x.shape;
    const outH = padding === 'SAME' ? Math.ceil(h / sh) : Math.floor((h - kh) / sh) + 1;
    const outW = padding === 'SAME' ? Math.ceil(wd / sw) : Math.floor((wd - kw) / sw) + 1;
    let out: Value = { name: g.op('Conv', args, attrs), shape: [1, outC, outH, outW] };
    for (const op of fused.slice(1)) out = activation(out, op);
    return out;
  };

  /** A constant operand of elementwise arithmetic, laid out to broadcast against NCHW. */
  const operand = (ref: string): Value => {
    if (!isConst(ref)) return convert(ref);
    const c = constOf(ref);
    if (c.shape.length === 0 || c.data.length === 1) return { name: g.scalar(c.data[0]), shape: [] };
    if (c.shape.length === 1) return { name: g.initializer('float32', [c.data.length, 1, 1], Float32Array.from(c.data)), shape: [c.data.length, 1, 1] };
    throw new Error(`tfGraphToOnnx: constant ${ref} of shape [${c.shape}] in arithmetic`);
  };

  const convertNode = (node: TfNode): Value => {
    const inputs = (node.input ?? []).filter((i) => !i.startsWith('^'));
    switch (node.op) {
      case 'Identity':
        return convert(inputs[0]);
      case '_FusedConv2D':
      case 'Conv2D':
        return conv(node, false);
      case 'FusedDepthwiseConv2dNative':
      case 'DepthwiseConv2dNative':
        return conv(node, true);
      case 'Add':
      case 'AddV2':
      case 'Mul':
      case 'Sub': {
        const [a, b] = inputs.map(operand);
        const op = node.op === 'AddV2' ? 'Add' : node.op;
        return { name: g.op(op, [a.name, b.name]), shape: broadcastShape(a.shape, b.shape) };
      }
      case 'Relu':
      case 'Relu6':
        return activation(convert(inputs[0]), node.op);
      case 'Sigmoid': {
        const x = convert(inputs[0]);
        return { name: g.sigmoid(x.name), shape: x.shape };
      }
      case 'Mean': {
        const x = convert(inputs[0]);
        const axes = [...constOf(inputs[1]).data].map(nchwAxis);
        const keep = node.attr?.keep_dims?.b ?? false;
        if (!keep) throw new Error(`tfGraphToOnnx: ${node.name} drops dimensions`);
        return { name: g.reduceMean(x.name, axes, true), shape: x.shape.map((d, i) => (axes.includes(i) ? 1 : d)) };
      }
      case 'ResizeBilinear': {
        const x = convert(inputs[0]);
        const [oh, ow] = constOf(inputs[1]).data;
        if (node.attr?.align_corners?.b || node.attr?.half_pixel_centers?.b) throw new Error(`tfGraphToOnnx: ${node.name} aligns corners or centres`);
        const scales = [1, 1, oh / x.shape[2], ow / x.shape[3]];
        if (!Number.isInteger(scales[2]) || !Number.isInteger(scales[3])) throw new Error(`tfGraphToOnnx: ${node.name} resizes by a fraction`);
        // TF's resize without aligned corners or centres maps output pixel i to input i / scale: ONNX's asymmetric mode.
        const name = g.op('Resize', [x.name, '', g.initializer('float32', [4], Float32Array.from(scales))], { mode: 'linear', coordinate_transformation_mode: 'asymmetric' });
        return { name, shape: [1, x.shape[1], oh, ow] };
      }
      case 'ConcatV2': {
        const parts = inputs.slice(0, -1).map(convert);
        const axis = nchwAxis(constOf(inputs[inputs.length - 1]).data[0]);
        const shape = [...parts[0].shape];
        shape[axis] = parts.reduce((a, p) => a + p.shape[axis], 0);
        return { name: g.concat(parts.map((p) => p.name), axis), shape };
      }
      default:
        throw new Error(`tfGraphToOnnx: op ${node.op} (${node.name}) is not supported`);
    }
  };

  for (const out of conversion.outputs) {
    const v = convert(out);
    g.output(v.name, out, 'float32');
  }
  return g.toBytes();
}

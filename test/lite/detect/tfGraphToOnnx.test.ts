import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { tfRuntime } from '../../../src/engine/lite/detect/tfRuntime';
import { decodeTfjsWeights, tfGraphToOnnx, type TfNode } from '../../../src/engine/lite/detect/tfGraphToOnnx';
import { onnxInputSize } from '../../../src/engine/lite/detect/onnxDetectorRunner';
import { centernetModel } from '../../../src/engine/lite/detect/centernetModel';
import { float32ToFloat16 } from '../../../src/engine/onnx/float16';

// A small graph with every op the conversion knows, in the forms TF's converter writes them
// (fused bias and activations, SAME padding with an odd remainder, a depthwise multiplier, a
// squeeze-excite mean, upsampling, concatenation, constants of every layout), run by tfjs as
// shipped and by onnxruntime converted: the two must agree to float rounding.

const b64 = (s: string) => Buffer.from(s).toString('base64');
const list = (xs: number[]) => ({ list: { i: xs.map(String) } });
const convAttrs = (strides: number, padding: 'SAME' | 'VALID', fused: string[] = []) => ({
  strides: list([1, strides, strides, 1]),
  dilations: list([1, 1, 1, 1]),
  padding: { s: b64(padding) },
  data_format: { s: b64('NHWC') },
  ...(fused.length && { fused_ops: { list: { s: fused.map(b64) } }, num_args: { i: '1' } }),
  T: { type: 'DT_FLOAT' },
});

interface Weight {
  name: string;
  shape: number[];
  dtype: 'float32' | 'int32';
  values: number[];
  half?: boolean;
}

function seeded(n: number, seed: number, scale = 1): number[] {
  let s = seed;
  return Array.from({ length: n }, () => {
    s = (s * 1103515245 + 12345) % 2 ** 31;
    return ((s / 2 ** 31) * 2 - 1) * scale;
  });
}

/** The graph's model.json parts: nodes, weight specs and data (one weight half-precision, as shipped ones are). */
function smallGraph(h: number, w: number) {
  const weights: Weight[] = [
    { name: 'c1/w', shape: [3, 3, 3, 4], dtype: 'float32', values: seeded(108, 1, 0.2) },
    { name: 'c1/b', shape: [4], dtype: 'float32', values: seeded(4, 2, 0.1) },
    { name: 'dw/w', shape: [3, 3, 4, 2], dtype: 'float32', values: seeded(72, 3, 0.3), half: true },
    { name: 'dw/b', shape: [8], dtype: 'float32', values: seeded(8, 4, 0.1) },
    { name: 'mul/y', shape: [], dtype: 'float32', values: [0.5] },
    { name: 'add/y', shape: [8], dtype: 'float32', values: seeded(8, 5, 1) },
    { name: 'mean/axes', shape: [2], dtype: 'int32', values: [1, 2] },
    { name: 'se/w', shape: [1, 1, 8, 8], dtype: 'float32', values: seeded(64, 6, 0.5) },
    { name: 'up/size', shape: [2], dtype: 'int32', values: [h, w] },
    { name: 'c2/w', shape: [1, 1, 3, 8], dtype: 'float32', values: seeded(24, 7, 0.2) },
    { name: 'c2/b', shape: [8], dtype: 'float32', values: seeded(8, 8, 0.1) },
    { name: 'cat/axis', shape: [], dtype: 'int32', values: [-1] },
    { name: 'head/w', shape: [2, 2, 16, 3], dtype: 'float32', values: seeded(192, 9, 0.2) },
  ];
  const constNode = (wt: Weight) => ({ name: wt.name, op: 'Const', attr: { dtype: { type: wt.dtype === 'int32' ? 'DT_INT32' : 'DT_FLOAT' }, value: { tensor: { dtype: wt.dtype === 'int32' ? 'DT_INT32' : 'DT_FLOAT', tensorShape: { dim: wt.shape.map((d) => ({ size: String(d) })) } } } } });
  const node: TfNode[] = [
    { name: 'images', op: 'Placeholder', attr: { dtype: { type: 'DT_FLOAT' }, shape: { shape: { dim: [1, h, w, 3].map((d) => ({ size: String(d) })) } } } },
    ...weights.map(constNode),
    { name: 'c1', op: '_FusedConv2D', input: ['images', 'c1/w', 'c1/b'], attr: convAttrs(2, 'SAME', ['BiasAdd', 'Relu']) },
    { name: 'dw', op: 'FusedDepthwiseConv2dNative', input: ['c1', 'dw/w', 'dw/b'], attr: convAttrs(1, 'SAME', ['BiasAdd']) },
    { name: 'mul', op: 'Mul', input: ['mul/y', 'dw'], attr: { T: { type: 'DT_FLOAT' } } },
    { name: 'add', op: 'Add', input: ['mul', 'add/y'], attr: { T: { type: 'DT_FLOAT' } } },
    { name: 'relu6', op: 'Relu6', input: ['add'], attr: { T: { type: 'DT_FLOAT' } } },
    { name: 'mean', op: 'Mean', input: ['relu6', 'mean/axes'], attr: { keep_dims: { b: true }, T: { type: 'DT_FLOAT' } } },
    { name: 'se', op: 'Conv2D', input: ['mean', 'se/w'], attr: convAttrs(1, 'SAME') },
    { name: 'gate', op: 'Sigmoid', input: ['se'], attr: { T: { type: 'DT_FLOAT' } } },
    { name: 'excited', op: 'Mul', input: ['relu6', 'gate'], attr: { T: { type: 'DT_FLOAT' } } },
    { name: 'up', op: 'ResizeBilinear', input: ['excited', 'up/size'], attr: { align_corners: { b: false }, half_pixel_centers: { b: false }, T: { type: 'DT_FLOAT' } } },
    { name: 'c2', op: '_FusedConv2D', input: ['images', 'c2/w', 'c2/b'], attr: convAttrs(1, 'SAME', ['BiasAdd']) },
    { name: 'c2crop', op: 'DepthwiseConv2dNative', input: ['c2', 'dw1x1/w'], attr: convAttrs(1, 'VALID') },
    { name: 'cat', op: 'ConcatV2', input: ['up', 'c2', 'cat/axis'], attr: { N: { i: '2' }, T: { type: 'DT_FLOAT' } } },
    { name: 'relu', op: 'Relu', input: ['cat'] },
    { name: 'head', op: 'Conv2D', input: ['relu', 'head/w'], attr: convAttrs(1, 'VALID') },
    { name: 'out', op: 'Identity', input: ['head'] },
  ];
  const parts: Uint8Array[] = [];
  const specs = weights.map((wt) => {
    const data = wt.dtype === 'int32' ? new Int32Array(wt.values) : wt.half ? float32ToFloat16(wt.values) : new Float32Array(wt.values);
    parts.push(new Uint8Array(data.buffer));
    return { name: wt.name, shape: wt.shape, dtype: wt.dtype, ...(wt.half && { quantization: { dtype: 'float16' as const, original_dtype: 'float32' as const } }) };
  });
  const data = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    data.set(p, o);
    o += p.length;
  }
  return { topology: { node }, specs, data: data.buffer };
}

async function viaOnnx(bytes: Uint8Array, input: Float32Array, h: number, w: number): Promise<ort.Tensor> {
  const session = await ort.InferenceSession.create(bytes);
  const nchw = new Float32Array(input.length);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) for (let c = 0; c < 3; c++) nchw[(c * h + y) * w + x] = input[(y * w + x) * 3 + c];
  const out = await session.run({ input: new ort.Tensor('float32', nchw, [1, 3, h, w]) });
  await session.release();
  return out.out;
}

describe('tfGraphToOnnx', () => {
  it('gives what tfjs gives for every op it converts, at the graph size and (upsampling by scale) another', async () => {
    const h = 10;
    const w = 12;
    const { topology, specs, data } = smallGraph(h, w);
    // c2crop is off the output's path (its weight does not even exist): only what the outputs need is
    // converted. tfjs gets the graph without it.
    const weights = decodeTfjsWeights(specs, data);
    const rt = await tfRuntime();
    const graph = await rt.loadGraphModel(rt.tf.io.fromMemory({ modelTopology: { node: topology.node.filter((n) => n.name !== 'c2crop'), library: {}, versions: {} }, weightSpecs: specs, weightData: data }));
    const input = Float32Array.from(seeded(h * w * 3, 11, 128), (v) => v + 128);
    const expected = (graph.execute(rt.tf.tensor4d(input, [1, h, w, 3]), 'out') as import('@tensorflow/tfjs-core').Tensor).dataSync() as Float32Array;
    const got = await viaOnnx(tfGraphToOnnx(topology, weights, { input: 'images', outputs: ['out'] }), input, h, w);
    const [, oc, oh, ow] = got.dims;
    expect([oc, oh, ow]).toEqual([3, 9, 11]);
    const g = got.data as Float32Array;
    let worst = 0;
    for (let y = 0; y < oh; y++) for (let x = 0; x < ow; x++) for (let c = 0; c < oc; c++) worst = Math.max(worst, Math.abs(g[(c * oh + y) * ow + x] - expected[(y * ow + x) * oc + c]));
    expect(worst).toBeLessThan(1e-3);
    expect(Math.max(...expected.map(Math.abs))).toBeGreaterThan(1); // not a graph of zeros

    // The same graph at 20x24: the upsampling keeps its factor (2), so the shapes still meet at the concat.
    const big = smallGraph(20, 24);
    const bigGraph = await rt.loadGraphModel(rt.tf.io.fromMemory({ modelTopology: { node: big.topology.node.filter((n) => n.name !== 'c2crop'), library: {}, versions: {} }, weightSpecs: big.specs, weightData: big.data }));
    const bigInput = Float32Array.from(seeded(20 * 24 * 3, 12, 128), (v) => v + 128);
    const bigExpected = (bigGraph.execute(rt.tf.tensor4d(bigInput, [1, 20, 24, 3]), 'out') as import('@tensorflow/tfjs-core').Tensor).dataSync() as Float32Array;
    const resized = await viaOnnx(tfGraphToOnnx(topology, weights, { input: 'images', outputs: ['out'] }, { width: 24, height: 20 }), bigInput, 20, 24);
    expect(resized.dims).toEqual([1, 3, 19, 23]);
    const r = resized.data as Float32Array;
    worst = 0;
    for (let y = 0; y < 19; y++) for (let x = 0; x < 23; x++) for (let c = 0; c < 3; c++) worst = Math.max(worst, Math.abs(r[(c * 19 + y) * 23 + x] - bigExpected[(y * 23 + x) * 3 + c]));
    expect(worst).toBeLessThan(1e-3);
  });

  it('refuses an op it does not know, naming it and its node, rather than converting part of a model', () => {
    const { topology, specs, data } = smallGraph(10, 12);
    const weights = decodeTfjsWeights(specs, data);
    const changed = { node: topology.node.map((n) => (n.name === 'relu' ? { ...n, op: 'Elu' } : n)) };
    expect(() => tfGraphToOnnx(changed, weights, { input: 'images', outputs: ['out'] })).toThrow(/op Elu \(relu\) is not supported/);
    expect(() => tfGraphToOnnx(topology, weights, { input: 'missing', outputs: ['out'] })).toThrow(/no input missing/);
  });
});

describe('onnxInputSize', () => {
  it('keeps the long side and rounds the short one up to the stride, for landscape, portrait and square frames', () => {
    expect(onnxInputSize(512, 32, 1920, 1080)).toEqual({ width: 512, height: 288 });
    expect(onnxInputSize(512, 32, 568, 320)).toEqual({ width: 512, height: 320 });
    expect(onnxInputSize(512, 32, 1080, 1920)).toEqual({ width: 288, height: 512 });
    expect(onnxInputSize(512, 32, 640, 640)).toEqual({ width: 512, height: 512 });
    expect(onnxInputSize(512, 32, 4000, 10)).toEqual({ width: 512, height: 32 });
  });
});

describe("CenterNet's heatmap decode", () => {
  it("keeps 3x3 peaks above the score, best first, ties by the graph's order, boxes around the cell at the stride", () => {
    const [classes, h, w] = [2, 4, 4];
    const heat = new Float32Array(classes * h * w);
    const sizes = new Float32Array(4 * h * w);
    heat[0 * 16 + 1 * 4 + 1] = 0.9; // class 0 at (1,1): a peak
    heat[0 * 16 + 1 * 4 + 2] = 0.8; // its neighbour: not a peak
    heat[1 * 16 + 3 * 4 + 3] = 0.5; // class 1 at (3,3), on the border
    heat[1 * 16 + 0 * 4 + 3] = 0.5; // class 1 at (3,0): the same score, lower index, so first of the two
    heat[0 * 16 + 3 * 4 + 0] = 0.2; // below the score
    for (let k = 0; k < 4; k++) sizes[k * 16 + 1 * 4 + 1] = k + 1;
    const found = centernetModel.onnx!.decode(
      [
        { data: heat, dims: [1, classes, h, w] },
        { data: sizes, dims: [1, 4, h, w] },
      ],
      { width: 16, height: 16 },
      0.3,
    );
    expect(found.map((d) => [d.classIndex, d.score])).toEqual([
      [0, expect.closeTo(0.9, 6)],
      [1, 0.5],
      [1, 0.5],
    ]);
    expect(found[0]).toMatchObject({ x1: 4 - 1, y1: 4 - 2, x2: 4 + 3, y2: 4 + 4 });
    expect(found[1]).toMatchObject({ x1: 12, y1: 0 });
    expect(found[2]).toMatchObject({ x1: 12, y1: 12 });
  });
});

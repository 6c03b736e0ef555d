// The graph builder is what every fixture pack rests on: each operator helper must produce a model
// onnxruntime loads and computes as ONNX defines it.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InferenceSession, Tensor } from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { GraphBuilder, floatAttr } from '../../src/engine/onnx/graphBuilder';

async function run(g: GraphBuilder, feeds: Record<string, Tensor>): Promise<Record<string, Tensor>> {
  const session = await InferenceSession.create(g.toBytes());
  try {
    return (await session.run(feeds)) as Record<string, Tensor>;
  } finally {
    await session.release();
  }
}

const f32 = (data: number[], dims: number[]) => new Tensor('float32', Float32Array.from(data), dims);
const values = (t: Tensor) => Array.from(t.data as Float32Array);

describe('GraphBuilder', () => {
  it('declares symbolic dims that onnxruntime reports back', async () => {
    const g = new GraphBuilder('dims');
    const x = g.input('x', 'float32', ['B', 3, 'H']);
    g.output(g.sigmoid(x), 'y', 'float32', ['B', 3, 'H']);
    const session = await InferenceSession.create(g.toBytes());
    expect(session.inputNames).toEqual(['x']);
    expect(session.outputNames).toEqual(['y']);
    expect(session.inputMetadata[0]).toMatchObject({ name: 'x', isTensor: true, type: 'float32', shape: ['B', 3, 'H'] });
    await session.release();
  });

  it('computes Add, Mul, MatMul, Sigmoid, Tanh with broadcasting', async () => {
    const g = new GraphBuilder('arith');
    const x = g.input('x', 'float32', [2, 2]);
    const y = g.add(g.mul(x, g.scalar(2)), g.f32([2], [10, 20]));
    g.output(g.matMul(y, g.f32([2, 1], [1, -1])), 'mm', 'float32');
    g.output(g.sigmoid(g.f32([1], [0])), 's', 'float32');
    g.output(g.tanh(x), 't', 'float32');
    const out = await run(g, { x: f32([1, 2, 3, 4], [2, 2]) });
    expect(values(out.mm)).toEqual([12 - 24, 16 - 28]);
    expect(values(out.s)).toEqual([0.5]);
    expect(values(out.t)[0]).toBeCloseTo(Math.tanh(1), 6);
  });

  it('computes Conv with a bias and attributes', async () => {
    const g = new GraphBuilder('conv');
    const x = g.input('x', 'float32', [1, 1, 3, 3]);
    const w = g.f32([1, 1, 3, 3], [0, 0, 0, 0, 1, 0, 0, 0, 0]);
    g.output(g.conv(x, w, g.f32([1], [0.5]), { pads: [1, 1, 1, 1], kernel_shape: [3, 3] }), 'y', 'float32');
    const out = await run(g, { x: f32([1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 1, 3, 3]) });
    expect(values(out.y)).toEqual([1.5, 2.5, 3.5, 4.5, 5.5, 6.5, 7.5, 8.5, 9.5]);
  });

  it('computes Transpose, Reshape, Concat, Slice, Unsqueeze, Squeeze', async () => {
    const g = new GraphBuilder('shape');
    const x = g.input('x', 'float32', [2, 3]);
    g.output(g.transpose(x, [1, 0]), 'tr', 'float32');
    g.output(g.reshape(x, [3, -1]), 'rs', 'float32');
    g.output(g.concat([x, x], 0), 'cc', 'float32');
    g.output(g.slice(x, [1], [3], [1]), 'sl', 'float32');
    g.output(g.squeeze(g.unsqueeze(x, [0]), [0]), 'sq', 'float32');
    const out = await run(g, { x: f32([1, 2, 3, 4, 5, 6], [2, 3]) });
    expect(out.tr.dims).toEqual([3, 2]);
    expect(values(out.tr)).toEqual([1, 4, 2, 5, 3, 6]);
    expect(out.rs.dims).toEqual([3, 2]);
    expect(out.cc.dims).toEqual([4, 3]);
    expect(values(out.sl)).toEqual([2, 3, 5, 6]);
    expect(out.sq.dims).toEqual([2, 3]);
  });

  it('computes Gather on int64 and int32 indices, ReduceMean, Cast', async () => {
    const g = new GraphBuilder('gather');
    const ids = g.input('ids', 'int64', [2]);
    const ids32 = g.input('ids32', 'int32', [1]);
    const table = g.f32([3, 2], [0, 1, 10, 11, 20, 21]);
    g.output(g.gather(table, ids, 0), 'g', 'float32');
    g.output(g.gather(table, ids32, 0), 'g32', 'float32');
    g.output(g.reduceMean(table, [0, 1], false), 'm', 'float32');
    g.output(g.cast(ids, 'float32'), 'c', 'float32');
    const out = await run(g, { ids: new Tensor('int64', BigInt64Array.of(2n, 0n), [2]), ids32: new Tensor('int32', Int32Array.of(1), [1]) });
    expect(values(out.g)).toEqual([20, 21, 0, 1]);
    expect(values(out.g32)).toEqual([10, 11]);
    expect(values(out.m)).toEqual([10.5]);
    expect(values(out.c)).toEqual([2, 0]);
  });

  it('resizes nearest as pixel replication, on 4-D and 5-D tensors', async () => {
    const g = new GraphBuilder('resize');
    const x = g.input('x', 'float32', [1, 1, 2, 2]);
    const v = g.input('v', 'float32', [1, 1, 1, 1, 2]);
    g.output(g.resize(x, [1, 1, 2, 2]), 'y', 'float32');
    g.output(g.resize(v, [1, 1, 1, 2, 2]), 'z', 'float32');
    const out = await run(g, { x: f32([1, 2, 3, 4], [1, 1, 2, 2]), v: f32([5, 6], [1, 1, 1, 1, 2]) });
    expect(values(out.y)).toEqual([1, 1, 2, 2, 1, 1, 2, 2, 3, 3, 4, 4, 3, 3, 4, 4]);
    expect(out.z.dims).toEqual([1, 1, 1, 2, 4]);
    expect(values(out.z)).toEqual([5, 5, 6, 6, 5, 5, 6, 6]);
  });

  it('types whole-number float attributes as floats when asked', async () => {
    const g = new GraphBuilder('attr');
    const x = g.input('x', 'float32', [2]);
    g.output(g.op('LeakyRelu', [x], { alpha: floatAttr(2) }), 'y', 'float32');
    const out = await run(g, { x: f32([-1, 3], [2]) });
    expect(values(out.y)).toEqual([-2, 3]);
  });

  it('declares float16 interfaces around float32 compute', async () => {
    const g = new GraphBuilder('half');
    const x = g.inputAs('x', 'float16', [2], 'float32');
    g.output(g.mul(x, g.scalar(3)), 'y', 'float16', [2], 'float32');
    const session = await InferenceSession.create(g.toBytes());
    expect(session.inputMetadata[0]).toMatchObject({ type: 'float16' });
    const out = await session.run({ x: new Tensor('float16', Uint16Array.of(0x3c00, 0x4000), [2]) });
    expect(Array.from(out.y.data as Uint16Array)).toEqual([0x4200, 0x4600]); // 3, 6
    await session.release();
  });

  it('writes external data that onnxruntime loads from the model path', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'lacuna-extdata-'));
    try {
      const g = new GraphBuilder('ext');
      const x = g.input('x', 'float32', [1, 512]);
      const w = g.f32([512, 2], Float32Array.from({ length: 1024 }, (_, i) => (i % 2 ? -1 : 1)));
      g.output(g.matMul(x, w), 'y', 'float32');
      const { model, data } = g.toBytesWithExternalData('m.onnx.data', 1024);
      expect(model.length).toBeLessThan(1024);
      expect(data.length).toBe(4096);
      await writeFile(join(dir, 'm.onnx'), model);
      await writeFile(join(dir, 'm.onnx.data'), data);
      const session = await InferenceSession.create(join(dir, 'm.onnx'));
      const out = await session.run({ x: new Tensor('float32', new Float32Array(512).fill(1), [1, 512]) });
      expect(values(out.y as Tensor)).toEqual([512, -512]);
      await session.release();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('rejects duplicate value names and wrong initializer sizes', () => {
    const g = new GraphBuilder('bad');
    g.input('x', 'float32', [1]);
    expect(() => g.input('x', 'float32', [1])).toThrow(/already used/);
    expect(() => g.f32([2, 2], [1, 2, 3])).toThrow(/3 values for dims \[2,2\]/);
  });
});

import { execFile } from 'node:child_process';
import { copyFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { createDetector, type DetectorOptions } from '../../../src/engine/lite/detect/createDetector';
import { humanModelsDir } from '../../../src/engine/lite/detect/modelFiles';
import type { Detection, RgbImage } from '../../../src/engine/lite/types';
import { decodeImage, TWO_BIRDS_DIR, TWO_BIRDS_SIZE } from './decodeImage';

const { width: W, height: H } = TWO_BIRDS_SIZE;
const FRAME0 = join(TWO_BIRDS_DIR, '00000.jpg');
const RUNTIMES: NonNullable<DetectorOptions['runtime']>[] = ['onnxruntime', 'tfjs'];
const detectors = new Map(RUNTIMES.map((runtime) => [runtime, createDetector({ runtime })]));
afterAll(() => {
  for (const d of detectors.values()) d.dispose();
});

/** Runs lazyLoadProbe.ts in a fresh Node process and returns its report. */
async function runProbe(wasmDir = '', mode: 'detect' | 'load-only' = 'detect', runtime: 'tfjs' | 'onnxruntime' = 'tfjs') {
  const { stdout } = await promisify(execFile)(
    process.execPath,
    ['--import', 'tsx', join(import.meta.dirname, 'lazyLoadProbe.ts'), wasmDir, mode, runtime],
    { cwd: join(import.meta.dirname, '../../..') },
  );
  return JSON.parse(stdout.trim().split('\n').pop()!);
}

const birds = (ds: Detection[]) => ds.filter((d) => d.label === 'bird').sort((a, b) => a.box.x - b.box.x);

describe('createDetector on onnxruntime (the default)', () => {
  it('loads nothing until the first detect call, then runs on onnxruntime without ever loading tfjs', async () => {
    const probe = await runProbe('', 'detect', 'onnxruntime');
    expect(probe.infoBefore).toBeNull();
    expect(probe.infoAfter).toMatchObject({ model: 'centernet', backend: 'onnxruntime', inputSize: 512 });
    expect(probe.afterDetect).toBe(false);
    expect(probe.found).toEqual([]);
    expect(probe.logs).toEqual([]);
    expect(probe.handlersAdded).toBe(0);
    // The load's check opens the session the 4:3 frame uses (512x384), not a square one too.
    expect(probe.sessionsOpened).toBe(1);
  });

  it('falls back to tfjs, saying why, when the graph does not convert', async () => {
    // The shipped model with one activation onnxruntime's conversion does not know (tfjs does).
    const dir = await mkdtemp(join(tmpdir(), 'lacuna-no-convert-'));
    try {
      const json = JSON.parse(await readFile(join(humanModelsDir(), 'centernet.json'), 'utf8'));
      const relu = json.modelTopology.node.find((n: { op: string }) => n.op === 'Relu');
      relu.op = 'Elu';
      await writeFile(join(dir, 'centernet.json'), JSON.stringify(json));
      await copyFile(join(humanModelsDir(), 'centernet.bin'), join(dir, 'centernet.bin'));
      const logs: string[] = [];
      const d = createDetector({ modelDir: dir, log: (m) => logs.push(m) });
      const info = await d.load();
      d.dispose();
      expect(info.backend).toBe('wasm');
      expect(logs).toHaveLength(1);
      expect(logs[0]).toMatch(/onnxruntime could not run centernet .*op Elu.*using tfjs/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('finds what tfjs finds on two-birds frame 0: the same objects, boxes within 4 px', async () => {
    const frame = await decodeImage(FRAME0, W, H);
    const onnx = birds(await detectors.get('onnxruntime')!.detect(frame, 0));
    const tfjs = birds(await detectors.get('tfjs')!.detect(frame, 0));
    expect(onnx).toHaveLength(2);
    expect(tfjs).toHaveLength(2);
    for (let i = 0; i < 2; i++) {
      for (const k of ['x', 'y', 'width', 'height'] as const) expect(Math.abs(onnx[i].box[k] - tfjs[i].box[k])).toBeLessThan(4);
      expect(Math.abs(onnx[i].score - tfjs[i].score)).toBeLessThan(0.1);
    }
  });
});

describe('createDetector on tfjs (the fallback): loading, backends, tensors', () => {
  const detector = detectors.get('tfjs')!;

  it('loads nothing until the first detect call, then runs on wasm and leaves no process handlers', async () => {
    const probe = await runProbe();
    expect(probe.afterCreate).toBe(false);
    expect(probe.infoBefore).toBeNull();
    expect(probe.afterDetect).toBe(true);
    expect(probe.infoAfter).toMatchObject({ model: 'centernet', backend: 'wasm', inputSize: 512 });
    expect(probe.logs).toEqual([]);
    expect(probe.handlersAdded).toBe(0);
  });

  it('falls back to the cpu backend, saying why, when the wasm binaries are missing', async () => {
    const empty = await mkdtemp(join(tmpdir(), 'lacuna-no-wasm-'));
    try {
      const probe = await runProbe(empty, 'load-only');
      expect(probe.afterCreate).toBe(false);
      expect(probe.infoAfter).toMatchObject({ model: 'centernet', backend: 'cpu' });
      expect(probe.logs).toHaveLength(1);
      expect(probe.logs[0]).toContain(join(empty, 'tfjs-backend-wasm-simd.wasm'));
      expect(probe.logs[0]).toMatch(/cpu backend/);
    } finally {
      await rm(empty, { recursive: true, force: true });
    }
  });

  it('leaves no tensors behind: the count is flat over repeated calls', async () => {
    const { tf } = await import('./tfjsForTests');
    const frame = await decodeImage(FRAME0, W, H);
    await detector.detect(frame, 0);
    const before = tf.memory().numTensors;
    // The model's weights live in this same tfjs instance (else the count below would prove nothing).
    expect(before).toBeGreaterThan(100);
    // A leak repeats on every call, so 20 calls show one as surely as 1000 would (the bench runs 1000).
    for (let i = 0; i < 20; i++) await detector.detect(frame, i);
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe.each(RUNTIMES)('createDetector (CenterNet on %s)', (runtime) => {
  const detector = detectors.get(runtime)!;

  it('finds the two budgies of two-birds frame 0, one left of the other, with plausible boxes', async () => {
    const frame = await decodeImage(FRAME0, W, H);
    const found = await detector.detect(frame, 7);
    const b = birds(found);
    expect(b).toHaveLength(2);
    expect(found.every((d) => d.frame === 7)).toBe(true);
    for (const d of b) {
      expect(d.score).toBeGreaterThanOrEqual(0.3);
      expect(d.box.x).toBeGreaterThanOrEqual(0);
      expect(d.box.y).toBeGreaterThanOrEqual(0);
      expect(d.box.x + d.box.width).toBeLessThanOrEqual(W);
      expect(d.box.y + d.box.height).toBeLessThanOrEqual(H);
      // A budgie on the blinds: tens of pixels wide, taller than wide, well under half the frame.
      expect(d.box.width).toBeGreaterThan(20);
      expect(d.box.width).toBeLessThan(W / 4);
      expect(d.box.height).toBeGreaterThan(d.box.width);
      expect(d.box.height).toBeLessThan(H / 2);
    }
    const [left, right] = b;
    // The left bird sits low-left (x 112..160), the right one high-right (x 372..410): hand-read from the frame.
    expect(left.box.x + left.box.width / 2).toBeGreaterThan(110);
    expect(left.box.x + left.box.width / 2).toBeLessThan(160);
    expect(right.box.x + right.box.width / 2).toBeGreaterThan(370);
    expect(right.box.x + right.box.width / 2).toBeLessThan(412);
    expect(left.box.y).toBeGreaterThan(right.box.y);
  });

  it('mirrors its boxes on a horizontally flipped frame', async () => {
    const plain = birds(await detector.detect(await decodeImage(FRAME0, W, H), 0));
    const flipped = birds(await detector.detect(await decodeImage(FRAME0, W, H, 'hflip'), 0));
    expect(flipped).toHaveLength(2);
    // Sorted left to right, the flipped frame's left bird is the plain frame's right one.
    for (const [p, f] of [[plain[0], flipped[1]], [plain[1], flipped[0]]]) {
      expect(W - (f.box.x + f.box.width)).toBeCloseTo(p.box.x, -1); // within 5 px
      expect(f.box.y).toBeCloseTo(p.box.y, -1);
      expect(Math.abs(f.box.width - p.box.width)).toBeLessThan(8);
    }
  });

  it('finds no birds (nothing at all) in flat grey, at the clip size and at 1080p', async () => {
    for (const [w, h] of [[W, H], [1920, 1080]]) {
      const grey: RgbImage = { width: w, height: h, data: new Uint8Array(w * h * 3).fill(128) };
      expect(await detector.detect(grey, 0)).toEqual([]);
    }
  });

  it('finds the birds in a crop scaled up (another size, another letterbox)', async () => {
    // The left half of frame 0, doubled: 568x640, portrait, so the letterbox pads left and right.
    const frame = await decodeImage(FRAME0, 568, 640, 'crop=284:320:0:0,scale=568:640');
    const b = birds(await detector.detect(frame, 0));
    expect(b).toHaveLength(1);
    expect(b[0].box.x + b[0].box.width / 2).toBeGreaterThan(220);
    expect(b[0].box.x + b[0].box.width / 2).toBeLessThan(320);
  });

  it('refuses to run after dispose', async () => {
    const d = createDetector({ runtime });
    await d.detect({ width: 8, height: 8, data: new Uint8Array(192) }, 0);
    d.dispose();
    await expect(d.detect({ width: 8, height: 8, data: new Uint8Array(192) }, 0)).rejects.toThrow(/dispose/);
  });
});

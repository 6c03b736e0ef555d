// A GPU running out of memory mid-job must not fail the job: the run is retried in smaller
// batches, then on the CPU, each step announced and remembered for later runs. Tested with
// injected runners that fail the way onnxruntime does.
import { describe, expect, it, vi } from 'vitest';
import type { HostFeeds, HostOutputs } from '../../src/engine/lgvi/pack/hostTensors';
import { OomFallbackRunner, isOutOfMemoryError, type BatchRunner } from '../../src/engine/lgvi/pack/oomFallback';

const CUDA_OOM =
  '/onnxruntime_src/onnxruntime/core/framework/bfc_arena.cc:376 void* onnxruntime::BFCArena::AllocateRawInternal(size_t, bool, onnxruntime::Stream*, bool, onnxruntime::WaitNotificationFn) Failed to allocate memory for requested buffer of size 1073741824';

describe('isOutOfMemoryError', () => {
  it.each([
    CUDA_OOM,
    'CUDA failure 2: out of memory ; GPU=0 ; hostname=x ; file=cuda_allocator.cc ; line=47 ; expr=cudaMalloc((void**)&p, size);',
    'CUDNN failure 4: CUDNN_STATUS_ALLOC_FAILED ; GPU=0',
    'CUBLAS failure 3: CUBLAS_STATUS_ALLOC_FAILED',
    "D:\\a\\_work\\1\\s\\onnxruntime\\core\\providers\\dml\\DmlExecutionProvider\\src\\MLOperatorAuthorImpl.cpp(2557)\\onnxruntime.dll!00007FF8 (caller: ...) Exception(3) tid(1) 8007000E Not enough memory resources are available to complete this operation.",
    'Error Domain=com.apple.CoreML Code=0 "Insufficient Memory (00000008:kIOGPUCommandBufferCallbackErrorOutOfMemory)"',
    'std::bad_alloc',
  ])('recognises %s', (text) => {
    expect(isOutOfMemoryError(new Error(text))).toBe(true);
  });

  it('looks through wrapped causes', () => {
    expect(isOutOfMemoryError(new Error('unet.onnx: run failed', { cause: new Error(CUDA_OOM) }))).toBe(true);
  });

  it.each(['Non-zero status code returned while running Conv node. Invalid input shape', 'input "sample" was not given', 'Failed to load shared library'])(
    'does not mistake %s',
    (text) => {
      expect(isOutOfMemoryError(new Error(text))).toBe(false);
    },
  );
});

/** Feeds with batch `b`: one batched input whose values are the item index. */
function feeds(b: number): HostFeeds {
  return {
    x: { data: Float32Array.from({ length: b * 2 }, (_, i) => Math.floor(i / 2)), dims: [b, 2] },
    scale: { data: Float32Array.of(10), dims: [1] },
  };
}

/** A runner computing y = x * scale that fails with OOM above `maxBatch` (Infinity: never). */
function runner(maxBatch: number, tag: string, log: string[]): BatchRunner {
  return {
    run: async (f: HostFeeds): Promise<HostOutputs> => {
      const b = f.x.dims[0];
      log.push(`${tag}:${b}`);
      if (b > maxBatch) throw new Error(CUDA_OOM);
      const scale = (f.scale.data as Float32Array)[0];
      return { y: { data: Float32Array.from(f.x.data as Float32Array, (v) => v * scale), dims: [...f.x.dims] } };
    },
  };
}

const expected = (b: number) => Array.from({ length: b * 2 }, (_, i) => Math.floor(i / 2) * 10);

function fallback(gpuMax: number, log: string[], notices: string[], extra: Partial<ConstructorParameters<typeof OomFallbackRunner>[0]> = {}) {
  const openCpu = vi.fn(async () => runner(Infinity, 'cpu', log));
  const releasePrimary = vi.fn(async () => {});
  const r = new OomFallbackRunner({
    label: 'U-Net (unet.onnx)',
    primary: runner(gpuMax, 'gpu', log),
    primaryIsCpu: false,
    openCpu,
    releasePrimary,
    batchedInputs: ['x'],
    batchedOutputs: ['y'],
    onNotice: (m) => notices.push(m),
    ...extra,
  });
  return { r, openCpu, releasePrimary };
}

describe('OomFallbackRunner', () => {
  it('passes runs straight through when memory suffices', async () => {
    const log: string[] = [];
    const notices: string[] = [];
    const { r, openCpu } = fallback(Infinity, log, notices);
    expect(Array.from((await r.run(feeds(3))).y.data)).toEqual(expected(3));
    expect(log).toEqual(['gpu:3']);
    expect(notices).toEqual([]);
    expect(openCpu).not.toHaveBeenCalled();
  });

  it('halves the batch until it fits, stitches the results, and remembers the cap', async () => {
    const log: string[] = [];
    const notices: string[] = [];
    const { r, openCpu } = fallback(1, log, notices);
    const out = await r.run(feeds(3));
    expect(out.y.dims).toEqual([3, 2]);
    expect(Array.from(out.y.data)).toEqual(expected(3));
    expect(log).toEqual(['gpu:3', 'gpu:2', 'gpu:1', 'gpu:1', 'gpu:1']);
    expect(notices).toEqual([
      'U-Net (unet.onnx) ran out of GPU memory with batch 3; retrying in batches of 2.',
      'U-Net (unet.onnx) ran out of GPU memory with batch 2; retrying in batches of 1.',
    ]);
    expect(r.state).toEqual({ maxBatch: 1, onCpu: false });
    expect(openCpu).not.toHaveBeenCalled();

    log.length = 0;
    await r.run(feeds(3)); // the next window starts at the learned batch size: no failed attempts
    expect(log).toEqual(['gpu:1', 'gpu:1', 'gpu:1']);
  });

  it('keeps finished chunks when a later chunk runs out of memory', async () => {
    const log: string[] = [];
    const notices: string[] = [];
    const { r } = fallback(2, log, notices);
    const out = await r.run(feeds(3));
    expect(Array.from(out.y.data)).toEqual(expected(3));
    expect(log).toEqual(['gpu:3', 'gpu:2', 'gpu:1']);
  });

  it('moves to the CPU when even batch 1 does not fit, releases the GPU session, and stays there', async () => {
    const log: string[] = [];
    const notices: string[] = [];
    const { r, openCpu, releasePrimary } = fallback(0, log, notices);
    const out = await r.run(feeds(2));
    expect(Array.from(out.y.data)).toEqual(expected(2));
    expect(log).toEqual(['gpu:2', 'gpu:1', 'cpu:2']);
    expect(notices.at(-1)).toBe('U-Net (unet.onnx) ran out of GPU memory even with batch 1; continuing on the CPU (much slower).');
    expect(openCpu).toHaveBeenCalledTimes(1);
    expect(releasePrimary).toHaveBeenCalledTimes(1);
    expect(r.state.onCpu).toBe(true);

    log.length = 0;
    await r.run(feeds(3));
    expect(log).toEqual(['cpu:3']);
    expect(openCpu).toHaveBeenCalledTimes(1);
  });

  it('opens one CPU session when runs in flight together all run out of memory', async () => {
    const log: string[] = [];
    const notices: string[] = [];
    const { r, openCpu, releasePrimary } = fallback(0, log, notices);
    const outs = await Promise.all([r.run(feeds(1)), r.run(feeds(2)), r.run(feeds(1))]);
    expect(outs.map((o) => Array.from(o.y.data))).toEqual([expected(1), expected(2), expected(1)]);
    expect(openCpu).toHaveBeenCalledTimes(1);
    expect(releasePrimary).toHaveBeenCalledTimes(1);
  });

  it('fetches a first-item-only output from the first part alone when the batch is split', async () => {
    const log: string[] = [];
    const notices: string[] = [];
    const { r } = fallback(1, log, notices);
    const out = await r.run(feeds(3), { firstItemOf: ['y'] });
    expect(out.y.dims).toEqual([1, 2]);
    expect(Array.from(out.y.data)).toEqual(expected(1));
  });

  it('rethrows errors that are not out-of-memory, untouched', async () => {
    const failing: BatchRunner = { run: async () => Promise.reject(new Error('Invalid input shape')) };
    const r = new OomFallbackRunner({ label: 'x', primary: failing, primaryIsCpu: false, openCpu: async () => failing, batchedInputs: ['x'], batchedOutputs: ['y'] });
    await expect(r.run(feeds(2))).rejects.toThrow('Invalid input shape');
    expect(r.state).toEqual({ maxBatch: undefined, onCpu: false });
  });

  it('on the CPU itself, splits batches but has nowhere further to go', async () => {
    const log: string[] = [];
    const notices: string[] = [];
    const { r, openCpu } = fallback(0, log, notices, { primaryIsCpu: true });
    await expect(r.run(feeds(2))).rejects.toThrow(/Failed to allocate memory/);
    expect(notices).toEqual(['U-Net (unet.onnx) ran out of memory with batch 2; retrying in batches of 1.']);
    expect(openCpu).not.toHaveBeenCalled();
  });

  it('cannot split a model with a fixed batch, so goes to the CPU at once', async () => {
    const log: string[] = [];
    const notices: string[] = [];
    const { r } = fallback(0, log, notices, { batchedInputs: [], batchedOutputs: [] });
    await r.run(feeds(2));
    expect(log).toEqual(['gpu:2', 'cpu:2']);
  });
});

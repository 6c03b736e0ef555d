// ModelSession ties provider choice, precision, session checks and the out-of-memory policy
// together. A GPU is simulated by an injected session factory: "CUDA" sessions are real CPU
// sessions that fail the way onnxruntime's CUDA provider does, so the whole path runs here.
import { InferenceSession } from 'onnxruntime-node';
import { afterEach, describe, expect, it } from 'vitest';
import type { ProviderEnvironment } from '../../src/engine/lgvi/pack/executionProviders';
import { loadPack } from '../../src/engine/lgvi/pack/loadPack';
import type { SessionFactory, SessionLike } from '../../src/engine/lgvi/pack/ortRunner';
import { isLacunaError } from '../../src/engine/util/errors';
import { refUnet } from '../helpers/analyticReference';
import { SMALL_WORKING, writeAnalyticPack, type FixturePack } from '../helpers/fixturePacks';

const fixtures: FixturePack[] = [];
afterEach(async () => {
  for (const f of fixtures.splice(0)) await f.cleanup();
});

/** A Linux box whose onnxruntime has the CUDA provider installed. */
const cudaMachine: ProviderEnvironment = {
  platform: 'linux',
  arch: 'x64',
  backends: [
    { name: 'cpu', bundled: true },
    { name: 'cuda', bundled: true },
  ],
  fileExists: () => true,
};

const providerOf = (options: InferenceSession.SessionOptions): string => {
  const first = options.executionProviders?.[0];
  return typeof first === 'string' ? first : (first?.name ?? 'cpu');
};

interface Simulation {
  created: string[];
  runs: string[];
  released: string[];
}

/**
 * Sessions are real CPU sessions; ones created for CUDA fail to start when `cudaStarts` is false,
 * and fail every run above `cudaMaxBatch` with onnxruntime's BFC-arena out-of-memory text.
 */
function simulatedGpu(sim: Simulation, cudaStarts: boolean, cudaMaxBatch: number): SessionFactory {
  return async (path, options) => {
    const provider = providerOf(options);
    const file = path.split(/[\\/]/).pop()!;
    sim.created.push(`${provider}:${file}`);
    if (provider === 'cuda' && !cudaStarts) {
      throw new Error('/onnxruntime_src/onnxruntime/core/session/provider_bridge_ort.cc:1778 onnxruntime::ProviderLibrary::Get() [ONNXRuntimeError] : 1 : FAIL : libcudnn.so.9: cannot open shared object file');
    }
    const real = await InferenceSession.create(path, { ...options, executionProviders: ['cpu'] });
    const session: SessionLike = {
      inputNames: real.inputNames,
      outputNames: real.outputNames,
      inputMetadata: real.inputMetadata,
      outputMetadata: real.outputMetadata,
      release: async () => {
        sim.released.push(`${provider}:${file}`);
        await real.release();
      },
      run: async (feeds, fetches) => {
        const batch = Object.values(feeds)[0].dims[0];
        sim.runs.push(`${provider}:${file}:${batch}`);
        if (provider === 'cuda' && batch > cudaMaxBatch) {
          throw new Error('Non-zero status code returned while running Conv node. Name:\'Conv_12\' Status Message: /onnxruntime_src/onnxruntime/core/framework/bfc_arena.cc:376 Failed to allocate memory for requested buffer of size 2147483648');
        }
        return real.run(feeds, fetches as string[]);
      },
    };
    return session;
  };
}

function unetFeeds(b: number) {
  const { frames: t, height, width } = SMALL_WORKING;
  const n = b * 4 * t * (height / 8) * (width / 8);
  const dims = [b, 4, t, height / 8, width / 8];
  return {
    sample: { data: Float32Array.from({ length: n }, (_, i) => Math.sin(i)), dims },
    timestep: { data: Float32Array.from({ length: b }, (_, i) => 100 * (i + 1)), dims: [b] },
    encoder_hidden_states: { data: Float32Array.from({ length: b * 77 * 768 }, (_, i) => Math.cos(i)), dims: [b, 77, 768] },
    img_condition: { data: Float32Array.from({ length: n }, (_, i) => Math.cos(i / 3)), dims },
  };
}

function maxDiff(a: Float32Array, b: Float32Array): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

describe('ModelSession on a (simulated) GPU machine', () => {
  it('reports CUDA first and uses the fp16 variant there under "auto"', async () => {
    const fixture = await writeAnalyticPack({ working: SMALL_WORKING, fp16: true });
    fixtures.push(fixture);
    const sim: Simulation = { created: [], runs: [], released: [] };
    const pack = await loadPack(fixture.dir, { providerEnvironment: cudaMachine, createSession: simulatedGpu(sim, true, 99) });
    expect(pack.providers.candidates).toEqual(['cuda', 'cpu']);
    // Up front, only the variants CUDA will use were verified.
    expect(pack.fileChecks.map((c) => c.path)).toEqual(['tokenizer.json', 'text_encoder.fp16.onnx', 'vae_encoder.fp16.onnx', 'vae_decoder.fp16.onnx', 'unet.fp16.onnx']);
    await pack.models.unet.run(unetFeeds(3));
    expect(sim.created).toEqual(['cuda:unet.fp16.onnx']);
    expect(pack.models.unet.provider).toBe('cuda');
    expect(pack.models.unet.precision).toBe('fp16');
    await pack.release();
    expect(sim.released).toEqual(['cuda:unet.fp16.onnx']);
  });

  it('falls back to the next provider when CUDA cannot start, verifying the CPU variant then', async () => {
    const fixture = await writeAnalyticPack({ working: SMALL_WORKING, fp16: true });
    fixtures.push(fixture);
    const sim: Simulation = { created: [], runs: [], released: [] };
    const notices: string[] = [];
    const pack = await loadPack(fixture.dir, { providerEnvironment: cudaMachine, createSession: simulatedGpu(sim, false, 99), onNotice: (m) => notices.push(m) });
    await pack.models.unet.run(unetFeeds(1));
    expect(sim.created).toEqual(['cuda:unet.fp16.onnx', 'cpu:unet.onnx']);
    expect(pack.models.unet.provider).toBe('cpu');
    expect(pack.models.unet.precision).toBe('fp32');
    expect(pack.fileChecks.map((c) => c.path)).toContain('unet.onnx');
    expect(notices).toEqual([
      'U-Net (unet.fp16.onnx): could not start CUDA (NVIDIA GPU) (/onnxruntime_src/onnxruntime/core/session/provider_bridge_ort.cc:1778 onnxruntime::ProviderLibrary::Get() [ONNXRuntimeError] : 1 : FAIL : libcudnn.so.9: cannot open shared object file); trying CPU.',
    ]);
    await pack.release();
  });

  it('runs out of GPU memory: smaller batches, then the CPU, with the same results', async () => {
    const fixture = await writeAnalyticPack({ working: SMALL_WORKING });
    fixtures.push(fixture);
    const sim: Simulation = { created: [], runs: [], released: [] };
    const notices: string[] = [];
    const pack = await loadPack(fixture.dir, { providerEnvironment: cudaMachine, createSession: simulatedGpu(sim, true, 1), onNotice: (m) => notices.push(m) });
    const feeds = unetFeeds(3);
    const reference = refUnet(feeds);

    const split = await pack.models.unet.run(feeds);
    expect(sim.runs).toEqual(['cuda:unet.onnx:3', 'cuda:unet.onnx:2', 'cuda:unet.onnx:1', 'cuda:unet.onnx:1', 'cuda:unet.onnx:1']);
    expect(maxDiff(split.noise_pred.data, reference.noise_pred.data)).toBeLessThanOrEqual(1e-5);
    expect(notices).toEqual([
      'U-Net (unet.onnx) ran out of GPU memory with batch 3; retrying in batches of 2.',
      'U-Net (unet.onnx) ran out of GPU memory with batch 2; retrying in batches of 1.',
    ]);
    expect(pack.models.unet.provider).toBe('cuda');
    await pack.release();
  });

  it('moves to a CPU session when batch 1 does not fit, and releases the GPU one', async () => {
    const fixture = await writeAnalyticPack({ working: SMALL_WORKING, fp16: true });
    fixtures.push(fixture);
    const sim: Simulation = { created: [], runs: [], released: [] };
    const notices: string[] = [];
    const pack = await loadPack(fixture.dir, { providerEnvironment: cudaMachine, createSession: simulatedGpu(sim, true, 0), onNotice: (m) => notices.push(m) });
    const feeds = unetFeeds(2);
    const out = await pack.models.unet.run(feeds);
    expect(sim.created).toEqual(['cuda:unet.fp16.onnx', 'cpu:unet.onnx']);
    expect(sim.released).toEqual(['cuda:unet.fp16.onnx']);
    expect(sim.runs).toEqual(['cuda:unet.fp16.onnx:2', 'cuda:unet.fp16.onnx:1', 'cpu:unet.onnx:2']);
    expect(notices.at(-1)).toBe('U-Net (unet.fp16.onnx) ran out of GPU memory even with batch 1; continuing on the CPU (much slower).');
    expect(pack.models.unet.provider).toBe('cpu');
    expect(pack.models.unet.precision).toBe('fp32');
    // The CPU (fp32) result is the reference's to float32 precision.
    expect(maxDiff(out.noise_pred.data, refUnet(feeds).noise_pred.data)).toBeLessThanOrEqual(1e-5);
    await pack.release();
    expect(sim.released).toEqual(['cuda:unet.fp16.onnx', 'cpu:unet.onnx']);
  });

  it('a release while a session is still opening frees it when it arrives', async () => {
    const fixture = await writeAnalyticPack({ working: SMALL_WORKING });
    fixtures.push(fixture);
    const sim: Simulation = { created: [], runs: [], released: [] };
    const pack = await loadPack(fixture.dir, { providers: 'cpu', createSession: simulatedGpu(sim, true, 99) });
    const running = pack.models.vaeDecoder.run({ latent: { data: new Float32Array(160), dims: [1, 4, 5, 8] } });
    await pack.release();
    await expect(running).rejects.toSatisfy((e) => isLacunaError(e, 'CANCELLED'));
    expect(sim.created).toEqual(['cpu:vae_decoder.onnx']);
    expect(sim.released).toEqual(['cpu:vae_decoder.onnx']);
    expect(pack.models.vaeDecoder.isOpen).toBe(false);
    // and the pack still works afterwards
    await pack.models.vaeDecoder.run({ latent: { data: new Float32Array(160), dims: [1, 4, 5, 8] } });
    expect(pack.models.vaeDecoder.isOpen).toBe(true);
    await pack.release();
  });

  it('wraps other onnxruntime failures with the file, provider and input shapes', async () => {
    const fixture = await writeAnalyticPack({ working: SMALL_WORKING });
    fixtures.push(fixture);
    const failing: SessionFactory = async (path, options) => {
      const real = await InferenceSession.create(path, { ...options, executionProviders: ['cpu'] });
      return { ...pick(real), release: () => real.release(), run: async () => Promise.reject(new Error('Non-zero status code returned while running Add node.')) };
    };
    const pack = await loadPack(fixture.dir, { providers: 'cpu', createSession: failing });
    await expect(pack.models.vaeDecoder.run({ latent: { data: new Float32Array(160), dims: [1, 4, 5, 8] } })).rejects.toThrow(
      'vae_decoder.onnx: onnxruntime failed on cpu: Non-zero status code returned while running Add node. (inputs latent[1,4,5,8])',
    );
    await pack.release();
  });

  it('fetches only the outputs asked for, and names an output the model does not have', async () => {
    const fixture = await writeAnalyticPack({ working: SMALL_WORKING });
    fixtures.push(fixture);
    const pack = await loadPack(fixture.dir, { providers: 'cpu' });
    const feeds = unetFeeds(1);
    const all = await pack.models.unet.run(feeds);
    const noiseOnly = await pack.models.unet.run(feeds, { outputs: ['noise_pred'] });
    expect(Object.keys(all).sort()).toEqual(['mask', 'noise_pred']);
    expect(Object.keys(noiseOnly)).toEqual(['noise_pred']);
    expect(maxDiff(noiseOnly.noise_pred.data, all.noise_pred.data)).toBe(0);
    await expect(pack.models.unet.run(feeds, { outputs: ['noise_pred', 'masks'] })).rejects.toThrow('unet.onnx: no output named "masks" (outputs: noise_pred, mask)');
    await pack.release();
  });

  it('gives only the first item of a first-item-only output, on the onnxruntime thread and on a session that returns the whole batch', async () => {
    const fixture = await writeAnalyticPack({ working: SMALL_WORKING });
    fixtures.push(fixture);
    const feeds = unetFeeds(3);
    const sim: Simulation = { created: [], released: [], runs: [] };
    for (const pack of [await loadPack(fixture.dir, { providers: 'cpu' }), await loadPack(fixture.dir, { providers: 'cpu', createSession: simulatedGpu(sim, true, Infinity) })]) {
      const all = await pack.models.unet.run(feeds);
      const first = await pack.models.unet.run(feeds, { outputs: ['noise_pred', 'mask'], firstItemOf: ['mask'] });
      expect(first.mask.dims).toEqual([1, ...all.mask.dims.slice(1)]);
      expect(maxDiff(first.mask.data, all.mask.data.subarray(0, all.mask.data.length / 3))).toBe(0);
      expect(first.noise_pred.dims[0]).toBe(3);
      await pack.release();
    }
    expect(sim.runs.length).toBe(2); // the second pack really ran on the plain session
  });
});

function pick(s: InferenceSession) {
  return { inputNames: s.inputNames, outputNames: s.outputNames, inputMetadata: s.inputMetadata, outputMetadata: s.outputMetadata };
}

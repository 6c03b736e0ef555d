// Provider choice: CUDA, DirectML, CoreML, CPU by availability on each platform, with the user's
// setting on top. Environments are injected so every platform's answer is checked here.
import { describe, expect, it } from 'vitest';
import {
  chooseProviders,
  currentProviderEnvironment,
  detectProviders,
  type ProviderEnvironment,
} from '../../src/engine/lgvi/pack/executionProviders';
import { isLacunaError } from '../../src/engine/util/errors';

const env = (over: Partial<ProviderEnvironment>): ProviderEnvironment => ({
  platform: 'linux',
  arch: 'x64',
  backends: [
    { name: 'cpu', bundled: true },
    { name: 'webgpu', bundled: true },
    { name: 'cuda', bundled: false },
    { name: 'tensorrt', bundled: false },
  ],
  nativeDir: '/ort/bin/napi-v6/linux/x64',
  fileExists: () => false,
  ...over,
});

const available = (e: ProviderEnvironment) => detectProviders(e).filter((s) => s.available).map((s) => s.name);

describe('detectProviders', () => {
  it('Linux without the CUDA provider library: CPU only, with the install command as the reason', () => {
    const statuses = detectProviders(env({}));
    expect(statuses.map((s) => s.name)).toEqual(['cuda', 'dml', 'coreml', 'cpu']);
    expect(available(env({}))).toEqual(['cpu']);
    expect(statuses[0].reason).toMatch(/libonnxruntime_providers_cuda\.so is not installed; run .*--onnxruntime-node-install=cuda12/);
    expect(statuses[1].reason).toBe('not supported on linux/x64');
  });

  it('Linux with the CUDA library installed: CUDA then CPU', () => {
    const e = env({ fileExists: (p) => p === '/ort/bin/napi-v6/linux/x64/libonnxruntime_providers_cuda.so' });
    expect(available(e)).toEqual(['cuda', 'cpu']);
  });

  it('Windows x64: DirectML (bundled), CUDA when its DLL is present', () => {
    const backends = [
      { name: 'cpu', bundled: true },
      { name: 'dml', bundled: true },
      { name: 'webgpu', bundled: true },
      { name: 'cuda', bundled: false },
    ];
    expect(available(env({ platform: 'win32', backends }))).toEqual(['dml', 'cpu']);
    expect(available(env({ platform: 'win32', backends, fileExists: (p) => p.endsWith('onnxruntime_providers_cuda.dll') }))).toEqual(['cuda', 'dml', 'cpu']);
  });

  it('macOS arm64: CoreML when the build lists it', () => {
    expect(available(env({ platform: 'darwin', arch: 'arm64', backends: [{ name: 'cpu', bundled: true }, { name: 'coreml', bundled: true }] }))).toEqual(['coreml', 'cpu']);
    const statuses = detectProviders(env({ platform: 'darwin', arch: 'arm64', backends: [{ name: 'cpu', bundled: true }] }));
    expect(statuses.find((s) => s.name === 'coreml')?.reason).toBe('this onnxruntime-node build does not include it');
  });

  it('reads this machine: onnxruntime-node lists its backends and the CPU is available', async () => {
    const here = await currentProviderEnvironment();
    expect(here.backends.some((b) => b.name === 'cpu')).toBe(true);
    expect(available(here)).toContain('cpu');
  });
});

describe('chooseProviders', () => {
  const statuses = detectProviders(env({ platform: 'win32', backends: [{ name: 'cpu', bundled: true }, { name: 'dml', bundled: true }] }));

  it('"auto" tries every available provider in order', () => {
    expect(chooseProviders('auto', statuses).candidates).toEqual(['dml', 'cpu']);
  });

  it('a named provider goes first, with the CPU behind it', () => {
    expect(chooseProviders('dml', statuses).candidates).toEqual(['dml', 'cpu']);
    expect(chooseProviders('cpu', statuses).candidates).toEqual(['cpu']);
  });

  it('an unavailable named provider falls back to the CPU, or fails when strict', () => {
    expect(chooseProviders('cuda', statuses).candidates).toEqual(['cpu']);
    try {
      chooseProviders('cuda', statuses, true);
      expect.unreachable();
    } catch (e) {
      expect(isLacunaError(e, 'UNSUPPORTED')).toBe(true);
      expect((e as Error).message).toBe('the CUDA (NVIDIA GPU) execution provider is not available: this onnxruntime-node build does not include it');
    }
    expect(chooseProviders('dml', statuses, true).candidates).toEqual(['dml']);
  });
});

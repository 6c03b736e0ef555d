// Which onnxruntime execution providers to try, in order. LGVI is a Stable Diffusion U-Net run 50
// steps x 3 guidance passes per window, so a GPU is worth a lot; the order is CUDA (NVIDIA on Linux
// and Windows), DirectML (any GPU on Windows), CoreML (Apple), then the CPU, which always works.
// "Available" is decided twice: here, from the platform and what onnxruntime-node was built with
// and installed, so the CLI can report it; and again when a session is created, because a listed
// provider can still fail to start (no driver, wrong CUDA version) and then the next one is used.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { LacunaError } from '../../util/errors';

export const PROVIDER_ORDER = ['cuda', 'dml', 'coreml', 'cpu'] as const;
export type ProviderName = (typeof PROVIDER_ORDER)[number];
export type ProviderPreference = 'auto' | ProviderName;

export const PROVIDER_TITLES: Readonly<Record<ProviderName, string>> = {
  cuda: 'CUDA (NVIDIA GPU)',
  dml: 'DirectML (GPU, Windows)',
  coreml: 'CoreML (Apple)',
  cpu: 'CPU',
};

export const isGpuProvider = (p: ProviderName): boolean => p !== 'cpu';

export interface ProviderStatus {
  readonly name: ProviderName;
  readonly available: boolean;
  /** Why it is or is not available, for `lacuna models verify` and the settings screen. */
  readonly reason: string;
}

export interface ProviderReport {
  readonly preference: ProviderPreference;
  readonly statuses: readonly ProviderStatus[];
  /** Providers a session will try, in order (the first that starts is used). */
  readonly candidates: readonly ProviderName[];
}

/** What the provider check looks at; injectable so every platform's answer can be tested here. */
export interface ProviderEnvironment {
  readonly platform: NodeJS.Platform;
  readonly arch: string;
  /** onnxruntime-node's listSupportedBackends(): providers compiled in, and whether their library ships. */
  readonly backends: readonly { readonly name: string; readonly bundled: boolean }[];
  /** Folder holding onnxruntime's native libraries, where separately installed provider libraries go. */
  readonly nativeDir?: string;
  readonly fileExists: (path: string) => boolean;
}

const PLATFORMS: Readonly<Record<ProviderName, readonly string[]>> = {
  cuda: ['linux/x64', 'win32/x64'],
  dml: ['win32/x64', 'win32/arm64'],
  coreml: ['darwin/arm64', 'darwin/x64'],
  cpu: [],
};

/** The CUDA provider's library, which onnxruntime-node does not ship in its npm package. */
function cudaLibrary(platform: NodeJS.Platform): string {
  return platform === 'win32' ? 'onnxruntime_providers_cuda.dll' : 'libonnxruntime_providers_cuda.so';
}

export async function currentProviderEnvironment(): Promise<ProviderEnvironment> {
  const ort = await import('onnxruntime-node');
  let nativeDir: string | undefined;
  try {
    const require = createRequire(import.meta.url);
    const pkg = dirname(require.resolve('onnxruntime-node/package.json'));
    nativeDir = join(pkg, 'bin', 'napi-v6', process.platform, process.arch);
  } catch {
    nativeDir = undefined; // bundled app layouts may hide the package; the library check is then skipped
  }
  return {
    platform: process.platform,
    arch: process.arch,
    backends: ort.listSupportedBackends(),
    nativeDir,
    fileExists: existsSync,
  };
}

export function detectProviders(env: ProviderEnvironment): ProviderStatus[] {
  const here = `${env.platform}/${env.arch}`;
  return PROVIDER_ORDER.map((name): ProviderStatus => {
    if (name === 'cpu') return { name, available: true, reason: 'always available' };
    if (!PLATFORMS[name].includes(here)) return { name, available: false, reason: `not supported on ${here}` };
    const backend = env.backends.find((b) => b.name === name);
    if (!backend) return { name, available: false, reason: 'this onnxruntime-node build does not include it' };
    if (!backend.bundled && name === 'cuda' && env.nativeDir) {
      const lib = join(env.nativeDir, cudaLibrary(env.platform));
      if (!env.fileExists(lib)) {
        return {
          name,
          available: false,
          reason: `its library ${cudaLibrary(env.platform)} is not installed; run \`node node_modules/onnxruntime-node/script/install.js --onnxruntime-node-install=cuda12\` (needs the CUDA 12 runtime and cuDNN 9)`,
        };
      }
    }
    return { name, available: true, reason: backend.bundled ? 'included with onnxruntime-node' : 'provider library installed' };
  });
}

/**
 * The providers to try for a preference. "auto" tries every available one in the fixed order.
 * A named provider is tried first and the CPU after it, so a missing GPU slows a job down instead
 * of failing it; with `strict`, an unavailable named provider is an error instead (render farms
 * that must not silently fall back to hours of CPU work).
 */
export function chooseProviders(preference: ProviderPreference, statuses: readonly ProviderStatus[], strict = false): ProviderReport {
  const available = statuses.filter((s) => s.available).map((s) => s.name);
  let candidates: ProviderName[];
  if (preference === 'auto') {
    candidates = available;
  } else {
    const status = statuses.find((s) => s.name === preference);
    if (!status?.available) {
      if (strict) {
        throw new LacunaError(
          'UNSUPPORTED',
          `the ${PROVIDER_TITLES[preference]} execution provider is not available: ${status?.reason ?? 'unknown provider'}`,
          'Choose another provider (or "auto") in the settings, or install what it needs.',
        );
      }
      candidates = ['cpu'];
    } else {
      candidates = strict || preference === 'cpu' ? [preference] : [preference, 'cpu'];
    }
  }
  return { preference, statuses, candidates };
}

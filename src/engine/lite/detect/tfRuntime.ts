import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type * as tfCore from '@tensorflow/tfjs-core';
import type * as tfConverter from '@tensorflow/tfjs-converter';

/**
 * TensorFlow.js for the Lite detector, started on first use: every tfjs module is imported
 * dynamically here, so the app's startup path never loads tfjs. tfjs keeps one global engine, so
 * this is a process-wide singleton: the first caller's options choose the backend.
 *
 * Backend: WebAssembly (XNNPACK, SIMD) from @tensorflow/tfjs-backend-wasm, its .wasm files read
 * from its dist/ folder on disk; if that fails, the pure-JS cpu backend, with the reason logged.
 * tfjs disables wasm threads under Node (its WASM_HAS_MULTITHREAD_SUPPORT flag is false there,
 * tfjs issue 3830), so inference runs on one core whatever `threads` says; the second core stays
 * free for decoding and filling. The requested count is still passed on for runtimes that honour it.
 */
export interface TfRuntime {
  tf: typeof tfCore;
  loadGraphModel: typeof tfConverter.loadGraphModel;
  backend: 'wasm' | 'cpu';
  /** Threads the backend actually uses. */
  threads: number;
  /** Why the wasm backend was not used, when it was asked for and failed. */
  fallbackReason?: string;
}

export interface TfRuntimeOptions {
  backend?: 'wasm' | 'cpu';
  threads?: number;
  /** Folder with the tfjs-backend-wasm*.wasm binaries; defaults to the package's dist/ (where they ship). */
  wasmDir?: string;
  log?: (message: string) => void;
}

let started: Promise<TfRuntime> | null = null;

export function tfRuntime(options: TfRuntimeOptions = {}): Promise<TfRuntime> {
  started ??= start(options);
  return started;
}

type ProcessEvent = 'uncaughtException' | 'unhandledRejection';
type Listener = (...args: unknown[]) => void;
const WATCHED: ProcessEvent[] = ['uncaughtException', 'unhandledRejection'];
const listenersOf = (e: ProcessEvent): Listener[] => process.listeners(e as 'uncaughtException') as Listener[];

/**
 * The wasm backend's Emscripten glue adds process-wide handlers that rethrow every uncaught
 * exception and unhandled rejection, overriding whatever the app (CLI, Electron main) set up.
 * They serve only Emscripten's exit(); remove the ones that appeared while it started.
 */
async function withoutNewProcessHandlers<T>(work: () => Promise<T>): Promise<T> {
  const before = new Map(WATCHED.map((e) => [e, new Set(listenersOf(e))]));
  try {
    return await work();
  } finally {
    for (const e of WATCHED) {
      for (const l of listenersOf(e)) {
        if (!before.get(e)!.has(l)) process.removeListener(e, l);
      }
    }
  }
}

async function start(options: TfRuntimeOptions): Promise<TfRuntime> {
  const log = options.log ?? ((m: string) => console.warn(m));
  const tf = await import('@tensorflow/tfjs-core');
  await import('@tensorflow/tfjs-backend-cpu');
  const { loadGraphModel } = await import('@tensorflow/tfjs-converter');
  let fallbackReason: string | undefined;
  if ((options.backend ?? 'wasm') === 'wasm') {
    try {
      const threads = await withoutNewProcessHandlers(async () => {
        const wasm = await import('@tensorflow/tfjs-backend-wasm');
        // The package's main file sits in dist/, beside the .wasm binaries.
        const dir = options.wasmDir ?? dirname(createRequire(import.meta.url).resolve('@tensorflow/tfjs-backend-wasm'));
        // tfjs picks the SIMD build where WebAssembly SIMD exists (every Node 20), else the plain one.
        const simd = await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT');
        const binary = join(dir, simd ? 'tfjs-backend-wasm-simd.wasm' : 'tfjs-backend-wasm.wasm');
        // Checked here because a missing binary makes tfjs log a generic failure, not the file.
        if (!existsSync(binary)) throw new Error(`${binary} is missing`);
        wasm.setWasmPaths(`${dir}/`);
        wasm.setThreadsCount(Math.max(1, options.threads ?? 2));
        if (!(await tf.setBackend('wasm'))) throw new Error('the backend failed to initialise');
        await tf.ready();
        return wasm.getThreadsCount();
      });
      return { tf, loadGraphModel, backend: 'wasm', threads: threads };
    } catch (e) {
      fallbackReason = (e as Error).message;
      log(`Lite models: WebAssembly backend unavailable (${fallbackReason}); using the slower JavaScript cpu backend`);
    }
  }
  if (!(await tf.setBackend('cpu'))) throw new Error('tfjs cpu backend failed to initialise');
  await tf.ready();
  return { tf, loadGraphModel, backend: 'cpu', threads: 1, fallbackReason };
}

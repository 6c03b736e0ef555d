// How much memory the U-Net's device has free, for the memory plan (memoryEstimate.ts). ONNX
// Runtime does not say: on CUDA the driver's nvidia-smi does (free memory of the device the CUDA
// provider uses, device 0 unless CUDA_VISIBLE_DEVICES picks another first); on the CPU, the
// system's free memory. Elsewhere (CoreML, DirectML) nothing reliable is at hand and no plan is made.
import { execFile } from 'node:child_process';
import { freemem } from 'node:os';

export type FreeMemory = (provider: string | null) => Promise<number | null>;

/** nvidia-smi's `--query-gpu=memory.free --format=csv,noheader,nounits` output (MiB per line) → bytes of the first device. */
export function parseNvidiaSmiFree(output: string): number | null {
  const first = output.split('\n').map((l) => l.trim()).find((l) => l.length > 0);
  if (!first || !/^\d+(\.\d+)?$/.test(first)) return null;
  return Number(first) * 2 ** 20;
}

function nvidiaSmiFree(timeoutMs: number): Promise<number | null> {
  return new Promise((resolve) => {
    execFile('nvidia-smi', ['--query-gpu=memory.free', '--format=csv,noheader,nounits'], { timeout: timeoutMs, windowsHide: true }, (error, stdout) => {
      resolve(error ? null : parseNvidiaSmiFree(stdout));
    });
  });
}

/** Free bytes on the device of `provider` ('cuda', 'cpu', …), or null when it cannot be known. */
export const deviceFreeMemory: FreeMemory = async (provider) => {
  if (provider === 'cpu') return freemem();
  if (provider === 'cuda' || provider === 'tensorrt') return nvidiaSmiFree(3000);
  return null;
};

// How much device memory a pack's U-Net needs for one window, before a job starts, and what to do
// when the device has less. The exported graph runs plain attention (matmul, softmax, matmul), so
// the largest tensors are the attention score matrices of the top-resolution self-attention:
//
//   scores  = B · T · heads · (h·w)² · bytes        (B: guidance passes in one batch, 3 or 1)
//   peak    = weights + 2 · scores + features
//   features = B · T · (h·w) · C0 · bytes · 16       (C0 = 320, SD 1.x's top width; 16 live maps:
//                                                   skips, residual, norm, projections - rough)
//   weights = the U-Net file and its external data (as the manifest gives their sizes), plus the
//             VAE (encoder and decoder are run beside the U-Net's session)
//
// `2 · scores`: the scores and the softmax's output live at once. heads = 8 (SD 1.x). The temporal
// attention's matrices (B · h·w · heads · T²) are small beside them and left out. With fused
// attention (onnxruntime's transformer optimizer fuses SD's attention into its CUDA kernel, which
// never materialises the scores) the 2 · scores term goes away. LGVI at 512 x 320 x 24 in fp16:
// one score matrix is 3·24·8·2560²·2 B = 7.5 GB batched, 2.5 GB per pass.
import type { PackManifest } from './manifest';

export const SD_TOP_HEADS = 8;
export const SD_TOP_WIDTH = 320;
/** Live feature maps of the top level at once (rough; see the file comment). */
export const LIVE_FEATURE_MAPS = 16;

export interface MemoryQuery {
  readonly frames: number;
  readonly latentHeight: number;
  readonly latentWidth: number;
  /** Guidance passes per U-Net run: 3 (together) or 1 (separate, or no guidance). */
  readonly batch: number;
  readonly bytesPerValue: 2 | 4;
  /** Bytes of weights the device holds during the loop. */
  readonly weightBytes: number;
  /** An export with fused attention. */
  readonly fusedAttention?: boolean;
}

export interface MemoryEstimate {
  readonly scores: number;
  readonly features: number;
  readonly weights: number;
  readonly peak: number;
}

export function estimateUnetPeak(q: MemoryQuery): MemoryEstimate {
  const tokens = q.latentHeight * q.latentWidth;
  const scores = q.fusedAttention ? 0 : q.batch * q.frames * SD_TOP_HEADS * tokens * tokens * q.bytesPerValue;
  const features = q.batch * q.frames * tokens * SD_TOP_WIDTH * q.bytesPerValue * LIVE_FEATURE_MAPS;
  return { scores, features, weights: q.weightBytes, peak: q.weightBytes + 2 * scores + features };
}

/** Bytes as the plan's sentences say them: GB to one decimal, MB below a GB (a small pack's window). */
export function formatMemory(bytes: number): string {
  if (bytes >= 2 ** 30) return `${(bytes / 2 ** 30).toFixed(1)} GB`;
  return `${Math.round(bytes / 2 ** 20)} MB`;
}

export interface MemoryPlan {
  readonly guidanceBatch: 'together' | 'separate';
  readonly frames: number;
  readonly estimate: MemoryEstimate;
  /** Whether even one pass of the smallest window is over the free memory. */
  readonly overBudget: boolean;
  readonly reason: string;
}

/**
 * Batched guidance when it fits in `freeBytes`, else separate passes, else the largest window (down
 * to `minFrames`) whose separate passes fit; at the smallest, the plan says it is over budget (the
 * runner's out-of-memory fallback then splits batches or moves to the CPU).
 */
export function planForMemory(q: Omit<MemoryQuery, 'batch'>, freeBytes: number, minFrames = 2): MemoryPlan {
  const together = estimateUnetPeak({ ...q, batch: 3 });
  const gb = formatMemory;
  if (together.peak <= freeBytes) return { guidanceBatch: 'together', frames: q.frames, estimate: together, overBudget: false, reason: `batched guidance needs about ${gb(together.peak)} of ${gb(freeBytes)} free` };
  for (let frames = q.frames; frames >= minFrames; frames--) {
    const separate = estimateUnetPeak({ ...q, frames, batch: 1 });
    if (separate.peak <= freeBytes) {
      const why = frames === q.frames ? 'separate guidance passes' : `separate passes in windows of ${frames} frames`;
      return { guidanceBatch: 'separate', frames, estimate: separate, overBudget: false, reason: `batched guidance needs about ${gb(together.peak)}, over the ${gb(freeBytes)} free: ${why} (about ${gb(separate.peak)})` };
    }
  }
  const smallest = estimateUnetPeak({ ...q, frames: minFrames, batch: 1 });
  return { guidanceBatch: 'separate', frames: minFrames, estimate: smallest, overBudget: true, reason: `even ${minFrames}-frame windows need about ${gb(smallest.peak)}, over the ${gb(freeBytes)} free` };
}

/** The bytes of a pack's weights held during the loop (U-Net and VAE), for a precision. */
export function packWeightBytes(manifest: PackManifest, precision: 'fp32' | 'fp16'): number {
  let total = 0;
  for (const role of ['unet', 'vaeEncoder', 'vaeDecoder'] as const) {
    const entry = manifest.files[role];
    const variant = precision === 'fp16' && entry.fp16 ? entry.fp16 : entry;
    total += variant.size + (variant.data ?? []).reduce((a, d) => a + d.size, 0);
  }
  return total;
}

/** The estimate lines `lacuna models verify` prints for a pack at its working size. */
export function describePackMemory(manifest: PackManifest): string[] {
  const { width, height, frames } = manifest.working;
  const gb = formatMemory;
  const lines = [`U-Net memory per window (${width}x${height}, ${frames} frames; plain attention unless fused):`];
  for (const precision of ['fp32', 'fp16'] as const) {
    if (precision === 'fp16' && !manifest.files.unet.fp16) continue;
    const base = { frames, latentHeight: height / 8, latentWidth: width / 8, bytesPerValue: precision === 'fp16' ? 2 : 4, weightBytes: packWeightBytes(manifest, precision) } as const;
    const together = estimateUnetPeak({ ...base, batch: 3 });
    const separate = estimateUnetPeak({ ...base, batch: 1 });
    const fused = estimateUnetPeak({ ...base, batch: 3, fusedAttention: true });
    lines.push(`  ${precision}: batched guidance ~${gb(together.peak)} (one attention matrix ${gb(together.scores)}), separate passes ~${gb(separate.peak)}, batched with fused attention ~${gb(fused.peak)}`);
  }
  return lines;
}

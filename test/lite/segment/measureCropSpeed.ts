// Measures createPersonSegmenter's time per crop (crop, resample, Selfie, map back) at three
// typical frame and person sizes, on the wasm backend (one core). Not a test: timings belong in
// benchmarks, and this is the measurement behind the numbers in the segmenter's report.
// Run: node --import tsx test/lite/segment/measureCropSpeed.ts
import { createPersonSegmenter } from '../../../src/engine/lite/segment/createPersonSegmenter';

const s = createPersonSegmenter();
for (const [fw, fh, bw, bh] of [[568, 320, 60, 150], [1920, 1080, 400, 900], [3840, 2160, 800, 1800]]) {
  // Noise rather than a flat colour, so nothing in the pipeline can take a shortcut.
  const data = new Uint8Array(fw * fh * 3);
  for (let i = 0; i < data.length; i++) data[i] = (i * 2654435761) >>> 24;
  const frame = { width: fw, height: fh, data };
  const box = { x: fw / 2 - bw / 2 + 0.3, y: (fh - bh) / 2 + 0.6, width: bw, height: bh };
  await s.segment(frame, box);
  const times: number[] = [];
  for (let i = 0; i < 30; i++) {
    const t0 = performance.now();
    await s.segment(frame, box);
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  console.log(`${fw}x${fh} frame, ${bw}x${bh} box: median ${times[15].toFixed(1)} ms, fastest ${times[0].toFixed(1)} ms per crop`);
}
s.dispose();

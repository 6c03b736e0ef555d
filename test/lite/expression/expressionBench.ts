/**
 * Speed of the expression stage. Not a test (speed targets stay out of tests): run it with
 * `taskset -c 0,1 npx tsx test/lite/expression/expressionBench.ts` for the two-core figure.
 * Parsing and selection run once per command; the colour classifier runs over object pixels, so
 * it is the part that scales with resolution and track length.
 */
import { dominantColour, parseExpression, selectTracks } from '../../../src/engine/lite/expression';
import { makeTrack } from './syntheticScenes';

function timeMs(iterations: number, work: () => void): number {
  const t0 = performance.now();
  for (let k = 0; k < iterations; k++) work();
  return (performance.now() - t0) / iterations;
}

const phrases = [
  'remove the bird on the left',
  'everyone except the man on the left',
  'all birds but the red one',
  'make this shot only about the pelican',
  'the second person from the left',
  'get rid of the dog and the girl',
  'remove the big red car on the far right',
];
const parseMs = timeMs(2000, () => phrases.forEach((p) => parseExpression(p))) / phrases.length;
console.log(`parseExpression: ${(parseMs * 1000).toFixed(1)} µs per phrase`);

const tracks = Array.from({ length: 20 }, (_, i) =>
  makeTrack({ id: i, label: i % 2 ? 'person' : 'bird', box: { x: 30 * i, y: 10 * i, width: 40 + i, height: 60 } }, 300),
);
const parsed = parseExpression('everyone except the second person from the left');
const selectMs = timeMs(200, () => selectTracks(parsed, tracks, { frameWidth: 1920, frameHeight: 1080, colourOf: () => 'red' }));
console.log(`selectTracks, 20 tracks x 300 frames: ${selectMs.toFixed(2)} ms`);

// Pseudo-random pixels: every pixel takes the classifier's full path (no early-out colour).
const data = new Uint8Array(1920 * 1080 * 3);
for (let i = 0; i < data.length; i++) data[i] = Math.imul(i, 2654435761) >>> 24;
const frame = { width: 1920, height: 1080, data };
const fullMs = timeMs(20, () => dominantColour(frame));
const mask = new Uint8Array(300 * 400).fill(255);
const boxMs = timeMs(200, () => dominantColour(frame, { box: { x: 500, y: 300, width: 300, height: 400 }, mask }));
console.log(
  `dominantColour: ${fullMs.toFixed(1)} ms per 1920x1080 frame (${((1920 * 1080) / fullMs / 1000).toFixed(0)} Mpx/s), ` +
    `${boxMs.toFixed(2)} ms per masked 300x400 box`,
);

// Run as a child process by personSegmenter.test.ts (a fresh process, so tfjs starts from
// nothing): reports whether tfjs is loaded after importing the segmenter and creating one (it
// must not be) and after its first segment() (it must be), and the mask's length.
// tfjs-core creates globalThis._tfengine when first evaluated.
import { createPersonSegmenter } from '../../../src/engine/lite/segment/createPersonSegmenter';
import { personSoftMasks } from '../../../src/engine/lite/segment/personSoftMasks';

const loaded = () => '_tfengine' in globalThis;
const afterImport = loaded();
const segmenter = createPersonSegmenter();
// A hook over no person tracks segments nothing, so it must not load tfjs either.
await personSoftMasks(segmenter, [{ width: 64, height: 48, data: new Uint8Array(64 * 48 * 3) }], []);
const afterCreate = loaded();
const mask = await segmenter.segment({ width: 64, height: 48, data: new Uint8Array(64 * 48 * 3).fill(128) }, { x: 10, y: 5, width: 20, height: 30 });
console.log(JSON.stringify({ afterImport, afterCreate, afterSegment: loaded(), maskLength: mask.length }));
segmenter.dispose();

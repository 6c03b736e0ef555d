import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { demoScene, renderDemoClip } from '../../scripts/demoScene';
import { createDetector } from '../../src/engine/lite/detect/createDetector';
import type { Box } from '../../src/engine/lite/types';
import { decodeFrames } from '../../src/engine/media/decode';
import { probeMedia } from '../../src/engine/media/probe';
import { lacuna } from '../cli/cliHarness';
import { withTempDir } from '../media/mediaFiles';

/**
 * `npm run demo` removes by description on footage it draws itself: the bundled detector must
 * really see its stop sign on every frame (else the demo shows nothing being found), and after
 * "remove the stop sign" it must see none in the take.
 */

const detector = createDetector();
afterAll(() => detector.dispose());

const iou = (a: Box, b: Box) => {
  const w = Math.max(0, Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x));
  const h = Math.max(0, Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y));
  return (w * h) / (a.width * a.height + b.width * b.height - w * h);
};

describe('the demo scene', () => {
  const scene = demoScene();

  it('has a stop sign the detector finds on every frame, where it was drawn', async () => {
    for (let i = 0; i < scene.frames; i++) {
      const s = scene.sign(i);
      // The octagon's bounding square: the apothem is half its width.
      const drawn = { x: s.cx - s.apothem, y: s.cy - s.apothem, width: 2 * s.apothem, height: 2 * s.apothem };
      const signs = (await detector.detect(scene.frame(i), i)).filter((d) => d.label === 'stop sign');
      expect(signs.length, `frame ${i}`).toBeGreaterThanOrEqual(1);
      expect(iou(signs[0].box, drawn), `frame ${i}`).toBeGreaterThan(0.7);
    }
  }, 300_000);

  it('loses its stop sign to "remove the stop sign": the detector finds none in the take', async () => {
    await withTempDir(async (dir) => {
      const clip = join(dir, 'roadside.mp4');
      await renderDemoClip(scene, clip);
      const take = join(dir, 'roadside_removed.mov');
      const run = await lacuna('remove', clip, 'remove the stop sign', '-o', take, '--no-matte');
      expect(run.code, run.stderr).toBe(0);
      expect(run.stdout).toMatch(/the stop sign: matched 1 of 1/);
      const info = await probeMedia(take);
      expect(info.video?.frameCount).toBe(scene.frames);
      let n = 0;
      for await (const f of decodeFrames(info)) {
        const signs = (await detector.detect({ width: f.width, height: f.height, data: f.data }, f.index)).filter((d) => d.label === 'stop sign');
        expect(signs, `take frame ${f.index}`).toEqual([]);
        n++;
      }
      expect(n).toBe(scene.frames);
    });
  }, 600_000);
});

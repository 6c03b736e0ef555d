import { describe, expect, it } from 'vitest';
import { compositeFill, compositeInPlace } from '../../../src/engine/lite/fill/composite';
import { fillClip } from '../../../src/engine/lite/fill/fillClip';
import { shrinkMask, shrinkRgb, workingSize } from '../../../src/engine/lite/fill/resample';
import { featherMask } from '../../../src/engine/image/feather';
import { blankMask, copyImage, paintSquare, renderTexture } from './syntheticFrames';

describe('composite at source resolution', () => {
  it('replaces only masked pixels, blending by alpha', () => {
    const src = renderTexture(40, 30);
    const fill = { width: 40, height: 30, data: new Uint8Array(40 * 30 * 3).fill(200) };
    const alpha = blankMask(40, 30);
    alpha.data[5] = 255;
    alpha.data[6] = 128;
    const out = compositeFill(src, fill, alpha);
    expect(out.data[15]).toBe(200);
    expect(out.data[18]).toBe(Math.round(src.data[18] + ((200 - src.data[18]) * 128) / 255));
    expect(Buffer.compare(out.data.subarray(21), src.data.subarray(21))).toBe(0);
  });

  it('composites in place as compositeFill does when the fill equals the source outside the alpha', () => {
    const src = renderTexture(60, 40);
    const hole = blankMask(60, 40);
    for (let y = 10; y < 30; y++) for (let x = 15; x < 45; x++) hole.data[y * 60 + x] = 255;
    const fill = copyImage(src);
    for (let i = 0; i < hole.data.length; i++) if (hole.data[i]) fill.data.set([(i * 7) & 255, (i * 13) & 255, 90], 3 * i);
    for (const feather of [0, 3]) {
      const alpha = featherMask(hole, feather);
      const expected = compositeFill(src, fill, alpha);
      const inPlace = copyImage(fill);
      compositeInPlace(src, inPlace, alpha);
      expect(Buffer.compare(inPlace.data, expected.data)).toBe(0);
    }
  });

  it('fills at a reduced working resolution yet leaves unmasked source pixels bit-exact', () => {
    const frames = [];
    const masks = [];
    for (let t = 0; t < 4; t++) {
      const f = renderTexture(300, 180);
      const m = blankMask(300, 180);
      paintSquare(f, m, 40 + 30 * t, 60, 40, [255, 255, 0]);
      frames.push(f);
      masks.push(m);
    }
    const originals = frames.map(copyImage);
    const { frames: out, report } = fillClip(frames, masks, { maxWorkingSide: 150 });
    expect([report.workingWidth, report.workingHeight]).toEqual([150, 90]);
    for (let t = 0; t < 4; t++) {
      expect(Buffer.compare(frames[t].data, originals[t].data)).toBe(0); // inputs not modified
      let changedOutside = 0;
      for (let i = 0; i < 300 * 180; i++) {
        if (masks[t].data[i]) continue;
        for (let ch = 0; ch < 3; ch++) if (out[t].data[3 * i + ch] !== frames[t].data[3 * i + ch]) changedOutside++;
      }
      expect(changedOutside).toBe(0);
      const centre = (80 * 300 + 60 + 30 * t) * 3;
      expect(Array.from(out[t].data.subarray(centre, centre + 3))).not.toEqual([255, 255, 0]);
    }
  });
});

describe('resampling to the working resolution', () => {
  it('caps the long side and keeps the aspect', () => {
    expect(workingSize(1920, 1080, 960)).toEqual({ width: 960, height: 540 });
    expect(workingSize(568, 320, 960)).toEqual({ width: 568, height: 320 });
  });

  it('area-averages frames and never shrinks a hole', () => {
    const img = { width: 4, height: 2, data: Uint8Array.from([0, 0, 0, 100, 100, 100, 10, 10, 10, 10, 10, 10, 0, 0, 0, 100, 100, 100, 10, 10, 10, 10, 10, 10]) };
    expect(Array.from(shrinkRgb(img, 2, 1).data)).toEqual([50, 50, 50, 10, 10, 10]);
    const m = blankMask(4, 4);
    m.data[5] = 255;
    expect(Array.from(shrinkMask(m, 2, 2).data)).toEqual([255, 0, 0, 0]);
  });
});

describe('featherMask', () => {
  it('ramps inside the mask and is 0 outside', () => {
    const m = blankMask(21, 21);
    for (let y = 5; y < 16; y++) for (let x = 5; x < 16; x++) m.data[y * 21 + x] = 255;
    const a = featherMask(m, 2);
    expect(a.data[10 * 21 + 10]).toBe(255);
    expect(a.data[10 * 21 + 5]).toBeGreaterThan(0);
    expect(a.data[10 * 21 + 5]).toBeLessThan(a.data[10 * 21 + 6]);
    expect(a.data[10 * 21 + 4]).toBe(0);
    expect(Array.from(featherMask(m, 0).data)).toEqual(Array.from(m.data));
  });
});

import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeFrames } from '../../src/engine/media/decode';
import { deliveryColour } from '../../src/engine/media/deliveryColour';
import { encodeFrames } from '../../src/engine/media/encode';
import { probeMedia } from '../../src/engine/media/probe';
import type { Frame } from '../../src/engine/media/types';
import { ffmpeg, psnr, readableColour, withTempDir } from './mediaFiles';

const SD = [720, 576] as const;
const HD = [1920, 1080] as const;

describe('deliveryColour: the colour a render is written in, for its codec', () => {
  it('writes limited range for every codec, whatever the source', () => {
    for (const codec of ['h264', 'hevc', 'prores_hq', 'dnxhr_hq'] as const) {
      expect(deliveryColour({ matrix: 'bt470bg', range: 'pc' }, ...SD, codec).colour.range, codec).toBe('tv');
      expect(deliveryColour(undefined, ...HD, codec).colour).toEqual({ matrix: 'bt709', primaries: 'bt709', transfer: 'bt709', range: 'tv' });
    }
  });

  it("names BT.601's matrix one way (ProRes writes 'gbr' for bt470bg)", () => {
    for (const codec of ['h264', 'prores_hq'] as const) {
      expect(deliveryColour({ matrix: 'bt470bg' }, ...SD, codec).colour.matrix).toBe('smpte170m');
    }
    expect(deliveryColour({ matrix: 'bt2020nc', primaries: 'bt2020', transfer: 'smpte2084' }, ...HD, 'prores_hq')).toEqual({
      colour: { matrix: 'bt2020nc', primaries: 'bt2020', transfer: 'smpte2084', range: 'tv' },
      warnings: [],
    });
  });

  it('gives editing codecs only tags their headers hold, warning where the picture’s meaning changes', () => {
    // Curves equal to BT.709's (and sRGB, which NLEs read image sequences as) become bt709 quietly.
    for (const transfer of ['smpte170m', 'bt2020-10', 'bt2020-12', 'iec61966-2-1']) {
      expect(deliveryColour({ transfer }, ...HD, 'prores_hq')).toMatchObject({ colour: { transfer: 'bt709' }, warnings: [] });
      expect(deliveryColour({ transfer }, ...HD, 'dnxhr_hq').colour.transfer).toBe('bt709');
      // H.264 and HEVC can say them.
      expect(deliveryColour({ transfer }, ...HD, 'h264').colour.transfer).toBe(transfer);
    }
    const log = deliveryColour({ transfer: 'log100', primaries: 'film' }, ...HD, 'prores_hq');
    expect(log.colour).toMatchObject({ transfer: 'bt709', primaries: 'bt709' });
    expect(log.warnings.join('\n')).toMatch(/transfer "log100".*bt709[\s\S]*primaries "film".*bt709/);
    // A matrix the header cannot hold is converted to the size's convention: nothing to warn about.
    expect(deliveryColour({ matrix: 'fcc' }, ...SD, 'prores_hq')).toMatchObject({ colour: { matrix: 'smpte170m' }, warnings: [] });
    expect(deliveryColour({ primaries: 'smpte240m' }, ...SD, 'prores_hq').colour.primaries).toBe('smpte170m');
  });
});

describe('encoding full-range YUV frames', () => {
  it('moves their levels to the legal range and tags it: the picture reads back the same', async () => {
    await withTempDir(async (dir) => {
      const src = join(dir, 'full.mkv');
      await ffmpeg(['-f', 'lavfi', '-i', 'testsrc2=size=320x180:rate=25:duration=0.12', '-vf', 'scale=out_color_matrix=bt709:out_range=pc,format=yuv422p',
        '-color_range', 'pc', '-colorspace', 'bt709', '-color_primaries', 'bt709', '-color_trc', 'bt709', '-c:v', 'ffv1', src]);
      const info = await probeMedia(src);
      expect(info.video!.colour.range).toBe('pc');
      const frames: Frame[] = [];
      for await (const f of decodeFrames(info, { pixelFormat: 'yuv422p10le' })) frames.push(f);
      const out = join(dir, 'legal.mov');
      await encodeFrames((async function* () { yield* frames; })(), { output: out, codec: 'prores_hq', width: 320, height: 180, fps: { num: 25, den: 1 }, pixelFormat: 'yuv422p10le', colour: info.video!.colour });
      const outInfo = await probeMedia(out);
      expect(outInfo.video!.colour).toMatchObject(await readableColour({ range: 'tv', matrix: 'bt709' }, 'range'));
      const a: Frame[] = [];
      const b: Frame[] = [];
      for await (const f of decodeFrames(info)) a.push(f);
      for await (const f of decodeFrames(outInfo)) b.push(f);
      expect(b).toHaveLength(a.length);
      for (let i = 0; i < a.length; i++) expect(psnr(a[i].data, b[i].data), `frame ${i}`).toBeGreaterThan(40);
    });
  });
});

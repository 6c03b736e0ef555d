import { realpathSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeFrames } from '../../src/engine/media/decode';
import { encodeFrames } from '../../src/engine/media/encode';
import { ffmpegPaths, type FfmpegPaths } from '../../src/engine/media/ffmpegLocator';
import { mxfLabelsMatrix } from '../../src/engine/media/mxfColourLabels';
import { probeMedia } from '../../src/engine/media/probe';
import type { Frame } from '../../src/engine/media/types';
import { ffmpeg, psnr, withTempDir } from './mediaFiles';

/** The npm-shipped ffmpeg 4.1 (an install always has it), read back with this machine's ffprobe. */
const npm: FfmpegPaths = {
  ffmpeg: (createRequire(import.meta.url)('@ffmpeg-installer/ffmpeg') as { path: string }).path,
  ffprobe: ffmpegPaths().ffprobe,
  source: { ffmpeg: '@ffmpeg-installer/ffmpeg', ffprobe: 'PATH' },
};

describe('MXF colour labels', () => {
  it('knows which builds label an MXF file with its matrix: ffmpeg 5 does, the npm-shipped 4.1 does not', async () => {
    // On a machine whose only ffmpeg is the npm-shipped one (the README's fresh machine) there is
    // no ffmpeg 5 to ask; CI has Debian's.
    if (realpathSync(ffmpegPaths().ffmpeg) !== realpathSync(npm.ffmpeg)) expect(await mxfLabelsMatrix(ffmpegPaths())).toBe(true);
    expect(await mxfLabelsMatrix(npm)).toBe(false);
  });

  it('writes an SD DNxHR take with 4.1 in the BT.709 it is labelled with, so it reads back right', async () => {
    await withTempDir(async (dir) => {
      // Saturated colours (where BT.601 and BT.709 differ most), softened so 4:2:2 keeps them.
      const src = join(dir, 'sd.png');
      await ffmpeg(['-f', 'lavfi', '-i', 'testsrc2=size=568x320', '-frames:v', '1', '-vf', 'gblur=sigma=6', '-pix_fmt', 'rgb24', src]);
      const [frame] = await (async () => {
        const out: Frame[] = [];
        for await (const f of decodeFrames(await probeMedia(src))) out.push(f);
        return out;
      })();
      const out = join(dir, 'take.mxf');
      await encodeFrames((async function* () { yield frame; yield { ...frame, index: 1, sourceIndex: 1 }; })(), { output: out, codec: 'dnxhr_hq', width: 568, height: 320, fps: { num: 25, den: 1 }, ffmpeg: npm });
      const info = await probeMedia(out);
      expect(info.video!.colour.matrix).toBe('bt709');
      // Measured: 43.1 dB; BT.601 values under 4.1's BT.709 label read back at 24.5 dB.
      for await (const f of decodeFrames(info)) expect(psnr(f.data, frame.data), `frame ${f.index}`).toBeGreaterThan(40);
    });
  });
});

import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { probeMedia } from '../../src/engine/media/probe';
import { makeClip, tempDir } from '../app/fixtures';
import { lacuna, resultOf } from './cliHarness';

const tmp = tempDir('lacuna-cli-transcode-');
afterAll(() => tmp.cleanup());

describe('lacuna transcode', () => {
  it('writes ProRes beside the source by default, with JSON progress, frame count, rate, colour and audio kept', async () => {
    const clip = makeClip(join(tmp.dir, 'A001.mp4'), { seconds: 2, fps: '25', size: '320x180' });
    const run = await lacuna('--json', 'transcode', clip);
    expect(run.code, run.stdout + run.stderr).toBe(0);
    const progress = run.lines.filter((l) => l.type === 'progress');
    expect(progress.length).toBeGreaterThan(1);
    expect(progress.at(-1)).toMatchObject({ done: 50, total: 50 });
    const result = resultOf(run) as { output: string; frames: number };
    expect(result.output).toBe(join(tmp.dir, 'A001_prores_hq.mov'));
    expect(result.frames).toBe(50);
    const out = await probeMedia(result.output);
    expect(out.video).toMatchObject({ codec: 'prores', fps: { num: 25, den: 1 }, frameCount: 50, colour: { primaries: 'bt709', transfer: 'bt709', matrix: 'bt709' } });
    expect(out.audio).toHaveLength(1);
    expect(out.audio[0].duration).toBeCloseTo(2, 2);
  });

  it('writes DNxHR HQ in .mov and in MXF (Avid), frame count and rate kept', async () => {
    const clip = makeClip(join(tmp.dir, 'dnx.mp4'), { seconds: 1, fps: '25', size: '320x180' });
    for (const ext of ['mov', 'mxf']) {
      const output = join(tmp.dir, `dnx.${ext}`);
      const run = await lacuna('transcode', clip, '-c', 'dnxhr_hq', '-o', output);
      expect(run.code, run.stdout + run.stderr).toBe(0);
      const out = await probeMedia(output);
      expect(out.video).toMatchObject({ codec: 'dnxhd', fps: { num: 25, den: 1 }, frameCount: 25, width: 320, height: 180 });
    }
    const tiny = makeClip(join(tmp.dir, 'tiny.mp4'), { seconds: 1, fps: '25', size: '160x90' });
    const refused = await lacuna('transcode', tiny, '-c', 'dnxhr_hq', '-o', join(tmp.dir, 'tiny.mov'));
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('DNxHR HQ needs a picture of at least 256x120; this one is 160x90');
    expect(existsSync(join(tmp.dir, 'tiny.mov'))).toBe(false);
  });

  it('cuts a frame range to H.264', async () => {
    const clip = makeClip(join(tmp.dir, 'range.mp4'), { seconds: 2, fps: '24' });
    const output = join(tmp.dir, 'selects.mp4');
    const run = await lacuna('transcode', clip, '-c', 'h264', '-r', '12-36', '-o', output);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('wrote');
    const out = await probeMedia(output);
    expect(out.video?.frameCount).toBe(24);
  });

  it('refuses to overwrite an existing file or the source, and leaves no temp files', async () => {
    const clip = makeClip(join(tmp.dir, 'keep.mp4'), { seconds: 1 });
    const existing = join(tmp.dir, 'taken.mov');
    writeFileSync(existing, 'an editor’s file');
    const exists = await lacuna('transcode', clip, '-o', existing);
    expect(exists.code).toBe(2);
    expect(exists.stderr).toMatch(/exists/);
    const self = await lacuna('transcode', clip, '-c', 'h264', '-o', clip, '--overwrite');
    expect(self.code).toBe(2);
    expect(existsSync(clip)).toBe(true);
    expect(readdirSync(tmp.dir).filter((f) => /tmp|partial/i.test(f))).toEqual([]);
  });

  it('rejects an unknown codec and an impossible range as usage errors', async () => {
    const clip = makeClip(join(tmp.dir, 'usage.mp4'), { seconds: 1 });
    const codec = await lacuna('transcode', clip, '-c', 'vp9');
    expect(codec.code).toBe(2);
    expect(codec.stderr).toContain('prores_hq');
    const range = await lacuna('transcode', clip, '-r', '10-500');
    expect(range.code).toBe(2);
  });
});

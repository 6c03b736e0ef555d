import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { makeClip, tempDir } from '../app/fixtures';
import { lacuna, lacunaProcess, resultOf } from './cliHarness';

const tmp = tempDir('lacuna-cli-probe-');
afterAll(() => tmp.cleanup());
const TWO_BIRDS = resolve(import.meta.dirname, '../../../shared/fixtures/two-birds');

describe('lacuna probe', () => {
  it('prints the facts of an mp4 with audio as JSON (the real executable)', () => {
    const clip = makeClip(join(tmp.dir, 'tone and bars.mp4'), { seconds: 2, fps: '24', size: '320x180' });
    const run = lacunaProcess(['probe', clip]);
    expect(run.code, run.stderr).toBe(0);
    const info = JSON.parse(run.stdout);
    expect(info.video).toMatchObject({
      codec: 'h264',
      width: 320,
      height: 180,
      fps: { num: 24, den: 1 },
      frameCount: 48,
      pixelFormat: 'yuv420p',
      colour: { primaries: 'bt709', transfer: 'bt709', matrix: 'bt709' },
    });
    expect(info.audio).toHaveLength(1);
    expect(info.audio[0]).toMatchObject({ codec: 'aac', sampleRate: 48000, channels: 1 });
    expect(info.duration).toBeCloseTo(2, 1);
  });

  it.runIf(existsSync(TWO_BIRDS))('reads a folder of numbered JPEGs as an image sequence at the rate given', async () => {
    const run = await lacuna('--json', 'probe', TWO_BIRDS, '--fps', '30000/1001');
    expect(run.code, run.stderr).toBe(0);
    const info = resultOf(run) as { source: { kind: string; numbers: number[] }; video: Record<string, unknown>; audio: unknown[] };
    expect(info.source.kind).toBe('imageSequence');
    expect(info.source.numbers).toHaveLength(18);
    expect(info.source.numbers.slice(0, 3)).toEqual([0, 5, 10]);
    expect(info.video).toMatchObject({ width: 568, height: 320, frameCount: 18, fps: { num: 30000, den: 1001 } });
    expect(info.audio).toEqual([]);
  });

  it('prints a one-screen summary with --summary', async () => {
    const clip = makeClip(join(tmp.dir, 'summary.mp4'), { seconds: 1 });
    const run = await lacuna('probe', clip, '--summary');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/video\s+h264 .*320x180 24 fps, 24 frames, yuv420p 8-bit/);
    expect(run.stdout).toMatch(/colour\s+bt709 \/ bt709 \/ bt709/);
    expect(run.stdout).toMatch(/audio\s+#1 aac 48000 Hz/);
  });

  it('exits 3 with the path in the message for a missing file, and 2 for a bad --fps', async () => {
    const missing = await lacuna('probe', join(tmp.dir, 'nope.mov'));
    expect(missing.code).toBe(3);
    expect(missing.stderr).toContain('nope.mov');
    const badFps = await lacuna('probe', join(tmp.dir, 'nope.mov'), '--fps', 'fast');
    expect(badFps.code).toBe(2);
    expect(badFps.stderr).toContain('is not a frame rate');
  });

  it('reports errors as JSON lines with --json', async () => {
    const run = await lacuna('--json', 'probe', join(tmp.dir, 'nope.mov'));
    expect(run.code).toBe(3);
    expect(run.lines.at(-1)).toMatchObject({ type: 'error', code: 'MEDIA_NOT_FOUND' });
  });
});

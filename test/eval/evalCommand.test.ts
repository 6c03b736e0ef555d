import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../app/fixtures';
import { lacuna, resultOf } from '../cli/cliHarness';

/*
 * `lacuna eval` on real files made with ffmpeg: a ROVI-style folder of two cases (Inpainted/,
 * Annotations/, meta_expressions.json) and results as a folder of frames and as a video.
 */
const tmp = tempDir('lacuna-eval-');
afterAll(() => tmp.cleanup());

const ff = (...args: string[]) => execFileSync('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-y', ...args]);
const BOX = 'drawbox=x=40:y=30:w=24:h=20:color=white:t=fill';

beforeAll(() => {
  const root = join(tmp.dir, 'rovi');
  for (const d of ['Inpainted/pan', 'Inpainted/still', 'Annotations/pan', 'Annotations/still', 'JPEGImages/pan']) mkdirSync(join(root, d), { recursive: true });
  // The pan: a wider picture cropped one pixel further each frame (crop's `n`, in every ffmpeg since 2.x).
  const src = (name: string) => `testsrc2=size=${name === 'pan' ? '160x96' : '128x96'}:rate=25:duration=0.24,${name === 'pan' ? 'crop=128:96:n:0,' : ''}format=rgb24`;
  for (const name of ['pan', 'still']) {
    ff('-f', 'lavfi', '-i', src(name), join(root, 'Inpainted', name, '%05d.png'));
    ff('-f', 'lavfi', '-i', 'color=black:size=128x96:rate=25:duration=0.24', '-vf', `${BOX},format=gray`, join(root, 'Annotations', name, '%05d.png'));
  }
  writeFileSync(join(root, 'meta_expressions.json'), JSON.stringify({ videos: { pan: { expressions: { '0': { exp: 'the white box' } } }, still: { expressions: {} } } }));
  const results = join(tmp.dir, 'results');
  mkdirSync(join(results, 'pan'), { recursive: true });
  // pan: exact outside the hole, a grey patch inside it; still: the truth itself, as a video.
  ff('-f', 'lavfi', '-i', src('pan'), '-vf', 'drawbox=x=40:y=30:w=24:h=20:color=gray:t=fill', join(results, 'pan', '%05d.png'));
  ff('-f', 'lavfi', '-i', src('still'), '-c:v', 'ffv1', '-pix_fmt', 'bgr0', join(results, 'still.mkv'));
}, 60_000);

describe('lacuna eval', () => {
  it('scores one clip with its matte', async () => {
    const run = await lacuna('--json', 'eval', join(tmp.dir, 'results', 'pan'), join(tmp.dir, 'rovi', 'Inpainted', 'pan'), '--mask', join(tmp.dir, 'rovi', 'Annotations', 'pan'));
    expect(run.code, run.stderr).toBe(0);
    const value = resultOf(run) as { cases: { scores: { psnr: { frame: number; hole: number }; frames: number; ewarp: { result: number } } }[] };
    const s = value.cases[0].scores;
    expect(s.frames).toBe(6);
    expect(s.psnr.hole).toBeLessThan(20);
    expect(s.psnr.frame).toBeGreaterThan(s.psnr.hole + 10);
    expect(s.ewarp.result).toBeGreaterThanOrEqual(0);
  }, 60_000);

  it('scores a ROVI-style folder of cases in one run, as a table and in the paper layout', async () => {
    const table = await lacuna('eval', join(tmp.dir, 'results'), join(tmp.dir, 'rovi'));
    expect(table.code, table.stderr).toBe(0);
    expect(table.stdout).toMatch(/^case\s+frames\s+PSNR\s+PSNR hole/);
    expect(table.stdout).toMatch(/\npan\s+6\s/);
    expect(table.stdout).toMatch(/\nstill\s+6\s+inf\s+inf\s/);
    expect(table.stdout).toMatch(/\nmean\s+12\s/);
    const paper = await lacuna('eval', join(tmp.dir, 'results'), join(tmp.dir, 'rovi'), '--format', 'paper', '--method', 'Lite');
    expect(paper.stdout).toContain('| Lite | still | inf | 1.0000 | n/a |');
    expect(paper.stdout).toContain('VFID: n/a');
    const json = await lacuna('--json', 'eval', join(tmp.dir, 'results'), join(tmp.dir, 'rovi'));
    const value = resultOf(json) as { cases: { name: string; expressions: string[] }[]; mean: unknown };
    expect(value.cases.map((c) => c.name)).toEqual(['pan', 'still']);
    expect(value.cases[0].expressions).toEqual(['the white box']);
    expect(value.mean).toBeDefined();
  }, 120_000);

  it('refuses a result of the wrong length or a case without a result, in one line', async () => {
    const short = join(tmp.dir, 'short');
    mkdirSync(short, { recursive: true });
    ff('-f', 'lavfi', '-i', 'testsrc2=size=128x96:rate=25:duration=0.12', join(short, '%05d.png'));
    const run = await lacuna('eval', short, join(tmp.dir, 'rovi', 'Inpainted', 'pan'));
    expect(run.code).not.toBe(0);
    expect(run.stderr).toMatch(/3 frames but the ground truth 6/);
    const none = await lacuna('eval', join(tmp.dir, 'short-results'), join(tmp.dir, 'rovi'));
    expect(none.code).not.toBe(0);
    expect(none.stderr.trim().split('\n').length).toBeLessThanOrEqual(2);
  }, 60_000);
});

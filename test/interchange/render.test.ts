import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readOtioz } from '../../src/engine/interchange/otioz';
import { probeMedia } from '../../src/engine/media/probe';
import { lacuna, resultOf } from '../cli/cliHarness';
import { H, makeFixture, W, type Fixture } from './fixtures';

/*
 * Render settings for what an export links to: takes in ProRes 422 HQ or H.264 (same rate,
 * timecode and length as the take, so the file's ranges stay right), mattes as grayscale video
 * or as ProRes 4444 whose alpha is the removal region; and .otioz bundles with the media inside.
 */

let f: Fixture;
const dirs: string[] = [];
beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'lacuna-ix-render-'));
  dirs.push(dir);
  f = await makeFixture(dir, { num: 24000, den: 1001 }, '01:00:00:00');
}, 240_000);
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

const probeJson = (file: string) =>
  JSON.parse(execFileSync('ffprobe', ['-v', 'error', '-show_streams', '-show_format', '-of', 'json', file], { encoding: 'utf8' })) as {
    streams: Array<{ codec_type: string; codec_name: string; profile?: string; pix_fmt?: string; tags?: Record<string, string> }>;
  };

describe('export --render', () => {
  it('prores + alpha matte: the take becomes ProRes 422 HQ, the matte ProRes 4444 whose alpha is the removed region', async () => {
    const out = join(f.dir, 'r.otio');
    const run = await lacuna('--json', 'export', f.projectPath, '-o', out, '--render', 'prores', '--matte', 'alpha');
    expect(run.code, run.stderr).toBe(0);
    const rendered = resultOf(run).rendered as Array<{ from: string; to: string; what: string }>;
    expect(rendered.map((r) => r.what).sort()).toEqual(['matte', 'take']);
    const take = rendered.find((r) => r.what === 'take')!;
    const matte = rendered.find((r) => r.what === 'matte')!;
    expect(take.to).toBe(join(f.dir, 'r Media', take.to.replace(/^.*\//, '')));
    const tv = probeJson(take.to).streams.find((s) => s.codec_type === 'video')!;
    expect([tv.codec_name, tv.profile]).toEqual(['prores', 'HQ']);
    const mv = probeJson(matte.to).streams.find((s) => s.codec_type === 'video')!;
    expect(mv.codec_name).toBe('prores');
    expect(mv.profile).toBe('4444');
    expect(mv.pix_fmt).toMatch(/^yuva444p/);
    // Same frames and timecode as the take it stands for.
    const [src, dst] = await Promise.all([probeMedia(f.take), probeMedia(take.to)]);
    expect(dst.video!.frameCount).toBe(src.video!.frameCount);
    expect(dst.startTimecode).toBe(src.startTimecode);
    expect((await probeMedia(matte.to)).startTimecode).toBe(src.startTimecode);
    // The alpha plane: opaque inside the matte's square (28..52, 12..36), clear outside.
    const alpha = execFileSync('ffmpeg', ['-v', 'error', '-i', matte.to, '-frames:v', '1', '-vf', 'alphaextract', '-f', 'rawvideo', '-pix_fmt', 'gray', '-'], { maxBuffer: 1 << 24 });
    expect(alpha.length).toBe(W * H);
    // (ffmpeg 4.1, the npm-shipped build, decodes ProRes 4444's 10-bit alpha a little low: 229 for a
    // file Debian's 5.1 reads as 255. The file is the same; the reader differs.)
    expect(alpha[20 * W + 40]).toBeGreaterThan(220);
    expect(alpha[5 * W + 5]).toBeLessThan(10);
    // The OTIO links the renders.
    const otio = readFileSync(out, 'utf8');
    expect(otio).toContain(encodeURI(take.to.replace(/^.*\//, '')));
    expect(otio).toContain(encodeURI(matte.to.replace(/^.*\//, '')));
  }, 180_000);

  it('h264 + gray matte: both in H.264, the matte grayscale', async () => {
    const run = await lacuna('--json', 'export', f.projectPath, '-o', join(f.dir, 'h.xml'), '--render', 'h264', '--matte', 'gray');
    expect(run.code, run.stderr).toBe(0);
    const rendered = resultOf(run).rendered as Array<{ to: string; what: string }>;
    for (const r of rendered) expect(probeJson(r.to).streams.find((s) => s.codec_type === 'video')!.codec_name).toBe('h264');
    const m = rendered.find((r) => r.what === 'matte')!;
    const px = execFileSync('ffmpeg', ['-v', 'error', '-i', m.to, '-frames:v', '1', '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-'], { maxBuffer: 1 << 24 });
    const i = (20 * W + 40) * 3;
    expect(Math.abs(px[i] - px[i + 1]) + Math.abs(px[i + 1] - px[i + 2])).toBeLessThan(6);
    expect(px[i]).toBeGreaterThan(200);
  }, 180_000);

  it('dnxhr: refused up front, in a line, for a picture under its 256x120 minimum, with nothing rendered', async () => {
    const run = await lacuna('export', f.projectPath, '-o', join(f.dir, 'd.xml'), '--render', 'dnxhr');
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`DNxHR HQ needs a picture of at least 256x120; this one is ${W}x${H}`);
    expect(run.stderr).not.toMatch(/\n\s+at /);
    expect(existsSync(join(f.dir, 'd.xml'))).toBe(false);
    expect(existsSync(join(f.dir, 'd Media'))).toBe(false);
  });

  it("never replaces the project's own media or its project file, even with --overwrite", async () => {
    for (const input of [f.a, f.take, f.projectPath]) {
      const before = readFileSync(input);
      // Named with a format, since a .mov or .lacuna says none.
      const run = await lacuna('export', f.projectPath, '-o', input, '--format', 'otio', '--overwrite');
      expect(run.code, `${input}: ${run.stdout} ${run.stderr}`).toBe(2);
      expect(run.stderr).toMatch(/refusing to write .*: it is an input of this job/);
      expect(readFileSync(input).equals(before)).toBe(true);
    }
  });

  it('an existing output is refused without --overwrite, and nothing is rendered', async () => {
    const out = join(f.dir, 'r.otio');
    const before = readFileSync(out, 'utf8');
    const run = await lacuna('export', f.projectPath, '-o', out, '--render', 'prores');
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('already exists');
    expect(readFileSync(out, 'utf8')).toBe(before);
  });
});

describe('.otioz', () => {
  it('bundles the media (stored) and reads back with the references pointing into the unpacked media', async () => {
    const out = join(f.dir, 'b.otioz');
    const run = await lacuna('--json', 'export', f.projectPath, '-o', out, '--bundle', '--matte');
    expect(run.code, run.stderr).toBe(0);
    const list = execFileSync('python3', ['-c', 'import zipfile,sys;z=zipfile.ZipFile(sys.argv[1]);print("\\n".join(f"{i.filename} {i.compress_type}" for i in z.infolist()))', out], { encoding: 'utf8' });
    expect(list).toContain('content.otio 8');
    expect(list).toContain('version.txt 8');
    expect(list).toMatch(/media\/plateA\.mov 0/);
    expect(list).toMatch(/media\/plateB\.mov 0/);
    const to = join(f.dir, 'unpacked');
    const r = await readOtioz(out, to);
    const v1 = r.timeline.tracks[0].clips[0];
    expect(v1.shown.media.path.startsWith(join(to, 'media'))).toBe(true);
    expect(v1.original!.media.path).toBe(join(to, 'media', 'plateA.mov'));
    expect(readFileSync(v1.original!.media.path).equals(readFileSync(f.a))).toBe(true);
    // And imports: the unpacked media is found and probed.
    const im = await lacuna('--json', 'import', out, '--project', join(f.dir, 'fromz.lacuna'));
    expect(im.code, im.stderr).toBe(0);
    expect((resultOf(im) as { media: { missing: string[] } }).media.missing).toEqual([]);
  }, 120_000);
});

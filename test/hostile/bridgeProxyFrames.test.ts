import { execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';
import { cpSync, mkdirSync, readdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mediaUrl } from '../../src/api/mediaUrl';
import type { BrowserHost } from '../../src/engine/app/bridge/browserHost';
import { makeClip } from '../app/fixtures';
import { bearer, ok, startTestBridge } from './bridgeHelpers';
import { passthroughTimingArgs } from '../../src/engine/media/ffmpegLocator';

/*
 * Every source previews frame-accurately through the bridge's proxy (issue 11 item 3, the
 * media-server half): the proxied stream's frames, decoded by ffmpeg, are the source's frames
 * from the one shown at the requested time on, each matched against every frame ffmpeg decodes
 * from the source. Image sequences included, numbered in steps of 5 as the two-birds plates are.
 */
let host: BrowserHost;
let dir: string;
let stop: () => Promise<void>;
const execFileAsync = promisify(execFile);
const TWO_BIRDS = join(import.meta.dirname, '../../../shared/fixtures/two-birds');

beforeAll(async () => {
  ({ host, dir, stop } = await startTestBridge());
  await ok(host, 'project.new', { name: 'Frames', discardChanges: true });
}, 60_000);
afterAll(() => stop());

/**
 * All frames of `input` as RGB24, each `width × height`. Decoded without blocking: the bridge
 * runs in this process, and a loop blocked past its keep-alive timeout (5 s, easily reached on a
 * loaded machine) makes it drop the idle connection just as the next request goes out on it
 * (ECONNRESET).
 */
async function decodeAll(input: string, width: number, height: number): Promise<Buffer[]> {
  const { stdout: out } = await execFileAsync('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-i', input, '-map', '0:v:0', ...passthroughTimingArgs('ffmpeg'), '-f', 'rawvideo', '-pix_fmt', 'rgb24', 'pipe:1'], {
    maxBuffer: 1 << 30,
    encoding: 'buffer',
  });
  const size = width * height * 3;
  return Array.from({ length: out.length / size }, (_, i) => out.subarray(i * size, (i + 1) * size));
}

/** The first frame of each image, decoded one after another (not 86 ffmpegs at once). */
async function firstFrames(images: string[], width: number, height: number): Promise<Buffer[]> {
  const out: Buffer[] = [];
  for (const image of images) out.push((await decodeAll(image, width, height))[0]);
  return out;
}

const meanAbsDiff = (a: Buffer, b: Buffer) => {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += Math.abs(a[i] - b[i]);
  return s / a.length;
};

/** The index of the source frame `frame` looks most like, and how far it is from the next best. */
function bestMatch(frame: Buffer, source: Buffer[]): { index: number; diff: number; margin: number } {
  const diffs = source.map((s) => meanAbsDiff(frame, s));
  const order = diffs.map((d, i) => [d, i]).sort((a, b) => a[0] - b[0]);
  return { index: order[0][1], diff: order[0][0], margin: (order[1]?.[0] ?? Infinity) - order[0][0] };
}

async function proxied(path: string, start: number): Promise<{ file: string; headers: Headers }> {
  // A connection of its own: matching frames below keeps this process busy for seconds at a time.
  const r = await fetch(mediaUrl(`${host.origin}/media`, { mode: 'proxy', path, start }), { headers: { ...bearer(host), Connection: 'close' } });
  expect(r.status).toBe(200);
  const file = join(dir, `proxy-${Math.random().toString(36).slice(2)}.mp4`);
  writeFileSync(file, Buffer.from(await r.arrayBuffer()));
  return { file, headers: r.headers };
}

/** Imports `path`, then checks the proxy from each time starts at the frame shown then and carries every frame after it. */
async function checkFrames(path: string, sourceFrames: Buffer[], width: number, height: number, fps: number, times: number[]) {
  const { imported } = await ok<{ imported: { kind: string; path: string }[] }>(host, 'media.import', { paths: [path] });
  const media = imported[0];
  expect(media.kind === 'imageSequence' || media.kind === 'file').toBe(true);
  for (const t of times) {
    const expected = Math.floor((t + 0.0005) * fps);
    const { file, headers } = await proxied(media.path, t);
    expect(Number(headers.get('x-lacuna-start-frame'))).toBe(expected);
    const frames = await decodeAll(file, width, height);
    expect(frames.length, `frames from t=${t}`).toBe(sourceFrames.length - expected);
    for (const n of [0, 1, frames.length - 1]) {
      const m = bestMatch(frames[n], sourceFrames);
      expect(m.index, `proxy frame ${n} from t=${t}`).toBe(expected + n);
      expect(m.margin).toBeGreaterThan(0);
    }
  }
}

describe('proxy previews are frame-accurate over the bridge', () => {
  it('an H.264 clip at 25 fps, from frame starts and from mid-frame times', async () => {
    const clip = makeClip(join(dir, 'h264 25.mp4'), { codec: 'h264', seconds: 2, fps: '25' });
    await checkFrames(clip, await decodeAll(clip, 320, 180), 320, 180, 25, [0, 0.28, 0.3, 1.5]);
  });

  it('a ProRes clip at 24000/1001, whose frame times do not fall on milliseconds', async () => {
    const clip = join(dir, 'prores ntsc.mov');
    execFileSync('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-f', 'lavfi', '-i', 'testsrc2=size=320x180:rate=24000/1001:duration=1.5',
      '-c:v', 'prores_ks', '-profile:v', '3', '-pix_fmt', 'yuv422p10le', clip]);
    // Frame 3 starts at 0.125125 s; the URL says 0.125.
    await checkFrames(clip, await decodeAll(clip, 320, 180), 320, 180, 24000 / 1001, [0.125, 0.7])
  });

  it('a JPEG sequence numbered in steps of 5, every frame, from any time', async () => {
    const seq = join(dir, 'steps');
    mkdirSync(seq);
    execFileSync('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-f', 'lavfi', '-i', 'testsrc2=size=320x180:rate=24:duration=1',
      '-q:v', '2', '-start_number', '0', join(seq, 'plate.%05d.jpg')]);
    const names = readdirSync(seq).sort();
    for (const [i, name] of [...names.entries()].reverse()) renameSync(join(seq, name), join(seq, `plate.${String(i * 5).padStart(5, '0')}.jpg`));
    const source = await firstFrames(readdirSync(seq).sort().map((f) => join(seq, f)), 320, 180);
    expect(source.length).toBe(24);
    // Imported without a rate, a sequence plays at the default 24 fps.
    await checkFrames(seq, source, 320, 180, 24, [0, 10 / 24, 0.5]);
  });

  it('the two-birds plates (real footage, JPEG, frames 00000, 00005, …)', async () => {
    const seq = join(dir, 'two-birds');
    cpSync(TWO_BIRDS, seq, { recursive: true });
    const files = readdirSync(seq).filter((f) => f.endsWith('.jpg')).sort();
    const source = await firstFrames(files.map((f) => join(seq, f)), 568, 320);
    await checkFrames(seq, source, 568, 320, 24, [0, 0.25]);
  });
});

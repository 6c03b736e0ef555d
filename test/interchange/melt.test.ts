import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadProject } from '../../src/engine/project';
import { lacuna, resultOf } from '../cli/cliHarness';
import { decodeRgb, H, mad, makeFixture, meltFrames, W, type Fixture } from './fixtures';
import { canRunWith } from '../helpers/externalTools';

/*
 * The real consumer for MLT and Kdenlive: melt renders the exported files, and every frame of
 * the render is matched against the source frames it could be (black, each frame of the
 * original, of the take, of the clip on V2). The take's frames must show where the take is
 * active, at the right times, at 29.97 drop-frame and at 23.976.
 */

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

interface Candidate {
  label: string;
  frame: Buffer;
}

function classify(frame: Buffer, candidates: Candidate[]): { label: string; score: number; runnerUp: number } {
  let best = { label: '', score: Infinity };
  let second = Infinity;
  for (const c of candidates) {
    const s = mad(frame, c.frame);
    if (s < best.score) {
      second = best.score;
      best = { label: c.label, score: s };
    } else if (s < second) second = s;
  }
  return { ...best, runnerUp: second };
}

async function expectations(f: Fixture): Promise<string[]> {
  const { project } = await loadProject(f.projectPath);
  const clip = project.doc.sequences[0].tracks[0].clips[0];
  const take = clip.takes.find((k) => k.id === clip.activeTakeId)!;
  const sourceStart = take.kind === 'generated' ? take.sourceStart : 0;
  const L = f.layout;
  const aEnd = L.aPos + (L.aOut - L.aIn);
  const bEnd = L.bPos + (L.bOut - L.bIn);
  const length = Math.max(aEnd, bEnd);
  return Array.from({ length }, (_, t) => {
    if (t >= L.bPos && t < bEnd) return `B${L.bIn + t - L.bPos}`;
    if (t >= L.aPos && t < aEnd) return `take${L.aIn + t - L.aPos - sourceStart}`;
    return 'black';
  });
}

describe.runIf(canRunWith('melt')).each([
  { label: '29.97 DF', fps: { num: 30000, den: 1001 }, tc: '01:00:59;20' },
  { label: '23.976', fps: { num: 24000, den: 1001 }, tc: '01:00:00:00' },
])('melt renders the MLT and Kdenlive exports at $label', ({ fps, tc }) => {
  let f: Fixture;
  let candidates: Candidate[];

  it('builds the project with a real Lite removal take', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lacuna-ix-melt-'));
    dirs.push(dir);
    f = await makeFixture(dir, fps, tc);
    candidates = [
      { label: 'black', frame: Buffer.alloc(W * H * 3) },
      ...decodeRgb(f.a).map((frame, i) => ({ label: `A${i}`, frame })),
      ...decodeRgb(f.take).map((frame, i) => ({ label: `take${i}`, frame })),
      ...decodeRgb(f.b).map((frame, i) => ({ label: `B${i}`, frame })),
    ];
    // The take really differs from the original where the square was.
    expect(mad(candidates.find((c) => c.label === 'A5')!.frame, candidates.find((c) => c.label === 'take3')!.frame)).toBeGreaterThan(1);
  }, 240_000);

  it.each(['mlt', 'kdenlive'])('%s: each frame is the expected source frame (the take, not the original)', async (format) => {
    const out = join(f.dir, `cut.${format}`);
    const run = await lacuna('--json', 'export', f.projectPath, '-o', out);
    expect(run.code, run.stderr).toBe(0);
    expect(resultOf(run).files).toEqual([out]);
    const frames = meltFrames(out, join(f.dir, `${format}.rgb`));
    const expected = await expectations(f);
    expect(frames.length).toBe(expected.length);
    const got = frames.map((fr) => classify(fr, candidates));
    expect(got.map((g) => g.label)).toEqual(expected);
    // Unambiguous: the match is much closer than the next candidate (the original's frame, for the take).
    for (const g of got) expect(g.score).toBeLessThan(g.runnerUp);
  }, 120_000);
});

import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pickSequence, projectToTimeline } from '../../src/engine/interchange/projectToTimeline';
import { expandHelperTracks } from '../../src/engine/interchange/helperTracks';
import { timecodeFrames } from '../../src/engine/interchange/rates';
import { loadProject, saveProject } from '../../src/engine/project';
import { lacuna } from '../cli/cliHarness';
import { makeFixture, type Fixture } from './fixtures';
import { canRunWith } from '../helpers/externalTools';

/*
 * A real consumer of FCP7 XML and EDL that Debian has: OpenShot's own importers (openshot-qt,
 * with libopenshot reading each media file), run headless by openshot_import.py. OpenShot places
 * clips in seconds; every clip of the export must come in on its own track, from the right file,
 * at the right time and range.
 */

const PYTHON = process.env.LACUNA_OPENSHOT_PYTHON ?? '/usr/bin/python3';
const HARNESS = join(import.meta.dirname, 'openshot_import.py');
let f: Fixture;
const dirs: string[] = [];

interface OpenShotClip {
  title: string;
  layer: string;
  file: string;
  position: number;
  start: number;
  end: number;
}

function openshotImport(kind: 'xml' | 'edl', file: string, fps: { num: number; den: number }): OpenShotClip[] {
  const home = join(f.dir, `home-${kind}`);
  mkdirSync(home, { recursive: true });
  const out = execFileSync(PYTHON, [HARNESS, kind, file, [f.dir, dirname(f.take)].join(delimiter), String(fps.num), String(fps.den)], {
    encoding: 'utf8',
    env: { ...process.env, HOME: home, QT_QPA_PLATFORM: 'offscreen', XDG_RUNTIME_DIR: home },
    stdio: ['ignore', 'pipe', 'ignore'],
    timeout: 60_000,
  });
  return JSON.parse(out.trim().split('\n').at(-1)!) as OpenShotClip[];
}

beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'lacuna-ix-openshot-'));
  dirs.push(dir);
  f = await makeFixture(dir, { num: 25, den: 1 }, '00:00:00:00');
  // OpenShot's importers take the file name from <pathurl> without decoding it, so a name that a
  // URL must escape (the engine's "A - Remove by matte - Take 1.mov") is not found by them; the
  // take and matte are moved (relinked, same content) to plain names for this consumer.
  const { project } = await loadProject(f.projectPath);
  const clip = project.doc.sequences[0].tracks[0].clips[0];
  const take = clip.takes.find((k) => k.id === clip.activeTakeId)!;
  if (take.kind !== 'generated' || !take.matteMediaId) throw new Error('fixture has no take with a matte');
  const renders = join(dir, 'renders');
  mkdirSync(renders);
  for (const [id, name] of [[take.mediaId, 'take1.mov'], [take.matteMediaId, 'take1_matte.mov']] as const) {
    copyFileSync(project.getMedia(id).path, join(renders, name));
    project.setMediaPath(id, join(renders, name));
  }
  await saveProject(project, f.projectPath);
  f = { ...f, take: join(renders, 'take1.mov'), takeMatte: join(renders, 'take1_matte.mov') };
}, 240_000);
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

const close = (a: number, b: number) => Math.abs(a - b) < 1e-6;

describe.runIf(canRunWith('openshot'))('OpenShot imports the exports', () => {
  it('FCP7 XML: every clip (takes, originals beneath, mattes above, sound) from its file at its time', async () => {
    const out = join(f.dir, 'os.xml');
    expect((await lacuna('export', f.projectPath, '-o', out, '--matte')).code).toBe(0);
    const got = openshotImport('xml', out, f.fps);
    const { project } = await loadProject(f.projectPath);
    const t = projectToTimeline(project.doc, pickSequence(project.doc));
    // OpenShot makes one track per XML track that has clips: audio first, then video bottom up.
    const tracks = expandHelperTracks(t.tracks).map((r) => r.track);
    const order = [...tracks.filter((x) => x.kind === 'audio'), ...tracks.filter((x) => x.kind === 'video')].filter((x) => x.clips.length);
    const want = order.flatMap((tr, i) => tr.clips.map((c) => ({ layer: `XML Import ${i + 1}`, file: c.shown.media.path, position: c.position / 25, start: c.shown.sourceIn / 25, end: c.shown.sourceOut / 25 })));
    expect(got.length, JSON.stringify({ got, want }, null, 1)).toBe(want.length);
    for (const w of want) {
      const g = got.find((x) => x.layer === w.layer && x.file === w.file);
      expect(g, JSON.stringify(w)).toBeDefined();
      expect(close(g!.position, w.position) && close(g!.start, w.start) && close(g!.end, w.end), `${JSON.stringify(g)} vs ${JSON.stringify(w)}`).toBe(true);
    }
    // The take is what V1 shows.
    expect(got.some((g) => g.file === f.take)).toBe(true);
  }, 180_000);

  it('EDL with AX reels (the style OpenShot reads): the picture events from their files at their record times', async () => {
    const out = join(f.dir, 'os.edl');
    expect((await lacuna('export', f.projectPath, '-o', out, '--edl-reels', 'ax')).code).toBe(0);
    const got = openshotImport('edl', join(f.dir, 'os_V1.edl'), f.fps);
    expect(got.length, JSON.stringify(got)).toBe(2);
    const L = f.layout;
    // OpenShot reads source timecodes as seconds into the file (it does not subtract a file's
    // own start timecode, which the take has: the original's plus its alignment), so its start
    // is the source-in column as written; position comes from the record-in column.
    const lines = readFileSync(join(f.dir, 'os_V1.edl'), 'utf8').split('\r\n');
    const event = lines.find((l) => /^\d{3}  AX {7}V /.test(l))!;
    const seconds = (tc: string) => timecodeFrames(tc, f.fps)!.frames / 25;
    const v = got.find((g) => g.file === f.take);
    expect(v, JSON.stringify(got)).toBeDefined();
    expect(v!.position).toBeCloseTo(L.aPos / 25, 6);
    expect(v!.start).toBeCloseTo(seconds(event.slice(29, 40)), 6);
    expect(v!.end).toBeCloseTo(seconds(event.slice(41, 52)), 6);
    expect(v!.end - v!.start).toBeCloseTo((L.aOut - L.aIn) / 25, 6);
    const a = got.find((g) => g.file === f.a);
    expect(a && close(a.position, L.aPos / 25) && close(a.start, L.aIn / 25) && close(a.end, L.aOut / 25), JSON.stringify(a)).toBe(true);
  }, 180_000);
});

import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JobDto } from '../../src/api/schemas/jobs';
import { AppService } from '../../src/engine/app/AppService';
import { installedRemovalEngines } from '../../src/engine/removal/installedEngines';
import { tempDir } from './fixtures';

/*
 * The Find step and a render of exactly the objects picked, through the app's handlers on real
 * footage (two-birds: "remove the bird on the left") with the Lite engine.
 */
const TWO_BIRDS = resolve(import.meta.dirname, '../../../shared/fixtures/two-birds');

let tmp: ReturnType<typeof tempDir>;
let app: AppService;
const jobs: JobDto[] = [];
let clipId: string;

beforeAll(async () => {
  tmp = tempDir('lacuna-find-');
  app = await AppService.create({
    host: { kind: 'browser', nativeDialogs: false },
    appName: 'Lacuna',
    appVersion: 'test',
    versions: {},
    dataDir: tmp.dir,
    emit: (name, payload) => name === 'jobs.state' && jobs.push(payload as JobDto),
    engines: installedRemovalEngines(),
  });
  const h = app.handlers;
  await h['project.new']({ name: 'Birds', discardChanges: true });
  const { imported } = await h['media.import']({ paths: [TWO_BIRDS], sequenceFps: { num: 25, den: 1 } });
  const project = await h['timeline.place']({ mediaId: imported[0].id });
  clipId = project.sequences[0].tracks[0].clips[0].id;
}, 60_000);

afterAll(async () => {
  await app?.dispose();
  tmp?.cleanup();
});

describe('removal.find', () => {
  it('finds both birds, says which one the words choose, and gives each a box on every frame', async () => {
    const found = await app.handlers['removal.find']({ clipId, expression: 'the bird on the left' });
    expect(found.explanation).toMatch(/matched 1 of 2 birds/);
    expect(found.objects.map((o) => o.label)).toEqual(['bird', 'bird']);
    expect(found.objects.filter((o) => o.chosen)).toHaveLength(1);
    const [a, b] = found.objects;
    expect(a.boxes).toHaveLength(18);
    const centre = (o: typeof a) => o.boxes.find((x) => x)![0] + o.boxes.find((x) => x)![2] / 2;
    const left = centre(a) < centre(b) ? a : b;
    expect(left.chosen).toBe(true);
    expect([found.width, found.height]).toEqual([568, 320]);
  }, 120_000);

  it('renders exactly the picked object (the right bird, clicked instead of the words’ choice)', async () => {
    const found = await app.handlers['removal.find']({ clipId, expression: 'the bird on the left' });
    const right = found.objects.find((o) => !o.chosen)!;
    const job = await app.handlers['jobs.submit']({ kind: 'remove', clipId, expression: 'the bird on the left', tracks: [right.id], maskDilate: 6 });
    await expect.poll(() => jobs.filter((j) => j.id === job.id).at(-1)?.state, { timeout: 180_000, interval: 500 }).toBe('done');
    const done = jobs.filter((j) => j.id === job.id).at(-1)!;
    expect(done.message).toMatch(/removed 1 chosen object of 2 found \(bird\)/);
    const project = (await app.handlers['project.get']({}))!;
    const take = project.sequences[0].tracks[0].clips[0].takes.at(-1)!;
    expect(take.kind).toBe('generated');
    // The matte (white = removed) lies over the right bird: its white pixels' centre is right of the middle.
    const grey = execFileSync('ffmpeg', ['-loglevel', 'error', '-i', take.mattePath!, '-frames:v', '1', '-f', 'rawvideo', '-pix_fmt', 'gray', '-']);
    let sum = 0;
    let n = 0;
    for (let i = 0; i < grey.length; i++) {
      if (grey[i] > 127) {
        sum += i % 568;
        n++;
      }
    }
    expect(n).toBeGreaterThan(50);
    expect(sum / n).toBeGreaterThan(568 / 2);
    const rightCentre = right.boxes[0]![0] + right.boxes[0]![2] / 2;
    expect(Math.abs(sum / n - rightCentre)).toBeLessThan(60);
  }, 200_000);
});

/*
 * `npm run demo`: the main job on a fresh install, with nothing but what the install brings:
 * removal by description. It draws its own footage (scripts/demoScene.ts: nothing to download or
 * license), a camera panning along a roadside while a stop sign slides across the shot. Then,
 * printing each `lacuna` command as it goes, it makes a project of the clip, removes "the stop
 * sign" with the default Lite engine (the bundled COCO detector finds it, the tracker follows it,
 * the video fill paints the roadside back) as a new take of the clip, and shows the take: its
 * path, frame count, what was done, and a before/after picture. Everything lands in
 * demo/run-<time>/. (With ../shared beside the checkout, try real footage:
 * `npx lacuna remove ../shared/fixtures/two-birds "remove the bird on the left" --fps 25`.)
 */
import { mkdirSync } from 'node:fs';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { main } from '../src/cli/main';
import { createReporter } from '../src/cli/reporter';
import { exitCodeFor } from '../src/cli/exitCodes';
import { asUserError, LacunaError } from '../src/engine/util/errors';
import { ffmpegPaths } from '../src/engine/media/ffmpegLocator';
import { runProcess } from '../src/engine/util/runProcess';
import { demoScene, renderDemoClip } from './demoScene';

const root = resolve(import.meta.dirname, '..');
// LACUNA_DEMO_DIR: where this run's files go (tests use it); default demo/run-<time>.
const dir = process.env.LACUNA_DEMO_DIR ? resolve(process.env.LACUNA_DEMO_DIR) : join(root, 'demo', `run-${new Date().toISOString().replace(/[:.]/g, '-')}`);
mkdirSync(dir, { recursive: true });
const clipName = 'roadside with stop sign.mp4';
const clip = join(dir, clipName);
const project = join(dir, 'demo.lacuna');
const beforeAfter = join(dir, 'before-after.png');
process.env.LACUNA_DATA_DIR ??= join(root, 'demo', '.lacuna-cli');

/** An argument as typed from the repo's folder: paths relative, quoted where they have spaces. */
function shown(arg: string): string {
  const rel = isAbsolute(arg) ? relative(root, arg) : arg;
  const s = rel && !rel.startsWith('..') ? rel : arg;
  return /\s/.test(s) ? JSON.stringify(s) : s;
}

/** Runs `lacuna <args>` in-process as if typed, echoing what it prints; returns its standard output. */
async function lacuna(...args: string[]): Promise<string> {
  console.log(`\n$ lacuna ${args.map(shown).join(' ')}`);
  let out = '';
  const code = await main(['node', 'lacuna', ...args], {
    stdout: (s) => {
      out += s;
      process.stdout.write(s);
    },
    stderr: (s) => process.stderr.write(s),
  });
  if (code !== 0) process.exit(code);
  return out;
}

/**
 * The demo's own steps (drawing the clip, the before/after picture) fail the way the CLI does: one
 * or two plain lines with a hint (ffmpeg missing, disk full), never a stack trace.
 */
async function run(): Promise<void> {
  const scene = demoScene();
  console.log(`Drawing a ${scene.frames}-frame ${scene.width}x${scene.height} clip (a stop sign crossing a panning roadside) into ${relative(root, dir)}/ …`);
  await renderDemoClip(scene, clip);

  await lacuna('probe', clip, '--summary');
  await lacuna('project', 'create', project, '--fps', '25', '--size', `${scene.width}x${scene.height}`);
  await lacuna('project', 'add', project, clip);
  const removed = await lacuna('remove', '--project', project, '--clip', clipName, 'remove the stop sign');
  const take = /new take \S+: (.+)$/m.exec(removed)?.[1]?.trim();
  if (!take) {
    console.error('\nThe removal added no take (see above).');
    process.exit(1);
  }
  await lacuna('probe', take, '--summary');

  // Before and after, side by side: the middle frame of the clip and of its take.
  const middle = Math.floor(scene.frames / 2);
  await runProcess(ffmpegPaths().ffmpeg, ['-hide_banner', '-loglevel', 'error', '-y', '-i', clip, '-i', take,
    '-filter_complex', `[0:v]select=eq(n\\,${middle})[a];[1:v]select=eq(n\\,${middle})[b];[a][b]hstack=inputs=2,format=rgb24`, '-frames:v', '1', beforeAfter]);
  await lacuna('project', 'list', project);
  console.log(`\nDone. Before (left) and after (right), frame ${middle}: ${relative(root, beforeAfter)}`);
  console.log(`The clip's new take: ${relative(root, take)} (beside its matte); open ${relative(root, project)} in the app (npm start).`);
}

try {
  await run();
} catch (e) {
  const shown = asUserError(e);
  createReporter({ json: false }).error(shown);
  process.exit(shown instanceof LacunaError ? exitCodeFor(shown.code) : 1);
}

/*
 * `npm run demo`: the main job on a fresh install, with nothing but what the install brings.
 * It renders its own footage with ffmpeg's built-in sources (nothing to download or license): a
 * slowly panning textured plate with a red square sliding across it, and the square's matte. Then,
 * printing each `lacuna` command as it goes, it makes a project of the clip and removes the square
 * with the default Lite engine as a new take of the clip, shows that a description naming nothing
 * in the shot changes nothing and says why, and lists the project. Everything lands in
 * demo/run-<time>/. (With ../shared beside the checkout, try the real thing:
 * `npx lacuna remove ../shared/fixtures/two-birds "remove the bird on the left" --fps 25`.)
 */
import { mkdirSync } from 'node:fs';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { main } from '../src/cli/main';
import { ffmpegPaths } from '../src/engine/media/ffmpegLocator';
import { runProcess } from '../src/engine/util/runProcess';

const root = resolve(import.meta.dirname, '..');
const dir = join(root, 'demo', `run-${new Date().toISOString().replace(/[:.]/g, '-')}`);
mkdirSync(dir, { recursive: true });
const clip = join(dir, 'plate with square.mp4');
const matte = join(dir, 'square matte.mkv');
const project = join(dir, 'demo.lacuna');
process.env.LACUNA_DATA_DIR ??= join(root, 'demo', '.lacuna-cli');

/** An argument as typed from the repo's folder: paths relative, quoted where they have spaces. */
function shown(arg: string): string {
  const rel = isAbsolute(arg) ? relative(root, arg) : arg;
  const s = rel && !rel.startsWith('..') ? rel : arg;
  return /\s/.test(s) ? JSON.stringify(s) : s;
}

async function lacuna(...args: string[]): Promise<void> {
  console.log(`\n$ lacuna ${args.map(shown).join(' ')}`);
  const code = await main(['node', 'lacuna', ...args]);
  if (code !== 0) process.exit(code);
}

async function ffmpeg(...args: string[]): Promise<void> {
  await runProcess(ffmpegPaths().ffmpeg, ['-hide_banner', '-loglevel', 'error', '-y', ...args]);
}

console.log(`Rendering a 3 s 960x540 clip with sound, and its matte, into ${relative(root, dir)}/ …`);
// The plate: one mandelbrot frame, twice the clip's size, panned by a moving crop.
const plate = "mandelbrot=size=1920x1080:rate=25,trim=end_frame=1,loop=loop=74:size=1,setpts=N/25/TB,crop=960:540:'200+n*4':'150+n*2'";
/** The square's path (8 px right, 1.5 px down a frame); the matte's square is 6 px larger all round. */
const path = (grow: number) => `[0][1]overlay=x='${160 - grow}+n*8':y='${200 - grow}+n*1.5':shortest=1`;
await ffmpeg('-f', 'lavfi', '-i', plate, '-f', 'lavfi', '-i', 'color=red:size=64x64:rate=25', '-f', 'lavfi', '-i', 'sine=frequency=330:sample_rate=48000:duration=3',
  '-filter_complex', path(0), '-c:v', 'libx264', '-preset', 'veryfast', '-crf', '12', '-pix_fmt', 'yuv420p',
  '-color_primaries', 'bt709', '-color_trc', 'bt709', '-colorspace', 'bt709', '-c:a', 'aac', '-shortest', clip);
await ffmpeg('-f', 'lavfi', '-i', 'color=black:size=960x540:rate=25:duration=3', '-f', 'lavfi', '-i', 'color=white:size=76x76:rate=25',
  '-filter_complex', `${path(6)},format=gray`, '-c:v', 'ffv1', matte);

await lacuna('probe', clip, '--summary');
await lacuna('project', 'create', project, '--fps', '25', '--size', '960x540');
await lacuna('project', 'add', project, clip);
await lacuna('remove', '--project', project, '--clip', 'plate with square.mp4', '--mask', matte);
await lacuna('remove', clip, 'remove the dog on the left');
await lacuna('project', 'list', project);
console.log(`\nDone. The clip's new take is in ${relative(root, join(dir, 'demo Renders'))}/ beside its matte; open ${relative(root, project)} in the app (npm start).`);

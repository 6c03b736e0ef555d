/*
 * `npm run demo`: the main job on a fresh install, with nothing but what the install brings.
 * It renders a short clip with ffmpeg's built-in sources (so there is nothing to download or
 * license), makes a project of it, and runs a job that writes a new take of the clip, printing
 * each step's `lacuna` command as it goes. Everything lands in demo/run-<time>/.
 */
import { mkdirSync } from 'node:fs';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { main } from '../src/cli/main';
import { ffmpegPaths } from '../src/engine/media/ffmpegLocator';
import { runProcess } from '../src/engine/util/runProcess';

const root = resolve(import.meta.dirname, '..');
const dir = join(root, 'demo', `run-${new Date().toISOString().replace(/[:.]/g, '-')}`);
mkdirSync(dir, { recursive: true });
const clip = join(dir, 'bars and tone.mp4');
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

console.log(`Rendering a 4 s 1280x720 test clip with sound into ${relative(root, dir)}/ …`);
await runProcess(ffmpegPaths().ffmpeg, [
  '-hide_banner', '-loglevel', 'error', '-f', 'lavfi', '-i', 'testsrc2=size=1280x720:rate=25:duration=4',
  '-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=48000:duration=4',
  '-c:v', 'libx264', '-preset', 'veryfast', '-pix_fmt', 'yuv420p', '-color_primaries', 'bt709', '-color_trc', 'bt709', '-colorspace', 'bt709',
  '-c:a', 'aac', '-shortest', clip,
]);
await lacuna('probe', clip, '--summary');
await lacuna('project', 'create', project, '--fps', '25', '--size', '1280x720');
await lacuna('project', 'add', project, clip);
await lacuna('transcode', '--project', project, '--clip', 'bars and tone.mp4', '--codec', 'prores_hq');
await lacuna('project', 'list', project);
console.log(`\nDone. Open ${relative(root, project)} in the app (npm start), or list it again with the last command.`);

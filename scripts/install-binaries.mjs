#!/usr/bin/env node
// Runs the binary downloads that npm's "allowScripts" policy keeps from running on their own
// (see package.json): Electron's runtime and ffmpeg-static's binary. They are tried here, with
// a time limit, so that an install on a machine that cannot reach their download hosts (CI,
// air-gapped studios) still succeeds: Lacuna's CLI and tests need neither (ffmpeg is then found
// on PATH), and the desktop app tells the user what is missing. On an ordinary online machine
// both downloads succeed and `npm start` opens the app.
//
// LACUNA_SKIP_BINARIES=1 skips both (CI sets it: their hosts are unreachable there).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);

/** @type {{ name: string, script: string, env?: Record<string,string> }[]} */
const downloads = [
  { name: 'electron', script: 'install.js' },
  { name: 'ffmpeg-static', script: 'install.js' },
];

if (process.env.LACUNA_SKIP_BINARIES === '1') {
  console.log('lacuna: LACUNA_SKIP_BINARIES=1, not downloading Electron or ffmpeg-static binaries.');
  process.exit(0);
}

for (const { name, script } of downloads) {
  let dir;
  try {
    dir = dirname(require.resolve(`${name}/package.json`));
  } catch {
    continue; // not installed (e.g. `npm ci --omit=dev` leaves Electron out)
  }
  if (!existsSync(join(dir, script))) continue;
  const result = spawnSync(process.execPath, [script], {
    cwd: dir,
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: 10 * 60 * 1000,
    env: process.env,
    encoding: 'utf8',
  });
  if (result.status === 0) {
    console.log(`lacuna: ${name} binary ready.`);
  } else {
    const why = (result.stderr || result.stdout || String(result.error ?? '')).trim().split('\n').find((l) => l.trim()) ?? 'unknown error';
    console.warn(`lacuna: could not download the ${name} binary (${why.slice(0, 200)}).`);
    console.warn(`lacuna:   the CLI and tests still work; ${name === 'electron'
      ? 'the desktop app needs it: run `node node_modules/electron/install.js` once online.'
      : 'ffmpeg is then taken from LACUNA_FFMPEG or PATH (e.g. `apt install ffmpeg`).'}`);
  }
}

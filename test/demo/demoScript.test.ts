import { spawn } from 'node:child_process';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { withTempDir } from '../media/mediaFiles';

/** `npm run demo` on a machine where ffmpeg cannot be found: the CLI's two plain lines, not a stack trace. */

const root = resolve(import.meta.dirname, '../..');

function runDemo(env: NodeJS.ProcessEnv): Promise<{ code: number | null; stderr: string }> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [join(root, 'bin/run-ts.mjs'), join(root, 'scripts/demo.ts')], { cwd: root, env: { ...process.env, ...env } });
    let stderr = '';
    child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
    child.on('error', fail);
    child.on('close', (code) => done({ code, stderr }));
  });
}

describe('npm run demo', () => {
  it('without a usable ffmpeg, says so in plain lines with the fix and exits non-zero', async () => {
    await withTempDir(async (dir) => {
      const run = await runDemo({ LACUNA_FFMPEG: join(dir, 'no-such-ffmpeg'), LACUNA_FFPROBE: join(dir, 'no-such-ffprobe'), LACUNA_DEMO_DIR: join(dir, 'demo') });
      expect(run.code).not.toBe(0);
      expect(run.stderr).toMatch(/^error: .*ffmpeg/m);
      expect(run.stderr).toMatch(/LACUNA_FFMPEG/);
      expect(run.stderr).not.toMatch(/^\s+at /m);
      expect(run.stderr).not.toMatch(/LacunaError|Node\.js v/);
    });
  }, 60_000);
});

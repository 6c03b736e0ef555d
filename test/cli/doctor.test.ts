import { chmodSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { locateFfmpeg, NPM_FFMPEG_SOURCE } from '../../src/engine/media/ffmpegLocator';
import { tempDir } from '../app/fixtures';
import { lacunaProcess } from './cliHarness';

/*
 * Issue 10, item 10: `lacuna doctor` says which ffmpeg Lacuna uses, where it came from and what
 * it lacks. Run as `npx lacuna doctor` runs, in a child process whose environment is chosen.
 */
const tmp = tempDir('lacuna-doctor-');
afterAll(() => tmp.cleanup());

/** An environment with nothing on PATH but node: what a bare machine has. */
function bareEnv(): NodeJS.ProcessEnv {
  const bin = join(tmp.dir, `bin-${Math.random().toString(36).slice(2)}`);
  mkdirSync(bin);
  symlinkSync(process.execPath, join(bin, 'node'));
  const { LACUNA_FFMPEG: _f, LACUNA_FFPROBE: _p, ...rest } = process.env;
  return { ...rest, PATH: bin };
}

function doctor(env: NodeJS.ProcessEnv): Record<string, unknown> {
  const run = lacunaProcess(['doctor', '--json'], undefined, env);
  expect(run.code, run.stderr).toBe(0);
  const result = run.stdout.split('\n').filter(Boolean).map((l) => JSON.parse(l) as { type: string; value?: Record<string, unknown> }).find((l) => l.type === 'result');
  return result!.value!;
}

describe('lacuna doctor', () => {
  it('on a machine with no system ffmpeg: the npm-shipped 4.1 build, said so, lacking nothing Lacuna uses', () => {
    const info = doctor(bareEnv()) as { ffmpeg: { ffmpeg: string; source: { ffmpeg: string } }; ffmpegVersion: string; lacks: string[]; note: string | null };
    expect(info.ffmpeg.source.ffmpeg).toBe(NPM_FFMPEG_SOURCE);
    expect(info.ffmpeg.ffmpeg).toMatch(/node_modules\/@ffmpeg-installer\//);
    expect(info.ffmpegVersion).toMatch(/^ffmpeg version /);
    expect(info.lacks).toEqual([]);
    expect(info.note).toMatch(/ffmpeg 4\.1 build shipped in npm.*apt install ffmpeg.*LACUNA_FFMPEG/);
    // The plain output says the same in lines a person reads.
    const plain = lacunaProcess(['doctor'], undefined, bareEnv());
    expect(plain.stdout).toMatch(/^ffmpeg {4}.*\[@ffmpeg-installer\/ffmpeg\]$/m);
    expect(plain.stdout).toMatch(/^lacks {5}nothing Lacuna uses$/m);
  });

  it('names the encoders and filters an ffmpeg lacks, with what is lost without each', () => {
    // A real ffmpeg whose build lists no libx265 and no zscale (as some distributions' builds).
    const real = locateFfmpeg().ffmpeg;
    const wrapper = join(tmp.dir, 'ffmpeg-without-x265');
    writeFileSync(
      wrapper,
      `#!/bin/sh\ncase "$*" in *-encoders*|*-filters*) '${real}' "$@" | grep -v -e libx265 -e zscale; exit 0;; esac\nexec '${real}' "$@"\n`,
    );
    chmodSync(wrapper, 0o755);
    const info = doctor({ ...process.env, LACUNA_FFMPEG: wrapper }) as { ffmpeg: { ffmpeg: string; source: { ffmpeg: string } }; lacks: string[]; note: string | null };
    expect(info.ffmpeg.ffmpeg).toBe(wrapper);
    expect(info.ffmpeg.source.ffmpeg).toMatch(/LACUNA_FFMPEG/);
    expect(info.lacks).toEqual(['encoder libx265 (HEVC takes)', 'filter zscale (colour conversion of takes)']);
    expect(info.note).toBeNull();
  });
});

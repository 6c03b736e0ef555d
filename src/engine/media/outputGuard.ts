import type { EncodeOptions } from './encode';
import { stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { LacunaError } from '../util/errors';
import { sweepPartials } from '../util/partialFiles';
import { sequenceFilePaths } from './imageSequenceSource';
import type { MediaSource } from './types';

/** The files a source reads from: one file, or every frame of a sequence. */
export function sourceFiles(source: MediaSource): string[] {
  return source.kind === 'file' ? [source.path] : sequenceFilePaths(source);
}

async function statOrNull(path: string) {
  try {
    return await stat(path);
  } catch {
    return null;
  }
}

/**
 * Checks an output path before any work: no input (the source, a matte given as the mask, the
 * media a project reads) is ever a valid target, even with `overwrite` and even under another name (compared by device and inode, so a symlink or hard
 * link to the source is caught); an existing file is replaced only with `overwrite`; and the
 * folder must exist, so the error comes now rather than after a long encode.
 */
export async function guardOutput(output: string, sources: readonly MediaSource[], overwrite: boolean): Promise<void> {
  await sweepPartials(dirname(output));
  const target = await statOrNull(output);
  if (target) {
    for (const source of sources) {
      for (const file of sourceFiles(source)) {
        const s = await statOrNull(file);
        if (s && s.dev === target.dev && s.ino === target.ino) {
          throw new LacunaError(
            'WOULD_OVERWRITE_SOURCE',
            `refusing to write ${output}: it is ${file === output ? 'an input of this job' : `an input of this job (${file})`}`,
            'Choose another output name; Lacuna never overwrites its input.',
          );
        }
      }
    }
    if (target.isDirectory()) throw new LacunaError('BAD_ARGUMENT', `output ${output} is a folder`, 'Give a file name for the output.');
    if (!overwrite) {
      throw new LacunaError('OUTPUT_EXISTS', `output already exists: ${output}`, 'Choose another name, or allow overwriting (--overwrite).');
    }
  }
  const folder = await statOrNull(dirname(output));
  if (!folder?.isDirectory()) {
    throw new LacunaError('BAD_ARGUMENT', `output folder does not exist: ${dirname(output)}`, 'Create the folder first, or choose another.');
  }
}

/** Media an encode must never write over: its declared sources and the audio it copies from. */
export function protectedSources(options: Pick<EncodeOptions, 'sources' | 'audioFrom'>): MediaSource[] {
  return [...(options.sources ?? []), ...(options.audioFrom ? [options.audioFrom.media.source] : [])];
}

import { mkdir, readdir, rename, rm } from 'node:fs/promises';
import { basename, dirname, extname, join, resolve } from 'node:path';
import { fsyncDir } from '../util/atomicWrite';
import { partialFolderName, sweepPartials } from '../util/partialFiles';
import { LacunaError, writeFailure } from '../util/errors';
import { toString } from '../util/rational';
import { encodeLabel, type EncodeOptions } from './encode';
import { pipeFrames } from './framePipe';
import { ffmpegPaths } from './ffmpegLocator';
import { startFfmpeg } from './ffmpegProcess';
import { guardOutput, protectedSources } from './outputGuard';
import { isYuvFormat, type Frame } from './types';

/**
 * Writing frames as an image sequence (`frames/%05d.png`), ffmpeg's convention for VFX and grading
 * hand-offs. The files are rendered into a hidden folder beside the destination and moved into
 * place only once every frame is written, after checking that none would replace an existing file
 * (unless overwriting) or a source frame (never), so an interrupted render leaves nothing that
 * looks like a finished sequence. Image files carry no frame rate or audio; the codec choice of a
 * video output does not apply: the file extension picks the format.
 */

interface SequenceFormat {
  label: string;
  codecArgs: string[];
  /** Pixel format written, for RGB and for grey (matte) input. */
  rgb: string;
  gray: string;
}

const FORMATS: Record<string, SequenceFormat> = {
  '.png': { label: 'PNG', codecArgs: ['-c:v', 'png'], rgb: 'rgb24', gray: 'gray' },
  '.tif': { label: 'TIFF', codecArgs: ['-c:v', 'tiff', '-compression_algo', 'deflate'], rgb: 'rgb24', gray: 'gray' },
  '.tiff': { label: 'TIFF', codecArgs: ['-c:v', 'tiff', '-compression_algo', 'deflate'], rgb: 'rgb24', gray: 'gray' },
  '.dpx': { label: 'DPX', codecArgs: ['-c:v', 'dpx'], rgb: 'rgb24', gray: 'rgb24' },
  '.jpg': { label: 'JPEG', codecArgs: ['-c:v', 'mjpeg', '-q:v', '2'], rgb: 'yuvj444p', gray: 'gray' },
  '.jpeg': { label: 'JPEG', codecArgs: ['-c:v', 'mjpeg', '-q:v', '2'], rgb: 'yuvj444p', gray: 'gray' },
};

function formatFor(pattern: string): SequenceFormat {
  const format = FORMATS[extname(pattern).toLowerCase()];
  if (!format) {
    throw new LacunaError(
      'BAD_ARGUMENT',
      `cannot write an image sequence of "${extname(pattern) || '(no extension)'}" files: ${pattern}`,
      `End the pattern with ${Object.keys(FORMATS).join(', ')} (e.g. frames/%05d.png).`,
    );
  }
  return format;
}

export async function encodeImageSequence(frames: AsyncIterable<Frame>, options: EncodeOptions): Promise<{ output: string; frameCount: number }> {
  const pattern = resolve(options.output);
  const format = formatFor(pattern);
  const folder = dirname(pattern);
  const { width, height, fps, signal } = options;
  const input = options.pixelFormat ?? 'rgb24';
  // Image formats are RGB (or gray) files; YUV frames would need a matrix chosen here, so they are
  // refused and the caller decodes to RGB (transcode does for pattern outputs).
  if (isYuvFormat(input)) {
    throw new LacunaError('BAD_ARGUMENT', `image sequences are written from rgb24 or gray frames, not ${input}: ${pattern}`, 'Decode the frames to rgb24.');
  }
  const first = options.firstNumber ?? 0;
  const ff = options.ffmpeg ?? ffmpegPaths();
  const what = encodeLabel(options);
  // The folder must exist now, not after a long render (guardOutput checks it on the pattern's path).
  await guardOutput(pattern, [], false);

  await sweepPartials(folder);
  const staging = join(folder, partialFolderName(basename(pattern).replace(/%0?\d*d/g, '#').replace(/[^\w.#-]/g, '_')));
  await mkdir(staging).catch((e: unknown) => {
    throw writeFailure(e, pattern);
  });
  try {
    const args = [
      '-f', 'rawvideo', '-pix_fmt', input, '-s', `${width}x${height}`, '-framerate', toString(fps), '-i', 'pipe:0',
      ...format.codecArgs, '-pix_fmt', input === 'gray' ? format.gray : format.rgb,
      '-start_number', String(first), '-f', 'image2', '-y', join(staging, basename(pattern)),
    ];
    const frameCount = await pipeFrames(startFfmpeg(ff.ffmpeg, args, { signal, what }), frames, { width, height, pixelFormat: input, signal, what, output: pattern });
    const written = (await readdir(staging)).sort();
    // Check every destination before moving any: all of the sequence lands, or none of it.
    for (const name of written) await guardOutput(join(folder, name), protectedSources(options), options.overwrite ?? false);
    for (const name of written) await rename(join(staging, name), join(folder, name));
    await fsyncDir(folder);
    return { output: pattern, frameCount };
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}

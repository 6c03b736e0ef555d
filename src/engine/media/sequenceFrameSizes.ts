import { open } from 'node:fs/promises';
import { basename } from 'node:path';
import { imageSize } from 'image-size';
import { LacunaError } from '../util/errors';

/**
 * Every frame of an image sequence must have the first frame's size: ffmpeg would otherwise
 * scale the odd frame to fit without a word (a plate re-rendered at another resolution, a
 * thumbnail left in the folder). Reading each file's header (image-size, a few kilobytes a
 * frame; no decode, no process per file) is cheap enough to do at every probe. Formats
 * image-size does not read (EXR, DPX) are left to ffmpeg, which decodes them at their own size.
 */

/** Header bytes read first; a JPEG with a large EXIF thumbnail may need the second try. */
const HEAD_BYTES = [64 * 1024, 1024 * 1024];
const PARALLEL = 16;

async function headerSize(path: string): Promise<{ width: number; height: number } | null> {
  const fh = await open(path, 'r');
  try {
    for (const length of HEAD_BYTES) {
      const buffer = Buffer.alloc(length);
      const { bytesRead } = await fh.read(buffer, 0, length, 0);
      try {
        const size = imageSize(buffer.subarray(0, bytesRead));
        if (size.width && size.height) return { width: size.width, height: size.height };
        return null;
      } catch {
        if (bytesRead < length) return null; // not a format it reads, or damaged: ffmpeg will say
      }
    }
    return null;
  } finally {
    await fh.close();
  }
}

/** Refuses a sequence whose frames are not all the first frame's size (names the first few that differ). */
export async function checkSequenceFrameSizes(files: readonly string[]): Promise<void> {
  const sizes: ({ width: number; height: number } | null)[] = [];
  for (let i = 0; i < files.length; i += PARALLEL) {
    sizes.push(...(await Promise.all(files.slice(i, i + PARALLEL).map((f) => headerSize(f).catch(() => null)))));
  }
  const first = sizes[0];
  if (!first) return;
  const { width, height } = first;
  const odd = files.flatMap((file, i) => {
    const s = sizes[i];
    return s && (s.width !== width || s.height !== height) ? [{ file, ...s }] : [];
  });
  if (odd.length === 0) return;
  const named = odd.slice(0, 3).map((o) => `${basename(o.file)} is ${o.width}x${o.height}`).join(', ');
  throw new LacunaError(
    'MEDIA_UNREADABLE',
    `the frames of this image sequence differ in size: ${named}${odd.length > 3 ? ` (and ${odd.length - 3} more)` : ''}, where ${basename(files[0])} is ${width}x${height}`,
    'Render or export every frame at one size (or move the odd files out of the folder); Lacuna does not rescale frames silently.',
  );
}

import { resolve } from 'node:path';
import { ffmpegPaths } from '../../../src/engine/media/ffmpegLocator';
import { runProcess } from '../../../src/engine/util/runProcess';
import type { RgbImage } from '../../../src/engine/lite/types';

/**
 * Test helper: an image file decoded to packed RGB24 by ffmpeg, optionally through a filter
 * chain (hflip, crop, scale) so tests can make their own variants of the real frames.
 */
export async function decodeImage(path: string, width: number, height: number, filter?: string): Promise<RgbImage> {
  const args = ['-v', 'error', '-i', path, ...(filter ? ['-vf', filter] : []), '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-'];
  const { stdout } = await runProcess(ffmpegPaths().ffmpeg, args, { what: `decoding ${path}` });
  if (stdout.length !== width * height * 3) {
    throw new Error(`${path}: expected ${width}x${height} RGB (${width * height * 3} bytes), got ${stdout.length}`);
  }
  return { width, height, data: new Uint8Array(stdout.buffer, stdout.byteOffset, stdout.byteLength) };
}

export const TWO_BIRDS_DIR = resolve(import.meta.dirname, '../../../../shared/fixtures/two-birds');
export const TWO_BIRDS_SIZE = { width: 568, height: 320 };

import { createHash, type Hash } from 'node:crypto';
import { open, stat, type FileHandle } from 'node:fs/promises';
import { basename } from 'node:path';
import { LacunaError, throwIfAborted } from '../util/errors';
import { CONTENT_HASH_ALGORITHM, type ContentHash } from './schema';
import { frameFileName } from './imageSequence';

/**
 * The "quick" content hash that identifies media in a project (algorithm `lacuna-quick-sha256`).
 *
 * For a file of `size` bytes it is SHA-256 over
 *   "lacuna-quick-sha256\0file\0<size in decimal>\0"
 *   then, when size <= 3 MiB, every byte;
 *   else three 1 MiB samples: the first MiB, the MiB starting at floor((size - 1 MiB) / 2), the last MiB.
 *
 * Why not hash everything: camera originals and renders run to tens of gigabytes, often on
 * network storage. A full SHA-256 of a 50 GB ProRes file takes minutes; this reads 3 MiB
 * whatever the size, so import and relink stay instant. Why these samples: headers and trailers
 * carry the per-file identity (timecode, reel and clip UUIDs, moov/index tables with every
 * frame's offset), the middle catches files that share a header template, and the exact size
 * separates almost everything else. It is an identity check for relinking, not an integrity or
 * security check: two files that differ only outside the samples, with the same size, collide.
 * That is acceptable here because a collision can only relink to a file that has the same size,
 * header, middle and tail as the original, which in practice is the original.
 *
 * For an image sequence it is SHA-256 over
 *   "lacuna-quick-sha256\0imageSequence\0<frame count>\0"
 *   then for each frame in order "<file name>\0<size>\n" (names without folders, so moving the
 *   folder keeps the hash), then "\0" + the quick file hash (hex) of the first and of the last
 *   frame; `size` is the sum of the frame sizes.
 * Listing names and sizes catches a missing, added or re-rendered frame (EXR sizes differ frame
 * to frame); hashing every frame's content would read the whole sequence, which is what the
 * quick hash exists to avoid.
 */

export const QUICK_HASH_SAMPLE_BYTES = 1024 * 1024;
/** Files up to this size are hashed whole: three samples would cover them anyway. */
export const QUICK_HASH_WHOLE_FILE_LIMIT = 3 * QUICK_HASH_SAMPLE_BYTES;
const READ_CHUNK = 256 * 1024;
/** Concurrent stats while listing a sequence: enough to hide network-drive latency. */
const STAT_CONCURRENCY = 32;

export interface HashOptions {
  signal?: AbortSignal;
}

function ioError(e: unknown, path: string, what: string): LacunaError {
  const code = (e as NodeJS.ErrnoException)?.code;
  if (code === 'ENOENT' || code === 'ENOTDIR') {
    return new LacunaError('MEDIA_NOT_FOUND', `${what} not found: ${path}`, undefined, { cause: e });
  }
  const detail = e instanceof Error ? e.message : String(e);
  return new LacunaError('MEDIA_UNREADABLE', `cannot read ${what} ${path}: ${detail}`, undefined, { cause: e });
}

/** Feeds `length` bytes at `position` into the hash, in bounded chunks (memory stays flat). */
async function feedRange(fh: FileHandle, hash: Hash, buf: Buffer, position: number, length: number, path: string) {
  let done = 0;
  while (done < length) {
    const want = Math.min(buf.length, length - done);
    const { bytesRead } = await fh.read(buf, 0, want, position + done);
    if (bytesRead === 0) {
      throw new LacunaError('MEDIA_UNREADABLE', `${path} got shorter while it was being hashed`, 'Try again once the file is complete.');
    }
    hash.update(buf.subarray(0, bytesRead));
    done += bytesRead;
  }
}

/** The byte ranges the quick hash reads from a file of `size` bytes, as [position, length]. */
export function quickHashRanges(size: number): Array<[number, number]> {
  if (size <= QUICK_HASH_WHOLE_FILE_LIMIT) return [[0, size]];
  const s = QUICK_HASH_SAMPLE_BYTES;
  return [
    [0, s],
    [Math.floor((size - s) / 2), s],
    [size - s, s],
  ];
}

/** Quick content hash of one file (see the definition above). */
export async function quickHashFile(path: string, options: HashOptions = {}): Promise<ContentHash> {
  throwIfAborted(options.signal, 'hashing');
  let fh: FileHandle;
  try {
    fh = await open(path, 'r');
  } catch (e) {
    throw ioError(e, path, 'media file');
  }
  try {
    // Size from the open handle, not a separate stat by name: the two cannot disagree.
    const info = await fh.stat();
    if (!info.isFile()) throw new LacunaError('MEDIA_UNREADABLE', `not a regular file: ${path}`);
    const size = info.size;
    const hash = createHash('sha256');
    hash.update(`${CONTENT_HASH_ALGORITHM}\0file\0${size}\0`);
    const buf = Buffer.allocUnsafe(READ_CHUNK);
    for (const [position, length] of quickHashRanges(size)) {
      throwIfAborted(options.signal, 'hashing');
      await feedRange(fh, hash, buf, position, length, path);
    }
    return { algorithm: CONTENT_HASH_ALGORITHM, value: hash.digest('hex'), size };
  } catch (e) {
    throw e instanceof LacunaError ? e : ioError(e, path, 'media file');
  } finally {
    await fh.close();
  }
}

/** Runs `fn` over `items` with at most `limit` in flight, keeping results in order. */
async function mapLimited<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

/**
 * Quick content hash of an image sequence: `pattern` is a printf path pattern (absolute or
 * relative to the working directory), `numbers` the frame numbers in order.
 */
export async function quickHashImageSequence(
  pattern: string,
  numbers: readonly number[],
  options: HashOptions = {},
): Promise<ContentHash> {
  if (numbers.length === 0) throw new LacunaError('BAD_ARGUMENT', `image sequence ${pattern} has no frames`);
  const paths = numbers.map((n) => frameFileName(pattern, n));
  const sizes = await mapLimited(paths, STAT_CONCURRENCY, async (p) => {
    throwIfAborted(options.signal, 'hashing');
    try {
      const s = await stat(p);
      if (!s.isFile()) throw new LacunaError('MEDIA_UNREADABLE', `not a regular file: ${p}`);
      return s.size;
    } catch (e) {
      throw e instanceof LacunaError ? e : ioError(e, p, 'image sequence frame');
    }
  });
  const hash = createHash('sha256');
  hash.update(`${CONTENT_HASH_ALGORITHM}\0imageSequence\0${numbers.length}\0`);
  let total = 0;
  for (let i = 0; i < paths.length; i++) {
    hash.update(`${basename(paths[i])}\0${sizes[i]}\n`);
    total += sizes[i];
  }
  const first = await quickHashFile(paths[0], options);
  const last = paths.length > 1 ? await quickHashFile(paths[paths.length - 1], options) : first;
  hash.update(`\0${first.value}${last.value}`);
  return { algorithm: CONTENT_HASH_ALGORITHM, value: hash.digest('hex'), size: total };
}

export function sameContentHash(a: ContentHash, b: ContentHash): boolean {
  return a.algorithm === b.algorithm && a.value === b.value && a.size === b.size;
}

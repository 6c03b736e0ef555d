// Checksums of pack files. A real LGVI pack is several GB, so files are hashed as streams, and a
// file that verified once is remembered in Lacuna's data folder by its identity on disk (size,
// mtime, ctime, inode: verifiedCache.ts): later launches stat the files instead of re-reading
// gigabytes, and any change to a file sends it back through the hash.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { cancelledError, throwIfAborted } from '../../util/errors';
import type { FileRef } from './manifest';
import { fileIdentity, type VerifiedCache } from './verifiedCache';

export interface HashOptions {
  signal?: AbortSignal;
  /** Called with the number of bytes read since the last call. */
  onBytes?: (bytes: number) => void;
}

export type HashFile = (path: string, options?: HashOptions) => Promise<string>;

/** Streams a file through SHA-256 (1 MiB reads, constant memory) and returns lowercase hex. */
export const sha256File: HashFile = (path, options = {}) =>
  new Promise((resolve, reject) => {
    if (options.signal?.aborted) return reject(cancelledError('checking the model pack'));
    const hash = createHash('sha256');
    const stream = createReadStream(path, { highWaterMark: 1 << 20 });
    const onAbort = () => stream.destroy(cancelledError('checking the model pack'));
    options.signal?.addEventListener('abort', onAbort, { once: true });
    stream.on('data', (chunk) => {
      hash.update(chunk);
      options.onBytes?.(chunk.length);
    });
    stream.on('error', (e) => {
      options.signal?.removeEventListener('abort', onAbort);
      reject(e);
    });
    stream.on('end', () => {
      options.signal?.removeEventListener('abort', onAbort);
      resolve(hash.digest('hex'));
    });
  });

export { VerifiedCache, verifiedCachePath, lacunaDataDir, fileIdentity, type FileIdentity } from './verifiedCache';

export type FileStatus = 'ok' | 'missing' | 'wrong-size' | 'bad-checksum' | 'unreadable';

export interface FileCheck {
  /** Path inside the pack, as the manifest gives it. */
  readonly path: string;
  /** Manifest field that lists the file, e.g. "files.unet.fp16". */
  readonly field: string;
  readonly status: FileStatus;
  /** How an ok file was accepted: hashed now, remembered from an earlier run, or checksums turned off. */
  readonly checksum?: 'hashed' | 'cached' | 'skipped';
  readonly message?: string;
}

export interface ChecksumProgress {
  readonly path: string;
  readonly bytesDone: number;
  readonly bytesTotal: number;
}

export interface FileVerifierOptions {
  cache?: VerifiedCache;
  hashFile?: HashFile;
  /** Hash even files the cache remembers (and remember them afresh). */
  rehash?: boolean;
  /** Accept a file whose size matches without hashing it (pack development only). */
  skipChecksums?: boolean;
  signal?: AbortSignal;
  onProgress?: (progress: ChecksumProgress) => void;
}

/**
 * Checks pack files against their manifest entries. Each file is checked at most once per
 * verifier (a session created later for a fallback provider asks again and gets the answer
 * at once); the cache makes the next launch cheap too.
 */
export class PackFileVerifier {
  private readonly done = new Map<string, Promise<FileCheck>>();
  private readonly hashFile: HashFile;

  constructor(
    readonly dir: string,
    private readonly options: FileVerifierOptions = {},
  ) {
    this.hashFile = options.hashFile ?? sha256File;
  }

  check(ref: FileRef, field: string): Promise<FileCheck> {
    let pending = this.done.get(ref.path);
    if (!pending) {
      pending = this.checkNow(ref, field);
      this.done.set(ref.path, pending);
      // A cancelled check must be retried next time, not remembered as failed.
      pending.catch(() => this.done.delete(ref.path));
    }
    return pending;
  }

  private async checkNow(ref: FileRef, field: string): Promise<FileCheck> {
    const { cache, signal, onProgress } = this.options;
    throwIfAborted(signal, 'checking the model pack');
    const abs = join(this.dir, ref.path);
    let info;
    try {
      info = await stat(abs);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'ENOTDIR') return { path: ref.path, field, status: 'missing', message: `${ref.path} is missing` };
      return { path: ref.path, field, status: 'unreadable', message: `${ref.path} cannot be read: ${(e as Error).message}` };
    }
    if (!info.isFile()) return { path: ref.path, field, status: 'unreadable', message: `${ref.path} is not a file` };
    if (info.size !== ref.size) {
      return {
        path: ref.path,
        field,
        status: 'wrong-size',
        message: `${ref.path} is ${info.size} bytes but the manifest says ${ref.size} (incomplete download or a different file)`,
      };
    }
    if (this.options.skipChecksums) return { path: ref.path, field, status: 'ok', checksum: 'skipped' };
    if (!this.options.rehash && cache?.has(ref.path, fileIdentity(info), ref.sha256)) return { path: ref.path, field, status: 'ok', checksum: 'cached' };

    let bytesDone = 0;
    let digest: string;
    try {
      digest = await this.hashFile(abs, {
        signal,
        onBytes: (n) => {
          bytesDone += n;
          onProgress?.({ path: ref.path, bytesDone, bytesTotal: info.size });
        },
      });
    } catch (e) {
      if (signal?.aborted) throw e;
      return { path: ref.path, field, status: 'unreadable', message: `${ref.path} cannot be read: ${(e as Error).message}` };
    }
    if (digest !== ref.sha256) {
      cache?.forget(ref.path);
      return {
        path: ref.path,
        field,
        status: 'bad-checksum',
        message: `${ref.path} has SHA-256 ${digest}, the manifest expects ${ref.sha256} (corrupt or modified file)`,
      };
    }
    cache?.remember(ref.path, fileIdentity(info), ref.sha256);
    return { path: ref.path, field, status: 'ok', checksum: 'hashed' };
  }
}

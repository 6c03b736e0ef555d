import { open } from 'node:fs/promises';

/** ISO base media (MP4, MOV, M4A) top-level boxes a file may start with. */
const ISO_BOXES = new Set(['ftyp', 'moov', 'mdat', 'free', 'wide', 'skip', 'pnot', 'uuid']);

/**
 * Whether `head` (a file's first 12 bytes or more) starts a container Chromium plays natively:
 * ISO base media (MP4/MOV), Matroska/WebM, Ogg, FLAC, MP3 (ID3 tag or frame sync) or WAV. The
 * same set playability.ts sends to the browser as a file; everything else goes through the proxy.
 */
export function looksPlayable(head: Buffer): boolean {
  if (head.length >= 8 && ISO_BOXES.has(head.toString('latin1', 4, 8))) return true;
  if (head.length >= 4 && head.readUInt32BE(0) === 0x1a45dfa3) return true; // EBML: Matroska, WebM
  const start4 = head.toString('latin1', 0, 4);
  if (start4 === 'OggS' || start4 === 'fLaC') return true;
  if (start4 === 'RIFF' && head.toString('latin1', 8, 12) === 'WAVE') return true;
  if (head.toString('latin1', 0, 3) === 'ID3') return true;
  return head.length >= 2 && head[0] === 0xff && (head[1] & 0xe0) === 0xe0; // MPEG audio frame sync
}

/** Reads the start of `path` and checks it with looksPlayable; 'missing' when there is no such file. */
export async function isPlayableContainer(path: string): Promise<boolean | 'missing'> {
  let handle;
  try {
    handle = await open(path, 'r');
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'missing' : false;
  }
  try {
    const head = Buffer.alloc(12);
    const { bytesRead } = await handle.read(head, 0, head.length, 0);
    return looksPlayable(head.subarray(0, bytesRead));
  } catch {
    return false;
  } finally {
    await handle.close();
  }
}

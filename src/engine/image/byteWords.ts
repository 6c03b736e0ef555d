/**
 * Byte planes read four bytes at a time. Masks and filled frames are mostly zeros or mostly equal
 * to another plane (a removal touches a few percent of a frame), and the per-pixel passes over
 * them (temporal mask closing, folding overlapping windows) spend their time confirming that; a
 * 32-bit word that is zero, or equal to its counterpart, settles four bytes with one comparison.
 */

/** The plane as 32-bit words, or null where it cannot be viewed so (unaligned, or not a multiple of 4 long). */
export function wordsOf(bytes: Uint8Array): Uint32Array | null {
  if (bytes.byteOffset % 4 !== 0 || bytes.length % 4 !== 0) return null;
  return new Uint32Array(bytes.buffer, bytes.byteOffset, bytes.length / 4);
}

/**
 * The sum of a plane's bytes (its pixel count where it holds 0/1), four at a time where it is
 * mostly zero: a zero word adds nothing, the others add their four bytes.
 */
export function countSet(bytes: Uint8Array): number {
  const words = wordsOf(bytes);
  let sum = 0;
  if (!words) {
    for (let i = 0; i < bytes.length; i++) sum += bytes[i];
    return sum;
  }
  for (let i = 0; i < words.length; i++) {
    const v = words[i];
    if (v !== 0) sum += (v & 0xff) + ((v >>> 8) & 0xff) + ((v >>> 16) & 0xff) + (v >>> 24);
  }
  return sum;
}

/** `out[i] = from[i] ? 255 : 0` for every byte, the zero words of `from` (most of a mask) settled four bytes at a time. */
export function binaryTo255(from: Uint8Array, out: Uint8Array): void {
  if (out.length !== from.length) throw new Error(`binaryTo255: ${from.length} bytes into ${out.length}`);
  const fw = wordsOf(from);
  const ow = wordsOf(out);
  if (!fw || !ow) {
    for (let i = 0; i < out.length; i++) out[i] = from[i] ? 255 : 0;
    return;
  }
  for (let w = 0; w < fw.length; w++) {
    if (fw[w] === 0) {
      ow[w] = 0;
      continue;
    }
    for (let i = 4 * w; i < 4 * w + 4; i++) out[i] = from[i] ? 255 : 0;
  }
}

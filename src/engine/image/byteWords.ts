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

/**
 * Sorts the first `n` values of a typed array in place, ascending. Insertion sort on purpose: the
 * callers take medians of a handful of samples once per pixel, where it beats a general sort and
 * allocates nothing.
 */
export function insertionSort(v: Uint8Array, n: number): void {
  for (let i = 1; i < n; i++) {
    const x = v[i];
    let j = i - 1;
    while (j >= 0 && v[j] > x) {
      v[j + 1] = v[j];
      j--;
    }
    v[j + 1] = x;
  }
}

// Elementwise kernels (noise sampling, scheduler steps) take flat Float32Arrays; a length mismatch
// is a programming error in the sampler, and silently reading past one array's end would give
// NaNs or garbage latents far from the cause, so it is caught at the call.

/** Throws unless every named array has the same length. */
export function checkSameLength(what: string, arrays: Readonly<Record<string, ArrayLike<number>>>): void {
  let first: [string, number] | undefined;
  for (const [name, array] of Object.entries(arrays)) {
    if (!first) first = [name, array.length];
    else if (array.length !== first[1]) {
      throw new Error(`${what}: ${name} has ${array.length} elements but ${first[0]} has ${first[1]}`);
    }
  }
}

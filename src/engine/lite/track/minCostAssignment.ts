/**
 * Minimum-cost assignment of rows to columns (the Hungarian method with row/column potentials,
 * O(n^2 m) for n rows <= m columns). `cost[r][c]` may be Infinity for a pair that must not be
 * matched (gated out); such pairs are never returned, so a row can end up unmatched even when a
 * column is free. Returns the matched [row, column] pairs.
 */
export function minCostAssignment(cost: readonly (readonly number[])[]): [number, number][] {
  const rows = cost.length;
  const cols = rows > 0 ? cost[0].length : 0;
  if (rows === 0 || cols === 0) return [];
  // The method needs rows <= cols; solve the transpose otherwise.
  if (rows > cols) {
    const t = Array.from({ length: cols }, (_, c) => Array.from({ length: rows }, (_, r) => cost[r][c]));
    return minCostAssignment(t)
      .map(([c, r]): [number, number] => [r, c])
      .sort((a, b) => a[0] - b[0]);
  }
  // Forbidden pairs get a cost larger than any sum of allowed ones, so they are chosen only when
  // nothing else is possible, and are filtered out afterwards.
  let finiteMax = 0;
  for (const row of cost) for (const v of row) if (Number.isFinite(v)) finiteMax = Math.max(finiteMax, Math.abs(v));
  const forbidden = (finiteMax + 1) * (rows + 1) * 2;
  const at = (r: number, c: number) => (Number.isFinite(cost[r][c]) ? cost[r][c] : forbidden);

  // 1-based arrays; column 0 is a virtual start. u/v are potentials, match[c] the row in column c.
  const u = new Float64Array(rows + 1);
  const v = new Float64Array(cols + 1);
  const match = new Int32Array(cols + 1);
  const way = new Int32Array(cols + 1);
  for (let r = 1; r <= rows; r++) {
    match[0] = r;
    let c0 = 0;
    const minv = new Float64Array(cols + 1).fill(Infinity);
    const used = new Uint8Array(cols + 1);
    do {
      used[c0] = 1;
      const r0 = match[c0];
      let delta = Infinity;
      let c1 = 0;
      for (let c = 1; c <= cols; c++) {
        if (used[c]) continue;
        const reduced = at(r0 - 1, c - 1) - u[r0] - v[c];
        if (reduced < minv[c]) {
          minv[c] = reduced;
          way[c] = c0;
        }
        if (minv[c] < delta) {
          delta = minv[c];
          c1 = c;
        }
      }
      for (let c = 0; c <= cols; c++) {
        if (used[c]) {
          u[match[c]] += delta;
          v[c] -= delta;
        } else {
          minv[c] -= delta;
        }
      }
      c0 = c1;
    } while (match[c0] !== 0);
    do {
      const c1 = way[c0];
      match[c0] = match[c1];
      c0 = c1;
    } while (c0 !== 0);
  }
  const pairs: [number, number][] = [];
  for (let c = 1; c <= cols; c++) {
    const r = match[c];
    if (r > 0 && Number.isFinite(cost[r - 1][c - 1])) pairs.push([r - 1, c - 1]);
  }
  return pairs.sort((a, b) => a[0] - b[0]);
}

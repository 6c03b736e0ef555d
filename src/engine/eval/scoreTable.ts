import type { ClipScores } from './clipScorer';

/**
 * Text forms of evaluation scores: a table of every figure per case, and the LGVI paper's table
 * layout (PSNR / SSIM / VFID / E_warp). VFID is shown as unavailable: it needs I3D weights that
 * Lacuna cannot ship, and a figure from other features would not compare with the paper's.
 */
export interface ScoredCase {
  name: string;
  scores: ClipScores;
}

export const VFID_UNAVAILABLE = 'n/a: VFID needs I3D weights Lacuna cannot ship';

const f = (v: number | null | undefined, d = 2): string => (v === null || v === undefined ? '-' : Number.isNaN(v) ? 'nan' : Number.isFinite(v) ? v.toFixed(d) : v > 0 ? 'inf' : '-inf');

/** Means over cases (PSNR averaged per case as papers do; infinite PSNRs make the mean infinite). */
export function meanScores(cases: ScoredCase[]): Omit<ClipScores, 'width' | 'height'> {
  const avg = (pick: (s: ClipScores) => number | null | undefined): number | null => {
    const vs = cases.map((c) => pick(c.scores)).filter((v): v is number => v !== null && v !== undefined);
    return vs.length ? vs.reduce((a, b) => a + b, 0) / vs.length : null;
  };
  const frames = cases.reduce((a, c) => a + c.scores.frames, 0);
  const ewR = avg((s) => s.ewarp?.result);
  const ewT = avg((s) => s.ewarp?.truth);
  const flF = avg((s) => s.flicker?.frame);
  return {
    frames,
    holeShare: avg((s) => s.holeShare),
    psnr: { frame: avg((s) => s.psnr.frame) ?? NaN, hole: avg((s) => s.psnr.hole) },
    ssim: { frame: avg((s) => s.ssim.frame) ?? NaN, hole: avg((s) => s.ssim.hole) },
    ewarp: ewR === null || ewT === null ? null : { result: ewR, truth: ewT },
    flicker: flF === null ? null : { frame: flF, hole: avg((s) => s.flicker?.hole) },
    flow: cases[0]?.scores.flow ?? '',
  };
}

export function scoreTable(cases: ScoredCase[]): string {
  const head = ['case', 'frames', 'PSNR', 'PSNR hole', 'SSIM', 'SSIM hole', 'E_warp x1e-2', '(truth)', 'flicker', 'flicker hole'];
  const row = (name: string, s: Omit<ClipScores, 'width' | 'height'>) => [
    name,
    String(s.frames),
    f(s.psnr.frame),
    f(s.psnr.hole),
    f(s.ssim.frame, 4),
    f(s.ssim.hole, 4),
    f(s.ewarp?.result, 3),
    f(s.ewarp?.truth, 3),
    f(s.flicker?.frame),
    f(s.flicker?.hole),
  ];
  const rows = cases.map((c) => row(c.name, c.scores));
  if (cases.length > 1) rows.push(row('mean', meanScores(cases)));
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (r: string[]) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  return [line(head), ...rows.map(line), `PSNR in dB (8-bit peak), SSIM on luma (11x11 Gaussian); "hole" = inside the matte; E_warp flow: ${cases[0]?.scores.flow ?? ''}.`].join('\n');
}

/** The LGVI paper's results-table layout, one row per case and a mean row. */
export function paperTable(cases: ScoredCase[], method = 'Lacuna'): string {
  const rows = cases.map((c) => ({ name: c.name, s: c.scores as Omit<ClipScores, 'width' | 'height'> }));
  if (cases.length > 1) rows.push({ name: 'mean', s: meanScores(cases) });
  const lines = ['| Method | Case | PSNR ↑ | SSIM ↑ | VFID ↓ | E_warp (×10⁻²) ↓ |', '|---|---|---|---|---|---|'];
  for (const r of rows) lines.push(`| ${method} | ${r.name} | ${f(r.s.psnr.frame)} | ${f(r.s.ssim.frame, 4)} | n/a | ${f(r.s.ewarp?.result, 3)} |`);
  lines.push('', `VFID: ${VFID_UNAVAILABLE}. E_warp flow: ${cases[0]?.scores.flow ?? ''}.`);
  return lines.join('\n');
}

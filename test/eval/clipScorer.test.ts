import { describe, expect, it } from 'vitest';
import { ClipScorer } from '../../src/engine/eval/clipScorer';
import { paperTable, scoreTable } from '../../src/engine/eval/scoreTable';
import { blankMask, copyImage, renderTexture } from '../lite/fill/syntheticFrames';

/** A slow pan over the texture: frame t shows the scene moved by t px. */
const pan = (n: number) =>
  Array.from({ length: n }, (_, t) =>
    renderTexture(80, 60, (x, y, p) => {
      p[0] = x + t;
      p[1] = y;
    }),
  );

function hole() {
  const m = blankMask(80, 60);
  for (let y = 20; y < 40; y++) for (let x = 30; x < 50; x++) m.data[y * 80 + x] = 255;
  return m;
}

describe('ClipScorer', () => {
  it('scores the truth itself as perfect, with its own E_warp as the result figure', () => {
    const truth = pan(4);
    const s = new ClipScorer();
    for (const f of truth) s.add(f, f, hole());
    const r = s.finish();
    expect(r.psnr.frame).toBe(Infinity);
    expect(r.psnr.hole).toBe(Infinity);
    expect(r.ssim.frame).toBeCloseTo(1, 10);
    expect(r.ewarp!.result).toBeCloseTo(r.ewarp!.truth, 10);
    expect(r.flicker!.hole).toBe(0);
    expect(r.holeShare).toBeCloseTo(400 / 4800, 10);
  });

  it('a result that flickers in the hole scores worse there than over the frame, and worse in E_warp than the truth', () => {
    const truth = pan(5);
    const s = new ClipScorer();
    truth.forEach((f, t) => {
      const r = copyImage(f);
      const m = hole();
      // Every other frame the hole turns grey: stable per frame, unstable over time.
      if (t % 2) for (let i = 0; i < m.data.length; i++) if (m.data[i]) r.data.fill(128, 3 * i, 3 * i + 3);
      s.add(r, f, m);
    });
    const r = s.finish();
    expect(r.psnr.hole!).toBeLessThan(r.psnr.frame);
    expect(r.flicker!.hole!).toBeGreaterThan(r.flicker!.frame);
    expect(r.ewarp!.result).toBeGreaterThan(2 * r.ewarp!.truth);
    expect(scoreTable([{ name: 'pan', scores: r }])).toMatch(/^case\s+frames\s+PSNR/);
    const paper = paperTable([{ name: 'pan', scores: r }, { name: 'again', scores: r }]);
    expect(paper).toContain('| Method | Case | PSNR ↑ | SSIM ↑ | VFID ↓ | E_warp (×10⁻²) ↓ |');
    expect(paper).toMatch(/\| Lacuna \| mean \| [\d.]+ \| [\d.]+ \| n\/a \|/);
  });

  it('without a matte, hole figures are null; a result of another size is refused', () => {
    const [a, b] = pan(2);
    const s = new ClipScorer();
    s.add(a, a, null);
    s.add(b, b, null);
    const r = s.finish();
    expect(r.psnr.hole).toBeNull();
    expect(r.holeShare).toBeNull();
    expect(() => new ClipScorer().add(renderTexture(10, 10), a, null)).toThrow(/10x10.*80x60/);
  });
});

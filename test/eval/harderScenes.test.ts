// The quality bench's distractor scene scores the hole where the truth shows background, and keeps
// apart the hole pixels where the truth shows the other object passing behind the removed one.
import { describe, expect, it } from 'vitest';
import { buildHarderScene } from '../../bench/quality/harderScenes';
import { loadBackgrounds, loadSpriteTexture } from '../../bench/quality/scenes';

describe('bench distractor scene', () => {
  it('splits the hole into background (scored) and the other object behind it (behindHole), with no pixel in both', async () => {
    const [background] = await loadBackgrounds(null);
    const scene = buildHarderScene('distractor', background, await loadSpriteTexture(), 24);
    expect(scene.behindHole).toHaveLength(24);
    let behind = 0;
    scene.masks.forEach((mask, t) => {
      const scored = scene.scored[t].data;
      const other = scene.behindHole![t].data;
      for (let i = 0; i < mask.data.length; i++) {
        expect(Boolean(scored[i]) || Boolean(other[i])).toBe(Boolean(mask.data[i]));
        expect(scored[i] && other[i]).toBeFalsy();
        if (other[i]) behind++;
      }
    });
    // The scene is built so the other object passes behind the removed one.
    expect(behind).toBeGreaterThan(100);
  });
});

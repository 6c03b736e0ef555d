import { describe, expect, it } from 'vitest';
import type { MediaInfoDto } from '../../src/api/schemas/media';
import { formatColour } from '../../src/renderer/src/format';

const withColour = (colour: NonNullable<MediaInfoDto['video']>['colour']) => ({ video: { colour } }) as unknown as MediaInfoDto;

describe('formatColour', () => {
  it('writes primaries / transfer / matrix and the range in words', () => {
    expect(formatColour(withColour({ primaries: 'bt709', transfer: 'bt709', matrix: 'bt709', range: 'tv' }))).toBe('bt709 / bt709 / bt709 · limited');
    expect(formatColour(withColour({ primaries: 'bt2020', transfer: 'smpte2084', matrix: 'bt2020nc', range: 'tv' }))).toBe('bt2020 / smpte2084 / bt2020nc · limited (PQ HDR)');
  });

  it('names the parts a file states when it states only some, never a "?"', () => {
    // A JPEG: a BT.601 matrix at full range, no primaries or transfer.
    expect(formatColour(withColour({ matrix: 'bt470bg', range: 'pc' }))).toBe('matrix bt470bg · full');
    expect(formatColour(withColour({ primaries: 'bt709', matrix: 'bt709' }))).toBe('primaries bt709, matrix bt709');
    expect(formatColour(withColour({}))).toBe('unspecified');
    expect(formatColour({ video: null } as unknown as MediaInfoDto)).toBe('—');
  });
});

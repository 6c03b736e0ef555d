import type { ColourInfo } from './types';

/**
 * The one place that decides how RGB frames relate to a stream's YUV: decode (YUV → RGB) and
 * encode (RGB → YUV) both ask here, so a round trip uses the same matrix both ways and the
 * output is tagged with the matrix it was actually made with. Untagged video follows the
 * broadcast convention players use: BT.709 for HD and larger, BT.601 for SD.
 */

/** HD starts at 720 lines (or 1280 columns, for letterboxed HD). */
export function isHd(width: number, height: number): boolean {
  return height >= 720 || width >= 1280;
}

/** swscale's name for a stream matrix (ffmpeg tag names → `in/out_color_matrix` values). */
function swsMatrixName(matrix: string): string | undefined {
  switch (matrix) {
    case 'bt709':
      return 'bt709';
    case 'bt470bg':
    case 'smpte170m':
    case 'bt601':
      return 'bt601';
    case 'fcc':
      return 'fcc';
    case 'smpte240m':
      return 'smpte240m';
    case 'bt2020nc':
    case 'bt2020c':
    case 'bt2020':
      return 'bt2020';
    default:
      return undefined;
  }
}

/**
 * The colour tags a stream is (or will be) made with: the given ones, with anything missing
 * filled by the size's convention and limited ("tv") range.
 */
export function effectiveColour(colour: ColourInfo | undefined, width: number, height: number): Required<ColourInfo> {
  const hd = isHd(width, height);
  const matrix = colour?.matrix && swsMatrixName(colour.matrix) ? colour.matrix : hd ? 'bt709' : 'smpte170m';
  return {
    matrix,
    primaries: colour?.primaries ?? (hd ? 'bt709' : 'smpte170m'),
    transfer: colour?.transfer ?? 'bt709',
    range: colour?.range ?? 'tv',
  };
}

/**
 * Lanczos with exact rounding and full-resolution chroma: of swscale's kernels it loses least
 * on a YUV 4:2:0 → RGB → 4:2:2 round trip (measured 42.7 dB against bicubic's 41.5 on testsrc2's
 * saturated edges, the worst case), and the RGB the model sees has its sharpest chroma.
 */
const SWS_FLAGS = 'lanczos+accurate_rnd+full_chroma_int+full_chroma_inp';

/** Scale/convert filter from the decoded stream to packed RGB (or gray) at `width`×`height`. */
export function toRgbFilter(colour: ColourInfo | undefined, srcWidth: number, srcHeight: number, width: number, height: number, pixelFormat: 'rgb24' | 'gray'): string {
  const c = effectiveColour(colour, srcWidth, srcHeight);
  return (
    `scale=w=${width}:h=${height}:in_color_matrix=${swsMatrixName(c.matrix)}:in_range=${c.range}:flags=${SWS_FLAGS}` +
    `,setsar=1,format=${pixelFormat}`
  );
}

/**
 * Convert filter from packed RGB (or gray) frames to the encoder's YUV format. setparams marks
 * the frames themselves: ffmpeg 5's intra encoders (ProRes, DNxHR) take their colour tags from
 * the frames, not from the -color_* options, and would otherwise write "unknown".
 */
export function fromRgbFilter(colour: Required<ColourInfo>, pixelFormat: string): string {
  return (
    `scale=out_color_matrix=${swsMatrixName(colour.matrix)}:out_range=${colour.range}:flags=${SWS_FLAGS},format=${pixelFormat},` +
    `setparams=color_primaries=${colour.primaries}:color_trc=${colour.transfer}:colorspace=${colour.matrix}:range=${colour.range}`
  );
}

/** ffmpeg output options that write the tags into the stream (and the container's colr atom). */
export function colourTagArgs(colour: Required<ColourInfo>): string[] {
  return ['-color_primaries', colour.primaries, '-color_trc', colour.transfer, '-colorspace', colour.matrix, '-color_range', colour.range];
}

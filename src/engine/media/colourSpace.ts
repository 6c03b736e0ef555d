import type { ColourInfo, YuvFormat } from './types';

/**
 * The one place that decides how frames relate to a stream's YUV: decode (YUV → RGB) and
 * encode (RGB → YUV) both ask here, so a round trip uses the same matrix both ways and the
 * output is tagged with the matrix it was actually made with. Untagged video follows the
 * broadcast convention players use: BT.709 for HD and larger, BT.601 for SD. Frames can also
 * stay in the stream's own YUV (a transcode has no reason to go through RGB): then no matrix is
 * applied at all, and `keepsYuv` says when that gives the same picture as the RGB round trip.
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
 * How YUV ↔ RGB is computed. zscale (libzimg) is preferred: exact, about three times faster
 * than swscale's exact mode for YUV → RGB at 1080p, and it honours chroma siting (H.264, HEVC,
 * ProRes and DNxHR site chroma left; ffmpeg 5's swscale assumes centre, a quarter-sample shift
 * on every colour edge). swscale, in exact-rounding mode, is the fallback for builds without it.
 */
export type ColourConverter = 'zscale' | 'swscale';

/** zimg's name for a stream matrix, or undefined where zimg has none (then use swscale). */
function zimgMatrixName(matrix: string): string | undefined {
  const names: Record<string, string> = {
    bt709: '709', bt470bg: '470bg', smpte170m: '170m', bt601: '170m', bt2020nc: '2020_ncl', bt2020: '2020_ncl', bt2020c: '2020_cl', fcc: 'fcc',
  };
  return names[matrix];
}

/** The converter to use for this matrix, given whether the ffmpeg build has zscale. */
export function converterFor(colour: Required<ColourInfo>, zscaleAvailable: boolean): ColourConverter {
  return zscaleAvailable && zimgMatrixName(colour.matrix) ? 'zscale' : 'swscale';
}

const zimgRange = (range: 'tv' | 'pc') => (range === 'pc' ? 'full' : 'limited');

/** swscale's exact mode: without accurate_rnd its SIMD paths cost ~8 dB of PSNR on a round trip. */
const SWS_FLAGS = 'lanczos+accurate_rnd+full_chroma_int+full_chroma_inp';

/** Scale/convert filter from the decoded stream to packed RGB (or gray) at `width`×`height`. */
export function toRgbFilter(
  colour: ColourInfo | undefined,
  srcWidth: number,
  srcHeight: number,
  width: number,
  height: number,
  pixelFormat: 'rgb24' | 'gray',
  converter: ColourConverter,
): string {
  const c = effectiveColour(colour, srcWidth, srcHeight);
  const convert =
    converter === 'zscale'
      ? `zscale=w=${width}:h=${height}:matrixin=${zimgMatrixName(c.matrix)}:rangein=${zimgRange(c.range)}:filter=lanczos,format=gbrp`
      : `scale=w=${width}:h=${height}:in_color_matrix=${swsMatrixName(c.matrix)}:in_range=${c.range}:flags=${SWS_FLAGS}`;
  return `${convert},setsar=1,format=${pixelFormat}`;
}

/**
 * Convert filter from packed RGB (or gray) frames to the encoder's YUV format. setparams marks
 * the frames themselves: ffmpeg 5's intra encoders (ProRes, DNxHR) take their colour tags from
 * the frames, not from the -color_* options, and would otherwise write "unknown".
 * Gray frames (mattes) go to zimg as they are: a gray pixel is R = G = B, whose luma is the value
 * in every matrix and whose chroma is neutral, so zimg gives the same bytes from gray as from the
 * planar RGB it was first widened to, in half the filter's time (measured on every 8-bit level,
 * full and limited range, 4:2:0, 4:2:2 and 4:4:4: colourSpace.test.ts keeps that check).
 */
export function fromRgbFilter(colour: Required<ColourInfo>, pixelFormat: string, converter: ColourConverter, input: 'rgb24' | 'gray' = 'rgb24'): string {
  const convert =
    converter === 'zscale'
      ? input === 'gray'
        ? `zscale=rangein=full:range=${zimgRange(colour.range)}:filter=lanczos`
        : `format=gbrp,zscale=matrix=${zimgMatrixName(colour.matrix)}:range=${zimgRange(colour.range)}:filter=lanczos`
      : `scale=out_color_matrix=${swsMatrixName(colour.matrix)}:out_range=${colour.range}:flags=${SWS_FLAGS}`;
  return `${convert},format=${pixelFormat},${tagFrames(colour)}`;
}

/** setparams marking frames with the stream's tags (see fromRgbFilter for why the frames need them). */
function tagFrames(colour: Required<ColourInfo>): string {
  return `setparams=color_primaries=${colour.primaries}:color_trc=${colour.transfer}:colorspace=${colour.matrix}:range=${colour.range}`;
}

/**
 * Whether a decoder's pixel format (ffprobe's pix_fmt) is YUV, so frames can be handed on in YUV
 * without a matrix. Planar, semi-planar (nv12, p010) and packed 4:2:2 layouts count; RGB, gray,
 * palette and anything not recognised do not, and go through RGB, which is always correct.
 */
export function isYuvStream(pixelFormat: string): boolean {
  return /^(yuv[aj]?\d|nv\d\d|p[0-4]\d\d|uyvy|yuyv|yvyu|y210|ayuv|vuya)/.test(pixelFormat);
}

/**
 * swscale between two YUV layouts without a colour conversion: only size (lanczos), chroma
 * subsampling and bit depth change. The same range in and out stops swscale from expanding or
 * squeezing levels on its own (it does for yuvj formats and when a frame's range is unset); with
 * no size or format change the scale filter passes frames through untouched.
 */
function yuvScale(range: 'tv' | 'pc', size?: { width: number; height: number }, outRange: 'tv' | 'pc' = range): string {
  return `scale=${size ? `w=${size.width}:h=${size.height}:` : ''}in_range=${range}:out_range=${outRange}:flags=lanczos+accurate_rnd`;
}

/**
 * Scale/convert filter from the decoded stream to planar YUV at `width`×`height`, in the stream's
 * own matrix and range (the counterpart of toRgbFilter for frames that stay YUV). Only for YUV
 * streams (isYuvStream): anything else needs a matrix to become YUV.
 */
export function toYuvFilter(colour: ColourInfo | undefined, srcWidth: number, srcHeight: number, width: number, height: number, pixelFormat: YuvFormat): string {
  const { range } = effectiveColour(colour, srcWidth, srcHeight);
  return `${yuvScale(range, { width, height })},setsar=1,format=${pixelFormat}`;
}

/**
 * Filter from YUV frames already in `colour`'s matrix (and in `fromRange`, by default `colour`'s
 * range) to the encoder's YUV format (the counterpart of fromRgbFilter): a layout change where the
 * two differ, levels squeezed or expanded where the ranges differ, then the frames' tags.
 */
export function fromYuvFilter(colour: Required<ColourInfo>, pixelFormat: YuvFormat, fromRange: 'tv' | 'pc' = colour.range): string {
  return `${yuvScale(fromRange, undefined, colour.range)},format=${pixelFormat},${tagFrames(colour)}`;
}

/** Whether two matrix names are the same matrix (bt470bg and smpte170m are both BT.601's). */
export function sameMatrix(a: string, b: string): boolean {
  const x = swsMatrixName(a);
  return x !== undefined && x === swsMatrixName(b);
}

/**
 * Whether a stream's frames can go to an encoder in YUV untouched and mean what the RGB round
 * trip would give: the stream is YUV, and the matrix and range it is read with (its tags, or the
 * size convention at its display size) are those the output is tagged with (at the output's
 * size). Tags alone are not enough: an untagged 1279x719 clip rounded to 1280x720 reads as BT.601
 * but is written as BT.709, which the RGB path converts and a YUV pass-through would not.
 */
export function keepsYuv(
  stream: { pixelFormat: string; colour?: ColourInfo; width: number; height: number },
  output: { colour?: ColourInfo; width: number; height: number },
): boolean {
  if (!isYuvStream(stream.pixelFormat)) return false;
  const from = effectiveColour(stream.colour, stream.width, stream.height);
  const to = effectiveColour(output.colour, output.width, output.height);
  return sameMatrix(from.matrix, to.matrix) && from.range === to.range;
}

/** ffmpeg output options that write the tags into the stream (and the container's colr atom). */
export function colourTagArgs(colour: Required<ColourInfo>): string[] {
  return ['-color_primaries', colour.primaries, '-color_trc', colour.transfer, '-colorspace', colour.matrix, '-color_range', colour.range];
}

import { effectiveColour } from './colourSpace';
import { CODEC_PROFILES } from './deliveryCodecs';
import type { ColourInfo, DeliveryCodec } from './types';

/**
 * The colour a render is written in, for its codec: the source's (colourSpace.effectiveColour),
 * made legal for the codec and named so the codec can say it. Frames reach the encoder in RGB
 * (or in exactly this matrix and range), so any matrix and range chosen here is converted to,
 * not just labelled: what an NLE decodes as tagged is the picture the engine worked on.
 *
 * - Range: limited ("tv") always. ProRes and DNxHR are limited-range formats (neither bitstream
 *   has a full-range flag: full-range data in them is read as limited, crushed and clipped), and
 *   a full-range flag in H.264/HEVC is ignored by several NLEs, so a JPEG sequence's or a phone
 *   clip's full range is converted to the legal range every reader agrees on.
 * - Names: one name per matrix (bt470bg and smpte170m are the same BT.601 matrix; ffmpeg's ProRes
 *   encoder knows only smpte170m and writes "gbr" for bt470bg). Editing codecs carry only the tags
 *   their headers have: BT.709, BT.601 and BT.2020 matrices, the transfers BT.709 (which
 *   BT.601's and BT.2020's curves equal), PQ and HLG, and a short list of primaries. Anything else
 *   becomes the size's convention (its matrix is then converted to) with a warning where the
 *   picture's meaning changes (a transfer or primaries the file cannot say).
 */
export interface DeliveryColour {
  colour: Required<ColourInfo>;
  warnings: string[];
}

/** Matrix names as one spelling each (the BT.601 matrix has three). */
const MATRIX_NAMES: Record<string, string> = { bt470bg: 'smpte170m', bt601: 'smpte170m', bt2020: 'bt2020nc' };

/**
 * Transfers an editing codec writes as BT.709: the BT.709 curve under other names (BT.601's, BT.2020's
 * at 10 and 12 bits), and sRGB, which NLEs show image sequences as (Resolve and Premiere read an
 * sRGB PNG sequence as Rec.709 video): the values are the same, only the label differs.
 */
const BT709_CURVES = new Set(['bt709', 'smpte170m', 'bt2020-10', 'bt2020-12', 'iec61966-2-1']);

/** Primaries that are another name of SMPTE 170M's (SMPTE 240M uses the same). */
const PRIMARY_NAMES: Record<string, string> = { smpte240m: 'smpte170m' };

/** What the editing codecs' headers can hold (ffmpeg's ProRes and DNxHR encoders, .mov and .mxf). */
export const EDITING_TAGS = {
  matrices: ['bt709', 'smpte170m', 'bt2020nc'],
  transfers: ['bt709', 'smpte2084', 'arib-std-b67'],
  primaries: ['bt709', 'bt470bg', 'smpte170m', 'bt2020', 'smpte431', 'smpte432'],
} as const;

const convention = (width: number, height: number) => effectiveColour(undefined, width, height);

export function deliveryColour(colour: ColourInfo | undefined, width: number, height: number, codec: DeliveryCodec): DeliveryColour {
  const c = effectiveColour(colour, width, height);
  const warnings: string[] = [];
  let matrix = MATRIX_NAMES[c.matrix] ?? c.matrix;
  let primaries = PRIMARY_NAMES[c.primaries] ?? c.primaries;
  let transfer = c.transfer;
  const profile = CODEC_PROFILES[codec];
  if (profile?.editing) {
    const tags = EDITING_TAGS;
    const fallback = convention(width, height);
    // The matrix is converted to, so changing it changes no picture: no warning.
    if (!(tags.matrices as readonly string[]).includes(matrix)) matrix = MATRIX_NAMES[fallback.matrix] ?? fallback.matrix;
    if (BT709_CURVES.has(transfer)) transfer = 'bt709';
    else if (!(tags.transfers as readonly string[]).includes(transfer)) {
      warnings.push(`${profile.label} cannot say the source's transfer "${transfer}": the take is tagged bt709, so it may look different in the NLE`);
      transfer = 'bt709';
    }
    if (!(tags.primaries as readonly string[]).includes(primaries)) {
      warnings.push(`${profile.label} cannot say the source's primaries "${primaries}": the take is tagged ${fallback.primaries}, so its colours may look different in the NLE`);
      primaries = fallback.primaries;
    }
  }
  return { colour: { matrix, primaries, transfer, range: 'tv' }, warnings };
}

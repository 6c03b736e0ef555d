/**
 * The vocabulary the Lite engine's stages share: the detector finds objects per frame, the tracker
 * links them into tracks over the clip, the expression parser picks tracks, the mask and fill
 * stages remove them. Coordinates are pixels of the frame the stage saw (source resolution unless
 * a stage says otherwise), origin top-left, x to the right, y down.
 */

export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** One object found in one frame. `label` is a COCO-80 class name as the detector reports it ("person", "bird"). */
export interface Detection {
  frame: number;
  label: string;
  score: number;
  box: Box;
  /** Optional soft mask (0..255) covering `box`, row-major, box.width x box.height after rounding. */
  mask?: Uint8Array;
}

/** One object followed over the clip. `boxes[f]` is null where it was not seen (off-screen, occluded). */
export interface Track {
  id: number;
  label: string;
  /** Mean detector score over the frames it was seen. */
  score: number;
  firstFrame: number;
  lastFrame: number;
  /** Indexed by frame over the whole clip (length = frame count). */
  boxes: (Box | null)[];
  /** True where boxes[f] was predicted (bridging a gap) rather than detected. */
  predicted: boolean[];
}

/** A grayscale image: one byte per pixel, row-major. Masks are 0 (keep) .. 255 (remove). */
export interface GrayImage {
  width: number;
  height: number;
  data: Uint8Array;
}

/** A packed RGB24 image, row-major, top row first (media/types.ts Frame.data has this layout). */
export interface RgbImage {
  width: number;
  height: number;
  data: Uint8Array;
}

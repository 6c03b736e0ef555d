// One 8-bit channel per pixel, row-major: masks and composite alphas. The same shape as the Lite
// engine's GrayImage (structural typing lets either engine pass its own).
export interface GrayImage {
  readonly width: number;
  readonly height: number;
  readonly data: Uint8Array;
}

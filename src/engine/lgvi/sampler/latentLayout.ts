// The VAE works on frames ([B, 4, h, w], a batch of frames) and the U-Net on a window
// ([1, 4, T, h, w], channels outermost, then time). These move one frame's latents between the two
// layouts.

/** Copies frame `t`'s latents ([C, h, w] at `src[srcOffset..]`) into a window laid out [C, T, h, w]. */
export function putFrameLatents(window: Float32Array, frames: number, t: number, src: Float32Array, srcOffset: number, channels: number, plane: number): void {
  for (let c = 0; c < channels; c++) {
    window.set(src.subarray(srcOffset + c * plane, srcOffset + (c + 1) * plane), (c * frames + t) * plane);
  }
}

/** Copies frame `t` of a [C, T, h, w] window into `dst[dstOffset..]` as [C, h, w]. */
export function takeFrameLatents(window: Float32Array, frames: number, t: number, dst: Float32Array, dstOffset: number, channels: number, plane: number): void {
  for (let c = 0; c < channels; c++) {
    dst.set(window.subarray((c * frames + t) * plane, (c * frames + t + 1) * plane), dstOffset + c * plane);
  }
}

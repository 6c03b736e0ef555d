import type { Box } from '../types';

/**
 * Constant-velocity motion of one box (centre x/y, width, height), an alpha-beta filter per
 * coordinate: the light sibling of a Kalman filter with fixed gains, which is all association
 * needs. It predicts where a tracked object will be at a later frame (gaps included), and
 * corrects itself with each detection. Velocity comes from the first two detections directly,
 * then is blended.
 */
const ALPHA = 0.75; // share of a position surprise believed at once
const BETA = 0.3; // share of it attributed to a velocity change
/** Size changes are damped harder than motion: boxes breathe with detector noise. */
const SIZE_BETA = 0.1;

export class BoxMotion {
  private readonly pos: Float64Array; // cx, cy, w, h
  private readonly vel = new Float64Array(4);
  private updates = 1;

  constructor(
    box: Box,
    private frame: number,
  ) {
    this.pos = Float64Array.of(box.x + box.width / 2, box.y + box.height / 2, box.width, box.height);
  }

  /** Frame of the last detection the filter took. */
  get lastFrame(): number {
    return this.frame;
  }

  /** The box expected at `frame` (>= lastFrame); width and height never drop below 1. */
  predict(frame: number): Box {
    const dt = frame - this.frame;
    const w = Math.max(1, this.pos[2] + this.vel[2] * dt);
    const h = Math.max(1, this.pos[3] + this.vel[3] * dt);
    const cx = this.pos[0] + this.vel[0] * dt;
    const cy = this.pos[1] + this.vel[1] * dt;
    return { x: cx - w / 2, y: cy - h / 2, width: w, height: h };
  }

  update(box: Box, frame: number): void {
    const dt = frame - this.frame;
    if (dt <= 0) throw new Error(`BoxMotion.update: frame ${frame} is not after ${this.frame}`);
    const measured = [box.x + box.width / 2, box.y + box.height / 2, box.width, box.height];
    for (let i = 0; i < 4; i++) {
      const predicted = this.pos[i] + this.vel[i] * dt;
      const residual = measured[i] - predicted;
      if (this.updates === 1) {
        this.vel[i] = (measured[i] - this.pos[i]) / dt;
        this.pos[i] = measured[i];
      } else {
        this.pos[i] = predicted + ALPHA * residual;
        this.vel[i] += ((i < 2 ? BETA : SIZE_BETA) * residual) / dt;
      }
    }
    this.updates++;
    this.frame = frame;
  }
}

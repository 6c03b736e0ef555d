// Frames handed from one loop to an encoder with backpressure (util/asyncChannel.ts): one loop
// feeds two encoders (the take and its matte) at once, each in its own ffmpeg, without holding
// more than a couple of frames.
import { AsyncChannel } from '../util/asyncChannel';
import type { Frame } from './types';

export class FrameChannel extends AsyncChannel<Frame> {}

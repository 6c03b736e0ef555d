import { cancelledError, isLacunaError } from '../util/errors';
import { CONSUMER_GONE } from '../util/asyncChannel';
import { encodeFrames, type EncodeOptions } from './encode';
import { FrameChannel } from './frameChannel';
import type { Frame } from './types';

/** A failure that only says another part stopped first: a cancel of ours, a reader that went away. */
function isEcho(e: unknown): boolean {
  return isLacunaError(e, 'CANCELLED') || (e instanceof Error && e.message === CONSUMER_GONE);
}

/** One finished frame of a removal: the picture, and its matte when one is written. */
export interface TakeFrame {
  take: Frame;
  matte?: Frame;
}

/**
 * A removal's two encoders (the take and its matte, each its own ffmpeg) fed by one producer, and
 * failing together: whichever part fails first (either encoder, at start, mid-stream or at close,
 * or the producer, its decoder included) stops the others at once and is the error reported, so
 * a job never waits on an encoder that is gone or on a producer nobody reads.
 *
 * `produce` gets a signal that fires on the user's cancel and on any part's failure: the
 * producer's decoding and filling stop at their next check rather than finishing a window for
 * nothing. Both encoders are settled (their ffmpeg ended, their temp files removed) before this
 * returns or throws. A cancel throws CANCELLED, whatever else failed on the way down.
 */
export async function encodeTakeAndMatte(
  produce: (signal: AbortSignal) => AsyncIterable<TakeFrame>,
  options: { take: EncodeOptions; matte?: EncodeOptions; signal: AbortSignal },
): Promise<{ frameCount: number }> {
  const { signal } = options;
  const stop = new AbortController();
  const working = AbortSignal.any([signal, stop.signal]);
  const matteFrames = options.matte ? new FrameChannel(2) : undefined;
  // Every failure, in the order they happened; the first that is a cause, not an echo of one
  // (a part stopped because another failed), is the one reported.
  const failures: unknown[] = [];
  const fail = (error: unknown) => {
    failures.push(error);
    stop.abort();
    matteFrames?.fail(error);
  };

  async function* takeFrames(): AsyncGenerator<Frame> {
    let finished = false;
    try {
      for await (const f of produce(working)) {
        if (matteFrames) {
          if (!f.matte) throw new Error('encodeTakeAndMatte: a frame came without its matte');
          await matteFrames.push(f.matte);
        }
        yield f.take;
      }
      matteFrames?.end();
      finished = true;
    } catch (e) {
      fail(e);
      throw e;
    } finally {
      // The take's encoder stopped reading (it failed): the matte's must not wait for frames.
      if (!finished) fail(cancelledError('the take'));
    }
  }

  const take = encodeFrames(takeFrames(), { ...options.take, stage: options.take.stage ?? 'the take encoder', signal }).catch((e: unknown) => {
    fail(e);
    throw e;
  });
  const matte = options.matte
    ? encodeFrames(matteFrames!, { ...options.matte, stage: options.matte.stage ?? 'the matte encoder', signal }).catch((e: unknown) => {
        fail(e);
        throw e;
      })
    : Promise.resolve(null);
  const [taken] = await Promise.allSettled([take, matte]);
  if (signal.aborted) throw cancelledError('the removal');
  if (failures.length) throw failures.find((e) => !isEcho(e)) ?? failures[0];
  if (taken.status === 'rejected') throw taken.reason;
  return { frameCount: taken.value.frameCount };
}

import type { Readable } from 'node:stream';
import { LacunaError } from '../util/errors';

/** Bytes the reader has taken off the pipe: lets tests (and the bench) prove backpressure. */
export interface ReadCounter {
  received: number;
}

/**
 * Cuts a raw video byte stream into frames of `frameBytes`, pulling the next chunk only when the
 * consumer asks for the next frame. A Readable's async iterator reads on demand, so a slow
 * consumer leaves bytes in the pipe, the pipe fills, and ffmpeg blocks on its write: at most
 * one frame plus the stream's buffer is ever in memory, whatever the clip's length.
 */
export async function* readRawFrames(stream: Readable, frameBytes: number, counter?: ReadCounter): AsyncGenerator<Uint8Array> {
  let frame = new Uint8Array(frameBytes);
  let filled = 0;
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    if (counter) counter.received += chunk.length;
    let offset = 0;
    while (offset < chunk.length) {
      const n = Math.min(frameBytes - filled, chunk.length - offset);
      frame.set(chunk.subarray(offset, offset + n), filled);
      filled += n;
      offset += n;
      if (filled === frameBytes) {
        yield frame;
        // A fresh buffer per frame: the consumer may keep the one it was given.
        frame = new Uint8Array(frameBytes);
        filled = 0;
      }
    }
  }
  if (filled !== 0) {
    throw new LacunaError('FFMPEG_FAILED', `decoder output ended inside a frame (${filled} of ${frameBytes} bytes)`);
  }
}

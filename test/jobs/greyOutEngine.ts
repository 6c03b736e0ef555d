import { decodeFrames } from '../../src/engine/media/decode';
import { encodeFrames } from '../../src/engine/media/encode';
import type { Frame } from '../../src/engine/media/types';
import type { RemovalEngine } from '../../src/engine/removal/removalEngine';

/**
 * A small real removal engine for job-system tests: it takes a matte and paints the matted pixels
 * mid-grey, streaming source and matte side by side. It reports "nothing to remove" for an
 * all-black matte, as a real engine does when the description matches nothing.
 */
export const greyOutEngine: RemovalEngine = {
  id: 'grey-out',
  label: 'Grey out',
  description: 'Paints the matted region grey (tests).',
  resource: 'cpu',
  targets: ['mask'],
  async remove(input, ctx) {
    if (input.target.kind !== 'mask') throw new Error('grey-out takes a matte');
    const { width, height } = { width: input.media.video!.displayWidth, height: input.media.video!.displayHeight };
    const count = input.range.end - input.range.start;
    const matteRange = { start: 0, end: count };
    let covered = 0;
    for await (const m of decodeFrames(input.target.matte, { range: matteRange, width, height, pixelFormat: 'gray', signal: ctx.signal })) {
      for (const v of m.data) if (v > 127) covered++;
    }
    if (covered === 0) return { changed: false, explanation: 'the matte is black: nothing to remove', params: { engine: 'grey-out' }, matteWritten: false };
    const matte = decodeFrames(input.target.matte, { range: matteRange, width, height, pixelFormat: 'gray', signal: ctx.signal });
    async function* painted(): AsyncGenerator<Frame> {
      for await (const f of decodeFrames(input.media, { range: input.range, signal: ctx.signal })) {
        const m = (await matte.next()).value as Frame;
        for (let i = 0; i < m.data.length; i++) if (m.data[i] > 127) f.data.fill(128, i * 3, i * 3 + 3);
        ctx.progress('painting', f.index + 1, count);
        yield f;
      }
    }
    const video = input.media.video!;
    await encodeFrames(painted(), { output: input.output.file, codec: input.output.codec, width, height, fps: video.fps, colour: video.colour, overwrite: true, signal: ctx.signal });
    return { changed: true, explanation: `greyed ${covered} matted pixels`, params: { engine: 'grey-out', extra: { covered } }, matteWritten: false };
  },
};

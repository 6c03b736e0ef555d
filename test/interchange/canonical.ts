import type { IxTimeline, IxMediaUse } from '../../src/engine/interchange/model';

/** What "the same timeline" means: every track's clips, where they sit and what they show, the take and its original and matte. */
export function canonical(t: IxTimeline, o: { names?: boolean; takeFacts?: boolean } = {}) {
  const use = (u: IxMediaUse | undefined) => (u ? { path: u.media.path, in: u.sourceIn, out: u.sourceOut } : null);
  return {
    rate: `${t.rate.num}/${t.rate.den}`,
    start: t.startTimecode,
    tracks: t.tracks.map((tr) => ({
      kind: tr.kind,
      ...(o.names !== false && { name: tr.name }),
      clips: tr.clips.map((c) => ({
        ...(o.names !== false && { name: c.name }),
        position: c.position,
        duration: c.duration,
        shown: use(c.shown),
        original: use(c.original),
        matte: use(c.matte),
        take: c.take ? { sourceStart: c.take.sourceStart, ...(o.takeFacts !== false && { label: c.take.label, params: c.take.params }) } : null,
      })),
    })),
  };
}

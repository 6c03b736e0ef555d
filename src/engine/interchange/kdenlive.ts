import { dirname } from 'node:path';
import type { IxMedia, IxTimeline } from './model';
import { timelineLength } from './model';
import type { PathWriter } from './mediaPaths';
import { hideOf, MLT_VERSION, orderedChildren, playlistItems, producerLength, producerProperties, profileNode, prop, roleTracksOf, writeOrderedMlt, type PlacedClip } from './mlt';
import type { XmlNode } from './xml';

/**
 * Kdenlive's project (`.kdenlive`): MLT XML with Kdenlive's bin and track layout, as Kdenlive
 * 22.12+ writes it (document version 1.1). The bin (`main_bin` playlist) lists each media file
 * once, with a `kdenlive:id` that every timeline producer of that file repeats; each track is a
 * tractor of two playlists (Kdenlive's two sub-tracks, the second empty), named by
 * `kdenlive:track_name` and typed by `kdenlive:audio_track`; the main tractor composites video
 * tracks with qtblend and sums audio with mix, both marked `internal_added` as Kdenlive marks its
 * own. Helper tracks (originals, mattes) are hidden (`hide="both"`). Being MLT, melt plays it: the
 * main tractor comes last, which is what MLT plays.
 */

export const KDENLIVE_DOC_VERSION = '1.1';

export function writeKdenlive(t: IxTimeline, paths: PathWriter, outputPath: string): string {
  const length = Math.max(1, timelineLength(t));
  const tracks = roleTracksOf(t);
  const body: XmlNode[] = [{ profile: profileNode(t) }];
  // The bin: one producer per media file, with Kdenlive's clip id.
  const binIds = new Map<string, number>();
  const media = new Map<string, IxMedia>();
  for (const rt of tracks) for (const c of rt.track.clips) media.set(c.shown.media.path, c.shown.media);
  for (const m of media.values()) {
    const id = binIds.size + 2; // Kdenlive numbers bin clips from 2 (1 is the root folder)
    binIds.set(m.path, id);
    const frames = Math.max(1, Math.round((m.frames * t.rate.num * m.rate.den) / (t.rate.den * m.rate.num)));
    body.push({
      producer: {
        '@_id': `bin${id}`,
        '@_in': 0,
        '@_out': frames - 1,
        property: [
          prop('length', frames),
          prop('eof', 'pause'),
          prop('resource', paths.path(m.path)),
          prop('mlt_service', 'avformat-novalidate'),
          prop('kdenlive:id', id),
          prop('kdenlive:clipname', m.name),
          prop('kdenlive:folderid', -1),
          prop('kdenlive:clip_type', m.video && m.audio ? 0 : m.video ? 2 : 1),
        ],
      },
    });
  }
  let n = 0;
  const trackTractors: string[] = [];
  tracks.forEach((rt, ti) => {
    const audio = rt.track.kind === 'audio';
    const placed: PlacedClip[] = rt.track.clips.map((clip) => ({ clip, producerId: `clip${n++}${audio ? '_audio' : ''}` }));
    for (const { clip, producerId } of placed) {
      const extra = [prop('kdenlive:id', binIds.get(clip.shown.media.path)!), ...(audio ? [prop('set.test_image', 1), prop('set.test_audio', 0)] : [prop('set.test_audio', 1), prop('set.test_image', 0)])];
      body.push({ producer: { '@_id': producerId, '@_in': 0, '@_out': producerLength(clip, t) - 1, property: producerProperties(clip, paths, t, extra) } });
    }
    body.push({ playlist: { '@_id': `playlist${ti}a`, property: audio ? [prop('kdenlive:audio_track', 1)] : [], ...orderedChildren(playlistItems(placed, t)) } });
    body.push({ playlist: { '@_id': `playlist${ti}b`, property: audio ? [prop('kdenlive:audio_track', 1)] : [] } });
    const hide = hideOf(rt);
    const id = `tractor${ti}`;
    trackTractors.push(id);
    body.push({
      tractor: {
        '@_id': id,
        '@_in': 0,
        '@_out': length - 1,
        property: [prop('kdenlive:track_name', rt.track.name), ...(audio ? [prop('kdenlive:audio_track', 1)] : []), prop('kdenlive:timeline_active', 1), prop('kdenlive:collapsed', 0)],
        track: [
          { '@_hide': hide, '@_producer': `playlist${ti}a` },
          { '@_hide': hide, '@_producer': `playlist${ti}b` },
        ],
      },
    });
  });
  body.push({
    producer: {
      '@_id': 'black_track',
      '@_in': 0,
      '@_out': length - 1,
      property: [prop('length', 2147483647), prop('eof', 'continue'), prop('resource', 'black'), prop('aspect_ratio', 1), prop('mlt_service', 'color'), prop('mlt_image_format', 'rgba'), prop('set.test_audio', 0)],
    },
  });
  const transitions = tracks.map((rt, ti) =>
    rt.track.kind === 'audio'
      ? { '@_id': `mix${ti}`, property: [prop('a_track', 0), prop('b_track', ti + 1), prop('mlt_service', 'mix'), prop('kdenlive_id', 'mix'), prop('internal_added', 237), prop('always_active', 1), prop('accepts_blanks', 1), prop('sum', 1)] }
      : { '@_id': `composite${ti}`, property: [prop('a_track', 0), prop('b_track', ti + 1), prop('compositing', 0), prop('distort', 0), prop('rotate_center', 0), prop('mlt_service', 'qtblend'), prop('kdenlive_id', 'qtblend'), prop('internal_added', 237), prop('always_active', 1)] },
  );
  body.push({
    playlist: {
      '@_id': 'main_bin',
      property: [
        prop('kdenlive:docproperties.version', KDENLIVE_DOC_VERSION),
        prop('kdenlive:docproperties.kdenliveversion', '22.12.3'),
        prop('kdenlive:docproperties.profile', ''),
        prop('kdenlive:docproperties.documentid', '1'),
        prop('kdenlive:docproperties.audioChannels', 2),
        prop('kdenlive:docproperties.timecodeStart', t.startTimecode),
        prop('xml_retain', 1),
      ],
      entry: [...binIds.values()].map((id) => ({ '@_producer': `bin${id}`, '@_in': 0 })),
    },
  });
  body.push({
    tractor: {
      '@_id': 'maintractor',
      '@_global_feed': 1,
      '@_in': 0,
      '@_out': length - 1,
      property: [prop('kdenlive:uuid', '{00000000-0000-4000-8000-000000000001}'), prop('kdenlive:clipname', t.name), prop('lacuna:startTimecode', t.startTimecode)],
      track: [{ '@_producer': 'black_track' }, ...trackTractors.map((id) => ({ '@_producer': id }))],
      transition: transitions,
    },
  });
  return writeOrderedMlt({ '@_LC_NUMERIC': 'C', '@_version': MLT_VERSION, '@_producer': 'main_bin', '@_root': dirname(outputPath) }, body);
}

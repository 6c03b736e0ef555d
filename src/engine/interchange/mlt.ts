import { convertFrames } from '../project';
import { expandHelperTracks, takeNote, type RoleTrack } from './helperTracks';
import type { IxClip, IxTimeline } from './model';
import { timelineLength } from './model';
import type { PathWriter } from './mediaPaths';
import { buildOrderedXml, type XmlNode } from './xml';

/**
 * MLT XML, the document Shotcut saves and `melt` plays (and, in kdenlive.ts, Kdenlive's variant).
 *
 * The profile carries the sequence's exact rate (frame_rate_num/den) and size. Each track is a
 * playlist of blanks and entries; entries give in/out (inclusive, as MLT counts) in profile
 * frames, which MLT maps onto each file by time, so media at another rate plays in real time as
 * in Lacuna. Every clip has its own producer (MLT producers keep a play position, so sharing one
 * across tracks misplays). Video tracks are composited over a black background with qtblend and
 * play no sound (Lacuna's sound is on its audio tracks); audio tracks are summed with `mix`.
 * Clips show their active take; the originals are on a hidden "<track> original" track beneath,
 * the mattes on a hidden "<track> matte" track above (helperTracks.ts), and each take's producer
 * carries `lacuna:take` (its label and engine).
 */

export const MLT_VERSION = '7.12.0';

export const prop = (name: string, value: string | number): XmlNode => ({ '@_name': name, '#text': String(value) });

export function profileNode(t: IxTimeline): XmlNode {
  const g = (a: number, b: number): number => (b ? g(b, a % b) : a);
  const d = g(t.width, t.height);
  return {
    '@_description': `${t.width}x${t.height} ${(t.rate.num / t.rate.den).toFixed(3).replace(/\.?0+$/, '')} fps`,
    '@_width': t.width,
    '@_height': t.height,
    '@_progressive': 1,
    '@_sample_aspect_num': 1,
    '@_sample_aspect_den': 1,
    '@_display_aspect_num': t.width / d,
    '@_display_aspect_den': t.height / d,
    '@_frame_rate_num': t.rate.num,
    '@_frame_rate_den': t.rate.den,
    '@_colorspace': 709,
  };
}

/** A clip's entry range in profile frames: [in, out] inclusive. */
export function entryRange(c: IxClip, t: IxTimeline): { in: number; out: number } {
  const from = convertFrames(c.shown.sourceIn, c.shown.media.rate, t.rate);
  return { in: from, out: from + c.duration - 1 };
}

/** Producer length in profile frames. */
export function producerLength(c: IxClip, t: IxTimeline): number {
  return Math.max(convertFrames(c.shown.media.frames, c.shown.media.rate, t.rate), entryRange(c, t).out + 1);
}

export interface PlacedClip {
  clip: IxClip;
  producerId: string;
}

/** Track contents as MLT playlist children, in order: blanks for gaps, entries for clips. */
export function playlistItems(clips: readonly PlacedClip[], t: IxTimeline): XmlNode[] {
  const ordered: XmlNode[] = [];
  let at = 0;
  for (const { clip, producerId } of clips) {
    if (clip.position > at) ordered.push({ blank: { '@_length': clip.position - at } });
    const r = entryRange(clip, t);
    ordered.push({ entry: { '@_producer': producerId, '@_in': r.in, '@_out': r.out } });
    at = clip.position + clip.duration;
  }
  return ordered;
}

/** Producer properties for a clip's media (avformat, whole file; the entry picks the range). */
export function producerProperties(c: IxClip, paths: PathWriter, t: IxTimeline, extra: XmlNode[] = []): XmlNode[] {
  return [
    prop('length', producerLength(c, t)),
    prop('eof', 'pause'),
    prop('resource', paths.path(c.shown.media.path)),
    prop('mlt_service', 'avformat-novalidate'),
    prop('seekable', 1),
    ...(c.take ? [prop('lacuna:take', takeNote(c.take))] : []),
    ...extra,
  ];
}

export function roleTracksOf(t: IxTimeline): RoleTrack[] {
  return expandHelperTracks(t.tracks);
}

/** hide= for a track: video tracks play no sound, audio tracks show no picture, helpers neither. */
export function hideOf(rt: RoleTrack): string {
  if (!rt.enabled) return 'both';
  return rt.track.kind === 'video' ? 'audio' : 'video';
}

/** The timeline as Shotcut-flavoured MLT XML. */
export function writeMlt(t: IxTimeline, paths: PathWriter): string {
  const length = Math.max(1, timelineLength(t));
  const tracks = roleTracksOf(t);
  const body: XmlNode[] = [];
  body.push({ profile: profileNode(t) });
  body.push({ playlist: { '@_id': 'main_bin', property: [prop('xml_retain', 1)] } });
  body.push({
    producer: {
      '@_id': 'black',
      '@_in': 0,
      '@_out': length - 1,
      property: [prop('length', length), prop('eof', 'pause'), prop('resource', '0'), prop('aspect_ratio', 1), prop('mlt_service', 'color'), prop('mlt_image_format', 'rgba'), prop('set.test_audio', 0)],
    },
  });
  body.push({ playlist: { '@_id': 'background', entry: { '@_producer': 'black', '@_in': 0, '@_out': length - 1 } } });
  let n = 0;
  tracks.forEach((rt, ti) => {
    const placed: PlacedClip[] = rt.track.clips.map((clip) => ({ clip, producerId: `producer${n++}` }));
    for (const { clip, producerId } of placed) {
      body.push({ producer: { '@_id': producerId, '@_in': 0, '@_out': producerLength(clip, t) - 1, property: [...producerProperties(clip, paths, t), prop('shotcut:caption', clip.name)] } });
    }
    const items = playlistItems(placed, t);
    body.push({
      playlist: {
        '@_id': `playlist${ti}`,
        property: [prop(rt.track.kind === 'video' ? 'shotcut:video' : 'shotcut:audio', 1), prop('shotcut:name', rt.track.name)],
        ...orderedChildren(items),
      },
    });
  });
  const trackRefs = [{ '@_producer': 'background' }, ...tracks.map((rt, ti) => ({ '@_producer': `playlist${ti}`, '@_hide': hideOf(rt) }))];
  const transitions: XmlNode[] = [];
  tracks.forEach((rt, ti) => {
    const b = ti + 1;
    if (rt.track.kind === 'audio') {
      transitions.push({ '@_id': `mix${b}`, property: [prop('a_track', 0), prop('b_track', b), prop('mlt_service', 'mix'), prop('always_active', 1), prop('sum', 1)] });
    } else {
      transitions.push({ '@_id': `blend${b}`, property: [prop('a_track', 0), prop('b_track', b), prop('mlt_service', 'qtblend'), prop('always_active', 1), prop('compositing', 0), prop('distort', 0)] });
    }
  });
  body.push({
    tractor: {
      '@_id': 'tractor0',
      '@_title': t.name,
      '@_in': 0,
      '@_out': length - 1,
      property: [prop('shotcut', 1), prop('shotcut:projectAudioChannels', 2), prop('lacuna:startTimecode', t.startTimecode)],
      track: trackRefs,
      transition: transitions,
    },
  });
  return writeOrderedMlt({ '@_LC_NUMERIC': 'C', '@_version': MLT_VERSION, '@_title': t.name, '@_producer': 'main_bin' }, body);
}

/** A playlist's children in order (blank, entry, blank …) for writeOrderedMlt. */
export function orderedChildren(items: XmlNode[]): XmlNode {
  return { '#ordered': items };
}

/**
 * Writes `<mlt attrs>` with `body` in order. Element order matters in MLT (a producer must come
 * before the playlist naming it; blanks and entries interleave), and fast-xml-parser's object
 * builder groups same-named keys, so this converts to its ordered form (preserveOrder).
 */
export function writeOrderedMlt(attrs: XmlNode, body: XmlNode[]): string {
  const toOrdered = (name: string, value: unknown): XmlNode[] => {
    if (Array.isArray(value)) return value.flatMap((v) => toOrdered(name, v));
    if (value === null || typeof value !== 'object') return [{ [name]: [{ '#text': String(value) }] }];
    const v = value as XmlNode;
    const attributes: XmlNode = {};
    const kids: XmlNode[] = [];
    for (const [k, x] of Object.entries(v)) {
      if (k.startsWith('@_')) attributes[k] = x;
      else if (k === '#text') kids.push({ '#text': String(x) });
      else if (k === '#ordered') for (const item of x as XmlNode[]) for (const [ik, iv] of Object.entries(item)) kids.push(...toOrdered(ik, iv));
      else kids.push(...toOrdered(k, x));
    }
    const node: XmlNode = { [name]: kids };
    if (Object.keys(attributes).length) node[':@'] = attributes;
    return [node];
  };
  return buildOrderedXml(toOrdered('mlt', { ...attrs, '#ordered': body }));
}

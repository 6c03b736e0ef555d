import { TakeParamsSchema, ContentHashSchema } from '../project';
import { LacunaError } from '../util/errors';
import { toNumber, type Rational } from '../util/rational';
import type { IxClip, IxMedia, IxMediaUse, IxNote, IxParsed, IxTimeline, IxTrack } from './model';
import { PathReader, type PathWriter } from './mediaPaths';
import { rateFromFloat, timecodeFrames, timecodeLabel } from './rates';

/**
 * OpenTimelineIO JSON (`.otio`), the format DaVinci Resolve reads and writes natively.
 *
 * Written schemas: Timeline.1, Stack.1, Track.1, Clip.2 (with `media_references` and
 * `active_media_reference_key`), ExternalReference.1, Gap.1, RationalTime.1, TimeRange.1 — what
 * OpenTimelineIO 0.15+ reads. A clip with an active take has three references: DEFAULT_MEDIA (the
 * take, active), `original` and `matte`, so a conform can switch back without Lacuna. Source
 * ranges are in the media's own rate and timecode space (available_range starts at the file's
 * start timecode), as OTIO's own adapters write them. Lacuna's take facts (label, engine,
 * expression, alignment) and content hashes ride in `metadata.lacuna`.
 *
 * Read: Clip.1 and Clip.2 (the active reference), Gap.1, Track.1, Stack.1 at the top; anything
 * else (transitions, effects, speed changes, nested stacks, generators, markers) is reported.
 */

export const OTIO_SCHEMAS = ['Timeline.1', 'Stack.1', 'Track.1', 'Clip.2', 'ExternalReference.1', 'Gap.1'] as const;

type Json = Record<string, unknown>;

const rt = (value: number, rate: Rational): Json => ({ OTIO_SCHEMA: 'RationalTime.1', rate: toNumber(rate), value });
const range = (start: number, duration: number, rate: Rational): Json => ({
  OTIO_SCHEMA: 'TimeRange.1',
  duration: rt(duration, rate),
  start_time: rt(start, rate),
});
const itemBase = (name: string) => ({ name, effects: [], markers: [], enabled: true });

function referenceOf(m: IxMedia, paths: PathWriter): Json {
  return {
    OTIO_SCHEMA: 'ExternalReference.1',
    metadata: { lacuna: { dropFrame: m.dropFrame, ...(m.hash && { hash: m.hash }) } },
    name: m.name,
    available_range: range(m.startFrame, m.frames, m.rate),
    available_image_bounds: null,
    target_url: paths.url(m.path),
  };
}

function clipJson(c: IxClip, paths: PathWriter): Json {
  const refs: Json = { DEFAULT_MEDIA: referenceOf(c.shown.media, paths) };
  if (c.original) refs.original = referenceOf(c.original.media, paths);
  if (c.matte) refs.matte = referenceOf(c.matte.media, paths);
  const s = c.shown;
  return {
    OTIO_SCHEMA: 'Clip.2',
    metadata: c.take ? { lacuna: { take: c.take, ...(c.original && { originalSourceIn: c.original.sourceIn }) } } : {},
    ...itemBase(c.name),
    source_range: range(s.media.startFrame + s.sourceIn, s.sourceOut - s.sourceIn, s.media.rate),
    media_references: refs,
    active_media_reference_key: 'DEFAULT_MEDIA',
  };
}

function trackJson(t: IxTrack, rate: Rational, paths: PathWriter): Json {
  const children: Json[] = [];
  let at = 0;
  for (const c of t.clips) {
    if (c.position > at) children.push({ OTIO_SCHEMA: 'Gap.1', metadata: {}, ...itemBase(''), source_range: range(0, c.position - at, rate) });
    children.push(clipJson(c, paths));
    at = c.position + c.duration;
  }
  return { OTIO_SCHEMA: 'Track.1', metadata: {}, ...itemBase(t.name), source_range: null, children, kind: t.kind === 'video' ? 'Video' : 'Audio' };
}

/** The timeline as OTIO JSON text. */
export function writeOtio(t: IxTimeline, paths: PathWriter): string {
  const start = timecodeFrames(t.startTimecode, t.rate);
  const doc = {
    OTIO_SCHEMA: 'Timeline.1',
    metadata: {
      lacuna: { startTimecode: t.startTimecode, width: t.width, height: t.height, sampleRate: t.sampleRate },
    },
    name: t.name,
    global_start_time: rt(start?.frames ?? 0, t.rate),
    tracks: {
      OTIO_SCHEMA: 'Stack.1',
      metadata: {},
      ...itemBase('tracks'),
      source_range: null,
      children: t.tracks.map((tr) => trackJson(tr, t.rate, paths)),
    },
  };
  return `${JSON.stringify(doc, null, 4)}\n`;
}

// ------------------------------------------------------------------ reading

const isObj = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const schemaOf = (v: Json): string => (typeof v.OTIO_SCHEMA === 'string' ? v.OTIO_SCHEMA : '');
const schemaName = (v: Json): string => schemaOf(v).replace(/\.\d+$/, '');

function bad(message: string): LacunaError {
  return new LacunaError('BAD_ARGUMENT', `not a readable OTIO file: ${message}`);
}

/** A RationalTime as a frame count at `rate` (rounded: tools write 3599.9999 for 3600). */
function framesAt(v: unknown, rate: Rational, what: string): number {
  if (!isObj(v) || typeof v.value !== 'number' || typeof v.rate !== 'number' || v.rate <= 0) throw bad(`${what} is not a RationalTime`);
  return Math.round((v.value / v.rate) * toNumber(rate));
}

function rateOf(v: unknown, what: string): Rational {
  if (!isObj(v) || typeof v.rate !== 'number' || v.rate <= 0) throw bad(`${what} has no rate`);
  return rateFromFloat(v.rate);
}

function rangeOf(v: unknown, rate: Rational, what: string): { start: number; duration: number } {
  if (!isObj(v)) throw bad(`${what} has no time range`);
  return { start: framesAt(v.start_time, rate, `${what}.start_time`), duration: framesAt(v.duration, rate, `${what}.duration`) };
}

class OtioReader {
  readonly notes: IxNote[] = [];
  readonly #media = new Map<string, IxMedia>();

  constructor(private readonly paths: PathReader) {}

  note(kind: IxNote['kind'], at: string, message: string) {
    this.notes.push({ kind, at, message });
  }

  reference(ref: unknown, fallbackRate: Rational, at: string): IxMedia | null {
    if (!isObj(ref)) return null;
    const schema = schemaName(ref);
    if (schema !== 'ExternalReference') {
      this.note('media', at, `${schema || 'a media reference'} cannot be imported (only files: ExternalReference); the clip is left out`);
      return null;
    }
    if (typeof ref.target_url !== 'string' || !ref.target_url) {
      this.note('media', at, 'the media reference has no target_url; the clip is left out');
      return null;
    }
    const path = this.paths.resolve(ref.target_url);
    const known = this.#media.get(path);
    if (known) return known;
    const avail = isObj(ref.available_range) ? ref.available_range : null;
    const rate = avail ? rateOf(avail.duration, `${at} available_range`) : fallbackRate;
    const r = avail ? rangeOf(avail, rate, `${at} available_range`) : { start: 0, duration: 0 };
    const lacuna = isObj(ref.metadata) && isObj(ref.metadata.lacuna) ? ref.metadata.lacuna : {};
    const hash = ContentHashSchema.safeParse(lacuna.hash);
    const media: IxMedia = {
      name: typeof ref.name === 'string' && ref.name ? ref.name : path.replace(/^.*[/\\]/, ''),
      path,
      rate,
      frames: r.duration,
      startFrame: r.start,
      dropFrame: lacuna.dropFrame === true,
      video: null,
      audio: null,
      ...(hash.success && { hash: hash.data }),
    };
    this.#media.set(path, media);
    return media;
  }

  clip(c: Json, kind: IxTrack['kind'], position: number, timelineRate: Rational, at: string): IxClip | null {
    const name = typeof c.name === 'string' && c.name ? c.name : 'Clip';
    const where = `${at} clip "${name}"`;
    if (c.enabled === false) this.note('other', where, 'the clip is disabled in the file; it is imported enabled');
    for (const e of Array.isArray(c.effects) ? c.effects : []) {
      const s = isObj(e) ? schemaName(e) : '';
      if (s === 'LinearTimeWarp' || s === 'FreezeFrame') this.note('speed', where, `${s} (speed change) is not kept: the clip plays at normal speed`);
      else this.note('effect', where, `effect ${isObj(e) && typeof e.effect_name === 'string' ? e.effect_name : s} is not kept`);
    }
    if (Array.isArray(c.markers) && c.markers.length) this.note('marker', where, `${c.markers.length} marker(s) not kept`);
    const refs = isObj(c.media_references) ? c.media_references : null;
    const activeKey = typeof c.active_media_reference_key === 'string' ? c.active_media_reference_key : 'DEFAULT_MEDIA';
    const activeRef = refs ? refs[activeKey] : c.media_reference;
    const sr = isObj(c.source_range) ? c.source_range : null;
    const srcRate = sr ? rateOf(sr.duration, `${where} source_range`) : timelineRate;
    const shownMedia = this.reference(activeRef, srcRate, where);
    if (!shownMedia) return null;
    const r = sr ? rangeOf(sr, shownMedia.rate, `${where} source_range`) : { start: shownMedia.startFrame, duration: shownMedia.frames };
    if (kind === 'video') shownMedia.video ??= { width: 0, height: 0 };
    else shownMedia.audio ??= { channels: 0, sampleRate: 0 };
    const shown: IxMediaUse = { media: shownMedia, sourceIn: r.start - shownMedia.startFrame, sourceOut: r.start - shownMedia.startFrame + r.duration };
    const duration = sr ? framesAt(sr.duration, timelineRate, `${where} duration`) : Math.round((shownMedia.frames * toNumber(timelineRate)) / toNumber(shownMedia.rate));
    const clip: IxClip = { name, position, duration, shown };
    const lacuna = isObj(c.metadata) && isObj(c.metadata.lacuna) ? c.metadata.lacuna : null;
    const take = lacuna && isObj(lacuna.take) ? lacuna.take : null;
    const params = take ? TakeParamsSchema.safeParse(take.params) : null;
    if (refs && take && params?.success && typeof take.label === 'string' && Number.isInteger(take.sourceStart)) {
      const orig = this.reference(refs.original, shownMedia.rate, `${where} original`);
      if (orig) {
        const sourceStart = take.sourceStart as number;
        clip.original = { media: orig, sourceIn: shown.sourceIn + sourceStart, sourceOut: shown.sourceOut + sourceStart };
        clip.take = { label: take.label, params: params.data, sourceStart };
        if (kind === 'video') orig.video ??= { width: 0, height: 0 };
        const matte = refs.matte ? this.reference(refs.matte, shownMedia.rate, `${where} matte`) : null;
        if (matte) clip.matte = { ...shown, media: matte };
      }
    } else if (refs && Object.keys(refs).length > 1) {
      this.note('other', where, `only the active media reference "${activeKey}" is used; ${Object.keys(refs).filter((k) => k !== activeKey).join(', ')} not kept`);
    }
    return clip;
  }

  track(t: Json, index: number, rate: Rational): IxTrack {
    const kind = t.kind === 'Audio' ? 'audio' : 'video';
    const name = typeof t.name === 'string' && t.name ? t.name : `${kind === 'video' ? 'V' : 'A'}${index + 1}`;
    const at = `track "${name}"`;
    if (t.kind !== 'Video' && t.kind !== 'Audio') this.note('other', at, `track kind "${String(t.kind)}" read as video`);
    const clips: IxClip[] = [];
    let pos = 0;
    for (const child of Array.isArray(t.children) ? t.children : []) {
      if (!isObj(child)) continue;
      const s = schemaName(child);
      if (s === 'Transition') {
        this.note('transition', `${at} at frame ${pos}`, `${typeof child.transition_type === 'string' ? child.transition_type : 'transition'} not kept: a cut instead`);
        continue;
      }
      const sr = isObj(child.source_range) ? child.source_range : null;
      if (s === 'Clip') {
        const c = this.clip(child, kind, pos, rate, at);
        if (c) {
          clips.push(c);
          pos += c.duration;
        } else if (sr) pos += framesAt(sr.duration, rate, `${at} clip duration`);
        continue;
      }
      const duration = sr ? framesAt(sr.duration, rate, `${at} ${s} duration`) : 0;
      if (s === 'Stack' || s === 'Track') this.note('nested', `${at} at frame ${pos}`, `a nested ${s.toLowerCase()} cannot be imported; left as a gap of ${duration} frames`);
      else if (s !== 'Gap') this.note('other', `${at} at frame ${pos}`, `${schemaOf(child)} not understood; left as a gap`);
      pos += duration;
    }
    return { kind, name, clips };
  }
}

/** Reads OTIO JSON text; paths resolve against `fileDir`. */
export function readOtio(text: string, fileDir: string, pathReader?: PathReader): IxParsed {
  let root: unknown;
  try {
    root = JSON.parse(text);
  } catch (e) {
    throw bad(`${(e as Error).message}`);
  }
  if (!isObj(root) || schemaName(root) !== 'Timeline') {
    throw bad(`the top object is ${isObj(root) ? schemaOf(root) || 'untyped' : 'not an object'}, not a Timeline`);
  }
  const reader = new OtioReader(pathReader ?? new PathReader(fileDir));
  const stack = isObj(root.tracks) ? root.tracks : null;
  const lacuna = isObj(root.metadata) && isObj(root.metadata.lacuna) ? root.metadata.lacuna : {};
  const firstTime = (): unknown => {
    for (const t of Array.isArray(stack?.children) ? stack.children : []) {
      for (const c of isObj(t) && Array.isArray(t.children) ? t.children : []) if (isObj(c) && isObj(c.source_range)) return c.source_range.duration;
    }
    return null;
  };
  const rate = isObj(root.global_start_time) ? rateOf(root.global_start_time, 'global_start_time') : firstTime() ? rateOf(firstTime(), 'first item') : { num: 24, den: 1 };
  const tracks = (Array.isArray(stack?.children) ? stack.children : []).filter(isObj).map((t, i) => reader.track(t, i, rate));
  const startFrames = isObj(root.global_start_time) ? framesAt(root.global_start_time, rate, 'global_start_time') : 0;
  const df = typeof lacuna.startTimecode === 'string' ? /;/.test(lacuna.startTimecode) : false;
  const num = (v: unknown, d: number) => (typeof v === 'number' && Number.isInteger(v) && v > 0 ? v : d);
  const firstVideo = tracks.flatMap((t) => t.clips).find((c) => c.shown.media.video)?.shown.media.video;
  return {
    timeline: {
      name: typeof root.name === 'string' && root.name ? root.name : 'Imported timeline',
      rate,
      startTimecode: timecodeLabel(startFrames, rate, df),
      width: num(lacuna.width, firstVideo?.width || 1920),
      height: num(lacuna.height, firstVideo?.height || 1080),
      sampleRate: num(lacuna.sampleRate, 48000),
      tracks: orderTracks(tracks),
    },
    notes: reader.notes,
  };
}

/** Video tracks first, then audio, each kind in file order (the model's order). */
export function orderTracks(tracks: IxTrack[]): IxTrack[] {
  return [...tracks.filter((t) => t.kind === 'video'), ...tracks.filter((t) => t.kind === 'audio')];
}

import { LacunaError } from '../util/errors';
import { rational, type Rational } from '../util/rational';
import { expandHelperTracks, parseTakeNote, takeNote } from './helperTracks';
import type { IxClip, IxMedia, IxNote, IxParsed, IxTimeline, IxTrack } from './model';
import { timelineLength } from './model';
import { PathReader, type PathWriter } from './mediaPaths';
import { orderTracks } from './otio';
import { timecodeFrames, timecodeLabel } from './rates';
import { ATTR, attr, buildOrderedXml, child, children, parseXml, text, type XmlNode } from './xml';

/**
 * FCPXML, Final Cut Pro's format (Resolve 18.5 reads 1.3-1.10, 19.1+ newer). Written as 1.10 by
 * default; 1.9 and 1.11 take the same structure (the version attribute changes), and 1.8 writes
 * each asset's file as its `src` attribute instead of a <media-rep>.
 *
 * Times are exact rational seconds ("1001/30000s"). V1 is the primary storyline (the spine, its
 * gaps as <gap>); the other video tracks are connected clips on lanes 1, 2 … and the audio
 * tracks on lanes -1, -2 …, each anchored to the spine item under its start. A clip with a take
 * is an <audition>: the take first (the pick FCP plays), the original second, so the editor
 * switches takes in Final Cut itself; its matte is a disabled connected clip on a lane above the
 * video lanes; the take's label and engine are in a <note>.
 */

export const FCPXML_VERSIONS = ['1.8', '1.9', '1.10', '1.11'] as const;
export type FcpxmlVersion = (typeof FCPXML_VERSIONS)[number];

/** `frames` at `rate` as FCPXML time. */
export function fcpTime(frames: number, rate: Rational): string {
  if (frames === 0) return '0s';
  const r = rational(frames * rate.den, rate.num);
  return r.den === 1 ? `${r.num}s` : `${r.num}/${r.den}s`;
}

/** FCPXML time ("1001/30000s", "3600s", "1.5s") as a rational number of seconds. */
export function parseFcpTime(t: string | undefined): Rational | null {
  if (!t) return null;
  const m = /^(-?\d+)(?:\/(\d+))?s$/.exec(t.trim());
  if (m) return rational(Number(m[1]), m[2] ? Number(m[2]) : 1);
  const d = /^(-?\d+)\.(\d+)s$/.exec(t.trim());
  if (d) return rational(Number(`${d[1]}${d[2]}`), 10 ** d[2].length);
  return null;
}

const framesOf = (t: Rational, rate: Rational): number => Math.round((t.num * rate.num) / (t.den * rate.den));

type Ordered = XmlNode[];
const el = (name: string, attrs: Record<string, string | number>, kids: Ordered = []): XmlNode => {
  const a: XmlNode = {};
  for (const [k, v] of Object.entries(attrs)) a[ATTR + k] = String(v);
  return { [name]: kids, ':@': a };
};

class FcpxmlWriter {
  readonly resources: Ordered = [];
  readonly #formats = new Map<string, string>();
  readonly #assets = new Map<string, string>();
  #next = 1;

  constructor(
    private readonly paths: PathWriter,
    private readonly version: FcpxmlVersion,
  ) {}

  format(rate: Rational, width: number, height: number): string {
    const key = `${rate.num}/${rate.den} ${width}x${height}`;
    let id = this.#formats.get(key);
    if (!id) {
      id = `r${this.#next++}`;
      this.#formats.set(key, id);
      this.resources.push(el('format', { id, frameDuration: fcpTime(1, rate), width, height, colorSpace: '1-1-1 (Rec. 709)' }));
    }
    return id;
  }

  asset(m: IxMedia): string {
    let id = this.#assets.get(m.path);
    if (id) return id;
    const format = m.video ? this.format(m.rate, m.video.width || 1920, m.video.height || 1080) : undefined;
    id = `r${this.#next++}`;
    this.#assets.set(m.path, id);
    const url = this.paths.url(m.path);
    const attrs: Record<string, string | number> = {
      id,
      name: m.name.replace(/\.[^.]*$/, ''),
      start: fcpTime(m.startFrame, m.rate),
      duration: fcpTime(m.frames, m.rate),
      hasVideo: m.video ? 1 : 0,
      ...(format && { format }),
      hasAudio: m.audio ? 1 : 0,
      ...(m.audio && { audioSources: 1, audioChannels: m.audio.channels, audioRate: m.audio.sampleRate }),
    };
    if (this.version === '1.8') attrs.src = url;
    this.resources.push(el('asset', attrs, this.version === '1.8' ? [] : [el('media-rep', { kind: 'original-media', src: url })]));
    return id;
  }

  /** An asset-clip of `use` placed at `offset` (already a time string), optional lane. */
  assetClip(c: IxClip, use: IxClip['shown'], offset: string, rate: Rational, opts: { lane?: number; audio?: boolean; enabled?: boolean; kids?: Ordered }): XmlNode {
    const m = use.media;
    return el(
      'asset-clip',
      {
        ref: this.asset(m),
        ...(opts.lane !== undefined && { lane: opts.lane }),
        offset,
        name: c.name,
        start: fcpTime(m.startFrame + use.sourceIn, m.rate),
        duration: fcpTime(c.duration, rate),
        ...(opts.enabled === false && { enabled: 0 }),
        srcEnable: opts.audio ? 'audio' : 'video',
        ...(m.dropFrame ? { tcFormat: 'DF' } : {}),
      },
      opts.kids ?? [],
    );
  }

  /** The clip as a spine or connected item: an audition when it shows a take. */
  item(c: IxClip, offset: string, rate: Rational, opts: { lane?: number; audio?: boolean; enabled?: boolean; kids?: Ordered }): XmlNode {
    if (!c.take || !c.original) return this.assetClip(c, c.shown, offset, rate, opts);
    const note = { note: [{ '#text': takeNote(c.take) }] };
    const take = this.assetClip(c, c.shown, offset, rate, { audio: opts.audio, kids: [note, ...(opts.kids ?? [])] });
    const original = this.assetClip({ ...c, name: `${c.name} (original)` }, c.original, offset, rate, { audio: opts.audio });
    return el('audition', { ...(opts.lane !== undefined && { lane: opts.lane }), offset }, [take, original]);
  }
}

export function writeFcpxml(t: IxTimeline, paths: PathWriter, version: FcpxmlVersion = '1.10'): string {
  const w = new FcpxmlWriter(paths, version);
  const rate = t.rate;
  const seqFormat = w.format(rate, t.width, t.height);
  const start = timecodeFrames(t.startTimecode, rate) ?? { frames: 0, dropFrame: false };
  const at = (frame: number) => fcpTime(start.frames + frame, rate);
  const length = timelineLength(t);
  const video = t.tracks.filter((x) => x.kind === 'video');
  const audio = t.tracks.filter((x) => x.kind === 'audio');
  // Spine: V1 with gaps, covering the whole length so every connected clip has an anchor.
  interface SpineItem {
    position: number;
    duration: number;
    clip: IxClip | null;
    kids: Ordered;
  }
  const spine: SpineItem[] = [];
  let pos = 0;
  for (const c of video[0]?.clips ?? []) {
    if (c.position > pos) spine.push({ position: pos, duration: c.position - pos, clip: null, kids: [] });
    spine.push({ position: c.position, duration: c.duration, clip: c, kids: [] });
    pos = c.position + c.duration;
  }
  if (pos < length || !spine.length) spine.push({ position: pos, duration: Math.max(1, length - pos), clip: null, kids: [] });
  const anchor = (frame: number): SpineItem => spine.find((s) => frame >= s.position && frame < s.position + s.duration) ?? spine[spine.length - 1];
  // Local time of a spine item at timeline `frame`: a clip's source time, a gap's own (from 0, FCP's default).
  const localTime = (s: SpineItem, frame: number): string => {
    if (!s.clip) return fcpTime(frame - s.position, rate);
    const m = s.clip.shown.media;
    const startT = rational((m.startFrame + s.clip.shown.sourceIn) * m.rate.den, m.rate.num);
    const d = rational((frame - s.position) * rate.den, rate.num);
    const sum = rational(startT.num * d.den + d.num * startT.den, startT.den * d.den);
    return sum.num === 0 ? '0s' : sum.den === 1 ? `${sum.num}s` : `${sum.num}/${sum.den}s`;
  };
  const connect = (c: IxClip, lane: number, opts: { audio?: boolean; enabled?: boolean }) => {
    const s = anchor(c.position);
    s.kids.push(w.item(c, localTime(s, c.position), rate, { lane, ...opts }));
  };
  const lanesAbove = expandHelperTracks(video, { originals: false });
  let lane = 0;
  for (const rt of lanesAbove) {
    if (rt.track === video[0]) continue;
    lane++;
    for (const c of rt.track.clips) connect(c, lane, { enabled: rt.enabled });
  }
  // V1's mattes sit on the lane above the others (expandHelperTracks placed them right after V1).
  audio.forEach((a, i) => {
    for (const c of a.clips) connect(c, -(i + 1), { audio: true });
  });
  const spineNodes = spine.map((s) =>
    s.clip
      ? w.item(s.clip, at(s.position), rate, { kids: s.kids })
      : el('gap', { name: 'Gap', offset: at(s.position), start: '0s', duration: fcpTime(s.duration, rate) }, s.kids),
  );
  const sequence = el(
    'sequence',
    { format: seqFormat, duration: fcpTime(length, rate), tcStart: fcpTime(start.frames, rate), tcFormat: start.dropFrame ? 'DF' : 'NDF', audioLayout: 'stereo', audioRate: t.sampleRate >= 96000 ? '96k' : t.sampleRate >= 48000 ? '48k' : '44.1k' },
    [el('spine', {}, spineNodes)],
  );
  const library = el('library', {}, [el('event', { name: 'Lacuna' }, [el('project', { name: t.name }, [sequence])])]);
  const root = el('fcpxml', { version }, [el('resources', {}, w.resources), library]);
  return buildOrderedXml([root]).replace(/^(<\?xml[^>]*\?>\n)/, '$1<!DOCTYPE fcpxml>\n');
}

// ------------------------------------------------------------------ reading

const LISTS = ['format', 'asset', 'media-rep', 'event', 'project', 'asset-clip', 'clip', 'gap', 'audition', 'ref-clip', 'mc-clip', 'sync-clip', 'transition', 'title', 'video', 'audio', 'spine', 'marker', 'filter-video', 'filter-audio', 'timeMap', 'note', 'keyword'];
const ITEMS = ['asset-clip', 'clip', 'gap', 'audition', 'ref-clip', 'mc-clip', 'sync-clip', 'transition', 'title', 'video', 'audio'];

class FcpxmlReader {
  readonly notes: IxNote[] = [];
  readonly assets = new Map<string, XmlNode>();
  readonly formats = new Map<string, XmlNode>();
  readonly #media = new Map<string, IxMedia>();
  readonly lanes = new Map<number, IxClip[]>();

  constructor(
    private readonly paths: PathReader,
    private readonly rate: Rational,
  ) {}

  media(assetId: string | undefined, at: string): IxMedia | null {
    const a = assetId ? this.assets.get(assetId) : undefined;
    if (!a) {
      this.notes.push({ kind: 'media', at, message: `refers to resource "${assetId ?? ''}", which is not an asset; left out` });
      return null;
    }
    const src = attr(child(a, 'media-rep'), 'src') ?? attr(a, 'src');
    if (!src) {
      this.notes.push({ kind: 'media', at, message: 'its asset has no file (media-rep src); left out' });
      return null;
    }
    const path = this.paths.resolve(src);
    const known = this.#media.get(path);
    if (known) return known;
    const f = this.formats.get(attr(a, 'format') ?? '');
    const fd = parseFcpTime(attr(f, 'frameDuration'));
    const rate = fd ? rational(fd.den, fd.num) : this.rate;
    const start = parseFcpTime(attr(a, 'start')) ?? rational(0);
    const duration = parseFcpTime(attr(a, 'duration')) ?? rational(0);
    const m: IxMedia = {
      name: (src.replace(/^.*\//, '') && decodeURIComponent(src.replace(/^.*\//, ''))) || attr(a, 'name') || 'media',
      path,
      rate,
      frames: framesOf(duration, rate),
      startFrame: framesOf(start, rate),
      dropFrame: false,
      video: attr(a, 'hasVideo') === '1' ? { width: Number(attr(f, 'width') ?? 0), height: Number(attr(f, 'height') ?? 0) } : null,
      audio: attr(a, 'hasAudio') === '1' ? { channels: Number(attr(a, 'audioChannels') ?? 2), sampleRate: Number(attr(a, 'audioRate') ?? 48000) } : null,
    };
    this.#media.set(path, m);
    return m;
  }

  /** An asset-clip as an IxClip at timeline `position`. */
  assetClip(node: XmlNode, position: number, at: string): IxClip | null {
    const name = attr(node, 'name') ?? 'Clip';
    const where = `${at} clip "${name}"`;
    const m = this.media(attr(node, 'ref'), where);
    if (!m) return null;
    for (const k of ['filter-video', 'filter-audio']) for (const f of children(node, k)) this.notes.push({ kind: 'effect', at: where, message: `effect "${attr(f, 'name') ?? k}" not kept` });
    if (children(node, 'timeMap').length || child(node, 'conform-rate')) this.notes.push({ kind: 'speed', at: where, message: 'speed change (timeMap) not kept: normal speed' });
    if (children(node, 'marker').length) this.notes.push({ kind: 'marker', at: where, message: `${children(node, 'marker').length} marker(s) not kept` });
    const start = parseFcpTime(attr(node, 'start')) ?? rational(m.startFrame * m.rate.den, m.rate.num);
    const duration = parseFcpTime(attr(node, 'duration')) ?? rational(0);
    const sourceIn = framesOf(start, m.rate) - m.startFrame;
    const mediaFrames = framesOf(duration, m.rate);
    const clip: IxClip = { name, position, duration: framesOf(duration, this.rate), shown: { media: m, sourceIn, sourceOut: sourceIn + mediaFrames } };
    const take = parseTakeNote(text(child(node, 'note')));
    if (take) clip.take = { ...take, sourceStart: 0 };
    return clip;
  }

  /** A spine or connected item → clip (auditions give take + original), or null (reported). */
  item(kind: string, node: XmlNode, position: number, at: string): IxClip | null {
    if (kind === 'asset-clip') return this.assetClip(node, position, at);
    if (kind === 'audition') {
      const picks = children(node, 'asset-clip');
      const first = picks[0] ? this.assetClip(picks[0], position, at) : null;
      if (!first) {
        this.notes.push({ kind: 'other', at, message: 'an audition without asset-clips cannot be imported' });
        return null;
      }
      const second = picks[1] ? this.assetClip(picks[1], position, at) : null;
      if (second && first.take) {
        first.original = second.shown;
        first.take.sourceStart = second.shown.sourceIn - first.shown.sourceIn;
      } else if (picks.length > 1) this.notes.push({ kind: 'other', at, message: `audition: only the pick "${first.name}" is imported (${picks.length - 1} alternative(s) not kept)` });
      return first;
    }
    const what: Record<string, [IxNote['kind'], string]> = {
      'ref-clip': ['nested', 'a compound clip cannot be imported'],
      'mc-clip': ['multicam', 'a multicam clip cannot be imported'],
      'sync-clip': ['nested', 'a synchronized clip cannot be imported'],
      clip: ['nested', 'a <clip> (with its own storyline) cannot be imported'],
      title: ['effect', 'a title cannot be imported'],
      video: ['effect', 'a generator cannot be imported'],
      audio: ['other', 'an <audio> element cannot be imported'],
    };
    const [k, message] = what[kind] ?? ['other', `<${kind}> not understood`];
    this.notes.push({ kind: k, at: `${at} "${attr(node, 'name') ?? kind}"`, message: `${message}; left as a gap` });
    return null;
  }

  /** Local time of `node` (its `start`, for clips the source time) → its timeline position. */
  connected(parent: XmlNode, parentPos: number, at: string): void {
    const parentStart = parseFcpTime(attr(parent, 'start')) ?? rational(0);
    for (const kind of ITEMS) {
      for (const c of children(parent, kind)) {
        const lane = Number(attr(c, 'lane') ?? NaN);
        if (!Number.isInteger(lane)) continue;
        if (kind === 'transition') {
          this.notes.push({ kind: 'transition', at, message: `${attr(c, 'name') ?? 'transition'} not kept: a cut instead` });
          continue;
        }
        const off = parseFcpTime(attr(c, 'offset')) ?? rational(0);
        const pos = parentPos + framesOf(rational(off.num * parentStart.den - parentStart.num * off.den, off.den * parentStart.den), this.rate);
        const clip = this.item(kind, c, pos, `lane ${lane}`);
        if (clip) {
          if (attr(c, 'enabled') === '0') (clip as IxClip & { disabled?: boolean }).disabled = true;
          (this.lanes.get(lane) ?? this.lanes.set(lane, []).get(lane)!).push(clip);
        }
      }
    }
  }
}

export function readFcpxml(xml: string, fileDir: string, pathReader?: PathReader): IxParsed {
  const root = child(parseXml(xml, 'FCPXML', LISTS), 'fcpxml');
  if (!root) throw new LacunaError('BAD_ARGUMENT', 'not a readable FCPXML file: no <fcpxml> element');
  const res = child(root, 'resources');
  const lib = child(root, 'library');
  const projects = [...children(root, 'project'), ...children(lib, 'event').flatMap((e) => children(e, 'project')), ...children(root, 'event').flatMap((e) => children(e, 'project'))];
  const seq = child(projects[0], 'sequence');
  if (!seq) throw new LacunaError('BAD_ARGUMENT', 'not a readable FCPXML file: no project with a sequence in it');
  const formats = new Map(children(res, 'format').map((f) => [attr(f, 'id') ?? '', f]));
  const fmt = formats.get(attr(seq, 'format') ?? '');
  const fd = parseFcpTime(attr(fmt, 'frameDuration'));
  const rate = fd ? rational(fd.den, fd.num) : rational(25);
  const reader = new FcpxmlReader(pathReader ?? new PathReader(fileDir), rate);
  for (const [id, f] of formats) reader.formats.set(id, f);
  for (const a of children(res, 'asset')) reader.assets.set(attr(a, 'id') ?? '', a);
  if (projects.length > 1) reader.notes.push({ kind: 'nested', at: 'file', message: `${projects.length} projects in the file; only the first ("${attr(projects[0], 'name') ?? ''}") is imported` });
  const tcStart = framesOf(parseFcpTime(attr(seq, 'tcStart')) ?? rational(0), rate);
  const df = attr(seq, 'tcFormat') === 'DF';
  const spine = child(seq, 'spine');
  const main: IxClip[] = [];
  // Spine items in document order: fast-xml-parser groups by name, so order by offset.
  const items = ITEMS.flatMap((kind) => children(spine, kind).map((node) => ({ kind, node, offset: parseFcpTime(attr(node, 'offset')) ?? rational(0) })));
  items.sort((a, b) => a.offset.num * b.offset.den - b.offset.num * a.offset.den);
  for (const { kind, node, offset } of items) {
    const pos = framesOf(offset, rate) - tcStart;
    if (kind === 'transition') {
      reader.notes.push({ kind: 'transition', at: `spine at frame ${pos}`, message: `${attr(node, 'name') ?? 'transition'} not kept: a cut instead` });
      continue;
    }
    if (kind !== 'gap') {
      const clip = reader.item(kind, node, pos, 'primary storyline');
      if (clip) main.push(clip);
    }
    reader.connected(kind === 'audition' ? (children(node, 'asset-clip')[0] ?? node) : node, pos, `spine at frame ${pos}`);
  }
  const tracks: IxTrack[] = [{ kind: 'video', name: 'V1', clips: main }];
  const lanes = [...reader.lanes.keys()].sort((a, b) => a - b);
  const up = lanes.filter((l) => l > 0);
  const down = lanes.filter((l) => l < 0).reverse();
  for (const l of up) {
    const clips = reader.lanes.get(l)!;
    const disabled = clips.every((c) => (c as IxClip & { disabled?: boolean }).disabled);
    // A lane of disabled clips matching a lane below clip for clip is that lane's mattes.
    const prev = tracks[tracks.length - 1];
    if (disabled && clips.every((c) => prev.clips.some((p) => p.position === c.position && p.duration === c.duration && p.take))) {
      for (const c of clips) prev.clips.find((p) => p.position === c.position && p.duration === c.duration)!.matte = c.shown;
      continue;
    }
    tracks.push({ kind: 'video', name: `V${tracks.length + 1}`, clips });
  }
  down.forEach((l, i) => tracks.push({ kind: 'audio', name: `A${i + 1}`, clips: reader.lanes.get(l)! }));
  for (const t of tracks) {
    t.clips.sort((a, b) => a.position - b.position);
    for (const c of t.clips) {
      delete (c as IxClip & { disabled?: boolean }).disabled;
      if (c.take && !c.original) delete c.take;
      if (t.kind === 'video') c.shown.media.video ??= { width: 0, height: 0 };
      else c.shown.media.audio ??= { channels: 2, sampleRate: 48000 };
    }
  }
  const audioRate = attr(seq, 'audioRate');
  return {
    timeline: {
      name: attr(projects[0], 'name') ?? 'Imported project',
      rate,
      startTimecode: timecodeLabel(tcStart, rate, df),
      width: Number(attr(fmt, 'width') ?? 1920),
      height: Number(attr(fmt, 'height') ?? 1080),
      sampleRate: audioRate === '96k' ? 96000 : audioRate === '44.1k' ? 44100 : 48000,
      tracks: orderTracks(tracks),
    },
    notes: reader.notes,
  };
}

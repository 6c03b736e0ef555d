import { LacunaError } from '../util/errors';
import type { Rational } from '../util/rational';
import { expandHelperTracks, foldHelperTracks, helperRole, parseTakeNote, takeNote, type RoleTrack } from './helperTracks';
import type { IxClip, IxMedia, IxNote, IxParsed, IxTimeline, IxTrack } from './model';
import { timelineLength } from './model';
import { PathReader, type PathWriter } from './mediaPaths';
import { orderTracks } from './otio';
import { rateFromTimebase, timebaseOf, timecodeFrames, timecodeLabel } from './rates';
import { attr, buildXml, child, children, intText, parseXml, text, type XmlNode } from './xml';

/**
 * Final Cut Pro 7 XML (xmeml version 5): Premiere Pro's interchange route, read by Resolve
 * (which needs the sequence's <format>) and by OpenShot.
 *
 * Each clipitem names its file once in full (later uses refer to it by id), with the file's
 * rate, length and start timecode, so an NLE can relink by timecode; in/out count the file's
 * frames at the clipitem's <rate> (the file's), start/end the sequence's. Takes: the clipitem
 * shows the take; the original is on a disabled "<track> original" track beneath and the matte on
 * a disabled "<track> matte" track above (helperTracks.ts), track names in Premiere's
 * MZ.TrackName attribute; the take's label and engine ride in the clipitem's mastercomment1.
 */

const rateNode = (r: Rational) => {
  const { timebase, ntsc } = timebaseOf(r);
  return { timebase, ntsc: ntsc ? 'TRUE' : 'FALSE' };
};

const bool = (b: boolean) => (b ? 'TRUE' : 'FALSE');

function timecodeNode(frames: number, rate: Rational, dropFrame: boolean) {
  const label = timecodeLabel(frames, rate, dropFrame);
  return { rate: rateNode(rate), string: label, frame: frames, displayformat: label.includes(';') ? 'DF' : 'NDF' };
}

class Fcp7Writer {
  readonly #files = new Map<string, string>();

  constructor(private readonly paths: PathWriter) {}

  file(m: IxMedia): XmlNode {
    const known = this.#files.get(m.path);
    if (known) return { '@_id': known };
    const id = `file-${this.#files.size + 1}`;
    this.#files.set(m.path, id);
    const media: XmlNode = {};
    if (m.video) media.video = { samplecharacteristics: { rate: rateNode(m.rate), width: m.video.width, height: m.video.height, pixelaspectratio: 'square' } };
    if (m.audio) media.audio = { samplecharacteristics: { depth: 16, samplerate: m.audio.sampleRate }, channelcount: m.audio.channels };
    return {
      '@_id': id,
      name: m.name,
      pathurl: this.paths.url(m.path).replace(/^file:\/\/\//, 'file://localhost/'),
      rate: rateNode(m.rate),
      duration: m.frames,
      timecode: timecodeNode(m.startFrame, m.rate, m.dropFrame),
      media,
    };
  }

  clipitem(c: IxClip, id: string, kind: IxTrack['kind'], enabled: boolean, trackIndex: number): XmlNode {
    const s = c.shown;
    return {
      '@_id': id,
      name: c.name,
      enabled: bool(enabled),
      duration: s.media.frames,
      rate: rateNode(s.media.rate),
      start: c.position,
      end: c.position + c.duration,
      in: s.sourceIn,
      out: s.sourceOut,
      file: this.file(s.media),
      ...(kind === 'audio' && { sourcetrack: { mediatype: 'audio', trackindex: Math.min(trackIndex, Math.max(1, s.media.audio?.channels ?? 1)) } }),
      ...(c.take && { comments: { mastercomment1: takeNote(c.take) } }),
    };
  }
}

/** The timeline as FCP7 XML (xmeml v5) text. */
export function writeFcp7Xml(t: IxTimeline, paths: PathWriter): string {
  const w = new Fcp7Writer(paths);
  let n = 0;
  const tracks = expandHelperTracks(t.tracks);
  const trackNode = (rt: RoleTrack, index: number) => ({
    '@_MZ.TrackName': rt.track.name,
    enabled: bool(rt.enabled),
    locked: 'FALSE',
    clipitem: rt.track.clips.map((c) => w.clipitem(c, `clipitem-${++n}`, rt.track.kind, rt.enabled, index + 1)),
  });
  const video = tracks.filter((r) => r.track.kind === 'video');
  const audio = tracks.filter((r) => r.track.kind === 'audio');
  const start = timecodeFrames(t.startTimecode, t.rate);
  const sequence = {
    '@_id': 'sequence-1',
    name: t.name,
    duration: timelineLength(t),
    rate: rateNode(t.rate),
    timecode: timecodeNode(start?.frames ?? 0, t.rate, start?.dropFrame ?? false),
    media: {
      video: {
        format: { samplecharacteristics: { rate: rateNode(t.rate), width: t.width, height: t.height, pixelaspectratio: 'square', fielddominance: 'none' } },
        track: video.map(trackNode),
      },
      audio: {
        numOutputChannels: 2,
        format: { samplecharacteristics: { depth: 16, samplerate: t.sampleRate } },
        track: audio.map(trackNode),
      },
    },
  };
  return buildXml({ xmeml: { '@_version': '5', sequence } }, '<!DOCTYPE xmeml>');
}

// ------------------------------------------------------------------ reading

const LISTS = ['track', 'clipitem', 'transitionitem', 'generatoritem', 'filter', 'sequence', 'marker', 'link'];

function rateFrom(node: XmlNode | undefined): Rational | null {
  const tb = intText(node, 'timebase');
  if (!tb || tb <= 0) return null;
  return rateFromTimebase(tb, (text(node, 'ntsc') ?? '').toUpperCase() === 'TRUE');
}

class Fcp7Reader {
  readonly notes: IxNote[] = [];
  readonly #files = new Map<string, IxMedia | null>();

  constructor(
    private readonly paths: PathReader,
    private readonly seqRate: Rational,
  ) {}

  file(node: XmlNode | undefined, kind: IxTrack['kind'], at: string): IxMedia | null {
    if (!node) return null;
    const id = attr(node, 'id');
    if (id && this.#files.has(id) && !child(node, 'pathurl')) return this.#files.get(id) ?? null;
    const url = text(node, 'pathurl');
    if (!url) {
      this.notes.push({ kind: 'media', at, message: 'the file has no <pathurl> (offline or generated media); the clip is left out' });
      if (id) this.#files.set(id, null);
      return null;
    }
    const rate = rateFrom(child(node, 'rate')) ?? this.seqRate;
    const tc = child(node, 'timecode');
    const tcString = text(tc, 'string');
    const fromString = timecodeFrames(tcString, rateFrom(child(tc, 'rate')) ?? rate);
    const frame = intText(tc, 'frame');
    const sc = child(child(child(node, 'media'), 'video'), 'samplecharacteristics');
    const asc = child(child(child(node, 'media'), 'audio'), 'samplecharacteristics');
    const media: IxMedia = {
      name: text(node, 'name') || url.replace(/^.*\//, ''),
      path: this.paths.resolve(url),
      rate,
      frames: intText(node, 'duration') ?? 0,
      startFrame: fromString?.frames ?? frame ?? 0,
      dropFrame: fromString?.dropFrame ?? text(tc, 'displayformat') === 'DF',
      video: sc || kind === 'video' ? { width: intText(sc, 'width') ?? 0, height: intText(sc, 'height') ?? 0 } : null,
      audio: asc || kind === 'audio' ? { channels: intText(child(child(node, 'media'), 'audio'), 'channelcount') ?? 2, sampleRate: intText(asc, 'samplerate') ?? 48000 } : null,
    };
    if (id) this.#files.set(id, media);
    return media;
  }

  track(node: XmlNode, kind: IxTrack['kind'], index: number): RoleTrack {
    const name = attr(node, 'MZ.TrackName') || `${kind === 'video' ? 'V' : 'A'}${index + 1}`;
    const enabled = (text(node, 'enabled') ?? 'TRUE').toUpperCase() !== 'FALSE';
    const at = `track "${name}"`;
    for (const tr of children(node, 'transitionitem')) {
      this.notes.push({ kind: 'transition', at: `${at} at frame ${intText(tr, 'start') ?? '?'}`, message: `${text(child(tr, 'effect'), 'name') ?? 'transition'} not kept: a cut instead` });
    }
    for (const g of children(node, 'generatoritem')) {
      this.notes.push({ kind: 'effect', at: `${at} at frame ${intText(g, 'start') ?? '?'}`, message: `generator "${text(g, 'name') ?? ''}" not kept: left as a gap` });
    }
    const clips: IxClip[] = [];
    let prevEnd = 0;
    for (const ci of children(node, 'clipitem')) {
      const name = text(ci, 'name') || 'Clip';
      const where = `${at} clip "${name}"`;
      if (child(ci, 'sequence')) {
        this.notes.push({ kind: 'nested', at: where, message: 'a nested sequence cannot be imported; left as a gap' });
        continue;
      }
      if (child(ci, 'multiclip')) {
        this.notes.push({ kind: 'multicam', at: where, message: 'a multicam clip cannot be imported; left as a gap' });
        continue;
      }
      for (const f of children(ci, 'filter')) {
        const effect = child(f, 'effect');
        const effectName = text(effect, 'name') ?? text(effect, 'effectid') ?? 'filter';
        const speed = /speed|time ?remap/i.test(effectName);
        this.notes.push({ kind: speed ? 'speed' : 'effect', at: where, message: speed ? `${effectName} (speed change) not kept: normal speed` : `filter "${effectName}" not kept` });
      }
      if (children(ci, 'marker').length) this.notes.push({ kind: 'marker', at: where, message: `${children(ci, 'marker').length} marker(s) not kept` });
      const media = this.file(child(ci, 'file'), kind, where);
      if (!media) continue;
      const sourceIn = intText(ci, 'in') ?? 0;
      const sourceOut = intText(ci, 'out') ?? sourceIn + media.frames;
      let start = intText(ci, 'start') ?? -1;
      let end = intText(ci, 'end') ?? -1;
      if (start < 0 || end < 0) {
        this.notes.push({ kind: 'transition', at: where, message: 'the clip sits in a transition (start or end -1); placed by its in/out as a cut' });
        if (start < 0) start = prevEnd;
        if (end < 0) end = start + Math.round(((sourceOut - sourceIn) * this.seqRate.num * media.rate.den) / (this.seqRate.den * media.rate.num));
      }
      const clip: IxClip = { name, position: start, duration: end - start, shown: { media, sourceIn, sourceOut } };
      const take = parseTakeNote(text(child(ci, 'comments'), 'mastercomment1'));
      if (take) clip.take = { ...take, sourceStart: 0 };
      clips.push(clip);
      prevEnd = end;
    }
    clips.sort((a, b) => a.position - b.position);
    return { track: { kind, name, clips }, role: kind === 'video' ? helperRole(name, enabled) : 'main', enabled };
  }
}

/** Reads FCP7 XML (xmeml) text; the first sequence is imported, others reported. */
export function readFcp7Xml(text_: string, fileDir: string, pathReader?: PathReader): IxParsed {
  const root = child(parseXml(text_, 'FCP7 XML', LISTS), 'xmeml');
  if (!root) throw new LacunaError('BAD_ARGUMENT', 'not a readable FCP7 XML file: no <xmeml> element');
  const sequences = [...children(root, 'sequence'), ...children(child(root, 'project'), 'children').flatMap((c) => children(c, 'sequence'))];
  const seq = sequences[0];
  if (!seq) throw new LacunaError('BAD_ARGUMENT', 'not a readable FCP7 XML file: no <sequence> in it');
  const rate = rateFrom(child(seq, 'rate')) ?? { num: 25, den: 1 };
  const reader = new Fcp7Reader(pathReader ?? new PathReader(fileDir), rate);
  if (sequences.length > 1) reader.notes.push({ kind: 'nested', at: 'file', message: `${sequences.length} sequences in the file; only the first ("${text(seq, 'name') ?? ''}") is imported` });
  const tc = child(seq, 'timecode');
  const start = timecodeFrames(text(tc, 'string'), rate);
  const frames = start?.frames ?? intText(tc, 'frame') ?? 0;
  const df = start?.dropFrame ?? text(tc, 'displayformat') === 'DF';
  const media = child(seq, 'media');
  const sc = child(child(child(media, 'video'), 'format'), 'samplecharacteristics');
  const roleTracks = [
    ...children(child(media, 'video'), 'track').map((t, i) => reader.track(t, 'video', i)),
    ...children(child(media, 'audio'), 'track').map((t, i) => reader.track(t, 'audio', i)),
  ];
  const tracks = foldHelperTracks(roleTracks, reader.notes);
  const asc = child(child(child(media, 'audio'), 'format'), 'samplecharacteristics');
  return {
    timeline: {
      name: text(seq, 'name') || 'Imported sequence',
      rate,
      startTimecode: timecodeLabel(frames, rate, df),
      width: intText(sc, 'width') ?? 1920,
      height: intText(sc, 'height') ?? 1080,
      sampleRate: intText(asc, 'samplerate') ?? 48000,
      tracks: orderTracks(tracks),
    },
    notes: reader.notes,
  };
}

import { LacunaError } from '../util/errors';
import { parseRational, toString as rationalToString, type Rational } from '../util/rational';
import { TakeParamsSchema } from '../project';
import type { IxClip, IxMedia, IxNote, IxParsed, IxTimeline, IxTrack } from './model';
import { PathReader, type PathWriter } from './mediaPaths';
import { dropFrameAllowed, nominalRate } from '../media/timecode';
import { isDropFrameLabel, timecodeFrames, timecodeLabel } from './rates';
import { convertFrames } from '../project';

/**
 * CMX3600 EDL: what Avid and every older tool read. One file per video track (CMX3600 has one
 * picture channel); the audio tracks go out in the first file as channels A, A2, A3, A4 (the
 * format has four). Columns as CMX3600 fixes them: event number (001-999) in 1-3, reel (8
 * characters) in 6-13, channel in 15-19, transition (C) in 21-24, transition length in 26-28,
 * source in/out and record in/out timecodes from column 30, 12 apart. FCM says DROP FRAME or
 * NON-DROP FRAME for the record timecodes; source timecodes use `;` when the file's own timecode
 * is drop-frame.
 *
 * Reels: file names made into 8-character reels (A-Z, 0-9, _), unique within the list, and
 * listed in the header ("* REEL AX_CLIP1 IS clip1.mov"). Each event has `* FROM CLIP NAME:` and
 * `* SOURCE FILE:` comments (Resolve reads the latter to relink); an event showing a Lacuna take
 * adds `* ORIGINAL FILE:`, `* MATTE FILE:` and `* LACUNA TAKE:` (its label, engine and alignment).
 * An EDL carries no frame rate or start: `* LACUNA FPS:` and `* START TIMECODE:` in the header say
 * them for a reader that wants them (others skip comments).
 */

export const REEL_WIDTH = 8;
export const MAX_AUDIO_CHANNELS = 4;

/** 8-character reels from file names: upper case, [A-Z0-9_], made unique with a counter. */
export function reelNames(names: readonly string[]): Map<string, string> {
  const out = new Map<string, string>();
  const used = new Set<string>();
  for (const name of names) {
    if (out.has(name)) continue;
    const stem = name.replace(/\.[^.]*$/, '').toUpperCase().replace(/[^A-Z0-9]+/g, '_').replace(/^_+|_+$/g, '') || 'AX';
    let reel = stem.slice(0, REEL_WIDTH);
    for (let i = 1; used.has(reel) || reel === 'BL' || reel === 'AX'; i++) {
      const n = String(i);
      reel = stem.slice(0, REEL_WIDTH - n.length) + n;
    }
    used.add(reel);
    out.set(name, reel);
  }
  return out;
}

const channelOf = (audioIndex: number) => (audioIndex === 0 ? 'A' : `A${audioIndex + 1}`);

export interface EdlFile {
  /** The video track it holds ("V1"), or "A" for an audio-only timeline. */
  track: string;
  text: string;
}

export interface EdlWriteResult {
  files: EdlFile[];
  reels: Array<{ reel: string; file: string }>;
  warnings: string[];
}

export function eventLine(n: number, reel: string, channel: string, times: [string, string, string, string]): string {
  return `${String(n).padStart(3, '0')}  ${reel.padEnd(REEL_WIDTH)} ${channel.padEnd(5)} ${'C'.padEnd(4)} ${''.padEnd(3)} ${times.join(' ')}`;
}

/** The timeline as CMX3600 EDLs, one per video track. */
export function writeEdl(t: IxTimeline, paths: PathWriter): EdlWriteResult {
  const warnings: string[] = [];
  const start = timecodeFrames(t.startTimecode, t.rate) ?? { frames: 0, dropFrame: false };
  const df = start.dropFrame;
  const allMedia = t.tracks.flatMap((tr) => tr.clips.map((c) => c.shown.media));
  const reels = reelNames(allMedia.map((m) => m.name));
  const video = t.tracks.filter((tr) => tr.kind === 'video');
  const audio = t.tracks.filter((tr) => tr.kind === 'audio');
  if (audio.length > MAX_AUDIO_CHANNELS) warnings.push(`CMX3600 has ${MAX_AUDIO_CHANNELS} audio channels: audio tracks ${audio.slice(MAX_AUDIO_CHANNELS).map((a) => a.name).join(', ')} are left out`);
  const rec = (f: number) => timecodeLabel(start.frames + f, t.rate, df);
  const src = (c: IxClip) => {
    const m = c.shown.media;
    let a = c.shown.sourceIn;
    let b = c.shown.sourceOut;
    // One rate per EDL: a source at another rate is counted in record frames, by time.
    if (m.rate.num * t.rate.den !== t.rate.num * m.rate.den) {
      warnings.push(`"${c.name}": ${m.name} runs at ${rationalToString(m.rate)} fps, the EDL at ${rationalToString(t.rate)}; its source timecodes are converted`);
      a = convertFrames(a, m.rate, t.rate);
      b = a + c.duration;
      const s = convertFrames(m.startFrame, m.rate, t.rate);
      return [timecodeLabel(s + a, t.rate, df), timecodeLabel(s + b, t.rate, df)] as const;
    }
    return [timecodeLabel(m.startFrame + a, m.rate, m.dropFrame), timecodeLabel(m.startFrame + b, m.rate, m.dropFrame)] as const;
  };
  const files: EdlFile[] = [];
  const groups: Array<{ name: string; tracks: Array<{ track: IxTrack; channel: string }> }> = video.map((v) => ({ name: v.name, tracks: [{ track: v, channel: 'V' }] }));
  const audioTracks = audio.slice(0, MAX_AUDIO_CHANNELS).map((a, i) => ({ track: a, channel: channelOf(i) }));
  if (groups.length) groups[0].tracks.push(...audioTracks);
  else if (audioTracks.length) groups.push({ name: 'A', tracks: audioTracks });
  for (const g of groups) {
    const used = new Set(g.tracks.flatMap((x) => x.track.clips.map((c) => c.shown.media.name)));
    const lines = [`TITLE: ${t.name}${video.length > 1 ? ` ${g.name}` : ''}`.slice(0, 80), `FCM: ${df ? 'DROP FRAME' : 'NON-DROP FRAME'}`];
    lines.push(`* LACUNA FPS: ${rationalToString(t.rate)}`, `* START TIMECODE: ${t.startTimecode}`);
    for (const name of used) lines.push(`* REEL ${reels.get(name)} IS ${name}`);
    const events = g.tracks
      .flatMap((x) => x.track.clips.map((c) => ({ c, channel: x.channel })))
      .sort((a, b) => a.c.position - b.c.position || (a.channel === 'V' ? -1 : 1));
    let n = 0;
    for (const { c, channel } of events) {
      n++;
      if (n === 1000) warnings.push(`${g.name}: more than 999 events; numbers from 1000 on have four digits, which strict CMX3600 readers refuse`);
      const [si, so] = src(c);
      lines.push('', eventLine(n, reels.get(c.shown.media.name)!, channel, [si, so, rec(c.position), rec(c.position + c.duration)]));
      lines.push(`* FROM CLIP NAME: ${c.name}`, `* SOURCE FILE: ${paths.path(c.shown.media.path)}`);
      if (c.take && c.original) {
        lines.push(`* ORIGINAL FILE: ${paths.path(c.original.media.path)}`);
        if (c.matte) lines.push(`* MATTE FILE: ${paths.path(c.matte.media.path)}`);
        lines.push(`* LACUNA TAKE: ${JSON.stringify(c.take)}`);
      }
    }
    files.push({ track: g.name, text: `${lines.join('\r\n')}\r\n` });
  }
  return { files, reels: [...reels].filter(([name]) => allMedia.some((m) => m.name === name)).map(([file, reel]) => ({ reel, file })), warnings };
}

// ------------------------------------------------------------------ reading

const TC = /^\d{1,2}:\d{2}:\d{2}[:;.,]\d{2,3}$/;

interface Event {
  number: string;
  reel: string;
  channel: string;
  transition: string;
  times: [string, string, string, string];
  comments: Map<string, string>;
  line: number;
}

function parseEvents(text: string, notes: IxNote[], at: string): { events: Event[]; header: Map<string, string>; dropFrame: boolean | null } {
  const header = new Map<string, string>();
  const events: Event[] = [];
  let dropFrame: boolean | null = null;
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n|\r/);
  lines.forEach((raw, i) => {
    const line = raw.trim();
    if (!line) return;
    const fcm = /^FCM:\s*(.*)$/i.exec(line);
    if (fcm) {
      dropFrame = /^DROP/i.test(fcm[1].trim());
      return;
    }
    if (/^TITLE:/i.test(line)) {
      header.set('TITLE', line.replace(/^TITLE:\s*/i, ''));
      return;
    }
    if (line.startsWith('*')) {
      const m = /^\*\s*([A-Z][A-Z ]*?)\s*:\s*(.*)$/i.exec(line);
      const target = events.at(-1)?.comments ?? header;
      if (m) target.set(m[1].toUpperCase(), m[2]);
      return;
    }
    if (/^M2\s/i.test(line)) {
      notes.push({ kind: 'speed', at: `${at} line ${i + 1}`, message: `speed change (${line.replace(/\s+/g, ' ')}) not kept: normal speed` });
      return;
    }
    const tokens = line.split(/\s+/);
    const tcs = tokens.filter((t) => TC.test(t));
    if (/^\d{3,6}$/.test(tokens[0]) && tcs.length === 4 && tokens.length >= 8) {
      const trans = tokens[3].toUpperCase();
      events.push({ number: tokens[0], reel: tokens[1], channel: tokens[2].toUpperCase(), transition: trans, times: tcs as Event['times'], comments: new Map(), line: i + 1 });
      return;
    }
    notes.push({ kind: 'other', at: `${at} line ${i + 1}`, message: `not understood, skipped: ${line.slice(0, 60)}` });
  });
  return { events, header, dropFrame };
}

export interface EdlReadOptions {
  /** The EDL's frame rate; EDLs do not say it (Lacuna's own write it in a comment). */
  fps?: Rational;
}

/**
 * Reads one or more EDLs (each of Lacuna's export holds one video track) into one timeline:
 * each file's picture events on a video track of their own, audio channels A-A4 on A1-A4.
 * Source ranges come out in timecode frames; timelineToProject subtracts each file's own start
 * timecode once the file is found and probed (`IxMedia.startFromTimecode`).
 */
export function readEdl(files: Array<{ name: string; text: string }>, fileDir: string, options: EdlReadOptions = {}, pathReader?: PathReader): IxParsed {
  const notes: IxNote[] = [];
  const paths = pathReader ?? new PathReader(fileDir);
  const parsed = files.map((f) => ({ ...f, ...parseEvents(f.text, notes, f.name) }));
  if (!parsed.some((p) => p.events.length)) throw new LacunaError('BAD_ARGUMENT', `no CMX3600 events in ${files.map((f) => f.name).join(', ')}`, 'An event line looks like: 001  REEL     V     C        01:00:00:00 01:00:05:00 01:00:00:00 01:00:05:00');
  const first = parsed[0];
  const df = parsed.some((p) => p.dropFrame === true);
  const written = first.header.get('LACUNA FPS');
  let rate: Rational | undefined = options.fps;
  if (!rate && written) {
    try {
      rate = parseRational(written);
    } catch {
      rate = undefined;
    }
  }
  if (!rate) {
    const maxFrames = Math.max(...parsed.flatMap((p) => p.events.flatMap((e) => e.times.map((t) => Number(t.slice(-2))))));
    rate = df ? { num: maxFrames >= 30 ? 60000 : 30000, den: 1001 } : maxFrames >= 30 ? { num: 60, den: 1 } : maxFrames >= 25 ? { num: 30, den: 1 } : maxFrames >= 24 ? { num: 25, den: 1 } : { num: 24, den: 1 };
    notes.push({ kind: 'timing', at: first.name, message: `the EDL does not say its frame rate; read as ${rationalToString(rate)} fps (give the rate to import it at another)` });
  }
  if (df && !dropFrameAllowed(rate)) throw new LacunaError('BAD_ARGUMENT', `the EDL is drop-frame, which ${rationalToString(rate)} fps does not have`, 'Import it at 29.97 (30000/1001) or 59.94.');
  const frames = (tc: string) => {
    const f = timecodeFrames(tc.replace(/[.,]/, isDropFrameLabel(tc) ? ';' : ':'), rate!);
    if (!f) throw new LacunaError('BAD_ARGUMENT', `timecode ${tc} is not valid at ${rationalToString(rate!)} fps`);
    return f.frames;
  };
  const allRecord = parsed.flatMap((p) => p.events.map((e) => frames(e.times[2])));
  const startLabel = first.header.get('START TIMECODE');
  const startFrames = timecodeFrames(startLabel, rate)?.frames ?? Math.floor(Math.min(...allRecord) / (nominalRate(rate) * 3600)) * nominalRate(rate) * 3600;
  const startTimecode = timecodeLabel(startFrames, rate, df);
  const media = new Map<string, IxMedia>();
  const mediaFor = (path: string, name: string, kind: IxTrack['kind']): IxMedia => {
    let m = media.get(path);
    if (!m) {
      m = { name, path, rate: rate!, frames: 0, startFrame: 0, dropFrame: df, video: null, audio: null, startFromTimecode: true };
      media.set(path, m);
    }
    if (kind === 'video') m.video ??= { width: 0, height: 0 };
    else m.audio ??= { channels: 2, sampleRate: 48000 };
    return m;
  };
  const video: IxTrack[] = [];
  const audio = new Map<number, IxTrack>();
  for (const p of parsed) {
    const v: IxTrack = { kind: 'video', name: `V${video.length + 1}`, clips: [] };
    const reels = new Map<string, string>();
    for (const line of p.text.split(/\r?\n/)) {
      const r = /^\*\s*REEL\s+(\S+)\s+IS\s+(.+)$/i.exec(line.trim());
      if (r) reels.set(r[1], r[2].trim());
    }
    for (const e of p.events) {
      const at = `${p.name} event ${e.number}`;
      if (e.transition !== 'C') {
        notes.push({ kind: 'transition', at, message: `transition ${e.transition} not kept: a cut at its record in` });
      }
      const [si, so, ri, ro] = e.times.map(frames);
      if (ro <= ri) continue; // the outgoing half of a dissolve, or an empty event
      if (e.reel === 'BL' || e.reel === 'BLACK') continue;
      const name = e.comments.get('FROM CLIP NAME') ?? e.reel;
      const file = e.comments.get('SOURCE FILE') ?? reels.get(e.reel) ?? e.comments.get('FROM CLIP NAME') ?? e.reel;
      const channels = e.channel === 'B' || e.channel === 'AA/V' || e.channel === 'A/V' ? ['V', 'A'] : e.channel === 'AA' ? ['A'] : [e.channel];
      for (const ch of channels) {
        const kind = ch === 'V' ? 'video' : 'audio';
        const audioIndex = ch === 'A' || ch === 'A1' ? 0 : /^A([2-4])$/.test(ch) ? Number(ch.slice(1)) - 1 : -1;
        if (kind === 'audio' && audioIndex < 0) {
          notes.push({ kind: 'other', at, message: `channel ${ch} not understood; event skipped` });
          continue;
        }
        const m = mediaFor(paths.resolve(file), file.replace(/^.*[/\\]/, ''), kind);
        const clip: IxClip = { name, position: ri - startFrames, duration: ro - ri, shown: { media: m, sourceIn: si, sourceOut: si + (so - si) } };
        if (kind === 'video') {
          const take = e.comments.get('LACUNA TAKE');
          const orig = e.comments.get('ORIGINAL FILE');
          if (take && orig) {
            try {
              const tk = JSON.parse(take) as { label?: unknown; params?: unknown; sourceStart?: unknown };
              const params = TakeParamsSchema.safeParse(tk.params);
              if (typeof tk.label === 'string' && params.success && Number.isInteger(tk.sourceStart)) {
                const sourceStart = tk.sourceStart as number;
                const om = mediaFor(paths.resolve(orig), orig.replace(/^.*[/\\]/, ''), 'video');
                clip.take = { label: tk.label, params: params.data, sourceStart };
                clip.original = { media: om, sourceIn: si + sourceStart, sourceOut: so + sourceStart };
                const matte = e.comments.get('MATTE FILE');
                if (matte) clip.matte = { media: mediaFor(paths.resolve(matte), matte.replace(/^.*[/\\]/, ''), 'video'), sourceIn: si, sourceOut: so };
              }
            } catch {
              notes.push({ kind: 'other', at, message: 'the LACUNA TAKE comment is damaged; the event is imported without its take' });
            }
          }
          v.clips.push(clip);
        } else {
          let a = audio.get(audioIndex);
          if (!a) audio.set(audioIndex, (a = { kind: 'audio', name: `A${audioIndex + 1}`, clips: [] }));
          a.clips.push(clip);
        }
      }
    }
    if (v.clips.length) video.push(v);
  }
  const tracks = [...video, ...[...audio.keys()].sort().map((k) => audio.get(k)!)];
  for (const t of tracks) t.clips.sort((a, b) => a.position - b.position);
  const timeline: IxTimeline = {
    name: (first.header.get('TITLE') ?? 'Imported EDL').replace(/ V\d+$/, ''),
    rate,
    startTimecode,
    width: 1920,
    height: 1080,
    sampleRate: 48000,
    tracks,
  };
  return { timeline, notes };
}

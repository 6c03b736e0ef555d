import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readEdl, writeEdl } from '../../src/engine/interchange/edl';
import { readFcp7Xml, writeFcp7Xml } from '../../src/engine/interchange/fcp7xml';
import { readFcpxml, writeFcpxml } from '../../src/engine/interchange/fcpxml';
import { PathWriter } from '../../src/engine/interchange/mediaPaths';
import type { IxClip, IxMedia, IxParsed, IxTimeline, IxTrack } from '../../src/engine/interchange/model';
import { readOtio, writeOtio } from '../../src/engine/interchange/otio';
import { projectToTimeline } from '../../src/engine/interchange/projectToTimeline';
import { timecodeLabel } from '../../src/engine/interchange/rates';
import { timelineToProject } from '../../src/engine/interchange/timelineToProject';
import { Project, type MediaRef } from '../../src/engine/project';
import type { Rational } from '../../src/engine/util/rational';
import { fakeHash, videoInfo } from '../project/mediaFixtures';
import { canonical } from './canonical';

/*
 * Import → export → import is lossless for everything the model holds, over frame rates (NTSC
 * drop and non-drop, integer, PAL), timecode starts anywhere in the day, gaps, trims, several
 * video and audio tracks, and takes with their originals and mattes: a generated timeline goes
 * into a project (as an import would put it), out through each format's writer, back through its
 * reader and into a second project, and both projects' timelines must be equal.
 */

const RATES: Array<{ fps: Rational; df: boolean }> = [
  { fps: { num: 24000, den: 1001 }, df: false },
  { fps: { num: 24, den: 1 }, df: false },
  { fps: { num: 25, den: 1 }, df: false },
  { fps: { num: 30000, den: 1001 }, df: true },
  { fps: { num: 30000, den: 1001 }, df: false },
  { fps: { num: 30, den: 1 }, df: false },
  { fps: { num: 50, den: 1 }, df: false },
  { fps: { num: 60000, den: 1001 }, df: true },
  { fps: { num: 60000, den: 1001 }, df: false },
  { fps: { num: 60, den: 1 }, df: false },
];

const DIR = '/media/shoot';

interface Spec {
  rate: (typeof RATES)[number];
  startFrame: number;
  media: Array<{ frames: number; startFrame: number; audio: boolean }>;
  video: Array<Array<{ gap: number; media: number; sourceIn: number; length: number; take: null | { handle: number; matte: boolean } }>>;
  audio: Array<Array<{ gap: number; media: number; sourceIn: number; length: number }>>;
}

const clipArb = fc.record({ gap: fc.nat(30), media: fc.nat(3), sourceIn: fc.nat(200), length: fc.integer({ min: 1, max: 60 }) });
const specArb: fc.Arbitrary<Spec> = fc.record({
  rate: fc.constantFrom(...RATES),
  startFrame: fc.nat(23 * 3600 * 24),
  media: fc.array(fc.record({ frames: fc.integer({ min: 280, max: 600 }), startFrame: fc.nat(20 * 3600 * 24), audio: fc.boolean() }), { minLength: 4, maxLength: 4 }),
  video: fc.array(fc.array(fc.record({ gap: fc.nat(30), media: fc.nat(3), sourceIn: fc.nat(200), length: fc.integer({ min: 1, max: 60 }), take: fc.option(fc.record({ handle: fc.nat(5), matte: fc.boolean() })) }), { minLength: 1, maxLength: 4 }), { minLength: 1, maxLength: 3 }),
  audio: fc.array(fc.array(clipArb, { minLength: 1, maxLength: 3 }), { maxLength: 2 }),
});

/** The spec as a project (media entries probed as the real import would have them) and its timeline. */
function build(spec: Spec): { project: Project; timeline: IxTimeline; media: Map<string, MediaRef> } {
  const { fps, df } = spec.rate;
  const project = Project.create({ name: 'prop', settings: { fps }, withSequence: false });
  const media = new Map<string, MediaRef>();
  const add = (path: string, frames: number, startFrame: number, audio: boolean) => {
    const info = videoInfo(path, { fps, frames, audio, timecode: timecodeLabel(startFrame, fps, df) });
    const ref = project.addMedia(info, fakeHash(path));
    media.set(path, ref);
    return ref;
  };
  const plates = spec.media.map((m, i) => ({ ...m, ref: add(`${DIR}/plate${i}.mov`, m.frames, m.startFrame, m.audio || i === 0) }));
  let n = 0;
  const seq = project.addSequence({ name: 'Prop', fps, startTimecode: timecodeLabel(spec.startFrame, fps, df), videoTracks: spec.video.length, audioTracks: spec.audio.length });
  const place = (trackId: string, clips: Spec['audio'][number] | Spec['video'][number], audio: boolean) => {
    let at = 0;
    for (const c of clips) {
      const plate = audio ? plates.find((p, i) => (p.audio || i === 0) && i >= c.media % plates.length) ?? plates[0] : plates[c.media % plates.length];
      const sourceIn = Math.min(c.sourceIn, plate.frames - c.length - 10);
      const clip = project.addClip(seq.id, trackId, plate.ref.id, { sourceIn, sourceOut: sourceIn + c.length, position: at + c.gap, name: `clip ${++n}` });
      at += c.gap + c.length;
      const take = 'take' in c ? c.take : null;
      if (take) {
        const sourceStart = Math.max(0, sourceIn - take.handle);
        const frames = c.length + take.handle * 2;
        const t = add(`${DIR}/renders/take${n}.mov`, frames, plate.startFrame + sourceStart, false);
        const m = take.matte ? add(`${DIR}/renders/take${n}_matte.mov`, frames, plate.startFrame + sourceStart, false) : null;
        project.addTake(clip.id, { mediaId: t.id, params: { engine: 'lite', expression: `remove thing ${n}` }, label: `Take ${n}`, sourceStart, ...(m && { matteMediaId: m.id }) });
      }
    }
  };
  seq.tracks.filter((t) => t.kind === 'video').forEach((t, i) => place(t.id, spec.video[i], false));
  seq.tracks.filter((t) => t.kind === 'audio').forEach((t, i) => place(t.id, spec.audio[i], true));
  return { project, timeline: projectToTimeline(project.doc, project.doc.sequences[0]), media };
}

/** The read timeline into a fresh project with the same media pool, and back out as a timeline. */
function reimport(parsed: IxParsed, media: Map<string, MediaRef>, fps: Rational): IxTimeline {
  const project = Project.create({ name: 'back', settings: { fps }, withSequence: false });
  const refs = new Map<string, MediaRef>();
  for (const [path, ref] of media) {
    const v = ref.probe.video!;
    const info = videoInfo(path, { fps: v.fps, frames: v.frameCount, audio: ref.probe.audio.length > 0, timecode: ref.probe.startTimecode });
    refs.set(path, project.addMedia(info, ref.hash));
  }
  const r = timelineToProject(project, parsed.timeline, (m: IxMedia) => refs.get(m.path) ?? null);
  expect(r.notes).toEqual([]);
  return projectToTimeline(project.doc, r.sequence);
}

const paths = new PathWriter('/exports');
const FORMATS: Array<{ name: string; run: (t: IxTimeline) => IxParsed }> = [
  { name: 'OTIO', run: (t) => readOtio(writeOtio(t, paths), '/exports') },
  { name: 'FCP7 XML', run: (t) => readFcp7Xml(writeFcp7Xml(t, paths), '/exports') },
  { name: 'FCPXML', run: (t) => readFcpxml(writeFcpxml(t, paths), '/exports') },
  { name: 'EDL', run: (t) => readEdl(writeEdl(t, paths).files.map((f) => ({ name: `${f.track}.edl`, text: f.text })), '/exports') },
];

describe.each(FORMATS)('$name: import → export → import is lossless', ({ run }) => {
  it('over rates, timecode starts, gaps, trims, tracks and takes', () => {
    fc.assert(
      fc.property(specArb, (spec) => {
        // EDL carries four audio channels and one rate: the generator stays inside what every format holds.
        const { timeline, media } = build(spec);
        const parsed = run(timeline);
        const back = reimport(parsed, media, spec.rate.fps);
        expect(canonical(back)).toEqual(canonical(timeline));
      }),
      { numRuns: 40 },
    );
  });
});

describe('each property run really varies what matters', () => {
  it('the generator makes gaps, takes, mattes, drop-frame and several tracks', () => {
    const samples = fc.sample(specArb, { numRuns: 200, seed: 1 });
    const timelines = samples.map((s) => build(s).timeline);
    const clips: IxClip[] = timelines.flatMap((t) => t.tracks.flatMap((tr: IxTrack) => tr.clips));
    expect(clips.some((c) => c.take && c.matte)).toBe(true);
    expect(clips.some((c) => c.take && !c.matte)).toBe(true);
    expect(timelines.some((t) => t.startTimecode.includes(';'))).toBe(true);
    expect(timelines.some((t) => t.tracks.filter((x) => x.kind === 'video').length === 3 && t.tracks.some((x) => x.kind === 'audio'))).toBe(true);
    expect(clips.some((c, i) => i > 0 && c.position > 0)).toBe(true);
  });
});

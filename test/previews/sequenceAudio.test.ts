import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { probeMedia } from '../../src/engine/media/probe';
import { Project, quickHashFile } from '../../src/engine/project';
import { audioMixPlan, MIX_RATE, renderAudioMix } from '../../src/engine/previews/sequenceAudio';
import { placeMedia } from '../../src/engine/timeline/edits';

/*
 * The program viewer's sound is the sequence's audio tracks mixed by ffmpeg. Done means the mix
 * holds each clip's sound at its place on the timeline, from its In to its Out, silence in gaps,
 * two tracks summed: checked on the decoded samples, to the hundredth of a second.
 */

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'lacuna-mix-'));
  // Silent for 0.4 s, then a 1 kHz tone: a clip whose In is at 0.4 s starts with sound at once.
  execFileSync('ffmpeg', ['-v', 'error', '-f', 'lavfi', '-i', "aevalsrc='if(gte(t,0.4),0.5*sin(2*PI*1000*t),0)':s=48000:d=2", join(dir, 'tone.wav')]);
  execFileSync('ffmpeg', ['-v', 'error', '-f', 'lavfi', '-i', "aevalsrc='0.25*sin(2*PI*300*t)':s=44100:d=1", join(dir, 'low.wav')]);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function media(project: Project, path: string) {
  return project.addMedia(await probeMedia(path), await quickHashFile(path));
}

/** RMS of the decoded mix (mono sum) over [from, to) seconds. */
function rms(samples: Float32Array, from: number, to: number): number {
  let sum = 0;
  const a = Math.round(from * MIX_RATE);
  const b = Math.round(to * MIX_RATE);
  for (let i = a; i < b; i++) sum += samples[i] ** 2;
  return Math.sqrt(sum / Math.max(1, b - a));
}

function decode(wav: string): Float32Array {
  const raw = execFileSync('ffmpeg', ['-v', 'error', '-i', wav, '-ac', '1', '-f', 'f32le', '-'], { maxBuffer: 64 << 20 });
  return new Float32Array(raw.buffer, raw.byteOffset, raw.byteLength / 4);
}

describe('the sequence sound', () => {
  it('places each clip at its time from its In to its Out, silence in the gaps, two tracks summed', async () => {
    const project = Project.create({ name: 'Mix' });
    const seq = project.doc.sequences[0]; // 24 fps
    const a2 = project.addTrack(seq.id, 'audio');
    const tone = await media(project, join(dir, 'tone.wav'));
    const low = await media(project, join(dir, 'low.wav'));
    const a1 = seq.tracks.find((t) => t.kind === 'audio')!;
    // The tone from 0.4 s (frame 9.6 → In at frame 10 = 0.4167 s) for 24 frames (1 s), at 2 s.
    placeMedia(project, { mediaId: tone.id, trackId: a1.id, position: 48, sourceIn: 10, sourceOut: 34 });
    // The low tone on A2 at 4 s for 12 frames, overlapping a second tone clip on A1 at 4.25 s.
    placeMedia(project, { mediaId: low.id, trackId: a2.id, position: 96, sourceIn: 0, sourceOut: 12 });
    placeMedia(project, { mediaId: tone.id, trackId: a1.id, position: 102, sourceIn: 24, sourceOut: 36 });
    const plan = audioMixPlan(project.doc, project.doc.sequences[0]);
    expect(plan.pieces.map((p) => [p.at, p.duration])).toEqual([[2, 1], [102 / 24, 0.5], [4, 0.5]]);
    expect(plan.length).toBeCloseTo(114 / 24, 9);

    const wav = (await renderAudioMix(plan, join(dir, 'cache'), 'ffmpeg'))!;
    const samples = decode(wav);
    expect(samples.length / MIX_RATE).toBeCloseTo(114 / 24, 2);
    const toneRms = 0.5 / Math.SQRT2;
    expect(rms(samples, 0, 1.99)).toBeLessThan(1e-4); // a gap before the first clip
    expect(rms(samples, 2.0, 2.99)).toBeCloseTo(toneRms, 2); // its In honoured: sound from its first sample
    expect(rms(samples, 3.01, 3.99)).toBeLessThan(1e-4); // its Out honoured: nothing after
    expect(rms(samples, 4.0, 4.24)).toBeCloseTo(0.25 / Math.SQRT2, 2); // A2 alone
    // Both at once, summed (not averaged): 1 kHz and 300 Hz together.
    expect(rms(samples, 4.26, 4.49)).toBeCloseTo(Math.sqrt(toneRms ** 2 + (0.25 / Math.SQRT2) ** 2), 2);
    expect(rms(samples, 4.51, 4.74)).toBeCloseTo(toneRms, 2);

    // The same plan is the same file, made once.
    const made = statSync(wav).mtimeMs;
    expect(await renderAudioMix(plan, join(dir, 'cache'), 'ffmpeg')).toBe(wav);
    expect(statSync(wav).mtimeMs).toBe(made);
    // Moving a clip makes another mix.
    project.moveClip(project.doc.sequences[0].tracks.find((t) => t.id === a2.id)!.clips[0].id, { position: 0 });
    expect(await renderAudioMix(audioMixPlan(project.doc, project.doc.sequences[0]), join(dir, 'cache'), 'ffmpeg')).not.toBe(wav);
  });

  it('has no mix when the audio tracks hold nothing with sound', () => {
    const project = Project.create({ name: 'Silent' });
    expect(audioMixPlan(project.doc, project.doc.sequences[0]).pieces).toEqual([]);
  });
});

import { describe, expect, it } from 'vitest';
import { Project } from '../../src/engine/project';
import { deleteClips, moveClips, placeMedia, splitClips, trimClipEdge } from '../../src/engine/timeline/edits';
import { linkedClips } from '../../src/engine/timeline/links';
import { expectSound, fakeHash, imageSequenceInfo, videoInfo } from '../project/fixtures';

/** A project with a 24 fps sequence, a camera file with sound and a 25 fps image sequence. */
function setup() {
  const project = Project.create({ name: 'Edit' });
  const cam = project.addMedia(videoInfo('/m/cam.mov', { frames: 100, audio: true }), fakeHash('cam'));
  const plate = project.addMedia(imageSequenceInfo('/m/plate/%05d.jpg', Array.from({ length: 50 }, (_, i) => i * 5), { num: 25, den: 1 }), fakeHash('plate'));
  const seq = project.doc.sequences[0];
  const [v1, a1] = seq.tracks;
  return { project, cam, plate, seq, v1, a1 };
}

const clipsOn = (p: Project, trackId: string) =>
  p.doc.sequences[0].tracks.find((t) => t.id === trackId)!.clips.map((c) => [c.position, c.sourceIn, c.sourceOut]);

describe('timeline edits', () => {
  it('places a camera file as linked picture and sound, after what is there', () => {
    const { project, cam, plate, v1, a1 } = setup();
    placeMedia(project, { mediaId: plate.id }); // 50 frames at 25 → 48 at 24
    const [video, audio] = placeMedia(project, { mediaId: cam.id });
    expect(video.position).toBe(48);
    expect(audio.position).toBe(48);
    expect(clipsOn(project, v1.id)).toEqual([[0, 0, 50], [48, 0, 100]]);
    expect(clipsOn(project, a1.id)).toEqual([[48, 0, 100]]);
    expect(linkedClips(project.doc.sequences[0], video.id).map((l) => l.clip.id)).toEqual([audio.id]);
    expect(project.history.undoLabel).toBe('Add Clip');
    project.undo();
    expect(clipsOn(project, a1.id)).toEqual([]);
    expectSound(project);
  });

  it('places picture and sound on the tracks a drop names (V2 and A2), and refuses sound on a video track', () => {
    const { project, cam, seq, v1, a1 } = setup();
    const v2 = project.addTrack(seq.id, 'video');
    const a2 = project.addTrack(seq.id, 'audio');
    const [video, audio] = placeMedia(project, { mediaId: cam.id, position: 30, trackId: v2.id, soundTrackId: a2.id });
    expect(clipsOn(project, v2.id)).toEqual([[30, 0, 100]]);
    expect(clipsOn(project, a2.id)).toEqual([[30, 0, 100]]);
    expect(clipsOn(project, v1.id)).toEqual([]);
    expect(clipsOn(project, a1.id)).toEqual([]);
    expect(linkedClips(project.doc.sequences[0], video.id).map((l) => l.clip.id)).toEqual([audio.id]);
    expect(() => placeMedia(project, { mediaId: cam.id, position: 300, soundTrackId: v1.id })).toThrow(/goes on an audio track/);
    expect(clipsOn(project, v1.id)).toEqual([]);
  });

  it('moves a clip with its sound, and refuses to move before frame 0 or onto another clip', () => {
    const { project, cam, v1, a1 } = setup();
    const [a] = placeMedia(project, { mediaId: cam.id });
    const [b] = placeMedia(project, { mediaId: cam.id, position: 200 });
    moveClips(project, { clipIds: [a.id], delta: 20 });
    expect(clipsOn(project, v1.id)).toEqual([[20, 0, 100], [200, 0, 100]]);
    expect(clipsOn(project, a1.id)).toEqual([[20, 0, 100], [200, 0, 100]]);
    expect(() => moveClips(project, { clipIds: [a.id], delta: -21 })).toThrow(/before the start/);
    expect(() => moveClips(project, { clipIds: [a.id], delta: 100 })).toThrow(/overlap/);
    // Both together move as a block, even though each alone would hit the other.
    moveClips(project, { clipIds: [a.id, b.id], delta: 150 });
    expect(clipsOn(project, v1.id)).toEqual([[170, 0, 100], [350, 0, 100]]);
    project.undo();
    expect(clipsOn(project, v1.id)).toEqual([[20, 0, 100], [200, 0, 100]]);
    expectSound(project);
  });

  it('moves a clip to the track above, its sound staying on its own track', () => {
    const { project, cam, seq, a1 } = setup();
    const v2 = project.addTrack(seq.id, 'video');
    const [a] = placeMedia(project, { mediaId: cam.id });
    moveClips(project, { clipIds: [a.id], delta: 0, trackDelta: 1 });
    expect(clipsOn(project, v2.id)).toEqual([[0, 0, 100]]);
    expect(clipsOn(project, a1.id)).toEqual([[0, 0, 100]]);
    expect(() => moveClips(project, { clipIds: [a.id], delta: 0, trackDelta: 1 })).toThrow(/no video track above/);
  });

  it('trims head and tail, stopping at neighbours and the media, and trims the sound with it', () => {
    const { project, cam, v1, a1 } = setup();
    const [a] = placeMedia(project, { mediaId: cam.id, position: 10 });
    placeMedia(project, { mediaId: cam.id, position: 130 });
    expect(trimClipEdge(project, { clipId: a.id, edge: 'in', delta: 15 })).toBe(15);
    expect(clipsOn(project, v1.id)[0]).toEqual([25, 15, 100]);
    expect(clipsOn(project, a1.id)[0]).toEqual([25, 15, 100]);
    // The head can only go back to the media's first frame.
    expect(trimClipEdge(project, { clipId: a.id, edge: 'in', delta: -40 })).toBe(-15);
    expect(clipsOn(project, v1.id)[0]).toEqual([10, 0, 100]);
    // The tail cannot pass the end of the media (100 frames).
    expect(trimClipEdge(project, { clipId: a.id, edge: 'out', delta: 30 })).toBe(0);
    expect(trimClipEdge(project, { clipId: a.id, edge: 'out', delta: -30 })).toBe(-30);
    expect(clipsOn(project, v1.id)[0]).toEqual([10, 0, 70]);
    expect(project.history.undoLabel).toBe('Trim Clip');
    expectSound(project);
  });

  it('converts a trim of a conformed clip into its own frames (25 fps source on a 24 fps timeline)', () => {
    const { project, plate, v1 } = setup();
    const [p] = placeMedia(project, { mediaId: plate.id });
    trimClipEdge(project, { clipId: p.id, edge: 'out', delta: -24 }); // one second of timeline = 25 source frames
    expect(clipsOn(project, v1.id)[0]).toEqual([0, 0, 25]);
  });

  it('splits at a frame into two clips that keep the takes and the active one', () => {
    const { project, cam, seq, v1, a1 } = setup();
    const [a] = placeMedia(project, { mediaId: cam.id, position: 10 });
    const render = project.addMedia(videoInfo('/m/cam_removed.mov', { frames: 100 }), fakeHash('r'));
    project.addTake(a.id, { mediaId: render.id, params: { engine: 'lite', expression: 'the bird' }, sourceStart: 0 });
    const made = splitClips(project, { sequenceId: seq.id, frame: 40 });
    expect(made).toHaveLength(2);
    expect(clipsOn(project, v1.id)).toEqual([[10, 0, 30], [40, 30, 100]]);
    expect(clipsOn(project, a1.id)).toEqual([[10, 0, 30], [40, 30, 100]]);
    const second = project.getClip(made[0]);
    expect(second.takes.map((t) => t.label)).toEqual(['Original', project.getClip(a.id).takes[1].label]);
    expect(project.activeTake(second.id).kind).toBe('generated');
    expect(project.history.undoLabel).toBe('Split Clip');
    // Nothing under the frame: nothing happens.
    expect(splitClips(project, { sequenceId: seq.id, frame: 5 })).toEqual([]);
    project.undo();
    expect(clipsOn(project, v1.id)).toEqual([[10, 0, 100]]);
    expectSound(project);
  });

  it('splits only the chosen clip (and its sound) when clips are given', () => {
    const { project, cam, plate, seq, v1 } = setup();
    const v2 = project.addTrack(seq.id, 'video');
    const [a] = placeMedia(project, { mediaId: cam.id });
    placeMedia(project, { mediaId: plate.id, trackId: v2.id });
    splitClips(project, { sequenceId: seq.id, frame: 20, clipIds: [a.id] });
    expect(clipsOn(project, v1.id)).toHaveLength(2);
    expect(clipsOn(project, v2.id)).toHaveLength(1);
  });

  it('deletes with a gap, or ripples the later clips up', () => {
    const { project, cam, v1, a1 } = setup();
    const [a] = placeMedia(project, { mediaId: cam.id });
    placeMedia(project, { mediaId: cam.id });
    placeMedia(project, { mediaId: cam.id });
    deleteClips(project, { clipIds: [a.id] });
    expect(clipsOn(project, v1.id)).toEqual([[100, 0, 100], [200, 0, 100]]);
    project.undo();
    deleteClips(project, { clipIds: [a.id], ripple: true });
    expect(clipsOn(project, v1.id)).toEqual([[0, 0, 100], [100, 0, 100]]);
    expect(clipsOn(project, a1.id)).toEqual([[0, 0, 100], [100, 0, 100]]);
    expect(project.history.undoLabel).toBe('Ripple Delete');
    project.undo();
    expect(clipsOn(project, v1.id)).toHaveLength(3);
    expectSound(project);
  });

  it('changes the sequence format, but not its rate once clips are on it', () => {
    const { project, plate, seq } = setup();
    project.setSequenceFormat(seq.id, { fps: { num: 25, den: 1 }, size: { width: 568, height: 320 }, startTimecode: '10:00:00:00' });
    const s = project.getSequence(seq.id);
    expect([s.fps, s.size, s.startTimecode]).toEqual([{ num: 25, den: 1 }, { width: 568, height: 320 }, '10:00:00:00']);
    placeMedia(project, { mediaId: plate.id });
    expect(() => project.setSequenceFormat(seq.id, { fps: { num: 24, den: 1 } })).toThrow(/cannot change while it has clips/);
    expect(() => project.setSequenceFormat(seq.id, { startTimecode: 'soon' })).toThrow(/01:00:00:00/);
    project.setSequenceFormat(seq.id, { startTimecode: '01:00:00:00' });
    expect(project.history.undoLabel).toBe('Sequence Settings');
  });
});

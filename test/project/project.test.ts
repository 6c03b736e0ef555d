import { describe, expect, it } from 'vitest';
import { Project, type ProjectChange } from '../../src/engine/project';
import { isLacunaError } from '../../src/engine/util/errors';
import { audioInfo, expectSound, fakeHash, imageSequenceInfo, videoInfo } from './fixtures';

function setup() {
  const project = Project.create({ name: 'Ferry' });
  const seq = project.doc.sequences[0];
  const v1 = seq.tracks.find((t) => t.kind === 'video')!;
  const a1 = seq.tracks.find((t) => t.kind === 'audio')!;
  const cam = project.addMedia(videoInfo('/media/A001_C003.mov', { frames: 240 }), fakeHash('cam'));
  return { project, seq, v1, a1, cam };
}

/** Runs `edit`, then checks that undo restores exactly the state before and redo the state after. */
function expectUndoable(project: Project, label: string, edit: () => void): void {
  const before = JSON.stringify(project.doc);
  edit();
  expectSound(project);
  const after = JSON.stringify(project.doc);
  expect(after).not.toBe(before);
  expect(project.history.undoLabel).toBe(label);
  expect(project.undo()).toBe(true);
  expect(JSON.stringify(project.doc)).toBe(before);
  expect(project.history.redoLabel).toBe(label);
  expect(project.redo()).toBe(true);
  expect(JSON.stringify(project.doc)).toBe(after);
  expectSound(project);
}

function expectBadArgument(fn: () => unknown, message: RegExp): void {
  try {
    fn();
  } catch (e) {
    expect(isLacunaError(e, 'BAD_ARGUMENT'), String(e)).toBe(true);
    expect((e as Error).message).toMatch(message);
    return;
  }
  throw new Error(`expected BAD_ARGUMENT matching ${message}`);
}

describe('Project.create', () => {
  it('starts clean, with one sequence of V1 + A1 from the settings, and nothing to undo', () => {
    const p = Project.create({ name: 'Ferry', settings: { fps: { num: 48000, den: 2002 } } });
    expect(p.dirty).toBe(false);
    expect(p.path).toBeNull();
    expect(p.history).toEqual({ canUndo: false, canRedo: false, undoLabel: null, redoLabel: null });
    const [seq] = p.doc.sequences;
    expect(seq.fps).toEqual({ num: 24000, den: 1001 }); // reduced
    expect(seq.tracks.map((t) => `${t.kind}:${t.name}`)).toEqual(['video:V1', 'audio:A1']);
    expect(p.doc.format).toBe('lacuna.project');
    expectSound(p);
  });

  it('rejects bad settings and empty names', () => {
    expectBadArgument(() => Project.create({ name: '  ' }), /project name must not be empty/);
    expectBadArgument(() => Project.create({ name: 'x', settings: { fps: { num: 0, den: 1 } } }), /fps\.num: expected number ≥ 1, got 0/);
  });

  it('hands out frozen documents, so edits cannot bypass the history', () => {
    const { project } = setup();
    expect(() => {
      (project.doc.media[0] as { name: string }).name = 'hacked';
    }).toThrow(TypeError);
  });
});

describe('media', () => {
  it('summarises the probe and dedupes the same file at the same path', () => {
    const { project, cam } = setup();
    expect(cam.kind).toBe('file');
    expect(cam.name).toBe('A001_C003.mov');
    expect(cam.probe.video?.fps).toEqual({ num: 24, den: 1 });
    expect(cam.probe.audio).toHaveLength(1);
    const again = project.addMedia(videoInfo('/media/A001_C003.mov', { frames: 240 }), fakeHash('cam'));
    expect(again.id).toBe(cam.id);
    expect(project.doc.media).toHaveLength(1);
    expect(project.history.undoLabel).toBe('Import Media'); // the first import only
    // Same content elsewhere is another file: a separate entry.
    const copy = project.addMedia(videoInfo('/backup/A001_C003.mov', { frames: 240 }), fakeHash('cam'));
    expect(copy.id).not.toBe(cam.id);
  });

  it('stores image sequences as runs of frame numbers with the chosen rate', () => {
    const { project } = setup();
    const numbers = [...Array.from({ length: 100 }, (_, i) => 1001 + i), ...Array.from({ length: 10 }, (_, i) => 1200 + 5 * i)];
    const m = project.addMedia(imageSequenceInfo('/plates/sh010.%05d.exr', numbers, { num: 25, den: 1 }), fakeHash('seq'));
    if (m.kind !== 'imageSequence') throw new Error('kind');
    expect(m.numberRuns).toEqual([
      { start: 1001, count: 100, step: 1 },
      { start: 1200, count: 10, step: 5 },
    ]);
    expect(m.name).toBe('sh010.[1001-1245].exr');
    expect(m.fps).toEqual({ num: 25, den: 1 });
  });

  it('rejects unusable probes and hashes with the exact field', () => {
    const { project } = setup();
    const bad = videoInfo('/m/b.mov');
    expectBadArgument(() => project.addMedia({ ...bad, video: { ...bad.video!, width: 0 } }, fakeHash('b')), /probe\.video\.width: expected number ≥ 1, got 0/);
    expectBadArgument(() => project.addMedia(bad, { ...fakeHash('b'), value: 'XYZ' }), /value: expected 64 lowercase hex digits/);
    expectBadArgument(() => project.addMedia(videoInfo('/m/c.mov', { fileSize: 5 }), fakeHash('c', 6)), /covers 6 bytes but \/m\/c\.mov has 5/);
    expectBadArgument(() => project.addMedia(imageSequenceInfo('/p/%04d.png', [3, 2]), fakeHash('s')), /must ascend/);
  });

  it('refuses to remove media in use, naming the users; removes it once unused', () => {
    const { project, seq, v1, cam } = setup();
    const clip = project.addClip(seq.id, v1.id, cam.id);
    expectBadArgument(() => project.removeMedia(cam.id), /"A001_C003\.mov" is still used by clip "A001_C003\.mov" in "Sequence 1"/);
    const render = project.addMedia(videoInfo('/r/take.mov'), fakeHash('take'));
    project.addTake(clip.id, { mediaId: render.id, params: { engine: 'lgvi' }, sourceStart: 0 });
    expectBadArgument(() => project.removeMedia(render.id), /used by a take of clip/);
    project.removeClip(clip.id);
    expectUndoable(project, 'Remove Media', () => project.removeMedia(cam.id));
    expect(project.findMedia(cam.id)).toBeUndefined();
  });

  it('every media edit is undoable', () => {
    const { project, cam } = setup();
    expectUndoable(project, 'Import Media', () => project.addMedia(audioInfo('/m/wild.wav'), fakeHash('wild')));
    expectUndoable(project, 'Relink Media', () => project.setMediaPath(cam.id, '/elsewhere/A001_C003.mov'));
    expect(project.getMedia(cam.id).path).toBe('/elsewhere/A001_C003.mov');
  });
});

describe('sequences and tracks', () => {
  it('adds, renames and removes sequences and tracks, all undoable', () => {
    const { project, seq, v1, cam } = setup();
    let added!: string;
    expectUndoable(project, 'Add Sequence', () => {
      added = project.addSequence({ name: 'Cutdown', fps: { num: 30000, den: 1001 }, size: { width: 3840, height: 2160 }, videoTracks: 2, audioTracks: 0 }).id;
    });
    expect(project.getSequence(added).tracks.map((t) => t.name)).toEqual(['V1', 'V2']);
    expectUndoable(project, 'Rename Sequence', () => project.renameSequence(added, 'Cutdown 30s'));
    let a2!: string;
    expectUndoable(project, 'Add Track', () => {
      a2 = project.addTrack(seq.id, 'audio').id;
    });
    expectUndoable(project, 'Add Track', () => project.addTrack(seq.id, 'video', 'Graphics'));
    expect(project.getSequence(seq.id).tracks.map((t) => t.name)).toEqual(['V1', 'Graphics', 'A1', 'A2']);
    expectUndoable(project, 'Remove Track', () => project.removeTrack(a2));
    project.addClip(seq.id, v1.id, cam.id);
    expectBadArgument(() => project.removeTrack(v1.id), /track "V1" still has 1 clip/);
    expectUndoable(project, 'Remove Sequence', () => project.removeSequence(added));
    expectBadArgument(() => project.addSequence({ startTimecode: '1:00:00' }), /start timecode must look like 01:00:00:00/);
    expectBadArgument(() => project.addSequence({ fps: { num: 24, den: 0 } }), /sequence fps must be a positive rational/);
  });
});

describe('clips', () => {
  it('adds a clip with sensible defaults: whole media, after the last clip, an original take', () => {
    const { project, seq, v1, cam } = setup();
    const a = project.addClip(seq.id, v1.id, cam.id);
    const b = project.addClip(seq.id, v1.id, cam.id, { sourceIn: 24, sourceOut: 72 });
    expect([a.sourceIn, a.sourceOut, a.position]).toEqual([0, 240, 0]);
    expect([b.sourceIn, b.sourceOut, b.position]).toEqual([24, 72, 240]);
    expect(a.takes).toHaveLength(1);
    expect(a.takes[0]).toMatchObject({ kind: 'original', mediaId: cam.id, label: 'Original' });
    expect(a.activeTakeId).toBe(a.takes[0].id);
    expect(project.trackEnd(v1.id)).toBe(288);
    expectSound(project);
  });

  it('converts between media and sequence rates exactly when placing clips', () => {
    const { project, v1 } = setup();
    const seq = project.getSequence(project.doc.sequences[0].id);
    // 25 fps media in a 24 fps sequence: 250 frames = 10 s = 240 sequence frames.
    const pal = project.addMedia(videoInfo('/m/pal.mov', { fps: { num: 25, den: 1 }, frames: 250 }), fakeHash('pal'));
    const c = project.addClip(seq.id, v1.id, pal.id);
    expect(project.trackEnd(v1.id)).toBe(240);
    expect(c.sourceOut).toBe(250);
    // Audio-only media counts in sequence frames: 10 s at 24 fps.
    const wav = project.addMedia(audioInfo('/m/wild.wav', 10), fakeHash('wav'));
    const a1 = seq.tracks.find((t) => t.kind === 'audio')!;
    const ac = project.addClip(seq.id, a1.id, wav.id);
    expect(ac.sourceOut).toBe(240);
  });

  it('validates ranges, positions, overlaps and track kinds with clear messages', () => {
    const { project, seq, v1, a1, cam } = setup();
    project.addClip(seq.id, v1.id, cam.id, { sourceIn: 0, sourceOut: 100, position: 100 });
    expectBadArgument(() => project.addClip(seq.id, v1.id, cam.id, { sourceIn: 50, sourceOut: 50 }), /sourceOut \(50\) must be greater than sourceIn \(50\)/);
    expectBadArgument(() => project.addClip(seq.id, v1.id, cam.id, { sourceIn: 0, sourceOut: 241 }), /sourceOut 241 is past the end of "A001_C003\.mov", which has 240 frames/);
    expectBadArgument(() => project.addClip(seq.id, v1.id, cam.id, { sourceIn: -1, sourceOut: 10 }), /sourceIn must be ≥ 0/);
    expectBadArgument(() => project.addClip(seq.id, v1.id, cam.id, { sourceOut: 10, position: 1.5 }), /position must be a whole frame number/);
    expectBadArgument(
      () => project.addClip(seq.id, v1.id, cam.id, { sourceOut: 10, position: 195 }),
      /frames 195\.\.205 on track "V1" overlap clip "A001_C003\.mov" \(frames 100\.\.200\)/,
    );
    // Touching is fine: ranges are half-open.
    project.addClip(seq.id, v1.id, cam.id, { sourceOut: 100, position: 0 });
    project.addClip(seq.id, v1.id, cam.id, { sourceOut: 10, position: 200 });
    const wav = project.addMedia(audioInfo('/m/wild.wav'), fakeHash('wav'));
    expectBadArgument(() => project.addClip(seq.id, v1.id, wav.id), /"wild\.wav" has no picture, so it cannot go on a video track/);
    expectBadArgument(() => project.addClip(seq.id, a1.id, 'media_nope'), /no media with id "media_nope"/);
    const other = project.addSequence({ name: 'Other' });
    expectBadArgument(() => project.addClip(other.id, v1.id, cam.id), /track "track_[0-9a-f]+" is not in sequence "Other"/);
    expectSound(project);
  });

  it('moves within and across tracks, refusing overlaps and kind changes', () => {
    const { project, seq, v1, a1, cam } = setup();
    const v2 = project.addTrack(seq.id, 'video');
    const a = project.addClip(seq.id, v1.id, cam.id, { sourceOut: 48 });
    const b = project.addClip(seq.id, v1.id, cam.id, { sourceOut: 48 });
    expectUndoable(project, 'Move Clip', () => project.moveClip(a.id, { position: 200 }));
    expect(project.getSequence(seq.id).tracks[0].clips.map((c) => c.id)).toEqual([b.id, a.id]); // timeline order
    expectUndoable(project, 'Move Clip', () => project.moveClip(b.id, { trackId: v2.id, position: 210 }));
    expect(project.locateClip(b.id)!.track.id).toBe(v2.id);
    expectBadArgument(() => project.moveClip(a.id, { trackId: v2.id }), /overlap clip/);
    expectBadArgument(() => project.moveClip(a.id, { trackId: a1.id }), /cannot move clip "A001_C003\.mov" from video track "V1" to audio track "A1"/);
    const rev = project.revision;
    project.moveClip(a.id, { position: 200 }); // no change, no history entry
    expect(project.revision).toBe(rev);
  });

  it('trims: a head trim keeps the clip end in place, a tail trim keeps the start', () => {
    const { project, seq, v1, cam } = setup();
    const c = project.addClip(seq.id, v1.id, cam.id, { sourceIn: 50, sourceOut: 150, position: 100 });
    expectUndoable(project, 'Trim Clip', () => project.trimClip(c.id, { sourceIn: 60 }));
    expect(project.getClip(c.id)).toMatchObject({ sourceIn: 60, sourceOut: 150, position: 110 });
    expectUndoable(project, 'Trim Clip', () => project.trimClip(c.id, { sourceOut: 120 }));
    expect(project.getClip(c.id)).toMatchObject({ sourceIn: 60, sourceOut: 120, position: 110 });
    expectUndoable(project, 'Trim Clip', () => project.trimClip(c.id, { sourceIn: 0, sourceOut: 240, position: 0 }));
    expectBadArgument(() => project.trimClip(c.id, { sourceOut: 300 }), /past the end/);
    const rev = project.revision;
    project.trimClip(c.id, { sourceIn: 0 }); // unchanged: no history entry
    expect(project.revision).toBe(rev);
    // A head extension that would start before frame 0 is refused.
    const v2 = project.addTrack(seq.id, 'video');
    const e = project.addClip(seq.id, v2.id, cam.id, { sourceIn: 100, sourceOut: 110, position: 50 });
    expectBadArgument(() => project.trimClip(e.id, { sourceIn: 0 }), /would put it before the start of the timeline/);
    // Extending into the neighbour is refused.
    const d = project.addClip(seq.id, v1.id, cam.id, { sourceIn: 100, sourceOut: 110, position: 300 });
    expectBadArgument(() => project.trimClip(d.id, { sourceIn: 20 }), /overlap clip/);
  });

  it('renames and removes clips, undoably', () => {
    const { project, seq, v1, cam } = setup();
    const c = project.addClip(seq.id, v1.id, cam.id);
    expectUndoable(project, 'Rename Clip', () => project.renameClip(c.id, 'Ferry wide'));
    expectUndoable(project, 'Remove Clip', () => project.removeClip(c.id));
    expect(project.locateClip(c.id)).toBeUndefined();
    expectUndoable(project, 'Add Clip', () => project.addClip(seq.id, v1.id, cam.id));
  });
});

describe('takes', () => {
  function withClip() {
    const s = setup();
    const clip = s.project.addClip(s.seq.id, s.v1.id, s.cam.id, { sourceIn: 48, sourceOut: 144, position: 24 });
    // The job rendered exactly the clip's range: 96 frames at the same rate.
    const render = s.project.addMedia(videoInfo('/renders/take1.mov', { frames: 96, audio: false }), fakeHash('take1'));
    const matte = s.project.addMedia(videoInfo('/renders/take1_matte.mov', { frames: 96, audio: false }), fakeHash('matte1'));
    return { ...s, clip, render, matte };
  }

  const params = {
    engine: 'lgvi',
    expression: 'the man on the left',
    seed: 42,
    steps: 50,
    guidance: 7.5,
    modelPack: { id: 'lgvi-1.0', sha256: 'a'.repeat(64) },
    extra: { maskDilate: 4, tiles: [2, 2] },
  };

  it('adds a generated take that becomes active, aligned with the clip range', () => {
    const { project, clip, render, matte } = withClip();
    let take!: ReturnType<Project['addTake']>;
    expectUndoable(project, 'Add Take', () => {
      take = project.addTake(clip.id, { mediaId: render.id, matteMediaId: matte.id, params, label: 'Remove man', jobId: 'job_7' });
    });
    expect(take).toMatchObject({ kind: 'generated', label: 'Remove man', sourceStart: 48, mediaId: render.id, matteMediaId: matte.id, jobId: 'job_7', params });
    expect(project.getClip(clip.id).activeTakeId).toBe(take.id);
    expect(project.activeTakeMedia(clip.id).id).toBe(render.id);
    const src = project.activeSource(clip.id);
    expect([src.sourceIn, src.sourceOut, src.matte?.id]).toEqual([0, 96, matte.id]);
    // The caller's params object stays theirs (not frozen, not shared).
    expect(Object.isFrozen(params)).toBe(false);
  });

  it('defaults labels and can add without activating', () => {
    const { project, clip, render } = withClip();
    const t = project.addTake(clip.id, { mediaId: render.id, params: { engine: 'lite' }, activate: false });
    expect(t.label).toBe('Take 1');
    expect(project.activeTake(clip.id).kind).toBe('original');
  });

  it('refuses takes that are not frame-aligned or do not cover the clip', () => {
    const { project, clip, render } = withClip();
    const pal = project.addMedia(videoInfo('/renders/pal.mov', { fps: { num: 25, den: 1 }, frames: 100 }), fakeHash('pal'));
    expectBadArgument(() => project.addTake(clip.id, { mediaId: pal.id, params }), /runs at 25 fps but the clip's media at 24 fps/);
    expectBadArgument(
      () => project.addTake(clip.id, { mediaId: render.id, params, sourceStart: 60 }),
      /take "Take 1" covers source frames 60\.\.156 but the clip uses 48\.\.144/,
    );
    expectBadArgument(() => project.addTake(clip.id, { mediaId: render.id, params: { ...params, engine: '' } }), /params\.engine: must not be empty/);
    expectBadArgument(() => project.addTake(clip.id, { mediaId: render.id, params: { ...params, extra: { f: Number.NaN } } }), /params\.extra\.f is NaN/);
    expectBadArgument(
      () => project.addTake(clip.id, { mediaId: render.id, params: { ...params, steps: 0 } as typeof params }),
      /params\.steps: expected number ≥ 1, got 0/,
    );
    expectBadArgument(() => project.addTake('clip_nope', { mediaId: render.id, params }), /no clip with id "clip_nope"/);
    expectSound(project);
  });

  it('switches, renames and deletes takes; the original is permanent', () => {
    const { project, clip, render } = withClip();
    const original = clip.takes[0];
    const t1 = project.addTake(clip.id, { mediaId: render.id, params });
    const r2 = project.addMedia(videoInfo('/renders/take2.mov', { frames: 240, audio: false }), fakeHash('take2'));
    // A render of the whole media (with handles): must say where it starts.
    const t2 = project.addTake(clip.id, { mediaId: r2.id, params: { engine: 'lgvi-i', chat: 'remove the boat' }, sourceStart: 0 });
    expectUndoable(project, 'Switch Take', () => project.setActiveTake(clip.id, t1.id));
    expectUndoable(project, 'Switch Take', () => project.setActiveTake(clip.id, original.id));
    expectUndoable(project, 'Rename Take', () => project.renameTake(clip.id, t2.id, 'Boat gone'));
    project.setActiveTake(clip.id, t2.id);
    expectUndoable(project, 'Delete Take', () => project.deleteTake(clip.id, t2.id));
    expect(project.getClip(clip.id).activeTakeId).toBe(original.id); // fell back
    expectBadArgument(() => project.deleteTake(clip.id, original.id), /the original take of "A001_C003\.mov" cannot be deleted/);
    expectBadArgument(() => project.setActiveTake(clip.id, 'take_nope'), /has no take with id "take_nope"/);
    expectBadArgument(() => project.renameTake(clip.id, t1.id, ''), /take label must not be empty/);
  });

  it('keeps the active take covering the clip when trimming', () => {
    const { project, clip, render } = withClip();
    project.addTake(clip.id, { mediaId: render.id, params });
    expectBadArgument(() => project.trimClip(clip.id, { sourceOut: 200 }), /covers source frames 48\.\.144 but the clip uses 48\.\.200/);
    project.trimClip(clip.id, { sourceIn: 60, sourceOut: 100 }); // inside the take: fine
    expect(project.activeSource(clip.id)).toMatchObject({ sourceIn: 12, sourceOut: 52 });
    project.setActiveTake(clip.id, clip.takes[0].id);
    project.trimClip(clip.id, { sourceOut: 200 }); // the original covers everything
    expectBadArgument(() => project.setActiveTake(clip.id, project.getClip(clip.id).takes[1].id), /covers source frames 48\.\.144/);
  });
});

describe('history, dirty flag and events', () => {
  it('tracks dirty by revision: undoing back to the saved state is clean', () => {
    const { project, seq, v1, cam } = setup();
    project.markSaved({ path: '/tmp/x.lacuna', revision: project.revision, modified: new Date().toISOString() });
    expect(project.dirty).toBe(false);
    project.addClip(seq.id, v1.id, cam.id);
    expect(project.dirty).toBe(true);
    project.undo();
    expect(project.dirty).toBe(false);
    project.redo();
    expect(project.dirty).toBe(true);
    project.undo();
    project.rename('Ferry v2'); // a new edit after undo: a new revision, dirty, and no redo
    expect(project.dirty).toBe(true);
    expect(project.history.canRedo).toBe(false);
  });

  it('emits one change per edit, undo and redo, with the dirty flag', () => {
    const { project, seq, v1, cam } = setup();
    const seen: ProjectChange[] = [];
    const off = project.onChange((c) => seen.push(c));
    project.addClip(seq.id, v1.id, cam.id);
    project.undo();
    project.redo();
    expect(seen.map((c) => [c.cause, c.label, c.dirty])).toEqual([
      ['edit', 'Add Clip', true],
      ['undo', 'Add Clip', true], // still dirty: the media import before it was never saved
      ['redo', 'Add Clip', true],
    ]);
    off();
    project.rename('Quiet');
    expect(seen).toHaveLength(3);
  });

  it('a failed edit changes nothing and records nothing', () => {
    const { project, seq, v1, cam } = setup();
    const before = project.snapshot();
    expect(() => project.addClip(seq.id, v1.id, cam.id, { sourceOut: 9999 })).toThrow();
    expect(project.snapshot()).toEqual(before);
    expect(project.history.undoLabel).toBe('Import Media');
  });

  it('batches several edits into one undo step, and rolls all back if one fails', () => {
    const { project, seq, v1, cam } = setup();
    const before = JSON.stringify(project.doc);
    project.batch('Import Render', () => {
      const c = project.addClip(seq.id, v1.id, cam.id, { sourceOut: 96 });
      const r = project.addMedia(videoInfo('/r/t.mov', { frames: 96 }), fakeHash('t'));
      project.addTake(c.id, { mediaId: r.id, params: { engine: 'lgvi' } });
    });
    expect(project.history.undoLabel).toBe('Import Render');
    expectSound(project);
    project.undo();
    expect(JSON.stringify(project.doc)).toBe(before);
    expect(() =>
      project.batch('Doomed', () => {
        project.rename('Changed');
        project.addClip(seq.id, v1.id, 'media_missing');
      }),
    ).toThrow(/no media with id/);
    expect(JSON.stringify(project.doc)).toBe(before);
    expect(project.history.undoLabel).toBe('Import Media');
    expect(() => project.batch('Async', (async () => {}) as () => void)).toThrow(/synchronous/);
  });

  it('bounds the history and keeps the newest steps', () => {
    const p = Project.create({ name: 'x', historyLimit: 3 });
    for (let i = 0; i < 5; i++) p.rename(`name ${i}`);
    let undos = 0;
    while (p.undo()) undos++;
    expect(undos).toBe(3);
    expect(p.doc.name).toBe('name 1');
  });

  it('a throwing listener does not starve the others; its error surfaces after the edit applied', () => {
    const { project } = setup();
    let heard = 0;
    project.onChange(() => {
      throw new Error('listener bug');
    });
    project.onChange(() => heard++);
    expect(() => project.rename('Still works')).toThrow('listener bug');
    expect(heard).toBe(1);
    expect(project.doc.name).toBe('Still works');
    expect(project.history.undoLabel).toBe('Rename Project');
  });
});

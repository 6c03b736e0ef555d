import { resolve } from 'node:path';
import type { MediaInfo } from '../media/types';
import { LacunaError } from '../util/errors';
import { rational, type Rational } from '../util/rational';
import { DocIndex, allIds, type ClipAt, type TrackAt } from './docIndex';
import { insertClipSorted, removeAt, replaceAt, updateClip, updateSequence, updateTrack } from './edit';
import { freezeDeep } from './freeze';
import { History, type HistoryState } from './history';
import { newId, type IdKind } from './ids';
import { sourceRangeProblem, takeCoverageProblem, takeMediaProblem, trackMediaProblem } from './invariants';
import { jsonValueProblem } from './jsonValue';
import { mediaRefFromInfo } from './mediaRef';
import { formatProblems, problemsFromZod } from './problems';
import {
  CURRENT_VERSION,
  DEFAULT_SETTINGS,
  PROJECT_FORMAT,
  ProjectSettingsSchema,
  SizeSchema,
  TakeParamsSchema,
  TimecodeSchema,
  type Clip,
  type ContentHash,
  type GeneratedTake,
  type MediaRef,
  type OriginalTake,
  type ProjectDoc,
  type ProjectSettings,
  type Sequence,
  type Size,
  type Take,
  type TakeParams,
  type Track,
  type TrackKind,
} from './schema';
import { nextTakeNumber } from './takeNumber';
import { clipDuration, clipEnd, mediaFrameCount, mediaRate } from './timing';
import { parseProjectDoc } from './validate';

/**
 * An open project: the current document plus its undo history, save state and listeners.
 *
 * Every edit goes through one path (`#edit`): it builds a new immutable document from the old
 * one (edit.ts), so a failed check leaves nothing half-changed; it records the old document for
 * undo (history.ts); it bumps the revision and tells listeners. `dirty` compares the revision
 * with the one last saved, so undoing back to the saved state is clean again, as users expect.
 *
 * Documents handed out are deep-frozen: change them only through these methods.
 */

export type ChangeCause = 'edit' | 'undo' | 'redo' | 'save';

export interface ProjectChange {
  cause: ChangeCause;
  /** The step's label ("Add Take"); null for a save. */
  label: string | null;
  dirty: boolean;
  revision: number;
}

export type ProjectListener = (change: ProjectChange) => void;

export interface CreateProjectOptions {
  name: string;
  /** Defaults for new sequences; anything left out takes DEFAULT_SETTINGS. */
  settings?: Partial<ProjectSettings>;
  /** Start with one empty sequence (V1 + A1) named "Sequence 1". Default true. */
  withSequence?: boolean;
  historyLimit?: number;
}

export interface AddSequenceOptions {
  name?: string;
  fps?: Rational;
  size?: Size;
  sampleRate?: number;
  startTimecode?: string;
  /** Number of empty tracks to start with; default 1 each. */
  videoTracks?: number;
  audioTracks?: number;
}

export interface AddClipOptions {
  /** Default 0. */
  sourceIn?: number;
  /** Default: the end of the media. */
  sourceOut?: number;
  /** Timeline frame where the clip starts; default: right after the track's last clip. */
  position?: number;
  /** Default: the media's name. */
  name?: string;
}

export interface MoveClipOptions {
  position?: number;
  /** Another track of the same kind in the same sequence. */
  trackId?: string;
}

export interface TrimClipOptions {
  sourceIn?: number;
  sourceOut?: number;
  /**
   * Where the clip starts after the trim. Default: when only the in point moves, the clip's end
   * stays put on the timeline (a head trim, as in every NLE); otherwise the start stays put.
   */
  position?: number;
}

export interface AddTakeOptions {
  /** The rendered file's media entry (addMedia it first). */
  mediaId: string;
  params: TakeParams;
  /** Default "Take N". */
  label?: string;
  matteMediaId?: string;
  jobId?: string;
  /**
   * The original media's frame shown by frame 0 of the take's media. Default: the clip's
   * current sourceIn, i.e. the job rendered exactly the clip's range. A job that renders with
   * handles (or the whole media) must say where its render starts.
   */
  sourceStart?: number;
  /** Make it the clip's active take. Default true: a finished render is what the user wants to see. */
  activate?: boolean;
}

export interface ClipLocation {
  sequence: Sequence;
  track: Track;
  clip: Clip;
}

/** One place that refers to a media entry (why it cannot be removed). */
export interface MediaUse {
  sequenceId: string;
  trackId: string;
  clipId: string;
  role: 'clip' | 'take' | 'matte';
  takeId?: string;
}

/**
 * What a clip shows now, in the active take's own frames: play or export `media` from
 * `sourceIn` to `sourceOut` (half-open), with `matte` aligned to it when there is one.
 */
export interface ActiveSource {
  clip: Clip;
  take: Take;
  media: MediaRef;
  matte: MediaRef | null;
  sourceIn: number;
  sourceOut: number;
}

interface State {
  doc: ProjectDoc;
  revision: number;
}

function bad(message: string, hint?: string): LacunaError {
  return new LacunaError('BAD_ARGUMENT', message, hint);
}

function ensure(problem: string | null): void {
  if (problem) throw bad(problem);
}

function cleanName(name: string, what: string): string {
  const n = typeof name === 'string' ? name.trim() : '';
  if (!n) throw bad(`${what} must not be empty`);
  return n;
}

function checkFrame(value: number, what: string): number {
  if (!Number.isSafeInteger(value) || value < 0) throw bad(`${what} must be a whole frame number ≥ 0, got ${value}`);
  return value;
}

function checkRate(r: Rational, what: string): Rational {
  if (!r || !Number.isSafeInteger(r.num) || !Number.isSafeInteger(r.den) || r.num <= 0 || r.den <= 0) {
    throw bad(`${what} must be a positive rational like {num: 30000, den: 1001}, got ${JSON.stringify(r)}`);
  }
  return rational(r.num, r.den);
}

const now = () => new Date().toISOString();

export class Project {
  #doc: ProjectDoc;
  #revision = 0;
  #lastRevision = 0;
  #savedRevision = 0;
  #path: string | null;
  readonly #history: History<State>;
  readonly #listeners = new Set<ProjectListener>();
  readonly #index = new DocIndex();
  /** Every id any state of this session has used, so no id is ever given two meanings. */
  readonly #knownIds: Set<string>;
  /** Open batch: edits apply to #doc but are recorded once, when the batch ends. */
  #batchDepth = 0;

  private constructor(doc: ProjectDoc, path: string | null, historyLimit?: number) {
    this.#doc = freezeDeep(doc);
    this.#knownIds = new Set(allIds(doc));
    this.#path = path;
    this.#history = new History<State>(historyLimit);
  }

  /** A new, empty project (not dirty until edited; no path until saved). */
  static create(options: CreateProjectOptions): Project {
    const settingsCandidate = { ...DEFAULT_SETTINGS, ...options.settings };
    const parsed = ProjectSettingsSchema.safeParse(settingsCandidate);
    if (!parsed.success) {
      throw bad(`invalid project settings:\n${formatProblems(problemsFromZod(parsed.error, settingsCandidate))}`);
    }
    const t = now();
    const doc: ProjectDoc = {
      format: PROJECT_FORMAT,
      version: CURRENT_VERSION,
      id: newId('project'),
      name: cleanName(options.name, 'project name'),
      created: t,
      modified: t,
      settings: { ...parsed.data, fps: rational(parsed.data.fps.num, parsed.data.fps.den) },
      media: [],
      sequences: [],
    };
    const project = new Project(doc, null, options.historyLimit);
    if (options.withSequence !== false) {
      // Part of creation, not an edit: "Undo Add Sequence" on a fresh project would be odd.
      project.addSequence({ name: 'Sequence 1' });
      project.#history.clear();
      project.#savedRevision = project.#revision;
    }
    return project;
  }

  /**
   * A project from a document (validated: throws PROJECT_INVALID listing every problem).
   * `path` is where it was loaded from; media paths in `raw` must already be absolute.
   */
  static fromDocument(raw: unknown, options: { path?: string | null; source?: string; historyLimit?: number } = {}): Project {
    const doc = parseProjectDoc(raw, options.source);
    return new Project(structuredClone(doc), options.path ?? null, options.historyLimit);
  }

  // ---------------------------------------------------------------- state

  /** The current document (deep-frozen). */
  get doc(): ProjectDoc {
    return this.#doc;
  }

  /** The file it was last loaded from or saved to; null for a project never saved. */
  get path(): string | null {
    return this.#path;
  }

  /** True when the document differs from what was last saved (or created, or loaded). */
  get dirty(): boolean {
    return this.#revision !== this.#savedRevision;
  }

  /** Changes with every edit, undo and redo; equal revisions mean equal documents. */
  get revision(): number {
    return this.#revision;
  }

  get history(): HistoryState {
    return this.#history.state;
  }

  /**
   * Calls `listener` synchronously after every change; returns the unsubscribe function. A
   * listener that throws does not stop the others; its error is rethrown to the caller of the
   * edit afterwards (the edit itself stands).
   */
  onChange(listener: ProjectListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** The document and its revision, taken together (what a save writes). */
  snapshot(): { doc: ProjectDoc; revision: number } {
    return { doc: this.#doc, revision: this.#revision };
  }

  /**
   * Records a completed save (store.ts calls this): `revision` is the snapshot that was
   * written, so edits made while the file was being written still count as unsaved.
   */
  markSaved(saved: { path: string; revision: number; modified: string }): void {
    this.#path = resolve(saved.path);
    this.#savedRevision = saved.revision;
    if (this.#doc.modified !== saved.modified) this.#doc = freezeDeep({ ...this.#doc, modified: saved.modified });
    this.#emit('save', null);
  }

  /**
   * Marks the document as differing from its file (store.ts: after an upgrade from an older
   * format, or when opened from the backup), so the user is asked to save it.
   */
  markUnsaved(): void {
    if (this.#savedRevision !== this.#revision) return;
    this.#savedRevision = -1;
    this.#emit('edit', null);
  }

  // ---------------------------------------------------------------- history

  undo(): boolean {
    return this.#step('undo');
  }

  redo(): boolean {
    return this.#step('redo');
  }

  /**
   * Runs `fn` (synchronous) as one undo step labelled `label`: several edits, one "Undo".
   * If `fn` throws, every edit it made is rolled back and the error rethrown. Nested batches
   * merge into the outermost one.
   */
  batch<T>(label: string, fn: () => T): T {
    if (this.#batchDepth > 0) return fn();
    const before: State = { doc: this.#doc, revision: this.#revision };
    this.#batchDepth++;
    let result: T;
    try {
      result = fn();
      if (result && typeof (result as { then?: unknown }).then === 'function') {
        throw new Error('Project.batch needs a synchronous function: awaiting inside would let other edits interleave');
      }
    } catch (e) {
      this.#doc = before.doc;
      throw e;
    } finally {
      this.#batchDepth--;
    }
    if (this.#doc !== before.doc) this.#commit(label, before);
    return result;
  }

  #step(direction: 'undo' | 'redo'): boolean {
    if (this.#batchDepth > 0) throw new Error(`cannot ${direction} inside a batch`);
    const current: State = { doc: this.#doc, revision: this.#revision };
    const entry = direction === 'undo' ? this.#history.undo(current) : this.#history.redo(current);
    if (!entry) return false;
    // `modified` records the last save, which undo does not take back.
    const { doc, revision } = entry.state;
    this.#doc = doc.modified === this.#doc.modified ? doc : freezeDeep({ ...doc, modified: this.#doc.modified });
    this.#revision = revision;
    this.#emit(direction, entry.label);
    return true;
  }

  #edit(label: string, produce: (doc: ProjectDoc) => ProjectDoc): void {
    const next = produce(this.#doc);
    if (next === this.#doc) return;
    freezeDeep(next);
    if (this.#batchDepth > 0) {
      this.#doc = next;
      return;
    }
    const before: State = { doc: this.#doc, revision: this.#revision };
    this.#doc = next;
    this.#commit(label, before);
  }

  #commit(label: string, before: State): void {
    this.#revision = ++this.#lastRevision;
    this.#history.record(label, before);
    this.#emit('edit', label);
  }

  #emit(cause: ChangeCause, label: string | null): void {
    const change: ProjectChange = { cause, label, dirty: this.dirty, revision: this.#revision };
    let failure: { error: unknown } | null = null;
    for (const listener of [...this.#listeners]) {
      try {
        listener(change);
      } catch (e) {
        // A broken listener must not stop the others from hearing about the change.
        failure ??= { error: e };
      }
    }
    // The change has been applied either way; the listener's bug surfaces at the call site.
    if (failure) throw failure.error;
  }

  // ---------------------------------------------------------------- queries

  findMedia(mediaId: string): MediaRef | undefined {
    const i = this.#index.media(this.#doc, mediaId);
    return i === undefined ? undefined : this.#doc.media[i];
  }

  getMedia(mediaId: string): MediaRef {
    const m = this.findMedia(mediaId);
    if (!m) throw bad(`no media with id "${mediaId}" in this project`);
    return m;
  }

  findSequence(sequenceId: string): Sequence | undefined {
    const i = this.#index.sequence(this.#doc, sequenceId);
    return i === undefined ? undefined : this.#doc.sequences[i];
  }

  getSequence(sequenceId: string): Sequence {
    const s = this.findSequence(sequenceId);
    if (!s) throw bad(`no sequence with id "${sequenceId}" in this project`);
    return s;
  }

  locateClip(clipId: string): ClipLocation | undefined {
    const at = this.#index.clip(this.#doc, clipId);
    if (!at) return undefined;
    const sequence = this.#doc.sequences[at.si];
    const track = sequence.tracks[at.ti];
    return { sequence, track, clip: track.clips[at.ci] };
  }

  getClip(clipId: string): Clip {
    const loc = this.locateClip(clipId);
    if (!loc) throw bad(`no clip with id "${clipId}" in this project`);
    return loc.clip;
  }

  getTake(clipId: string, takeId: string): Take {
    const take = this.getClip(clipId).takes.find((t) => t.id === takeId);
    if (!take) throw bad(`clip "${this.getClip(clipId).name}" has no take with id "${takeId}"`);
    return take;
  }

  activeTake(clipId: string): Take {
    const clip = this.getClip(clipId);
    return this.getTake(clipId, clip.activeTakeId);
  }

  /** The media the clip shows now: the active take's (the original media for the original take). */
  activeTakeMedia(clipId: string): MediaRef {
    return this.getMedia(this.activeTake(clipId).mediaId);
  }

  activeSource(clipId: string): ActiveSource {
    const clip = this.getClip(clipId);
    const take = this.activeTake(clipId);
    const offset = take.kind === 'generated' ? take.sourceStart : 0;
    return {
      clip,
      take,
      media: this.getMedia(take.mediaId),
      matte: take.kind === 'generated' && take.matteMediaId ? this.getMedia(take.matteMediaId) : null,
      sourceIn: clip.sourceIn - offset,
      sourceOut: clip.sourceOut - offset,
    };
  }

  /** Every clip, take and matte that refers to `mediaId`. */
  mediaUsage(mediaId: string): MediaUse[] {
    const uses: MediaUse[] = [];
    for (const s of this.#doc.sequences) {
      for (const t of s.tracks) {
        for (const c of t.clips) {
          const base = { sequenceId: s.id, trackId: t.id, clipId: c.id };
          if (c.mediaId === mediaId) uses.push({ ...base, role: 'clip' });
          for (const k of c.takes) {
            if (k.kind !== 'generated') continue;
            if (k.mediaId === mediaId) uses.push({ ...base, role: 'take', takeId: k.id });
            if (k.matteMediaId === mediaId) uses.push({ ...base, role: 'matte', takeId: k.id });
          }
        }
      }
    }
    return uses;
  }

  /** The first frame after the last clip on the track (0 when empty). */
  trackEnd(trackId: string): number {
    const at = this.#index.track(this.#doc, trackId);
    if (!at) throw bad(`no track with id "${trackId}" in this project`);
    return this.#trackEnd(this.#doc, at.si, at.ti);
  }

  // ---------------------------------------------------------------- project

  rename(name: string): void {
    const n = cleanName(name, 'project name');
    this.#edit('Rename Project', (doc) => (doc.name === n ? doc : { ...doc, name: n }));
  }

  updateSettings(patch: Partial<ProjectSettings>): void {
    this.#edit('Change Project Settings', (doc) => {
      const candidate = { ...doc.settings, ...patch };
      const parsed = ProjectSettingsSchema.safeParse(candidate);
      if (!parsed.success) throw bad(`invalid project settings:\n${formatProblems(problemsFromZod(parsed.error, candidate))}`);
      const settings = { ...parsed.data, fps: rational(parsed.data.fps.num, parsed.data.fps.den) };
      return JSON.stringify(settings) === JSON.stringify(doc.settings) ? doc : { ...doc, settings };
    });
  }

  // ---------------------------------------------------------------- media

  /**
   * Adds probed media to the pool and returns its entry. Importing the same file again (same
   * content hash at the same path) returns the existing entry and records nothing. A copy at
   * another path is a separate entry: it is a different file that may later diverge.
   */
  addMedia(info: MediaInfo, hash: ContentHash): MediaRef {
    const path = resolve(info.source.kind === 'file' ? info.source.path : info.source.pattern);
    const existing = this.#doc.media.find(
      (m) => m.path === path && m.hash.value === hash.value && m.hash.size === hash.size && m.hash.algorithm === hash.algorithm,
    );
    if (existing) return existing;
    let added!: MediaRef;
    this.#edit('Import Media', (doc) => {
      added = mediaRefFromInfo(info, hash, this.#newId('media'));
      return { ...doc, media: [...doc.media, added] };
    });
    return this.findMedia(added.id)!;
  }

  /** Removes an unused media entry; refuses (naming the users) while anything refers to it. */
  removeMedia(mediaId: string): void {
    const media = this.getMedia(mediaId);
    const uses = this.mediaUsage(mediaId);
    if (uses.length) {
      const names = uses.slice(0, 3).map((u) => {
        const loc = this.locateClip(u.clipId)!;
        const as = u.role === 'clip' ? 'clip' : u.role === 'take' ? 'a take of clip' : 'a matte of clip';
        return `${as} "${loc.clip.name}" in "${loc.sequence.name}"`;
      });
      const more = uses.length > 3 ? ` and ${uses.length - 3} more` : '';
      throw bad(`"${media.name}" is still used by ${names.join(', ')}${more}`, 'Remove those clips or takes first.');
    }
    this.#edit('Remove Media', (doc) => ({ ...doc, media: removeAt(doc.media, this.#index.media(doc, mediaId)!) }));
  }

  /**
   * Points a media entry at another path (relink.ts verifies the content first). For an image
   * sequence `path` is the new printf pattern. Undoable like any edit.
   */
  setMediaPath(mediaId: string, path: string): void {
    if (typeof path !== 'string' || !path.trim()) throw bad('media path must not be empty');
    const abs = resolve(path);
    this.getMedia(mediaId);
    this.#edit('Relink Media', (doc) => {
      const i = this.#index.media(doc, mediaId)!;
      const m = doc.media[i];
      return m.path === abs ? doc : { ...doc, media: replaceAt(doc.media, i, { ...m, path: abs }) };
    });
  }

  // ---------------------------------------------------------------- sequences and tracks

  addSequence(options: AddSequenceOptions = {}): Sequence {
    const s = this.#doc.settings;
    const fps = checkRate(options.fps ?? s.fps, 'sequence fps');
    const sizeCheck = SizeSchema.safeParse(options.size ?? s.size);
    if (!sizeCheck.success) throw bad(`sequence size must be whole positive pixels, got ${JSON.stringify(options.size)}`);
    const sampleRate = options.sampleRate ?? s.sampleRate;
    if (!Number.isSafeInteger(sampleRate) || sampleRate <= 0) throw bad(`sample rate must be a positive whole number of Hz, got ${sampleRate}`);
    const startTimecode = options.startTimecode ?? s.startTimecode;
    if (!TimecodeSchema.safeParse(startTimecode).success) throw bad(`start timecode must look like 01:00:00:00, got "${startTimecode}"`);
    const nv = options.videoTracks ?? 1;
    const na = options.audioTracks ?? 1;
    for (const [n, what] of [
      [nv, 'videoTracks'],
      [na, 'audioTracks'],
    ] as const) {
      if (!Number.isSafeInteger(n) || n < 0 || n > 99) throw bad(`${what} must be a whole number from 0 to 99, got ${n}`);
    }
    let added!: Sequence;
    this.#edit('Add Sequence', (doc) => {
      const id = (kind: 'seq' | 'track') => this.#newId(kind);
      const tracks: Track[] = [
        ...Array.from({ length: nv }, (_, i) => ({ id: id('track'), kind: 'video' as const, name: `V${i + 1}`, clips: [] })),
        ...Array.from({ length: na }, (_, i) => ({ id: id('track'), kind: 'audio' as const, name: `A${i + 1}`, clips: [] })),
      ];
      added = {
        id: id('seq'),
        name: options.name !== undefined ? cleanName(options.name, 'sequence name') : `Sequence ${doc.sequences.length + 1}`,
        fps,
        size: { ...sizeCheck.data },
        sampleRate,
        startTimecode,
        tracks,
      };
      return { ...doc, sequences: [...doc.sequences, added] };
    });
    return this.getSequence(added.id);
  }

  /** Removes a sequence with everything on it (undoable; media stays in the pool). */
  removeSequence(sequenceId: string): void {
    this.getSequence(sequenceId);
    this.#edit('Remove Sequence', (doc) => ({ ...doc, sequences: removeAt(doc.sequences, this.#index.sequence(doc, sequenceId)!) }));
  }

  renameSequence(sequenceId: string, name: string): void {
    const n = cleanName(name, 'sequence name');
    this.getSequence(sequenceId);
    this.#edit('Rename Sequence', (doc) => {
      const si = this.#index.sequence(doc, sequenceId)!;
      return doc.sequences[si].name === n ? doc : updateSequence(doc, si, (s) => ({ ...s, name: n }));
    });
  }

  /**
   * Changes a sequence's frame rate, frame size and start timecode. The rate can change only
   * while the sequence is empty: positions count sequence frames, so changing it under placed
   * clips would move every cut (Resolve and Premiere refuse it for the same reason).
   */
  setSequenceFormat(sequenceId: string, format: { fps?: Rational; size?: Size; startTimecode?: string }): void {
    const seq = this.getSequence(sequenceId);
    const fps = format.fps ? checkRate(format.fps, 'sequence fps') : seq.fps;
    const sizeCheck = SizeSchema.safeParse(format.size ?? seq.size);
    if (!sizeCheck.success) throw bad(`sequence size must be whole positive pixels, got ${JSON.stringify(format.size)}`);
    const startTimecode = format.startTimecode ?? seq.startTimecode;
    if (!TimecodeSchema.safeParse(startTimecode).success) throw bad(`start timecode must look like 01:00:00:00, got "${startTimecode}"`);
    const rateChanges = fps.num * seq.fps.den !== seq.fps.num * fps.den;
    if (rateChanges && seq.tracks.some((t) => t.clips.length > 0)) {
      throw bad(
        `the frame rate of "${seq.name}" cannot change while it has clips`,
        'Set the frame rate before adding clips, or make a new sequence at the other rate.',
      );
    }
    this.#edit('Sequence Settings', (doc) => {
      const si = this.#index.sequence(doc, sequenceId)!;
      const s = doc.sequences[si];
      const size = sizeCheck.data;
      if (!rateChanges && s.size.width === size.width && s.size.height === size.height && s.startTimecode === startTimecode) return doc;
      return updateSequence(doc, si, (x) => ({ ...x, fps: rateChanges ? fps : x.fps, size: { ...size }, startTimecode }));
    });
  }

  /** Adds an empty track above the others of its kind (V2 over V1); default name V<n>/A<n>. */
  addTrack(sequenceId: string, kind: TrackKind, name?: string): Track {
    if (kind !== 'video' && kind !== 'audio') throw bad(`track kind must be "video" or "audio", got "${kind}"`);
    const seq = this.getSequence(sequenceId);
    const count = seq.tracks.filter((t) => t.kind === kind).length;
    const trackName = name !== undefined ? cleanName(name, 'track name') : `${kind === 'video' ? 'V' : 'A'}${count + 1}`;
    let added!: Track;
    this.#edit('Add Track', (doc) => {
      const si = this.#index.sequence(doc, sequenceId)!;
      added = { id: this.#newId('track'), kind, name: trackName, clips: [] };
      return updateSequence(doc, si, (s) => {
        // Keep each kind's tracks together, the new one last (topmost) among its kind.
        let at = s.tracks.length;
        for (let i = s.tracks.length - 1; i >= 0; i--) {
          if (s.tracks[i].kind === kind) {
            at = i + 1;
            break;
          }
        }
        return { ...s, tracks: [...s.tracks.slice(0, at), added, ...s.tracks.slice(at)] };
      });
    });
    return added;
  }

  /** Removes an empty track; refuses one with clips so a stray click cannot wipe a track. */
  removeTrack(trackId: string): void {
    const at = this.#index.track(this.#doc, trackId);
    if (!at) throw bad(`no track with id "${trackId}" in this project`);
    const track = this.#doc.sequences[at.si].tracks[at.ti];
    if (track.clips.length) throw bad(`track "${track.name}" still has ${track.clips.length} clip(s)`, 'Remove its clips first.');
    this.#edit('Remove Track', (doc) => updateSequence(doc, at.si, (s) => ({ ...s, tracks: removeAt(s.tracks, at.ti) })));
  }

  // ---------------------------------------------------------------- clips

  /** Places `mediaId` on a track; see AddClipOptions for the defaults. Returns the new clip. */
  addClip(sequenceId: string, trackId: string, mediaId: string, options: AddClipOptions = {}): Clip {
    let added!: Clip;
    this.#edit('Add Clip', (doc) => {
      const { si, ti } = this.#trackIn(doc, trackId, sequenceId);
      const seq = doc.sequences[si];
      const track = seq.tracks[ti];
      const media = this.#mediaIn(doc, mediaId);
      ensure(trackMediaProblem(track.kind, media));
      const sourceIn = options.sourceIn ?? 0;
      const sourceOut = options.sourceOut ?? mediaFrameCount(media, mediaRate(media, seq));
      ensure(sourceRangeProblem(sourceIn, sourceOut, media, seq));
      const position = checkFrame(options.position ?? this.#trackEnd(doc, si, ti), 'position');
      const end = position + clipDuration({ sourceIn, sourceOut }, media, seq);
      this.#ensureFree(doc, si, ti, position, end, null);
      const clipId = this.#newId('clip');
      const original: OriginalTake = {
        id: this.#newId('take'),
        kind: 'original',
        label: 'Original',
        created: now(),
        mediaId,
      };
      added = {
        id: clipId,
        name: options.name !== undefined ? cleanName(options.name, 'clip name') : media.name,
        mediaId,
        sourceIn,
        sourceOut,
        position,
        takes: [original],
        activeTakeId: original.id,
      };
      return updateTrack(doc, si, ti, (t) => ({ ...t, clips: insertClipSorted(t.clips, added) }));
    });
    return this.getClip(added.id);
  }

  /** Moves a clip to another position and/or another track of the same kind in its sequence. */
  moveClip(clipId: string, options: MoveClipOptions): void {
    this.#edit('Move Clip', (doc) => {
      const from = this.#clipIn(doc, clipId);
      const clip = doc.sequences[from.si].tracks[from.ti].clips[from.ci];
      const to = options.trackId === undefined ? from : this.#trackIn(doc, options.trackId, doc.sequences[from.si].id);
      const fromTrack = doc.sequences[from.si].tracks[from.ti];
      const toTrack = doc.sequences[to.si].tracks[to.ti];
      if (toTrack.kind !== fromTrack.kind) {
        throw bad(`cannot move clip "${clip.name}" from ${fromTrack.kind} track "${fromTrack.name}" to ${toTrack.kind} track "${toTrack.name}"`);
      }
      const position = checkFrame(options.position ?? clip.position, 'position');
      if (position === clip.position && to.ti === from.ti) return doc;
      const media = doc.media[this.#index.media(doc, clip.mediaId)!];
      const end = position + clipDuration(clip, media, doc.sequences[from.si]);
      this.#ensureFree(doc, to.si, to.ti, position, end, clipId);
      const moved = { ...clip, position };
      let next = updateTrack(doc, from.si, from.ti, (t) => ({ ...t, clips: removeAt(t.clips, from.ci) }));
      next = updateTrack(next, to.si, to.ti, (t) => ({ ...t, clips: insertClipSorted(t.clips, moved) }));
      return next;
    });
  }

  /** Changes a clip's source range (and where it starts); see TrimClipOptions. */
  trimClip(clipId: string, options: TrimClipOptions): void {
    this.#edit('Trim Clip', (doc) => {
      const at = this.#clipIn(doc, clipId);
      const seq = doc.sequences[at.si];
      const clip = seq.tracks[at.ti].clips[at.ci];
      const media = doc.media[this.#index.media(doc, clip.mediaId)!];
      const sourceIn = options.sourceIn ?? clip.sourceIn;
      const sourceOut = options.sourceOut ?? clip.sourceOut;
      ensure(sourceRangeProblem(sourceIn, sourceOut, media, seq));
      const duration = clipDuration({ sourceIn, sourceOut }, media, seq);
      let position: number;
      if (options.position !== undefined) position = options.position;
      else if (options.sourceIn !== undefined && options.sourceOut === undefined) position = clipEnd(clip, media, seq) - duration;
      else position = clip.position;
      if (position < 0) {
        throw bad(`trimming "${clip.name}" to start at source frame ${sourceIn} would put it before the start of the timeline`);
      }
      checkFrame(position, 'position');
      if (sourceIn === clip.sourceIn && sourceOut === clip.sourceOut && position === clip.position) return doc;
      const active = clip.takes.find((t) => t.id === clip.activeTakeId)!;
      ensure(takeCoverageProblem(active, doc.media[this.#index.media(doc, active.mediaId)!], { sourceIn, sourceOut }, seq));
      this.#ensureFree(doc, at.si, at.ti, position, position + duration, clipId);
      const trimmed = { ...clip, sourceIn, sourceOut, position };
      return updateTrack(doc, at.si, at.ti, (t) => ({ ...t, clips: insertClipSorted(removeAt(t.clips, at.ci), trimmed) }));
    });
  }

  removeClip(clipId: string): void {
    this.#edit('Remove Clip', (doc) => {
      const at = this.#clipIn(doc, clipId);
      return updateTrack(doc, at.si, at.ti, (t) => ({ ...t, clips: removeAt(t.clips, at.ci) }));
    });
  }

  renameClip(clipId: string, name: string): void {
    const n = cleanName(name, 'clip name');
    this.#edit('Rename Clip', (doc) => {
      const at = this.#clipIn(doc, clipId);
      const clip = doc.sequences[at.si].tracks[at.ti].clips[at.ci];
      return clip.name === n ? doc : updateClip(doc, at.si, at.ti, at.ci, (c) => ({ ...c, name: n }));
    });
  }

  // ---------------------------------------------------------------- takes

  /**
   * Adds a rendered result as a new take of the clip and (by default) makes it the one shown.
   * The take's media must be frame-aligned with the clip's (same rate; see `sourceStart`), and
   * an active take must cover the clip's whole range.
   */
  addTake(clipId: string, options: AddTakeOptions): Take {
    const paramsCheck = TakeParamsSchema.safeParse(options.params);
    if (!paramsCheck.success) {
      const problems = problemsFromZod(paramsCheck.error, options.params).map((p) => ({ ...p, path: ['params', ...p.path] }));
      throw bad(`invalid take params:\n${formatProblems(problems)}`);
    }
    const extraProblem = paramsCheck.data.extra ? jsonValueProblem(paramsCheck.data.extra, 'params.extra') : null;
    if (extraProblem) throw bad(`invalid take params: ${extraProblem}`);
    // A private copy: the document is frozen, and the caller's object must stay theirs.
    const params = structuredClone(paramsCheck.data);
    if (options.jobId !== undefined && (typeof options.jobId !== 'string' || !options.jobId)) throw bad('jobId must be a non-empty string');
    let added!: GeneratedTake;
    this.#edit('Add Take', (doc) => {
      const at = this.#clipIn(doc, clipId);
      const seq = doc.sequences[at.si];
      const track = seq.tracks[at.ti];
      const clip = track.clips[at.ci];
      const clipMedia = doc.media[this.#index.media(doc, clip.mediaId)!];
      const media = this.#mediaIn(doc, options.mediaId);
      ensure(trackMediaProblem(track.kind, media) ?? takeMediaProblem(media, clipMedia, seq));
      if (options.matteMediaId !== undefined) {
        const matte = this.#mediaIn(doc, options.matteMediaId);
        const p = takeMediaProblem(matte, clipMedia, seq);
        if (p) throw bad(`matte: ${p}`);
      }
      const sourceStart = checkFrame(options.sourceStart ?? clip.sourceIn, 'sourceStart');
      added = {
        id: this.#newId('take'),
        kind: 'generated',
        label: options.label !== undefined ? cleanName(options.label, 'take label') : `Take ${nextTakeNumber(clip.takes)}`,
        created: now(),
        mediaId: options.mediaId,
        sourceStart,
        ...(options.matteMediaId !== undefined && { matteMediaId: options.matteMediaId }),
        params,
        ...(options.jobId !== undefined && { jobId: options.jobId }),
      };
      const activate = options.activate ?? true;
      if (activate) ensure(takeCoverageProblem(added, media, clip, seq));
      return updateClip(doc, at.si, at.ti, at.ci, (c) => ({
        ...c,
        takes: [...c.takes, added],
        activeTakeId: activate ? added.id : c.activeTakeId,
      }));
    });
    return this.getTake(clipId, added.id);
  }

  /** Shows `takeId` for the clip (the take must cover the clip's range). */
  setActiveTake(clipId: string, takeId: string): void {
    this.#edit('Switch Take', (doc) => {
      const at = this.#clipIn(doc, clipId);
      const seq = doc.sequences[at.si];
      const clip = seq.tracks[at.ti].clips[at.ci];
      const take = this.#takeIn(clip, takeId);
      if (clip.activeTakeId === takeId) return doc;
      ensure(takeCoverageProblem(take, doc.media[this.#index.media(doc, take.mediaId)!], clip, seq));
      return updateClip(doc, at.si, at.ti, at.ci, (c) => ({ ...c, activeTakeId: takeId }));
    });
  }

  renameTake(clipId: string, takeId: string, label: string): void {
    const n = cleanName(label, 'take label');
    this.#edit('Rename Take', (doc) => {
      const at = this.#clipIn(doc, clipId);
      const clip = doc.sequences[at.si].tracks[at.ti].clips[at.ci];
      const take = this.#takeIn(clip, takeId);
      if (take.label === n) return doc;
      return updateClip(doc, at.si, at.ti, at.ci, (c) => ({
        ...c,
        takes: c.takes.map((t) => (t.id === takeId ? { ...t, label: n } : t)),
      }));
    });
  }

  /**
   * Deletes a generated take (its media stays in the pool; removeMedia it separately). The
   * original cannot be deleted. Deleting the active take shows the original again.
   */
  deleteTake(clipId: string, takeId: string): void {
    this.#edit('Delete Take', (doc) => {
      const at = this.#clipIn(doc, clipId);
      const clip = doc.sequences[at.si].tracks[at.ti].clips[at.ci];
      const take = this.#takeIn(clip, takeId);
      if (take.kind === 'original') throw bad(`the original take of "${clip.name}" cannot be deleted`);
      const original = clip.takes[0];
      return updateClip(doc, at.si, at.ti, at.ci, (c) => ({
        ...c,
        takes: c.takes.filter((t) => t.id !== takeId),
        activeTakeId: c.activeTakeId === takeId ? original.id : c.activeTakeId,
      }));
    });
  }

  // ---------------------------------------------------------------- internals

  /** A fresh id, never used in this session: not even by states in the undo or redo stack. */
  #newId(kind: IdKind): string {
    const id = newId(kind, (x) => this.#knownIds.has(x));
    this.#knownIds.add(id);
    return id;
  }

  #mediaIn(doc: ProjectDoc, mediaId: string): MediaRef {
    const i = this.#index.media(doc, mediaId);
    if (i === undefined) throw bad(`no media with id "${mediaId}" in this project`);
    return doc.media[i];
  }

  #trackIn(doc: ProjectDoc, trackId: string, sequenceId: string): TrackAt {
    const si = this.#index.sequence(doc, sequenceId);
    if (si === undefined) throw bad(`no sequence with id "${sequenceId}" in this project`);
    const at = this.#index.track(doc, trackId);
    if (!at) throw bad(`no track with id "${trackId}" in this project`);
    if (at.si !== si) throw bad(`track "${trackId}" is not in sequence "${doc.sequences[si].name}"`);
    return at;
  }

  #clipIn(doc: ProjectDoc, clipId: string): ClipAt {
    const at = this.#index.clip(doc, clipId);
    if (!at) throw bad(`no clip with id "${clipId}" in this project`);
    return at;
  }

  #takeIn(clip: Clip, takeId: string): Take {
    const take = clip.takes.find((t) => t.id === takeId);
    if (!take) throw bad(`clip "${clip.name}" has no take with id "${takeId}"`);
    return take;
  }

  #trackEnd(doc: ProjectDoc, si: number, ti: number): number {
    const seq = doc.sequences[si];
    let end = 0;
    for (const c of seq.tracks[ti].clips) end = Math.max(end, clipEnd(c, doc.media[this.#index.media(doc, c.mediaId)!], seq));
    return end;
  }

  /** Throws unless timeline frames [start, end) on the track are free (ignoring `except`). */
  #ensureFree(doc: ProjectDoc, si: number, ti: number, start: number, end: number, except: string | null): void {
    const seq = doc.sequences[si];
    const track = seq.tracks[ti];
    for (const c of track.clips) {
      if (c.id === except) continue;
      const cEnd = clipEnd(c, doc.media[this.#index.media(doc, c.mediaId)!], seq);
      if (c.position < end && start < cEnd) {
        throw bad(
          `frames ${start}..${end} on track "${track.name}" overlap clip "${c.name}" (frames ${c.position}..${cEnd})`,
          'Clips on one track cannot overlap: move or trim one of them first.',
        );
      }
    }
  }
}

import { TakeParamsSchema } from '../project';
import type { IxClip, IxNote, IxTake, IxTrack } from './model';

/**
 * For formats whose clips hold one media file (FCP7 XML, MLT, Kdenlive; FCPXML for mattes): a
 * video track with Lacuna takes goes out as up to three tracks — a disabled "<name> original"
 * track right beneath it with the original media at the same places, the track itself showing
 * the takes, and a disabled "<name> matte" track right above it with the mattes. An editor can
 * switch to the original by enabling the track beneath; a compositor finds the matte above.
 * Reading folds such tracks back into the takes they came from.
 */

export type TrackRole = 'main' | 'original' | 'matte';

export interface RoleTrack {
  track: IxTrack;
  role: TrackRole;
  /** Disabled in the NLE: helper tracks are there to be switched on, not to play. */
  enabled: boolean;
}

export const ORIGINAL_SUFFIX = ' original';
export const MATTE_SUFFIX = ' matte';

/** The tracks to write, bottom first, helpers placed around the track they serve. */
export function expandHelperTracks(tracks: readonly IxTrack[], options: { originals?: boolean; mattes?: boolean } = {}): RoleTrack[] {
  const out: RoleTrack[] = [];
  for (const t of tracks) {
    const originals = t.kind === 'video' && options.originals !== false ? t.clips.filter((c) => c.original) : [];
    const mattes = t.kind === 'video' && options.mattes !== false ? t.clips.filter((c) => c.matte) : [];
    const helper = (suffix: string, clips: IxClip[], pick: (c: IxClip) => IxClip['shown']): IxTrack => ({
      kind: t.kind,
      name: `${t.name}${suffix}`,
      clips: clips.map((c) => ({ name: c.name, position: c.position, duration: c.duration, shown: pick(c) })),
    });
    if (originals.length) out.push({ track: helper(ORIGINAL_SUFFIX, originals, (c) => c.original!), role: 'original', enabled: false });
    out.push({ track: t, role: 'main', enabled: true });
    if (mattes.length) out.push({ track: helper(MATTE_SUFFIX, mattes, (c) => c.matte!), role: 'matte', enabled: false });
  }
  return out;
}

/**
 * Folds helper tracks back: a disabled video track named "<X> original" beneath track X (or
 * "<X> matte" above it) gives each clip of X at the same place and length its original (or
 * matte). Clips of a helper track that match nothing are kept as clips of a track of their own
 * and reported, so nothing in the file is lost.
 */
export function foldHelperTracks(tracks: readonly RoleTrack[], notes: IxNote[]): IxTrack[] {
  const mains = tracks.filter((t) => t.role === 'main').map((t) => t.track);
  const byName = new Map(mains.map((t) => [t.name, t]));
  const out = [...mains];
  for (const h of tracks) {
    if (h.role === 'main') continue;
    const suffix = h.role === 'original' ? ORIGINAL_SUFFIX : MATTE_SUFFIX;
    const main = byName.get(h.track.name.slice(0, -suffix.length));
    const left: IxClip[] = [];
    for (const hc of h.track.clips) {
      const c = main?.clips.find((m) => m.position === hc.position && m.duration === hc.duration);
      if (!c) {
        left.push(hc);
        continue;
      }
      if (h.role === 'matte') c.matte = hc.shown;
      else {
        c.original = hc.shown;
        const sourceStart = hc.shown.sourceIn - c.shown.sourceIn;
        c.take = { ...(c.take ?? { label: 'Take', params: { engine: 'imported' } }), sourceStart };
      }
    }
    if (left.length) {
      notes.push({ kind: 'other', at: `track "${h.track.name}"`, message: `${left.length} clip(s) match no clip of the track they serve; imported on a track of their own` });
      out.push({ ...h.track, clips: left });
    }
  }
  return out;
}

/** Whether a disabled track's name marks it as a helper (and of which kind). */
export function helperRole(name: string, enabled: boolean): TrackRole {
  if (enabled) return 'main';
  if (name.endsWith(ORIGINAL_SUFFIX)) return 'original';
  if (name.endsWith(MATTE_SUFFIX)) return 'matte';
  return 'main';
}

const TAKE_NOTE = 'lacuna-take ';

/** How a take is described in formats that carry a free-text note per clip. */
export function takeNote(take: IxTake): string {
  return TAKE_NOTE + JSON.stringify({ label: take.label, params: take.params });
}

/** The take (without its alignment, which the helper tracks give) from a note, or null. */
export function parseTakeNote(text: string | undefined): Omit<IxTake, 'sourceStart'> | null {
  if (!text?.startsWith(TAKE_NOTE)) return null;
  try {
    const v = JSON.parse(text.slice(TAKE_NOTE.length)) as { label?: unknown; params?: unknown };
    const params = TakeParamsSchema.safeParse(v.params);
    if (typeof v.label !== 'string' || !v.label || !params.success) return null;
    return { label: v.label, params: params.data };
  } catch {
    return null;
  }
}

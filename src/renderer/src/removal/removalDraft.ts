import type { ClipDto } from '../../../api/schemas/project';
import type { AppState, RemovalDraft } from '../store/appStore';

/**
 * The Remove panel's draft as it opens on `clip`: the words kept when it is the same clip again,
 * and the source viewer's In/Out captured when they are marks on this clip's media (the marks
 * are inclusive frames; the draft's range is half-open).
 */
export function newRemovalDraft(s: AppState, clip: ClipDto): RemovalDraft {
  const same = s.removal?.clipId === clip.id ? s.removal : null;
  const src = s.source;
  const onThisMedia = s.sourceMediaId === clip.mediaId && (src.inPoint !== null || src.outPoint !== null);
  const media = s.project?.media.find((m) => m.id === clip.mediaId);
  const length = media?.info.video?.frameCount || clip.sourceOut;
  const marks = onThisMedia ? { start: src.inPoint ?? 0, end: src.outPoint !== null ? src.outPoint + 1 : length } : null;
  return {
    clipId: clip.id,
    expression: same?.expression ?? '',
    engine: same?.engine ?? null,
    seed: same?.seed ?? 0,
    maskDilate: same?.maskDilate ?? 8,
    maskFeather: same?.maskFeather ?? 2,
    engineSettings: same?.engineSettings ?? {},
    pack: same?.pack ?? null,
    composite: same?.composite ?? 'union',
    target: same?.target ?? 'words',
    mattePath: same?.mattePath ?? '',
    // Marks just made on this clip's media are what the editor means to render.
    range: marks ? 'marked' : 'clip',
    marks,
    startFrom: same?.startFrom ?? 'active',
    plan: null,
    find: null,
    chosen: [],
    busy: null,
    error: null,
    runOn: s.removal?.runOn ?? 'local',
  };
}

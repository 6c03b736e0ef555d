import { useEffect, useRef, useState } from 'react';
import { mediaUrl } from '../../../api/mediaUrl';
import type { SequenceDto } from '../../../api/schemas/project';
import { useClient } from '../clientContext';
import { useAppStore } from '../store/appStore';

/** Further apart than this (seconds) and the sound is moved back to the playhead. */
const MAX_DRIFT = 0.08;

/** What the sequence's sound depends on: the audio tracks' clips and the rate (a new mix when it changes). */
function soundKey(sequence: SequenceDto | null): string {
  if (!sequence) return '';
  const clips = sequence.tracks.map((t) => t.clips.map((c) => `${t.kind}:${c.id}:${c.mediaId}:${c.position}:${c.sourceIn}:${c.duration}`).join(','));
  return `${sequence.id}|${sequence.fps.num}/${sequence.fps.den}|${clips.join(';')}`;
}

/**
 * The program viewer's sound: the engine's mix of the sequence's audio tracks (sequence.audioMix,
 * remade after an edit), played by one <audio> element kept on the playhead. It plays only at
 * normal speed forward (as the picture's sound does in most NLEs' shuttle); at any other rate, or
 * stopped, it waits at the playhead. The element is returned for the viewer to mount.
 */
export function useProgramSound(sequence: SequenceDto | null, mediaBase: string): { src: string | null; ref: React.RefObject<HTMLAudioElement | null> } {
  const client = useClient();
  const ref = useRef<HTMLAudioElement | null>(null);
  const [src, setSrc] = useState<string | null>(null);
  const key = soundKey(sequence);
  const sequenceId = sequence?.id;
  useEffect(() => {
    if (!sequenceId) return setSrc(null);
    let live = true;
    // Edits come in bursts (a drag, an undo run): mix once they settle.
    const t = setTimeout(() => {
      client
        .call('sequence.audioMix', { sequenceId })
        .then((mix) => live && setSrc(mix.path ? mediaUrl(mediaBase, { mode: 'file', path: mix.path }) : null))
        .catch(() => live && setSrc(null));
    }, 250);
    return () => {
      live = false;
      clearTimeout(t);
    };
  }, [key, sequenceId, client, mediaBase]);

  const frame = useAppStore((s) => s.program.frame);
  const rate = useAppStore((s) => s.program.rate);
  const fps = sequence ? sequence.fps.num / sequence.fps.den : 0;
  useEffect(() => {
    const el = ref.current;
    if (!el || !src || !fps) return;
    const at = frame / fps;
    if (rate === 1) {
      if (Math.abs(el.currentTime - at) > MAX_DRIFT) el.currentTime = at;
      if (el.paused) void el.play().catch(() => {});
    } else {
      if (!el.paused) el.pause();
      if (Math.abs(el.currentTime - at) > 1 / fps / 2) el.currentTime = at;
    }
  }, [frame, rate, fps, src]);
  return { src, ref };
}

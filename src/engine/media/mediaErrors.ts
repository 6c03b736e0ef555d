import { LacunaError } from '../util/errors';

/**
 * The two ways an input can fail before any work starts, worded once so probe, decode and the
 * CLI say the same thing: the path is named, and the hint says what to check.
 */
export function mediaNotFound(path: string, what = 'media file'): LacunaError {
  return new LacunaError('MEDIA_NOT_FOUND', `${what} not found: ${path}`, 'Check the path (and that the drive is mounted), or relink the media.');
}

export function mediaUnreadable(path: string, reason: string): LacunaError {
  return new LacunaError(
    'MEDIA_UNREADABLE',
    `cannot read ${path} as video or audio: ${reason}`,
    'Lacuna reads any file ffmpeg can decode, and image sequences (a folder of numbered images). ' +
      'Check that the file is complete and is a video, audio or image file.',
  );
}

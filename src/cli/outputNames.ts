import { basename, dirname, extname, join } from 'node:path';
import type { MediaSource } from '../engine/media/types';

/**
 * The default name of what a command makes from `source`: `<name>_<suffix><extension>` beside it.
 * A file's name is its own (`shot.mov` → `shot_removed.mov`). An image sequence's output goes
 * beside its folder, not into it (a frames folder may be read-only, and the next probe of it
 * would meet a stray movie), named after the frames' common stem, or the folder when the names
 * are bare numbers (`plates/%05d.jpg` → `plates_removed.mov`, `a/plate.%04d.exr` → `plate_removed.mov`).
 */
export function besideSource(source: MediaSource, suffix: string, extension: string): string {
  if (source.kind === 'file') {
    const path = source.path;
    return join(dirname(path), `${stemOf(basename(path, extname(path))) || 'output'}_${suffix}${extension}`);
  }
  const folder = dirname(source.pattern);
  const stem = stemOf(basename(source.pattern, extname(source.pattern))) || basename(folder) || 'sequence';
  return join(dirname(folder), `${stem}_${suffix}${extension}`);
}

/** A name without its frame-number pattern and the separators left trailing (`plate.%04d` → `plate`). */
function stemOf(name: string): string {
  return name.replace(/%0?\d*d/g, '').replace(/[._-]+$/, '');
}
